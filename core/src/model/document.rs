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
    /// Ký hiệu người soạn thảo (box 12).
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// Authority prefix: `TM.`, `KT.`, `TL.`, `TUQ.`, `Q.`; Party `T/M`, `K/T`, `T/L`.
    /// Kept as written so the rules can report a malformed one.
    #[serde(default)]
    pub form: Option<String>,
    /// What follows the prefix on its line.
    #[serde(default)]
    pub principal: Option<String>,
    /// The signer's own title line.
    pub position: String,
    /// Full name.
    pub name: String,
}

/// One block of content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// Structural level.
    pub kind: BlockKind,
    /// Label as printed (`Điều 3.`, `1.`, `a)`, `I.`).
    #[serde(default)]
    pub label: Option<String>,
    /// Title, for blocks that have one.
    #[serde(default)]
    pub title: Option<String>,
    /// The text.
    #[serde(default)]
    pub text: Option<String>,
}

/// Structural level of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    Paragraph,
}

/// A Phụ lục.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        for s in addressees.iter_mut().chain(bases.iter_mut()).chain(recipients.iter_mut()) {
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
