//! Pagination: blocks of line units flow over pages, with headings kept with what
//! follows (a heading is never the last line of a page), no paragraph leaving a single
//! line behind or ahead, the signature block never alone at the top of a page (it takes
//! at least two lines of text with it, and never leaves one line of a paragraph behind),
//! and a table's heading rows repeated at the top of every page it continues on.

use super::layout::{Item, Page};

/// An unbreakable slice of a block (one line of a paragraph, the whole header, the
/// signature block, a table row); item `y` values are relative to its top.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    /// Height, pt.
    pub height: f32,
    /// Items, relative to the unit's top.
    pub items: Vec<Item>,
}

/// A block of the flow: a paragraph, a heading, the signature block, a table.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// Its units, in order.
    pub units: Vec<Unit>,
    /// Space above it, pt (dropped at the top of a page).
    pub space_before: f32,
    /// Must share its page with the first lines of the next block (headings).
    pub keep_with_next: bool,
    /// Must not be split (the header, stamps).
    pub keep_together: bool,
    /// Must not start a page on its own: takes at least this many lines of text before it
    /// along (the signature block).
    pub keep_with_previous: usize,
    /// Starts a new page (appendices).
    pub new_page: bool,
    /// Page numbers restart at this block's page (each appendix is numbered apart).
    pub restart_numbering: bool,
    /// Units drawn again at the top of each page the block continues on (a table's
    /// heading rows); they are the block's first `repeat.len()` units.
    pub repeat: Vec<Unit>,
    /// How many leading units must stay together on the block's first page (a table's
    /// headings with its first row, the signature block).
    pub lead: usize,
}

/// A page of placed items with its printed number.
#[derive(Debug, Clone, Default)]
pub struct FlowPage {
    /// The page's items.
    pub page: Page,
    /// Its number within its sequence (main text or one appendix), from 1.
    pub number: usize,
    placed: Vec<Placed>,
}

/// A unit on a page: its block, its index in the block, the unit and its top.
#[derive(Debug, Clone)]
struct Placed {
    owner: usize,
    index: usize,
    unit: Unit,
    at: f32,
}

/// The lines a paragraph must keep together at a page break (orphans and widows).
const MIN_LINES: usize = 2;

struct Flow<'a> {
    blocks: &'a [Block],
    pages: Vec<FlowPage>,
    y: f32,
    top: f32,
    bottom: f32,
}

