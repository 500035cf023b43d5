//! Reading the structure of a PDF that Vanthu wrote (classic cross-reference
//! tables, uncompressed object dictionaries: PDF/A-1b from the exporter and the
//! incremental updates Vanthu appended) so a signature can be added as one more
//! incremental update (ISO 32000-1 §7.5.6).

use std::collections::BTreeMap;

use super::PkiError;

/// The objects and trailer of the latest revision of a PDF.
pub struct PdfFile<'a> {
    /// The whole file.
    pub bytes: &'a [u8],
    offsets: BTreeMap<u32, usize>,
    /// /Size of the latest trailer.
    pub size: u32,
    /// Object number of the catalog.
    pub root: u32,
    /// The /Info entry, as written (`12 0 R`), if any.
    pub info: Option<String>,
    /// The /ID entry, as written, if any.
    pub id: Option<String>,
    /// Offset of the latest cross-reference section.
    pub startxref: usize,
}

fn unsupported(what: &str) -> PkiError {
    PkiError::new(format!("cấu trúc PDF không hỗ trợ để ký: {what} (unsupported PDF structure)"))
}

/// The integer after `key` in `dict` (`/Size 35`), or the object number of a
/// reference (`/Root 34 0 R`).
pub fn int_after(dict: &str, key: &str) -> Option<u64> {
    let mut from = 0;
    while let Some(pos) = dict[from..].find(key) {
        let at = from + pos + key.len();
        // `/Annot` must not match `/Annots`.
        if dict[at..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            from = at;
            continue;
        }
        let rest = dict[at..].trim_start();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return digits.parse().ok();
    }
    None
}

/// The text of the value after `key` up to the end of its bracketed array.
fn array_after<'t>(dict: &'t str, key: &str) -> Option<&'t str> {
    let start = dict.find(key)? + key.len();
    let rest = dict[start..].trim_start();
    if !rest.starts_with('[') {
        return None;
    }
    let end = rest.find(']')?;
    Some(&rest[..=end])
}

