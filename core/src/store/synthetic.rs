//! A generator of large synthetic databases for the search benchmark
//! (`cargo bench -p vanthu-core --bench search`) and for trying the application on
//! an archive of realistic size.

use super::sql::params;

use super::{Result, Store, documents::sha256_hex, search};
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

/// Documents per transaction: large, so the search index gets few, large segments.
const BATCH: usize = 50_000;

/// FTS5 settings during the bulk load and SQLite's defaults, put back after it:
/// a large in-memory term buffer (so each transaction writes a few large segments),
/// no incremental merging (merging ever larger segments again and again made the
/// load quadratic) and no crisis merge; one `optimize` at the end merges everything
/// once.
const FTS_SETTINGS: [(&str, i64, i64); 3] =
    [("hashsize", 256 * 1024 * 1024, 1024 * 1024), ("automerge", 0, 4), ("crisismerge", 1000, 16)];

/// A sentence of twelve words, capitalised.
fn sentence(rng: &mut Rng) -> String {
    let words: Vec<&str> = (0..12).map(|_| rng.pick(WORDS)).collect();
    let mut s = words.join(" ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s + "."
}

impl Store {
    /// Adds `count` synthetic issued documents (varied subjects, places, body text,
    /// dates 2020–2026), 50,000 per transaction, indexed for search exactly as the
    /// trigger queue would index them: the entry is built from the generated
    /// document with the same code ([`search::outgoing_entry`]) instead of parsing
    /// the stored JSON back, the FTS index is merged into one segment at the end,
    /// and bulk-load pragmas (no fsync, a large page cache) are restored afterwards.
    /// `progress(done)` is called after each transaction. Deterministic for a seed.
    pub fn generate_synthetic(&mut self, count: usize, seed: u64, progress: &mut dyn FnMut(usize)) -> Result<()> {
        let Some(conn) = self.conn.as_sqlite() else {
            // PostgreSQL: no pragmas, and the GIN indexes take the rows as they come.
            return self.generate(count, seed, progress);
        };
        let synchronous: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
        let cache_size: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        conn.pragma_update(None, "cache_size", -512 * 1024)?;
        let result = self.fts_config(|bulk, _| bulk).and_then(|()| self.generate(count, seed, progress));
        let restore = |conn: &rusqlite::Connection| -> Result<()> {
            conn.pragma_update(None, "cache_size", cache_size)?;
            conn.pragma_update(None, "synchronous", synchronous)?;
            Ok(())
        };
        let restored = self.fts_config(|_, default| default).and_then(|()| match self.conn.as_sqlite() {
            Some(conn) => restore(conn),
            None => Ok(()),
        });
        result.and(restored)
    }

    /// Sets the FTS5 settings of [`FTS_SETTINGS`], choosing the bulk or the default value.
    fn fts_config(&mut self, pick: impl Fn(i64, i64) -> i64) -> Result<()> {
        self.write(|tx| {
            for (key, bulk, default) in FTS_SETTINGS {
                tx.execute(
                    "INSERT INTO search_fts (search_fts, rank) VALUES (?1, ?2)",
                    params![key, pick(bulk, default)],
                )?;
            }
            Ok(())
        })
    }

    fn generate(&mut self, count: usize, seed: u64, progress: &mut dyn FnMut(usize)) -> Result<()> {
        let templates: Vec<_> =
            TEMPLATES.iter().map(|t| parse_document(t).expect("demo documents are valid")).collect();
        let mut rng = Rng(seed | 1);
        let start: i64 = self.conn.query_row("SELECT coalesce(max(id), 0) FROM documents", [], |r| r.get(0))?;
        let mut done = 0;
        while done < count {
            let batch = (count - done).min(BATCH);
            self.write(|tx| {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO documents (family, kind, number, notation, year, date, subject, issuer_name, signer_name,
                                            state, content_json, content_hash, source_key, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14) RETURNING id",
                )?;
                let now = super::now_text();
                for i in 0..batch {
                    let n = start as usize + done + i + 1;
                    let mut d = templates[n % templates.len()].clone();
                    let year = 2020 + (rng.next() % 7) as i32;
                    let date = chrono::NaiveDate::from_ymd_opt(year, 1 + (rng.next() % 12) as u32, 1 + (rng.next() % 28) as u32)
                        .expect("valid date");
                    d.subject = Some(format!("Về việc {} {} năm {year}", rng.pick(TOPICS), rng.pick(PLACES)));
                    d.number = Some(format!("{:02}", n % 5000 + 1));
                    d.date = Some(date);
                    d.body = (0..3)
                        .map(|_| Block::text(BlockKind::Paragraph, &sentence(&mut rng)))
                        .collect();
                    let json = document_to_json(&d);
                    let state = if rng.next().is_multiple_of(3) { "filed" } else { "issued" };
                    let new_id = insert.query_row(params![
                        d.family.code(),
                        d.kind.as_str(),
                        d.number,
                        d.notation,
                        year,
                        date.to_string(),
                        d.subject,
                        d.issuer.name,
                        d.signer.name,
                        state,
                        json,
                        sha256_hex(&json),
                        format!("synthetic:{seed}:{n}"),
                        now,
                    ], |r| r.get::<_, i64>(0))?;
                    let id = new_id;
                    let facts = search::DocumentFacts {
                        kind: d.kind.as_str(),
                        year: Some(i64::from(year)),
                        state,
                        unit: None,
                        dossier: None,
                        dossier_text: None,
                        agency: None,
                    };
                    search::index_new(tx, search::document_key(id), &search::outgoing_entry(Some(&d), &facts))?;
                }
                Ok(())
            })?;
            done += batch;
            progress(done);
        }
        if self.conn.as_sqlite().is_none() {
            // PostgreSQL: fresh planner statistics for the new rows.
            return Ok(self.conn.execute_batch("ANALYZE")?);
        }
        // One segment: what a long-lived index converges to, and the fastest to query.
        self.write(|tx| Ok(tx.execute_batch("INSERT INTO search_fts (search_fts) VALUES ('optimize')")?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SearchQuery;

    /// Every (term, row, column, offset) of the index, in order.
    fn postings(store: &Store) -> Vec<(String, i64, String, i64)> {
        store
            .conn
            .execute_batch(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.postings USING fts5vocab(main, search_fts, instance)",
            )
            .unwrap();
        let mut stmt =
            store.conn.prepare("SELECT term, doc, col, offset FROM temp.postings ORDER BY 1, 2, 3, 4").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect()
    }

    #[test]
    fn generated_documents_are_indexed_as_the_queue_would_index_them() {
        let mut store = Store::open_in_memory().unwrap();
        let mut calls = Vec::new();
        super::super::sql::sqlite_only!(store);
        store.generate_synthetic(120, 3, &mut |done| calls.push(done)).unwrap();
        assert_eq!(calls, vec![120]);
        assert_eq!(store.count_documents(None).unwrap(), 120);
        let pending: i64 = store.conn.query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0)).unwrap();
        assert_eq!(pending, 0, "nothing left in the queue");
        let hits = store.search(&SearchQuery::new("quyet dinh")).unwrap();
        assert_eq!(hits.len(), 50, "generated documents are found");
        let subject: String =
            store.conn.query_row("SELECT subject FROM documents WHERE id = 77", [], |r| r.get(0)).unwrap();
        let found = store.search(&SearchQuery { limit: 200, ..SearchQuery::new(&subject) }).unwrap();
        assert!(found.iter().any(|h| h.id == 77 && h.exact), "{subject}: {found:?}");

        // Re-indexing every row through the trigger queue gives the very same postings.
        let generated = postings(&store);
        assert!(generated.len() > 120 * 50, "{}", generated.len());
        store.conn.execute("INSERT INTO search_pending (key) SELECT id * 4 FROM documents", []).unwrap();
        store.write(|_| Ok(())).unwrap();
        assert_eq!(postings(&store), generated);

        // The bulk-load settings are put back.
        let sqlite = store.conn.as_sqlite().expect("SQLite store");
        let sync: i64 = sqlite.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!(sync, 1, "NORMAL");
        let cache: i64 = sqlite.pragma_query_value(None, "cache_size", |r| r.get(0)).unwrap();
        assert_eq!(cache, -2000);
        for (key, _, default) in FTS_SETTINGS {
            let value: i64 =
                store.conn.query_row("SELECT v FROM search_fts_config WHERE k = ?1", [key], |r| r.get(0)).unwrap();
            assert_eq!(value, default, "{key}");
        }
    }
}
