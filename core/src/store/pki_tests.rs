//! Digital signing in the workflow: trust, the printed signer's certificate, expiry,
//! the administrator's binding, the stored bytes and their hash in the audit event.

use chrono::{Duration, Local};

use super::{DigitalSigning, Store};
use crate::demo::{DEMO_PASSWORD, load_demo};
use crate::exchange::parse_document;
use crate::pki::keys::KeySigner;
use crate::workflow::Action;

const DECISION: &str = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");

/// A demo office with the decision ready to sign.
fn ready() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    let now = Local::now();
    load_demo(&mut store, now.date_naive()).unwrap();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), now).unwrap();
    for (action, user) in
        [(Action::Submit, "buivantoan"), (Action::Approve, "danghuutai"), (Action::CheckFormat, "lythihongnhung")]
    {
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        store.transition(id, action, &actor, now, None).unwrap();
    }
    (store, id)
}

fn state(store: &Store, id: i64) -> String {
    store.document(id).unwrap().unwrap().state.code().to_owned()
}

#[test]
fn the_printed_signer_signs_with_a_trusted_current_certificate_of_their_own() {
    let (mut store, id) = ready();
    let (dir, _ca, key) = crate::pki::tests::setup("store-sign", "Lê Thị Thu Hà");
    let signing = DigitalSigning { key: &key, image: None };
    let signer = store.login("lethithuha", DEMO_PASSWORD).unwrap();
    let now = Local::now();
    // Untrusted CA: refused, nothing changes.
    let err = store.sign_digitally(id, &signer, DEMO_PASSWORD, now, None, &signing).unwrap_err().to_string();
    assert!(err.contains("không tin cậy"), "{err}");
    assert_eq!(state(&store, id), "awaiting_signature");
    let admin = store.login("admin", DEMO_PASSWORD).unwrap();
    let clerk = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let ca_pem = std::fs::read(dir.join("ca.pem")).unwrap();
    assert!(store.trust_certificates(&clerk, &ca_pem).is_err(), "only an administrator trusts");
    assert_eq!(store.trust_certificates(&admin, &ca_pem).unwrap().len(), 1);
    assert!(store.trust_certificates(&admin, &std::fs::read(dir.join("s.pem")).unwrap()).is_err(), "a leaf is no root");
    // Expired on the signing day: refused.
    let late = now + Duration::days(30);
    let err = store.sign_digitally(id, &signer, DEMO_PASSWORD, late, None, &signing).unwrap_err().to_string();
    assert!(err.contains("không còn hiệu lực"), "{err}");
    assert_eq!(state(&store, id), "awaiting_signature");
    store.sign_digitally(id, &signer, DEMO_PASSWORD, now, None, &signing).unwrap();
    let bytes = store.signed_pdf(id).unwrap().expect("signed bytes kept");
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    let comment: String = store
        .conn
        .query_row("SELECT comment FROM audit_events WHERE action = 'sign' AND subject_id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert!(comment.contains(&sha), "{comment}");
    let reports = crate::pki::verify::verify_pdf(&bytes, &store.trusted_certificates().unwrap());
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].verdict, crate::pki::verify::Verdict::Valid);
    assert!(store.conn.execute("DELETE FROM signed_pdfs", []).is_err(), "signed bytes are immutable");
    assert_eq!(store.verify().unwrap(), None);
    // Bytes swapped behind the application's back are named by verify.
    crate::store::sql::drop_guards(&store.conn);
    store.conn.execute("UPDATE signed_pdfs SET bytes = ?1", [b"%PDF".to_vec()]).unwrap();
    let broken = store.verify().unwrap().expect("verify names the swapped bytes");
    assert!(broken.contains("PDF ký số"), "{broken}");
}

#[test]
fn a_certificate_in_another_name_needs_the_administrators_binding() {
    let (mut store, id) = ready();
    let (dir, _ca, key) = crate::pki::tests::setup("store-bind", "LE THI THU HA (CMND 0123)");
    let admin = store.login("admin", DEMO_PASSWORD).unwrap();
    store.trust_certificates(&admin, &std::fs::read(dir.join("ca.pem")).unwrap()).unwrap();
    let signing = DigitalSigning { key: &key, image: None };
    let signer = store.login("lethithuha", DEMO_PASSWORD).unwrap();
    let err = store.sign_digitally(id, &signer, DEMO_PASSWORD, Local::now(), None, &signing).unwrap_err().to_string();
    assert!(err.contains("LE THI THU HA (CMND 0123)"), "{err}");
    let user = store.user_id("lethithuha").unwrap();
    store.bind_certificate(&admin, &key.certificate().der, user, None).unwrap();
    store.sign_digitally(id, &signer, DEMO_PASSWORD, Local::now(), None, &signing).unwrap();
    assert_eq!(state(&store, id), "signed");
}
