//! Pagination: blocks of line units flow over pages, with headings kept with what
//! follows, no paragraph leaving a single line behind or ahead, and the signature block
//! never alone at the top of a page (it takes the last lines of the text with it).

use super::layout::{Item, Page};

/// An unbreakable slice of a block (one line of a paragraph, the whole header, the
/// signature block); item `y` values are relative to its top.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    /// Height, pt.
    pub height: f32,
    /// Items, relative to the unit's top.
    pub items: Vec<Item>,
}

/// A block of the flow: a paragraph, a heading, the signature block.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// Its units, in order.
    pub units: Vec<Unit>,
    /// Space above it, pt (dropped at the top of a page).
    pub space_before: f32,
    /// Must share its page with the first lines of the next block (headings).
    pub keep_with_next: bool,
    /// Must not be split (the signature block, stamps).
    pub keep_together: bool,
    /// Must not start a page on its own: takes this many lines of the previous block
    /// along (the signature block).
    pub keep_with_previous: usize,
    /// Starts a new page (appendices).
    pub new_page: bool,
    /// Page numbers restart at this block's page (each appendix is numbered apart).
    pub restart_numbering: bool,
}

/// A page of placed items with its printed number.
#[derive(Debug, Clone, Default)]
pub struct FlowPage {
    /// The page's items.
    pub page: Page,
    /// Its number within its sequence (main text or one appendix), from 1.
    pub number: usize,
    placed: Vec<(usize, Unit, f32)>,
}

/// The lines a paragraph must keep together at a page break (orphans and widows).
const MIN_LINES: usize = 2;

/// Lays `blocks` out on pages whose text area runs from `top` to `bottom`.
pub fn paginate(blocks: &[Block], top: f32, bottom: f32) -> Vec<FlowPage> {
    let mut pages = vec![FlowPage { number: 1, ..FlowPage::default() }];
    let mut y = top;
    for (index, block) in blocks.iter().enumerate() {
        if block.new_page && !pages.last().is_some_and(|p| p.placed.is_empty()) {
            let number = if block.restart_numbering { 1 } else { pages.last().map_or(1, |p| p.number + 1) };
            pages.push(FlowPage { number, ..FlowPage::default() });
            y = top;
        } else if block.new_page
            && block.restart_numbering
            && let Some(page) = pages.last_mut()
        {
            page.number = 1;
        }
        let at_top = pages.last().is_some_and(|p| p.placed.is_empty());
        let space = if at_top { 0.0 } else { block.space_before };
        let total: f32 = block.units.iter().map(|u| u.height).sum();
        let mut need = if block.keep_together || block.units.len() < 2 * MIN_LINES {
            total
        } else {
            block.units.iter().take(MIN_LINES).map(|u| u.height).sum()
        };
        if block.keep_with_next
            && let Some(next) = blocks.get(index + 1)
        {
            need += next.space_before + next.units.iter().take(MIN_LINES).map(|u| u.height).sum::<f32>();
        }
        if !at_top && y + space + need > bottom {
            let moved = if block.keep_with_previous > 0 {
                take_tail(&mut pages, index, block.keep_with_previous)
            } else {
                Vec::new()
            };
            let number = pages.last().map_or(1, |p| p.number + 1);
            pages.push(FlowPage { number, ..FlowPage::default() });
            y = top;
            for (owner, unit, _) in moved {
                place(&mut pages, owner, unit, &mut y);
            }
            if !pages.last().is_some_and(|p| p.placed.is_empty()) {
                y += block.space_before;
            }
        } else {
            y += space;
        }
        let count = block.units.len();
        for (i, unit) in block.units.iter().enumerate() {
            let remaining = count - i;
            let split_here = y + unit.height > bottom
                || (!block.keep_together
                    && remaining == MIN_LINES
                    && count > MIN_LINES
                    && y + unit.height + block.units[i + 1..].iter().map(|u| u.height).sum::<f32>() > bottom
                    && i >= MIN_LINES);
            if split_here && !pages.last().is_some_and(|p| p.placed.is_empty()) {
                let number = pages.last().map_or(1, |p| p.number + 1);
                pages.push(FlowPage { number, ..FlowPage::default() });
                y = top;
            }
            place(&mut pages, index, unit.clone(), &mut y);
        }
    }
    for page in &mut pages {
        page.page.items =
            page.placed.iter().flat_map(|(_, unit, at)| unit.items.iter().cloned().map(|i| i.shifted(*at))).collect();
    }
    pages
}

fn place(pages: &mut [FlowPage], owner: usize, unit: Unit, y: &mut f32) {
    if let Some(page) = pages.last_mut() {
        let at = *y;
        *y += unit.height;
        page.placed.push((owner, unit, at));
    }
}

/// Removes the last `lines` units of the block just before `index` from the current page,
/// if that leaves something on the page, and returns them.
fn take_tail(pages: &mut [FlowPage], index: usize, lines: usize) -> Vec<(usize, Unit, f32)> {
    let Some(page) = pages.last_mut() else { return Vec::new() };
    let tail = page.placed.iter().rev().take_while(|(owner, _, _)| *owner + 1 == index).count().min(lines);
    if tail == 0 || tail >= page.placed.len() {
        return Vec::new();
    }
    let keep = page.placed.len() - tail;
    page.placed.split_off(keep)
}
