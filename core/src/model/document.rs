//! An outgoing official document as described by `vanthu.document/1`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Family;
use crate::text::nfc_in_place;

/// The literal value of the `schema` field.
pub const SCHEMA_ID: &str = "vanthu.document/1";

/// One official document: every format component of NĐ 30 Điều 8 (main and
/// additional) and the Party equivalents of HD 36.
///
/// Field order is the order of the interchange format; unknown top-level fields of
/// an input are kept in [`Document::extra`] so that a round trip loses nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Always [`SCHEMA_ID`].
    pub schema: SchemaTag,
    /// Which ruleset governs the document.
    pub family: Family,
    /// The document type's code (`quyet-dinh`), from the catalogue.
    pub kind: KindCode,
    /// The issuing body as printed (box 2).
    pub issuer: Issuer,
    /// The number as printed (`"05"`), `None` in a draft (box 3).
    #[serde(default)]
    pub number: Option<String>,
    /// The symbol after the number (`QĐ-VP`, `QĐ/TU`), `None` in a draft.
    #[serde(default)]
    pub notation: Option<String>,
    /// Place name printed before the date (box 4).
    pub place: String,
    /// Issue date, `None` in a draft.
    #[serde(default, with = "iso_date_opt")]
    pub date: Option<NaiveDate>,
    /// Trích yếu (box 5a/5b), without the `V/v` of a công văn.
    #[serde(default)]
    pub subject: Option<String>,
    /// The `Kính gửi:` list (box 9a).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub addressees: Vec<String>,
    /// Authority line above the căn cứ (nghị quyết, quyết định).
    #[serde(default)]
    pub authority_line: Option<String>,
    /// The căn cứ lines.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub bases: Vec<String>,
    /// `QUYẾT ĐỊNH:`, `QUYẾT NGHỊ:` …
    #[serde(default)]
    pub enacting_words: Option<String>,
    /// Content blocks in order (box 6).
    pub body: Vec<Block>,
    /// The signature block (boxes 7a–7c).
    pub signer: Signer,
    /// The `Nơi nhận:` lines (box 9b); the last is the Lưu line.
    pub recipients: Vec<String>,
    /// Mức độ khẩn (box 10b).
    #[serde(default)]
    pub urgency: Option<Urgency>,
    /// Độ mật (box 10a).
    #[serde(default)]
    pub secrecy: Option<Secrecy>,
    /// Chỉ dẫn phạm vi lưu hành (box 11).
    #[serde(default)]
    pub circulation: Option<Circulation>,
    /// Ký hiệu người soạn thảo (box 12): the drafter's initials (`NVA`, mixed case as
    /// written; Phụ lục I, Phần I, III.3), printed after the Lưu line's units. Revision 1
    /// files used it for the drafting unit; the value is kept as written either way.
    #[serde(default)]
    pub drafter_code: Option<String>,
    /// Số lượng bản phát hành (box 12).
    #[serde(default)]
    pub copies: Option<u32>,
    /// Reply or handling deadline.
    #[serde(default, with = "iso_date_opt")]
    pub due_date: Option<NaiveDate>,
    /// Phụ lục.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub appendices: Vec<Appendix>,
    /// Optional fields beyond the base format (for example `second_signer` of a
    /// biên bản), kept verbatim.
    #[serde(skip)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The issuing body as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    /// Directly superior body (cơ quan chủ quản), upper case.
    #[serde(default)]
    pub parent: Option<String>,
    /// Issuing body, upper case.
    pub name: String,
    /// Abbreviation used in the symbol.
    pub abbreviation: String,
}

/// The signature block.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Signer {
    /// Authority prefix: `TM.`, `KT.`, `TL.`, `TUQ.`, `Q.`; Party `T/M`, `K/T`, `T/L`.
    /// Kept as written so the rules can report a malformed one.
    #[serde(default)]
    pub form: Option<String>,
    /// What follows the prefix on its line.
    #[serde(default)]
    pub principal: Option<String>,
    /// Revision 2: the second authority line of a two-level block (NĐ 30 Điều 13.2,
    /// 13.4): `KT. CHỦ TỊCH` under `TM. ỦY BAN NHÂN DÂN`. Written only when present, so
    /// documents without it keep their revision-1 bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deputy: Option<DeputyLine>,
    /// The signer's own title line.
    pub position: String,
    /// Revision 2: lines printed under the position as the document shows them (rare:
    /// `CHỦ TỊCH UBND TỈNH` under `TRƯỞNG BAN`). Written only when not empty.
    #[serde(default, deserialize_with = "null_as_empty", skip_serializing_if = "Vec::is_empty")]
    pub extra_lines: Vec<String>,
    /// Full name.
    pub name: String,
}