impl Flow<'_> {
    fn page_empty(&self) -> bool {
        self.pages.last().is_none_or(|p| p.placed.is_empty())
    }

    fn new_page(&mut self) {
        let number = self.pages.last().map_or(1, |p| p.number + 1);
        self.pages.push(FlowPage { number, ..FlowPage::default() });
        self.y = self.top;
    }

    fn place(&mut self, owner: usize, index: usize, unit: Unit) {
        if let Some(page) = self.pages.last_mut() {
            let at = self.y;
            self.y += unit.height;
            page.placed.push(Placed { owner, index, unit, at });
        }
    }

    /// Height the block needs on the current page before it may start there: its lead
    /// (or the first lines), and for a heading the chain of headings after it with the
    /// first lines of the block that ends the chain.
    fn need(&self, index: usize) -> f32 {
        let block = &self.blocks[index];
        let mut need = first_lines(block);
        let mut at = index;
        while self.blocks[at].keep_with_next {
            let Some(next) = self.blocks.get(at + 1) else { break };
            if next.new_page {
                break;
            }
            need += next.space_before + first_lines(next);
            at += 1;
        }
        need
    }

    /// Removes from the end of the current page what must go over with a block that
    /// needs `lines` lines of text before it: at least `lines` units, the whole of a
    /// paragraph that would keep a single line here, and any heading left last. Nothing
    /// moves if that would empty the page.
    fn take_tail(&mut self, lines: usize) -> Vec<Placed> {
        let blocks = self.blocks;
        let Some(page) = self.pages.last_mut() else { return Vec::new() };
        let n = page.placed.len();
        let mut take = lines.min(n);
        loop {
            if take == 0 || take >= n {
                break;
            }
            let last_kept = &page.placed[n - take - 1];
            let first_taken = &page.placed[n - take];
            let kept_of_owner = page.placed[..n - take].iter().rev().take_while(|p| p.owner == last_kept.owner).count();
            let block = &blocks[last_kept.owner];
            if blocks[last_kept.owner].keep_with_next && last_kept.owner != first_taken.owner {
                // A heading is never left as the last line of a page.
                take += kept_of_owner;
            } else if last_kept.owner == first_taken.owner && (kept_of_owner < MIN_LINES || block.keep_together) {
                // No single line of a paragraph is left behind.
                take += kept_of_owner;
            } else {
                break;
            }
        }
        if take == 0 || take >= n {
            return Vec::new();
        }
        page.placed.split_off(n - take)
    }

    fn run(mut self) -> Vec<FlowPage> {
        let blocks = self.blocks;
        for (index, block) in blocks.iter().enumerate() {
            if block.new_page && !self.page_empty() {
                let number = if block.restart_numbering { 1 } else { self.pages.last().map_or(1, |p| p.number + 1) };
                self.pages.push(FlowPage { number, ..FlowPage::default() });
                self.y = self.top;
            } else if block.new_page
                && block.restart_numbering
                && let Some(page) = self.pages.last_mut()
            {
                page.number = 1;
            }
            let space = if self.page_empty() { 0.0 } else { block.space_before };
            let need = self.need(index);
            if !self.page_empty() && self.y + space + need > self.bottom {
                let moved =
                    if block.keep_with_previous > 0 { self.take_tail(block.keep_with_previous) } else { Vec::new() };
                self.new_page();
                for placed in moved {
                    self.place(placed.owner, placed.index, placed.unit);
                }
                if !self.page_empty() {
                    self.y += block.space_before;
                }
            } else {
                self.y += space;
            }
            self.place_units(index, block);
        }
        let mut pages = self.pages;
        for page in &mut pages {
            page.page.items =
                page.placed.iter().flat_map(|p| p.unit.items.iter().cloned().map(|i| i.shifted(p.at))).collect();
        }
        pages
    }

    fn place_units(&mut self, index: usize, block: &Block) {
        let count = block.units.len();
        let repeat = block.repeat.len();
        let bottom = self.bottom;
        for (i, unit) in block.units.iter().enumerate() {
            let remaining = count - i;
            let rest: f32 = block.units[i + 1..].iter().map(|u| u.height).sum();
            let widow = !block.keep_together
                && block.repeat.is_empty()
                && remaining == MIN_LINES
                && count > MIN_LINES
                && i >= MIN_LINES.max(block.lead)
                && self.y + unit.height + rest > bottom;
            let split_here = self.y + unit.height > bottom || widow;
            if split_here && !self.page_empty() {
                self.new_page();
                if i >= repeat && repeat > 0 {
                    for (r, head) in block.repeat.iter().enumerate() {
                        self.place(index, r, head.clone());
                    }
                }
            }
            self.place(index, i, unit.clone());
        }
    }
}

/// The height of what a block must place on a page to start there.
fn first_lines(block: &Block) -> f32 {
    let count = block.units.len();
    let take = if block.keep_together || count < 2 * MIN_LINES {
        count
    } else {
        MIN_LINES.max(block.lead).max(block.repeat.len() + 1).min(count)
    };
    block.units.iter().take(take).map(|u| u.height).sum()
}

