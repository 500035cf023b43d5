//! A generator of large synthetic databases for the search benchmark
//! (`cargo bench -p vanthu-core --bench search`) and for trying the application on
//! an archive of realistic size.

use rusqlite::params;

use super::{Result, Store, documents::sha256_hex};
use crate::exchange::{document_to_json, parse_document};
use crate::model::{Block, BlockKind};

const TEMPLATES: [&str; 3] = [
    include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json"),
    include_str!("../../../assets/demo/documents/ubnd-cong-van-phong-chong-thien-tai-mua-mua.json"),
    include_str!("../../../assets/demo/documents/tu-nghi-quyet-chuyen-doi-so-co-quan-dang.json"),
];

const TOPICS: &[&str] = &[
    "ban hành Quy chế làm việc",
    "kiện toàn Đảng ủy cơ quan",
    "sửa chữa đường giao thông nông thôn",
    "trồng cây xanh tại Bình Dương",
    "phòng, chống thiên tai mùa mưa bão",
    "đẩy mạnh chuyển đổi số",
    "cải cách hành chính",
    "tuyển dụng công chức",
    "khen thưởng tập thể, cá nhân",
    "kế hoạch công tác năm",
    "thành lập Tổ công tác",
    "nâng bậc lương thường xuyên",
    "bảo vệ tài nguyên biển và đại dương",
    "an toàn giao thông đường bộ",
    "quản lý đất đai",
    "xây dựng nông thôn mới",
    "y tế cơ sở",
    "giáo dục và đào tạo",
    "phát triển du lịch",
    "thực hiện Nghị định 30/2020/NĐ-CP",
    "học tập nghị quyết Đại hội",
    "tiếp công dân định kỳ",
    "giải ngân vốn đầu tư công",
    "lập hồ sơ và nộp lưu",
];

const PLACES: &[&str] = &[
    "tỉnh Bình Phước",
    "thành phố Đồng Xoài",
    "huyện Đồng Phú",
    "xã Tân Lập",
    "phường Tân Phú",
    "huyện Lộc Ninh",
    "thị xã Bình Long",
    "xã Dương Minh Châu",
    "huyện Bù Đăng",
    "xã Đường 10",
];

const WORDS: &[&str] = &[
    "cơ quan",
    "đơn vị",
    "triển khai",
    "thực hiện",
    "nhiệm vụ",
    "báo cáo",
    "kết quả",
    "kiểm tra",
    "giám sát",
    "đôn đốc",
    "phối hợp",
    "chỉ đạo",
    "tổ chức",
    "cán bộ",
    "công chức",
    "viên chức",
    "nhân dân",
    "địa phương",
    "hướng dẫn",
    "quy định",
    "văn bản",
    "thời hạn",
    "kinh phí",
    "ngân sách",
    "dự án",
    "công trình",
    "đường",
    "dương",
    "đương nhiệm",
    "điều hành",
    "đảng viên",
    "chi bộ",
    "Đảng ủy",
    "Ủy ban",
    "Mặt trận",
    "đoàn thể",
    "an ninh",
    "quốc phòng",
    "trật tự",
    "xã hội",
    "kinh tế",
    "văn hóa",
    "thông tin",
    "truyền thông",
    "số hóa",
    "dữ liệu",
    "hệ thống",
    "phần mềm",
    "hạ tầng",
    "nông nghiệp",
    "công nghiệp",
    "thương mại",
    "dịch vụ",
    "môi trường",
    "khí hậu",
    "thiên tai",
    "phòng chống",
    "cứu hộ",
    "khắc phục",
    "hậu quả",
    "đánh giá",
    "sơ kết",
    "tổng kết",
    "khen thưởng",
    "kỷ luật",
    "thi đua",
    "quyết định",
    "kế hoạch",
    "chương trình",
];

/// A small deterministic pseudo-random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

impl Store {
    /// Adds `count` synthetic issued documents (varied subjects, places, body text,
    /// dates 2020–2026), 10,000 per transaction, indexed for search like any other.
    /// `progress(done)` is called after each transaction. Deterministic for a seed.
    pub fn generate_synthetic(&mut self, count: usize, seed: u64, progress: &mut dyn FnMut(usize)) -> Result<()> {
        let templates: Vec<_> =
            TEMPLATES.iter().map(|t| parse_document(t).expect("demo documents are valid")).collect();
        let mut rng = Rng(seed | 1);
        let start: i64 = self.conn.query_row("SELECT coalesce(max(id), 0) FROM documents", [], |r| r.get(0))?;
        let mut done = 0;
        while done < count {
            let batch = (count - done).min(10_000);
            self.write(|tx| {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO documents (family, kind, number, notation, year, date, subject, issuer_name, signer_name,
                                            state, content_json, content_hash, source_key, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
                )?;
                for i in 0..batch {
                    let n = start as usize + done + i + 1;
                    let mut d = templates[n % templates.len()].clone();
                    let year = 2020 + (rng.next() % 7) as i32;
                    let date = chrono::NaiveDate::from_ymd_opt(year, 1 + (rng.next() % 12) as u32, 1 + (rng.next() % 28) as u32)
                        .expect("valid date");
                    d.subject = Some(format!("Về việc {} {} năm {year}", rng.pick(TOPICS), rng.pick(PLACES)));
                    d.number = Some(format!("{:02}", n % 5000 + 1));
                    d.date = Some(date);
                    let sentence = |rng: &mut Rng| {
                        let words: Vec<&str> = (0..12).map(|_| rng.pick(WORDS)).collect();
                        let mut s = words.join(" ");
                        if let Some(first) = s.get(..1) {
                            s = first.to_uppercase() + &s[1..];
                        }
                        s + "."
                    };
                    d.body = (0..3)
                        .map(|_| Block {
                            kind: BlockKind::Paragraph,
                            label: None,
                            title: None,
                            text: Some(sentence(&mut rng)),
                        })
                        .collect();
                    let json = document_to_json(&d);
                    insert.execute(params![
                        d.family.code(),
                        d.kind.as_str(),
                        d.number,
                        d.notation,
                        year,
                        date.to_string(),
                        d.subject,
                        d.issuer.name,
                        d.signer.name,
                        if rng.next().is_multiple_of(3) { "filed" } else { "issued" },
                        json,
                        sha256_hex(&json),
                        format!("synthetic:{seed}:{n}"),
                        super::now_text(),
                    ])?;
                }
                Ok(())
            })?;
            done += batch;
            progress(done);
        }
        Ok(())
    }
}
