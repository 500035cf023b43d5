//! Received files: stored once by SHA-256, immutable, audited, refused above 50 MB
//! or to the wrong person, validated on receipt and again when a root is trusted,
//! checked by `verify`.

use chrono::{Local, TimeZone};

use super::{NewFile, NewIncoming, Store};
use crate::demo::{DEMO_PASSWORD, load_demo};
use crate::model::IncomingState;
use crate::received::{FileKind, MAX_FILE_BYTES, SignatureStatus};

fn now() -> chrono::DateTime<Local> {
    Local.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).single().unwrap()
}

fn ready() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    load_demo(&mut store, chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()).unwrap();
    let vanthu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let agency = store.default_receiving_agency(&vanthu).unwrap().unwrap();
    let letter = NewIncoming {
        agency_id: agency,
        arrival_number: None,
        arrival_date: now().date_naive(),
        sender: "Sở Tài chính".into(),
        number: Some("88".into()),
        notation: Some("STC-NS".into()),
        date: None,
        kind: "cong-van".into(),
        subject: "V/v quyết toán".into(),
        urgency: None,
        state: IncomingState::Received,
        handler_id: None,
        lead_unit_id: None,
        deadline: None,
        source_key: None,
    };
    let id = store.receive_incoming(&vanthu, letter, now()).unwrap();
    (store, id)
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn file(name: &str, bytes: &[u8], kind: Option<FileKind>) -> NewFile {
    NewFile { name: name.into(), bytes: bytes.to_vec(), kind }
}

#[test]
fn files_are_stored_once_immutable_audited_and_verified() {
    let (mut store, id) = ready();
    let vanthu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let scan = crate::received::scan::tests_png(0, Some(150));
    let files =
        [file("../../công văn\u{1b}[2J.png", &scan, None), file("phu-luc.png", &scan, Some(FileKind::Attachment))];
    assert_eq!(store.attach_incoming_files(&vanthu, id, &files, now()).unwrap(), vec![1, 2]);
    assert_eq!(count(&store, "SELECT count(*) FROM blobs"), 1, "one content, one blob");
    let listed = store.incoming_files(&vanthu, id).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].name, "../../công văn\u{1b}[2J.png", "the name is kept as given");
    assert_eq!(listed[0].safe_name, "công văn[2J.png", "and saved or shown sanitised");
    assert_eq!((listed[0].kind, listed[1].kind), (FileKind::Scan, FileKind::Attachment));
    let check = listed[0].check.as_ref().unwrap();
    assert_eq!(check.status, SignatureStatus::NotPdf);
    assert!(check.warnings.iter().any(|w| w.contains("150 dpi")), "{:?}", check.warnings);
    assert!(check.warnings.iter().any(|w| w.contains("không phải ảnh màu")), "{:?}", check.warnings);
    assert!(listed[1].check.as_ref().unwrap().warnings.is_empty(), "attachments are not judged as scans");
    let sha = crate::store::files::sha256_hex(&scan);
    assert_eq!(listed[0].sha256, sha);
    let logged = count(
        &store,
        &format!(
            "SELECT count(*) FROM audit_events WHERE action = 'attach-file' AND subject_id = {id} AND content_hash = '{sha}' AND comment LIKE '%{sha}%'"
        ),
    );
    assert_eq!(logged, 2);
    let (_, bytes) = store.incoming_file(&vanthu, id, 2).unwrap();
    assert_eq!(bytes, scan);
    assert_eq!(store.verify().unwrap(), None);

    // Triggers: the bytes and the links never change.
    for sql in [
        "UPDATE blobs SET created_at = 'x'",
        "DELETE FROM blobs",
        "UPDATE incoming_files SET name = 'x'",
        "DELETE FROM incoming_files",
        "DELETE FROM incoming_file_checks",
    ] {
        let err = store.conn.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("(") && !err.is_empty(), "{sql}: {err}");
    }
    // An unlinked blob may go (nothing refers to it).
    store
        .conn
        .execute(
            "INSERT INTO blobs (sha256, size, bytes, created_at) VALUES (?1, 1, ?2, 't')",
            super::sql::params!["0".repeat(64), vec![0u8]],
        )
        .unwrap();
    store.conn.execute("DELETE FROM blobs WHERE sha256 = ?1", [&"0".repeat(64)]).unwrap();

    // Tampering behind the triggers is named by verify.
    super::sql::drop_guards(&store.conn);
    store.conn.execute("UPDATE blobs SET bytes = ?1", [vec![1u8, 2]]).unwrap();
    let broken = store.verify().unwrap().expect("caught");
    assert!(broken.contains(&sha), "{broken}");
}