/// The second authority line of a two-level signature block (`KT. CHỦ TỊCH`,
/// Party `K/T BÍ THƯ`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeputyLine {
    /// The prefix as written: `KT.` (Party `K/T`); kept as written so the rules can
    /// report a malformed one.
    pub form: String,
    /// The title that follows it (`CHỦ TỊCH`, `CHÁNH VĂN PHÒNG`).
    pub principal: String,
}

impl Signer {
    /// The authority lines printed above the position, in order: `TM. ỦY BAN NHÂN DÂN`
    /// then, in a two-level block, `KT. CHỦ TỊCH`. Empty parts are left out.
    pub fn authority_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let form = self.form.as_deref().map(str::trim).unwrap_or("");
        let principal = self.principal.as_deref().map(str::trim).unwrap_or("");
        match (form.is_empty(), principal.is_empty()) {
            (false, false) => lines.push(format!("{form} {principal}")),
            (false, true) => lines.push(form.to_owned()),
            _ => {}
        }
        if let Some(deputy) = &self.deputy {
            let line = format!("{} {}", deputy.form.trim(), deputy.principal.trim());
            if !line.trim().is_empty() {
                lines.push(line.trim().to_owned());
            }
        }
        lines
    }
}

/// One block of content.
///
/// Revision 2 adds the `table` kind (cells in [`Block::rows`]) and the `note` kind
/// (printed after the end mark or the signature). The table fields are written only
/// when present, so every other block keeps its revision-1 bytes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "RawBlock")]
pub struct Block {
    /// Structural level.
    pub kind: BlockKind,
    /// Label as printed (`Điều 3.`, `1.`, `a)`, `I.`).
    #[serde(default)]
    pub label: Option<String>,
    /// Title, for blocks that have one.
    #[serde(default)]
    pub title: Option<String>,
    /// The text (`None` for a table).
    #[serde(default)]
    pub text: Option<String>,
    /// A table's rows, each an array of cell strings (only for [`BlockKind::Table`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<Vec<String>>>,
    /// How many leading rows of a table are headings (repeated on each page); absent
    /// means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_rows: Option<u32>,
    /// Relative column widths of a table; absent means widths from the content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widths: Option<Vec<f64>>,
}

impl Block {
    /// A block of `kind` with `text` and no label or title.
    pub fn text(kind: BlockKind, text: &str) -> Block {
        Block { kind, text: Some(text.to_owned()), ..Block::default() }
    }

    /// A table block with `header_rows` heading rows.
    pub fn table(rows: Vec<Vec<String>>, header_rows: u32) -> Block {
        Block { kind: BlockKind::Table, rows: Some(rows), header_rows: Some(header_rows), ..Block::default() }
    }

    /// How many leading rows of a table are headings (default 1, never more than the rows).
    pub fn heading_rows(&self) -> usize {
        let rows = self.rows.as_ref().map_or(0, Vec::len);
        (self.header_rows.unwrap_or(1) as usize).min(rows)
    }

    /// The number of columns of a table: its widest row.
    pub fn column_count(&self) -> usize {
        self.rows.as_ref().map_or(0, |rows| rows.iter().map(Vec::len).max().unwrap_or(0))
    }
}

/// The shape a block is read in, checked before it becomes a [`Block`].
#[derive(Deserialize)]
struct RawBlock {
    kind: BlockKind,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    rows: Option<Vec<Vec<String>>>,
    #[serde(default)]
    header_rows: Option<u32>,
    #[serde(default)]
    widths: Option<Vec<f64>>,
}

impl TryFrom<RawBlock> for Block {
    type Error = String;

    fn try_from(raw: RawBlock) -> Result<Block, String> {
        let block = Block {
            kind: raw.kind,
            label: raw.label,
            title: raw.title,
            text: raw.text,
            rows: raw.rows,
            header_rows: raw.header_rows,
            widths: raw.widths,
        };
        block.check_shape()?;
        Ok(block)
    }
}

