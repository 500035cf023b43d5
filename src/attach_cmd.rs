//! `vanthu doc attach|detach|attachments`: files attached to an outgoing draft
//! (appendices in separate files, supporting documents).

use std::path::Path;

use vanthu_core::Store;
use vanthu_core::store::{Actor, AttachmentKind};

use crate::cli::Failure;

fn id_of(target: &str) -> Result<i64, Failure> {
    target.parse().map_err(|_| Failure::input(format!("mã `{target}` không hợp lệ (invalid id)")))
}

/// Lists the files of document `id` (the caller checked the reader may see it),
/// with the agency's signature once issued.
pub fn list(store: &Store, id: i64) -> Result<(), Failure> {
    for a in store.draft_attachments(id)? {
        let signed = match &a.signature {
            Some(s) if s.form == "pades" => format!(" — cơ quan đã ký số (PDF, SHA-256 {})", s.signed_sha256),
            Some(s) => format!(" — cơ quan đã ký số (tệp .p7s, SHA-256 {})", s.signed_sha256),
            None => String::new(),
        };
        println!(
            "#{} {}. {}: {} ({} byte, SHA-256 {}){signed}",
            a.id,
            a.position,
            a.kind.label(),
            a.name,
            a.size,
            a.sha256
        );
    }
    Ok(())
}

/// `attach ID --file FILE [--kind appendix|supporting]` or `detach ATTACHMENT_ID`.
pub fn change(
    store: &mut Store,
    actor: &Actor,
    action: &str,
    target: &str,
    file: Option<&Path>,
    kind: &str,
    now: chrono::DateTime<chrono::Local>,
) -> Result<(), Failure> {
    let id = id_of(target)?;
    if action == "detach" {
        store.detach_from_draft(actor, id, now)?;
        println!("Đã bỏ tệp đính kèm #{id}.");
        return Ok(());
    }
    let kind = AttachmentKind::parse(kind).ok_or_else(|| {
        Failure::input(format!("loại tệp `{kind}` không có: appendix hoặc supporting (unknown kind)"))
    })?;
    let file = file.ok_or_else(|| Failure::input("attach cần --file FILE (attach needs --file)".into()))?;
    let meta = std::fs::metadata(file)
        .map_err(|e| Failure::input(format!("không đọc được {}: {e} (cannot read)", file.display())))?;
    if meta.len() > vanthu_core::store::MAX_FILE_BYTES as u64 {
        return Err(Failure::input(format!("tệp {} lớn hơn 50 MB (file too large)", file.display())));
    }
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::input(format!("không đọc được {}: {e} (cannot read)", file.display())))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let a = store.attach_to_draft(actor, id, &name, &bytes, kind, now)?;
    println!("#{} {}. {}: {} (SHA-256 {})", a.id, a.position, a.kind.label(), a.name, a.sha256);
    Ok(())
}