#[test]
fn oversize_files_and_the_wrong_person_are_refused_and_nothing_is_written() {
    let (mut store, id) = ready();
    let vanthu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let before = (count(&store, "SELECT count(*) FROM blobs"), count(&store, "SELECT count(*) FROM audit_events"));
    let big = vec![b'x'; MAX_FILE_BYTES + 1];
    let small = file("a.pdf", b"%PDF-1.4\n", None);
    let err =
        store.attach_incoming_files(&vanthu, id, &[small.clone(), file("to.bin", &big, None)], now()).unwrap_err();
    assert!(err.to_string().contains("vượt giới hạn 50 MB"), "{err}");
    assert_eq!(
        (count(&store, "SELECT count(*) FROM blobs"), count(&store, "SELECT count(*) FROM audit_events")),
        before,
        "nothing written, not even the small file"
    );
    // Exactly 50 MB is accepted.
    store.attach_incoming_files(&vanthu, id, &[file("vua.bin", &big[..MAX_FILE_BYTES], None)], now()).unwrap();

    let refused_before = count(&store, "SELECT count(*) FROM audit_events WHERE action = 'refused'");
    assert!(store.may_attach_to_incoming(&vanthu, id), "the văn thư of the receiving agency may");
    for user in ["buivantoan", "phamvanthang", "lamthihoa"] {
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        let refusals = count(&store, "SELECT count(*) FROM audit_events WHERE action = 'refused'");
        assert!(!store.may_attach_to_incoming(&actor, id), "{user}: no Thêm tệp button");
        assert_eq!(
            count(&store, "SELECT count(*) FROM audit_events WHERE action = 'refused'"),
            refusals,
            "asking is no attempt: nothing audited"
        );
        let err = store.attach_incoming_files(&actor, id, std::slice::from_ref(&small), now()).unwrap_err();
        assert!(err.to_string().contains("văn thư"), "{user}: {err}");
    }
    assert_eq!(count(&store, "SELECT count(*) FROM audit_events WHERE action = 'refused'"), refused_before + 3);
    assert_eq!(count(&store, "SELECT count(*) FROM incoming_files"), 1);
    // Receiving with an oversize file writes no letter either.
    let letters = count(&store, "SELECT count(*) FROM incoming");
    let letter = store.list_incoming().unwrap().into_iter().find(|i| i.id == id).unwrap();
    let new = NewIncoming {
        agency_id: letter.agency_id,
        arrival_number: None,
        arrival_date: now().date_naive(),
        sender: "X".into(),
        number: None,
        notation: None,
        date: None,
        kind: "cong-van".into(),
        subject: "Y".into(),
        urgency: None,
        state: IncomingState::Received,
        handler_id: None,
        lead_unit_id: None,
        deadline: None,
        source_key: None,
    };
    let files = [file("to.bin", &big, None)];
    assert!(store.receive_incoming_with_files(&vanthu, new, Default::default(), &files, now()).is_err());
    assert_eq!(count(&store, "SELECT count(*) FROM incoming"), letters);
}

#[test]
fn a_signed_pdf_is_untrusted_until_its_root_is_trusted_then_valid_and_in_the_register() {
    use crate::pki::appearance::{Appearance, Line};
    use crate::pki::pades::{SignatureRequest, sign_pdf};
    let (dir, _ca, key) = crate::pki::tests::setup("received", "Ủy ban nhân dân tỉnh Bình Phước");
    let json = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");
    let doc = crate::exchange::parse_document(json).unwrap();
    let base = crate::pdf::document_pdf(&doc, crate::ruleset::default_ruleset(doc.family)).unwrap();
    let mut appearance = Appearance { width: 100.0, height: 40.0, colour: [0.8, 0.1, 0.1], ..Default::default() };
    appearance.lines.push(Line { text: "Ủy ban nhân dân".into(), x: 2.0, y: 2.0, size: 7.0 });
    let request = SignatureRequest {
        page: 0,
        at: [300.0, 200.0],
        appearance,
        time: chrono::Local::now().fixed_offset(),
        name: "Ủy ban nhân dân tỉnh Bình Phước".into(),
        reason: "Phát hành".into(),
        location: "Bình Phước".into(),
        form: Default::default(),
    };
    let signed = sign_pdf(&base, &request, &key).unwrap();

    let (mut store, id) = ready();
    let vanthu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let mut tampered = signed.clone();
    tampered[base.len() / 2] ^= 1;
    let files = [file("cv.pdf", &signed, None), file("sua.pdf", &tampered, Some(FileKind::Attachment))];
    store.attach_incoming_files(&vanthu, id, &files, now()).unwrap();
    let listed = store.incoming_files(&vanthu, id).unwrap();
    let first = listed[0].check.clone().unwrap();
    assert_eq!((listed[0].kind, first.status), (FileKind::Letter, SignatureStatus::Untrusted));
    assert!(
        first.summary.starts_with("chữ ký số không tin cậy: Ủy ban nhân dân tỉnh Bình Phước, "),
        "{}",
        first.summary
    );
    assert_eq!(first.report, crate::received::report_lines(&crate::pki::verify::verify_pdf(&signed, &[])));
    assert!(first.report.last().unwrap().contains("chưa kiểm tra thu hồi"));
    assert_eq!(listed[1].check.as_ref().unwrap().status, SignatureStatus::Invalid);

    let admin = store.login("admin", DEMO_PASSWORD).unwrap();
    store.trust_certificates(&admin, &std::fs::read(dir.join("ca.pem")).unwrap()).unwrap();
    let listed = store.incoming_files(&vanthu, id).unwrap();
    let now_check = listed[0].check.clone().unwrap();
    assert_eq!(now_check.status, SignatureStatus::Valid, "{:?}", now_check);
    let when = request.time.format("%d/%m/%Y %H:%M");
    assert_eq!(now_check.summary, format!("chữ ký số hợp lệ: Ủy ban nhân dân tỉnh Bình Phước, {when}"));
    assert_eq!(listed[1].check.as_ref().unwrap().status, SignatureStatus::Invalid, "still altered");
    assert_eq!(count(&store, "SELECT count(*) FROM incoming_file_checks"), 3, "two at receipt, one after trust");
    assert_eq!(count(&store, "SELECT count(*) FROM audit_events WHERE action = 'recheck-file'"), 1);

    // The register shows the letter's signature once it has a số đến.
    store.incoming_transition(id, crate::workflow::IncomingAction::Register, &vanthu, now(), None, None).unwrap();
    let agency = store.list_incoming().unwrap().into_iter().find(|i| i.id == id).unwrap().agency_id;
    let rows = store.incoming_register(2026, Some(agency)).unwrap();
    let row = rows.iter().find(|r| r.number_notation == "88/STC-NS").unwrap();
    assert!(row.note.contains(&now_check.summary), "{}", row.note);
    assert_eq!(store.verify().unwrap(), None);
}