impl Block {
    /// Checks the revision-2 table fields: only a table has them, a table has at least
    /// one row with a cell, at most as many heading rows as rows, and one positive width
    /// per column.
    pub fn check_shape(&self) -> Result<(), String> {
        if self.kind != BlockKind::Table {
            if self.rows.is_some() || self.header_rows.is_some() || self.widths.is_some() {
                return Err("`rows`, `header_rows` và `widths` chỉ dùng cho khối `table` \
                            (table fields on a block that is not a table)"
                    .into());
            }
            return Ok(());
        }
        let Some(rows) = &self.rows else {
            return Err("khối `table` cần trường `rows` (a table block needs `rows`)".into());
        };
        if rows.is_empty() || rows.iter().all(Vec::is_empty) {
            return Err("bảng phải có ít nhất một hàng có ô (a table needs at least one cell)".into());
        }
        if let Some(n) = self.header_rows
            && n as usize > rows.len()
        {
            return Err(format!(
                "`header_rows` = {n} lớn hơn số hàng của bảng ({}) (more heading rows than rows)",
                rows.len()
            ));
        }
        if let Some(widths) = &self.widths {
            let columns = self.column_count();
            if widths.len() != columns {
                return Err(format!(
                    "`widths` có {} giá trị nhưng bảng có {columns} cột (one width per column)",
                    widths.len()
                ));
            }
            if widths.iter().any(|w| !w.is_finite() || *w <= 0.0) {
                return Err("mỗi giá trị của `widths` phải là số dương (widths must be positive)".into());
            }
        }
        Ok(())
    }
}

/// Structural level of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// Phần.
    Part,
    /// Chương.
    Chapter,
    /// Mục.
    Section,
    /// Điều.
    Article,
    /// Khoản.
    Clause,
    /// Điểm.
    Point,
    /// A numbered heading (`I.`, `1.`).
    Heading,
    /// Plain paragraph.
    #[default]
    Paragraph,
    /// Revision 2: a table (`rows`, `header_rows`, `widths`), drawn with borders.
    Table,
    /// Revision 2: a note printed after the end mark `./.` or after the signature
    /// (`(Kèm theo Công văn số …)`); not part of the main text for the end-mark rules.
    Note,
}

/// A Phụ lục.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appendix {
    /// `Phụ lục I`.
    pub label: String,
    /// Title, upper case.
    #[serde(default)]
    pub title: Option<String>,
    /// Content blocks.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub body: Vec<Block>,
}

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $code)] $variant),+
        }
        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The code used in JSON and the database.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            /// The printed Vietnamese label.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            /// Parses a code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

code_enum!(
    /// Mức độ khẩn (NĐ 30 Phụ lục I, ô 10b).
    Urgency {
        /// Khẩn.
        Khan = "khan" / "KHẨN",
        /// Thượng khẩn.
        ThuongKhan = "thuong-khan" / "THƯỢNG KHẨN",
        /// Hỏa tốc.
        HoaToc = "hoa-toc" / "HỎA TỐC",
    }
);

code_enum!(
    /// Độ mật (ô 10a).
    Secrecy {
        /// Mật.
        Mat = "mat" / "MẬT",
        /// Tối mật.
        ToiMat = "toi-mat" / "TỐI MẬT",
        /// Tuyệt mật.
        TuyetMat = "tuyet-mat" / "TUYỆT MẬT",
    }
);

code_enum!(
    /// Chỉ dẫn phạm vi lưu hành (ô 11).
    Circulation {
        /// Xem xong trả lại.
        XemXongTraLai = "xem-xong-tra-lai" / "XEM XONG TRẢ LẠI",
        /// Lưu hành nội bộ.
        LuuHanhNoiBo = "luu-hanh-noi-bo" / "LƯU HÀNH NỘI BỘ",
    }
);

/// The `schema` field: only [`SCHEMA_ID`] is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SchemaTag;

impl Serialize for SchemaTag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(SCHEMA_ID)
    }
}

impl<'de> Deserialize<'de> for SchemaTag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = String::deserialize(d)?;
        if value == SCHEMA_ID {
            Ok(SchemaTag)
        } else {
            Err(serde::de::Error::custom(format!(
                "lược đồ `{value}` không được hỗ trợ, cần `{SCHEMA_ID}` (unsupported schema)"
            )))
        }
    }
}

/// A document type code known to the catalogue (`assets/rules/`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct KindCode(String);

