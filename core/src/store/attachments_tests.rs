//! Files of an outgoing draft: who may attach, when, what is refused, and that the
//! same content is kept once.

use chrono::Local;

use super::{AttachmentKind, Store};
use crate::demo::{DEMO_PASSWORD, load_demo};
use crate::exchange::parse_document;
use crate::workflow::Action;

const DECISION: &str = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");

fn draft() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    load_demo(&mut store, Local::now().date_naive()).unwrap();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), Local::now()).unwrap();
    (store, id)
}

fn blobs(store: &Store) -> i64 {
    store.conn.query_row("SELECT count(*) FROM blobs", [], |r| r.get(0)).unwrap()
}

#[test]
fn the_drafter_attaches_files_once_and_only_before_content_approval() {
    let (mut store, id) = draft();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let now = Local::now();
    let pdf = b"%PDF-1.4\n% an appendix\n".to_vec();
    let a = store
        .attach_to_draft(&drafter, id, "C:\\Tài liệu\\Phu\u{0323} lục.pdf", &pdf, AttachmentKind::Appendix, now)
        .unwrap();
    // The folder is dropped, the name is NFC, the type is read from the bytes.
    assert_eq!(a.name, "Phụ lục.pdf");
    assert_eq!(a.media_type, "application/pdf");
    assert_eq!(a.position, 1);
    // The same bytes under another name are one blob, two links.
    let b = store.attach_to_draft(&drafter, id, "ban-sao.pdf", &pdf, AttachmentKind::Supporting, now).unwrap();
    assert_eq!((b.position, b.sha256 == a.sha256), (2, true));
    let before = blobs(&store);
    assert_eq!(store.draft_attachments(id).unwrap().len(), 2);
    // Bad input: empty, control characters, a bare folder name.
    for (name, bytes) in [("rong.pdf", &b""[..]), ("a\u{7}b.pdf", &pdf[..]), ("..", &pdf[..]), ("dir/", &pdf[..])] {
        let err = store.attach_to_draft(&drafter, id, name, bytes, AttachmentKind::Appendix, now).unwrap_err();
        assert!(err.to_string().contains("tệp"), "{name:?}: {err}");
    }
    assert_eq!(blobs(&store), before, "nothing half-written");
    // Someone else (the văn thư) may not attach.
    let vanthu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    assert!(store.attach_to_draft(&vanthu, id, "x.pdf", &pdf, AttachmentKind::Appendix, now).is_err());
    // The drafter removes one; after approval the files are fixed.
    store.detach_from_draft(&drafter, b.id, now).unwrap();
    assert_eq!(store.draft_attachments(id).unwrap().len(), 1);
    for (action, user) in [(Action::Submit, "buivantoan"), (Action::Approve, "danghuutai")] {
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        store.transition(id, action, &actor, now, None).unwrap();
    }
    let err = store.attach_to_draft(&drafter, id, "y.pdf", &pdf, AttachmentKind::Appendix, now).unwrap_err();
    assert!(err.to_string().contains("chỉ thêm hoặc bỏ"), "{err}");
    assert!(store.detach_from_draft(&drafter, a.id, now).is_err());
    // Rows never change in place.
    assert!(store.conn.execute("UPDATE draft_attachments SET name = 'x'", []).is_err());
    assert!(store.conn.execute("UPDATE blobs SET size = 1", []).is_err());
    // Every change is audited.
    let events: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM audit_events WHERE action IN ('attach', 'detach') AND subject_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(events, 3);
}

#[test]
fn verify_catches_a_file_added_or_removed_behind_the_apps_back() {
    let (mut store, id) = draft();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let now = Local::now();
    let first = b"%PDF-1.4\n% phu luc 1\n".to_vec();
    let second = b"bang so lieu".to_vec();
    let a = store.attach_to_draft(&drafter, id, "phu-luc-1.pdf", &first, AttachmentKind::Appendix, now).unwrap();
    let b = store.attach_to_draft(&drafter, id, "so-lieu.txt", &second, AttachmentKind::Supporting, now).unwrap();
    store.detach_from_draft(&drafter, b.id, now).unwrap();
    // The same file attached again after removal is audited again: all is well.
    store.attach_to_draft(&drafter, id, "so-lieu.txt", &second, AttachmentKind::Supporting, now).unwrap();
    assert_eq!(store.verify().unwrap(), None);

    // Another program removes a file (guards dropped, as a raw SQL client could).
    super::sql::drop_guards(&store.conn);
    store.conn.execute("DELETE FROM draft_attachments WHERE id = ?1", [a.id]).unwrap();
    let broken = store.verify().unwrap().expect("a removed file is named");
    assert!(broken.contains(&a.sha256) && broken.contains("không còn"), "{broken}");

    // … or slips in a file no one attached (its content is in the file store).
    store
        .conn
        .execute(
            "INSERT INTO draft_attachments (document_id, position, sha256, kind, name, media_type, attached_at, attached_by)
             VALUES (?1, 1, ?2, 'appendix', 'phu-luc-1.pdf', 'application/pdf', ?3, ?4)",
            super::sql::params![id, a.sha256, super::now_text(), drafter.user().id],
        )
        .unwrap();
    assert_eq!(store.verify().unwrap(), None, "the same file back in place verifies again");
    store
        .conn
        .execute(
            "INSERT INTO draft_attachments (document_id, position, sha256, kind, name, media_type, attached_at, attached_by)
             VALUES (?1, 9, ?2, 'supporting', 'them.txt', 'text/plain', ?3, ?4)",
            super::sql::params![id, b.sha256, super::now_text(), drafter.user().id],
        )
        .unwrap();
    let broken = store.verify().unwrap().expect("an unaudited file is named");
    assert!(broken.contains("them.txt") && broken.contains("không có sự kiện"), "{broken}");
}