impl<'a> PdfFile<'a> {
    /// Reads the cross-reference chain of `bytes`.
    pub fn read(bytes: &'a [u8]) -> Result<PdfFile<'a>, PkiError> {
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        let pos = memchr::memmem::rfind(tail, b"startxref").ok_or_else(|| unsupported("không có startxref"))?;
        let text = String::from_utf8_lossy(&tail[pos + 9..]);
        let startxref: usize =
            text.split_whitespace().next().and_then(|s| s.parse().ok()).ok_or_else(|| unsupported("startxref"))?;
        let mut offsets = BTreeMap::new();
        let mut next = Some(startxref);
        let mut latest: Option<String> = None;
        let mut guard = 0;
        while let Some(at) = next {
            guard += 1;
            if guard > 64 || at >= bytes.len() {
                return Err(unsupported("bảng xref"));
            }
            if !bytes[at..].starts_with(b"xref") {
                return Err(unsupported("xref dạng luồng (cross-reference stream)"));
            }
            let end = memchr::memmem::find(&bytes[at..], b"trailer").ok_or_else(|| unsupported("trailer"))? + at;
            let table = String::from_utf8_lossy(&bytes[at + 4..end]);
            let mut tokens = table.split_whitespace();
            while let (Some(first), Some(count)) = (tokens.next(), tokens.next()) {
                let (Ok(first), Ok(count)) = (first.parse::<u32>(), count.parse::<u32>()) else {
                    return Err(unsupported("bảng xref"));
                };
                for n in first..first + count {
                    let (Some(offset), Some(_gen), Some(kind)) = (tokens.next(), tokens.next(), tokens.next()) else {
                        return Err(unsupported("bảng xref"));
                    };
                    if kind == "n" {
                        let offset: usize = offset.parse().map_err(|_| unsupported("bảng xref"))?;
                        offsets.entry(n).or_insert(offset);
                    }
                }
            }
            let trailer_end = memchr::memmem::find(&bytes[end..], b"startxref").map_or(bytes.len(), |p| p + end);
            let trailer = String::from_utf8_lossy(&bytes[end..trailer_end]).into_owned();
            next = int_after(&trailer, "/Prev").map(|p| p as usize);
            latest.get_or_insert(trailer);
        }
        let trailer = latest.ok_or_else(|| unsupported("trailer"))?;
        let size = int_after(&trailer, "/Size").ok_or_else(|| unsupported("/Size"))? as u32;
        let root = int_after(&trailer, "/Root").ok_or_else(|| unsupported("/Root"))? as u32;
        let info = int_after(&trailer, "/Info").map(|n| format!("{n} 0 R"));
        let id = array_after(&trailer, "/ID").map(str::to_owned);
        Ok(PdfFile { bytes, offsets, size, root, info, id, startxref })
    }

    /// The dictionary text of object `n` (no streams: catalog, pages, form).
    pub fn dict(&self, n: u32) -> Result<String, PkiError> {
        let &offset = self.offsets.get(&n).ok_or_else(|| unsupported(&format!("thiếu đối tượng {n}")))?;
        let rest = &self.bytes[offset..];
        let end = memchr::memmem::find(rest, b"endobj").ok_or_else(|| unsupported("endobj"))?;
        let text = String::from_utf8_lossy(&rest[..end]);
        let start = text.find("obj").ok_or_else(|| unsupported("obj"))? + 3;
        let body = text[start..].trim();
        if body.contains("stream") {
            return Err(unsupported(&format!("đối tượng {n} là luồng")));
        }
        Ok(body.to_owned())
    }

    /// The object numbers of the pages, in order (a single-level page tree, as the
    /// exporter writes).
    pub fn pages(&self) -> Result<Vec<u32>, PkiError> {
        let catalog = self.dict(self.root)?;
        let pages = int_after(&catalog, "/Pages").ok_or_else(|| unsupported("/Pages"))? as u32;
        let tree = self.dict(pages)?;
        let kids = array_after(&tree, "/Kids").ok_or_else(|| unsupported("/Kids"))?;
        let numbers: Vec<u32> = kids
            .trim_matches(['[', ']'])
            .split_whitespace()
            .collect::<Vec<_>>()
            .chunks(3)
            .filter_map(|c| c.first().and_then(|n| n.parse().ok()))
            .collect();
        for &n in &numbers {
            if !self.dict(n)?.contains("/Type /Page") {
                return Err(unsupported("cây trang nhiều cấp (nested page tree)"));
            }
        }
        Ok(numbers)
    }
}

impl PdfFile<'_> {
    /// The /MediaBox of page object `page` (inherited from the page tree when the
    /// page has none; A4 when nothing says).
    pub fn media_box(&self, page: u32) -> Result<[f32; 4], PkiError> {
        let mut n = page;
        for _ in 0..16 {
            let dict = self.dict(n)?;
            if let Some(at) = dict.find("/MediaBox") {
                let rest = dict[at + 9..].trim_start();
                let text = match rest.strip_prefix('[') {
                    Some(inner) => inner[..inner.find(']').unwrap_or(inner.len())].to_owned(),
                    None => {
                        let target = int_after(&dict, "/MediaBox").ok_or_else(|| unsupported("/MediaBox"))?;
                        self.dict(target as u32)?.trim_matches(['[', ']', ' ', '\n']).to_owned()
                    }
                };
                let numbers: Vec<f32> = text.split_whitespace().filter_map(|t| t.parse().ok()).collect();
                if let [a, b, c, d] = numbers[..] {
                    return Ok([a.min(c), b.min(d), a.max(c), b.max(d)]);
                }
                return Err(unsupported("/MediaBox"));
            }
            match int_after(&dict, "/Parent") {
                Some(parent) => n = parent as u32,
                None => break,
            }
        }
        Ok([0.0, 0.0, 595.28, 841.89])
    }
}

/// `dict` (`<< … >>`) with `entry` added before its closing `>>`.
pub fn with_entry(dict: &str, entry: &str) -> String {
    let end = dict.rfind(">>").unwrap_or(dict.len());
    format!("{}  {entry}\n{}", &dict[..end], &dict[end..])
}

/// `dict` with `item` appended to its array `key`, or the array created.
pub fn with_array_item(dict: &str, key: &str, item: &str) -> Result<String, PkiError> {
    match dict.find(&format!("{key} [")).or_else(|| dict.find(&format!("{key}["))) {
        Some(start) => {
            let close = dict[start..].find(']').ok_or_else(|| unsupported(key))? + start;
            Ok(format!("{} {item}{}", &dict[..close], &dict[close..]))
        }
        None if dict.contains(&format!("{key} ")) => Err(unsupported(&format!("{key} gián tiếp"))),
        None => Ok(with_entry(dict, &format!("{key} [{item}]"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_dictionaries() {
        let page = "<<\n  /Type /Page\n  /Annots [5 0 R]\n>>";
        assert_eq!(
            with_array_item(page, "/Annots", "9 0 R").unwrap(),
            "<<\n  /Type /Page\n  /Annots [5 0 R 9 0 R]\n>>"
        );
        let bare = with_array_item("<< /Type /Page >>", "/Annots", "9 0 R").unwrap();
        assert!(bare.contains("/Annots [9 0 R]") && bare.ends_with(">>"));
        assert_eq!(int_after("/Size 35 /Root 34 0 R", "/Root"), Some(34));
        assert_eq!(int_after("/Annots [1 0 R] /Annot 7", "/Annot"), Some(7));
    }
}