/// Lays `blocks` out on pages whose text area runs from `top` to `bottom`.
pub fn paginate(blocks: &[Block], top: f32, bottom: f32) -> Vec<FlowPage> {
    let flow = Flow { blocks, pages: vec![FlowPage { number: 1, ..FlowPage::default() }], y: top, top, bottom };
    flow.run()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(n: usize, height: f32) -> Block {
        Block { units: (0..n).map(|_| Unit { height, items: Vec::new() }).collect(), ..Block::default() }
    }

    /// (block, units) per page.
    fn shape(pages: &[FlowPage]) -> Vec<Vec<(usize, usize)>> {
        pages
            .iter()
            .map(|p| {
                let mut out: Vec<(usize, usize)> = Vec::new();
                for placed in &p.placed {
                    match out.last_mut() {
                        Some((owner, n)) if *owner == placed.owner => *n += 1,
                        _ => out.push((placed.owner, 1)),
                    }
                }
                out
            })
            .collect()
    }

    #[test]
    fn the_signature_takes_a_whole_short_paragraph_not_two_of_its_three_lines() {
        // Page of 10 lines: 7 lines of text, then a 3-line paragraph, then a signature
        // that needs 4 lines: it takes the whole paragraph, not 2 of its 3 lines.
        let mut signature = lines(1, 40.0);
        signature.keep_together = true;
        signature.keep_with_previous = 2;
        let blocks = vec![lines(7, 10.0), lines(3, 10.0), signature];
        let pages = paginate(&blocks, 0.0, 100.0);
        assert_eq!(shape(&pages), vec![vec![(0, 7)], vec![(1, 3), (2, 1)]]);
    }

    #[test]
    fn the_signature_takes_two_lines_even_from_one_line_paragraphs() {
        let mut signature = lines(1, 40.0);
        signature.keep_together = true;
        signature.keep_with_previous = 2;
        let blocks = vec![lines(8, 10.0), lines(1, 10.0), lines(1, 10.0), signature];
        let pages = paginate(&blocks, 0.0, 100.0);
        assert_eq!(shape(&pages), vec![vec![(0, 8)], vec![(1, 1), (2, 1), (3, 1)]]);
    }

    #[test]
    fn a_chain_of_headings_goes_over_with_the_text() {
        // Chapter label, chapter title, article heading, then text: the chain needs
        // 3 heading lines + 2 text lines; only 4 lines are left.
        let mut blocks = vec![lines(6, 10.0)];
        for _ in 0..3 {
            let mut heading = lines(1, 10.0);
            heading.keep_with_next = true;
            blocks.push(heading);
        }
        blocks.push(lines(5, 10.0));
        let pages = paginate(&blocks, 0.0, 100.0);
        assert_eq!(shape(&pages), vec![vec![(0, 6)], vec![(1, 1), (2, 1), (3, 1), (4, 5)]]);
    }

    #[test]
    fn the_pull_never_leaves_a_heading_last() {
        // Heading + 2-line paragraph at the bottom; the signature's pull takes both lines
        // and the heading goes with them.
        let mut heading = lines(1, 10.0);
        heading.keep_with_next = true;
        let mut signature = lines(1, 40.0);
        signature.keep_together = true;
        signature.keep_with_previous = 2;
        let blocks = vec![lines(7, 10.0), heading, lines(2, 10.0), signature];
        let pages = paginate(&blocks, 0.0, 100.0);
        assert_eq!(shape(&pages), vec![vec![(0, 7)], vec![(1, 1), (2, 2), (3, 1)]]);
    }

    #[test]
    fn heading_rows_are_repeated_on_each_page() {
        let mut table = lines(25, 10.0);
        table.repeat = vec![table.units[0].clone()];
        table.lead = 2;
        let pages = paginate(&[lines(3, 10.0), table], 0.0, 100.0);
        let shapes = shape(&pages);
        assert_eq!(shapes.len(), 3, "{shapes:?}");
        for page in &pages[1..] {
            let first = &page.placed[0];
            assert_eq!((first.owner, first.index), (1, 0), "the heading row starts the page");
        }
        let rows: usize = pages.iter().flat_map(|p| &p.placed).filter(|p| p.owner == 1 && p.index > 0).count();
        assert_eq!(rows, 24, "every body row placed once");
    }
}