impl KindCode {
    /// Checks `code` against the catalogue of both families.
    pub fn new(code: &str) -> Option<Self> {
        crate::ruleset::is_known_kind(code).then(|| KindCode(code.to_owned()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for KindCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for KindCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = String::deserialize(d)?;
        KindCode::new(&value).ok_or_else(|| {
            serde::de::Error::custom(format!("loại văn bản `{value}` không có trong danh mục (unknown document kind)"))
        })
    }
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Serde helpers for an optional ISO `YYYY-MM-DD` date.
pub(crate) mod iso_date_opt {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => crate::model::document::parse_iso_date(&text).map(Some).map_err(serde::de::Error::custom),
        }
    }
}

/// Parses a strict ISO date (`2026-03-05`), with a Vietnamese error.
pub fn parse_iso_date(text: &str) -> Result<NaiveDate, String> {
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !shape_ok {
        return Err(format!("ngày `{text}` không đúng dạng YYYY-MM-DD (invalid date format)"));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("ngày `{text}` không tồn tại (impossible date)"))
}

impl Document {
    /// Normalises every string of the document to NFC (done on every input).
    pub fn normalize(&mut self) {
        let Document {
            issuer,
            number,
            notation,
            place,
            subject,
            addressees,
            authority_line,
            bases,
            enacting_words,
            body,
            signer,
            recipients,
            drafter_code,
            appendices,
            extra,
            ..
        } = self;
        for s in [&mut issuer.name, &mut issuer.abbreviation, place, &mut signer.position, &mut signer.name] {
            nfc_in_place(s);
        }
        for s in [
            &mut issuer.parent,
            number,
            notation,
            subject,
            authority_line,
            enacting_words,
            &mut signer.form,
            &mut signer.principal,
            drafter_code,
        ]
        .into_iter()
        .flatten()
        {
            nfc_in_place(s);
        }
        if let Some(deputy) = &mut signer.deputy {
            nfc_in_place(&mut deputy.form);
            nfc_in_place(&mut deputy.principal);
        }
        for s in addressees
            .iter_mut()
            .chain(bases.iter_mut())
            .chain(recipients.iter_mut())
            .chain(signer.extra_lines.iter_mut())
        {
            nfc_in_place(s);
        }
        normalize_blocks(body);
        for appendix in appendices {
            nfc_in_place(&mut appendix.label);
            if let Some(t) = &mut appendix.title {
                nfc_in_place(t);
            }
            normalize_blocks(&mut appendix.body);
        }
        for value in extra.values_mut() {
            normalize_value(value);
        }
    }

    /// The year of the issue date, if dated.
    pub fn year(&self) -> Option<i32> {
        use chrono::Datelike;
        self.date.map(|d| d.year())
    }

    /// The recipients grouped as printed: each main line with the `+ ` sub-lines that
    /// follow it (revision 2). A leading sub-line with no main line forms its own group.
    pub fn recipient_groups(&self) -> Vec<(usize, Vec<usize>)> {
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, line) in self.recipients.iter().enumerate() {
            match groups.last_mut() {
                Some((_, subs)) if is_recipient_sub_line(line) => subs.push(i),
                _ => groups.push((i, Vec::new())),
            }
        }
        groups
    }

    /// The drafting unit's abbreviation (`KT` of `Lưu: VT, KT.`): the unit named after
    /// `VT` in the Lưu line, leaving out the drafter's initials and copy counts. Since
    /// revision 2 `drafter_code` holds the drafter's initials, so the unit is read from
    /// the Lưu line; a revision-1 file whose Lưu line names no unit falls back on
    /// `drafter_code`, which then was the unit.
    pub fn drafting_unit(&self) -> Option<String> {
        let drafter = self.drafter_code.as_deref().map(str::trim).unwrap_or("");
        self.luu_unit(&[]).or_else(|| (!drafter.is_empty()).then(|| drafter.to_owned()))
    }

