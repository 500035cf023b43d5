//! A draft never submitted is its drafter's working paper on the command line too
//! (issue #14 follow-up, the hostile tester's findings): the read commands without
//! `--as` show what the office sees, with `--as` the user's own view; another person's
//! private draft is answered exactly as an id that does not exist, and nothing of it
//! (title, text, file names, file bytes) is printed or written.

use std::process::Output;

use super::{ok, repo, temp_dir};

use super::workflow::run_as as run;

/// Everything the command printed, on both streams.
fn said(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

const SECRET: &str = "xombip";
const FILE: &str = "Danh_sach_can_bo_bi_ky_luat.txt";

/// The read commands of the hostile tester's list, on document `id`, writing into `dir`.
fn reads(id: &str, out: &str) -> Vec<Vec<String>> {
    let commands: [&[&str]; 8] = [
        &["search", SECRET],
        &["show", id],
        &["show", id, "--json"],
        &["list"],
        &["doc", "versions", id],
        &["doc", "attachments", id],
        &["doc", "diff", id, "--from", "1", "--to", "1"],
        &["export", "--id", id, "--out", out],
    ];
    commands.iter().map(|c| c.iter().map(|s| (*s).to_owned()).collect()).collect()
}

#[test]
fn read_commands_never_show_another_persons_private_draft() {
    let dir = temp_dir("privacy-reads");
    let db = dir.join("v.db");
    ok(run(&db, &["demo"]));
    let source =
        std::fs::read_to_string(repo().join("assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json"))
            .unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&source).unwrap();
    json["subject"] = format!("Về việc kiểm điểm cán bộ {SECRET}").into();
    let draft_file = dir.join("draft.json");
    std::fs::write(&draft_file, json.to_string()).unwrap();
    let id = ok(run(&db, &["doc", "new", draft_file.to_str().unwrap(), "--as", "buivantoan"])).trim().to_owned();
    let attached = dir.join(FILE);
    std::fs::write(&attached, "Nguyen Van A - ky luat khien trach\n").unwrap();
    ok(run(
        &db,
        &["doc", "attach", &id, "--file", attached.to_str().unwrap(), "--kind", "supporting", "--as", "buivantoan"],
    ));

    let out = dir.join("x.pdf");
    let out_s = out.to_str().unwrap();
    let missing_out = dir.join("m.pdf");
    for (viewer, label) in
        [(None, "no --as"), (Some("lythihongnhung"), "the văn thư"), (Some("admin"), "the administrator")]
    {
        for args in reads(&id, out_s) {
            let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
            if let Some(user) = viewer {
                args.extend(["--as", user]);
            }
            let output = run(&db, &args);
            let text = said(&output);
            assert!(!text.contains(SECRET) && !text.contains(FILE), "{label}: {args:?} leaked:\n{text}");
            let written: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with('x'))
                .collect();
            assert!(written.is_empty(), "{label}: {args:?} wrote {written:?}");
            if !matches!(args[0], "search" | "list") {
                // Exactly as for an id that does not exist.
                let absent: Vec<&str> = args
                    .iter()
                    .map(|a| {
                        if *a == id {
                            "99999"
                        } else if *a == out_s {
                            missing_out.to_str().unwrap()
                        } else {
                            a
                        }
                    })
                    .collect();
                let missing = run(&db, &absent);
                assert_eq!(output.status.code(), missing.status.code(), "{label}: {args:?}");
                assert_eq!(
                    text.replace(&format!("#{id}"), "#N"),
                    said(&missing).replace("#99999", "#N"),
                    "{label}: {args:?}"
                );
                assert!(text.contains(&format!("không tìm thấy văn bản #{id}")), "{label}: {args:?}: {text}");
            }
        }
    }

    // The drafter, signed in, still has all of it.
    let mine = |args: &[&str]| {
        let mut args = args.to_vec();
        args.extend(["--as", "buivantoan"]);
        ok(run(&db, &args))
    };
    assert!(mine(&["search", SECRET]).contains(SECRET));
    assert!(mine(&["show", &id]).to_lowercase().contains(SECRET));
    assert!(mine(&["show", &id, "--json"]).contains(SECRET));
    assert!(mine(&["list"]).contains(SECRET));
    assert!(mine(&["doc", "versions", &id]).contains(SECRET));
    assert!(mine(&["doc", "attachments", &id]).contains(FILE));
    mine(&["doc", "diff", &id, "--from", "1", "--to", "1"]);
    mine(&["export", "--id", &id, "--out", out_s]);
    assert!(out.exists(), "the drafter exports their draft");
    assert!(dir.join(format!("x_{FILE}")).exists(), "with its attached file");
}