    /// The unit the Lưu line names after `VT` (`KT` of `Lưu: VT, KT, NVA(5).`),
    /// leaving out the drafter's initials (`drafter_code` and any of `initials`)
    /// and copy counts; `None` when it names no unit. Unlike
    /// [`Document::drafting_unit`] it never falls back on the initials.
    pub fn luu_unit(&self, initials: &[&str]) -> Option<String> {
        let drafter = self.drafter_code.as_deref().map(str::trim).unwrap_or("");
        self.recipients.last().and_then(|line| {
            let content = line.trim().trim_start_matches("- ").trim();
            let rest = content.strip_prefix("Lưu")?.trim_start_matches([':', ' ']);
            rest.trim_end_matches(['.', ';', ' '])
                .split(',')
                .map(|part| part.split('(').next().unwrap_or("").trim())
                .filter(|part| !part.is_empty() && *part != "VT" && *part != drafter && !initials.contains(part))
                .find(|part| !part.contains(' '))
                .map(str::to_owned)
        })
    }

    /// The number of copies the Lưu line counts (`5` of `Lưu: VT, KT, NVA(5).`,
    /// `3` of `QHQT (3b)`): the copies made (Phụ lục I, Phần II, ô 12 writes the
    /// count after the drafter's initials). `None` when the line counts none.
    pub fn luu_copies(&self) -> Option<u32> {
        let line = self.recipients.last()?;
        let content = line.trim().trim_start_matches("- ").trim();
        if !content.starts_with("Lưu") {
            return None;
        }
        let open = content.rfind('(')?;
        let digits: String = content[open + 1..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok().filter(|n| *n > 0)
    }

    /// The printed number and symbol without the `Số` prefix (`05/QĐ-VP`, `15-NQ/TU`).
    pub fn number_notation(&self) -> Option<String> {
        let number = self.number.as_deref()?;
        let notation = self.notation.as_deref().unwrap_or("");
        Some(match self.family {
            Family::State => format!("{number}/{notation}"),
            Family::Party => format!("{number}-{notation}"),
        })
    }
}

fn normalize_blocks(blocks: &mut [Block]) {
    for block in blocks {
        for s in [&mut block.label, &mut block.title, &mut block.text].into_iter().flatten() {
            nfc_in_place(s);
        }
        for cell in block.rows.iter_mut().flatten().flatten() {
            nfc_in_place(cell);
        }
    }
}

fn normalize_value(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) => nfc_in_place(s),
        Value::Array(items) => items.iter_mut().for_each(normalize_value),
        Value::Object(map) => {
            let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            for (key, mut v) in entries {
                normalize_value(&mut v);
                map.insert(crate::text::nfc(&key), v);
            }
        }
        _ => {}
    }
}

/// Whether a `Nơi nhận` line is a revision-2 sub-line (`+ Sở Tài chính;`), a member of
/// the group named on the line before it.
pub fn is_recipient_sub_line(line: &str) -> bool {
    line.trim_start().starts_with("+ ") || line.trim() == "+"
}

/// A drafter's initials from their full name (`Nguyễn Văn An` → `NVA`), the
/// ký hiệu người soạn thảo of Phụ lục I, Phần I, III.3.
pub fn initials_of(full_name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // The base letter of each word (`Ánh` → `A`); `Đ` has no decomposition and stays.
    full_name.split_whitespace().filter_map(|word| word.nfd().next()).flat_map(char::to_uppercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_with(recipients: &[&str], drafter: Option<&str>) -> Document {
        let mut doc = crate::exchange::parse_document(crate::exchange::json::tests::SAMPLE).unwrap();
        doc.recipients = recipients.iter().map(|r| r.to_string()).collect();
        doc.drafter_code = drafter.map(str::to_owned);
        doc
    }

    #[test]
    fn the_drafting_unit_comes_from_the_luu_line() {
        assert_eq!(doc_with(&["Như trên;", "Lưu: VT, KT."], Some("NVA")).drafting_unit().as_deref(), Some("KT"));
        assert_eq!(doc_with(&["Lưu: VT, KGVX (2b), NVA (10)."], Some("NVA")).drafting_unit().as_deref(), Some("KGVX"));
        // Revision 1: the unit was in drafter_code and the Lưu line may name nothing else.
        assert_eq!(doc_with(&["Lưu: VT."], Some("HCTC")).drafting_unit().as_deref(), Some("HCTC"));
        assert_eq!(doc_with(&["Lưu: VT."], None).drafting_unit(), None);
    }

    #[test]
    fn initials_of_a_vietnamese_name() {
        assert_eq!(initials_of("Nguyễn Văn An"), "NVA");
        assert_eq!(initials_of("  Đặng thị  Ánh "), "ĐTA");
        assert_eq!(initials_of(""), "");
    }
}
