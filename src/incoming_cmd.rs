//! `vanthu incoming`: the incoming lifecycle on the command line.

use vanthu_core::Store;

use crate::cli::{Failure, read_password};

/// Arguments of `vanthu incoming`.
#[derive(Debug, clap::Args)]
pub struct IncomingArgs {
    /// Bước / Step: receive, register, present, direct (= assign), start, progress, opinion,
    /// extend, grant-extension, refuse-extension, forward, resolve, show, list; attach, files, file.
    pub(crate) action: String,
    /// Mã văn bản đến (trừ receive, list) / Incoming document id (not for receive, list).
    pub(crate) id: Option<i64>,
    /// Tệp đính kèm (attach) hoặc số thứ tự tệp (file) / The file to attach, or the file's number.
    pub(crate) target: Option<String>,
    /// Người thực hiện (mật khẩu từ VANTHU_PASSWORD) / Acting user.
    #[arg(long = "as", value_name = "USER")]
    pub(crate) as_user: Option<String>,
    /// Cơ quan gửi (receive) / Sender.
    #[arg(long)]
    sender: Option<String>,
    /// Số của văn bản (receive) / Their number.
    #[arg(long)]
    number: Option<String>,
    /// Ký hiệu (receive) / Their symbol.
    #[arg(long)]
    notation: Option<String>,
    /// Ngày văn bản YYYY-MM-DD (receive) / Their date.
    #[arg(long)]
    date: Option<String>,
    /// Loại văn bản (receive, mặc định cong-van); loại tệp letter, scan, attachment (attach) / Kind.
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// Tệp nhận kèm (receive, attach; lặp lại được; tối đa 50 MB mỗi tệp) / A received file (repeatable).
    #[arg(long = "file", value_name = "FILE")]
    pub(crate) files: Vec<std::path::PathBuf>,
    /// Tên tệp do nơi gửi đặt (attach một tệp) / The file's name as the sender gave it.
    #[arg(long, value_name = "NAME")]
    pub(crate) name: Option<String>,
    /// Nơi lưu tệp (file): tệp, hoặc thư mục để lưu với tên đã làm sạch / Where to save (file or directory).
    #[arg(long, value_name = "PATH")]
    pub(crate) out: Option<std::path::PathBuf>,
    /// Trích yếu (receive) / Subject.
    #[arg(long)]
    subject: Option<String>,
    /// Mức độ khẩn: khan, thuong-khan, hoa-toc (receive) / Urgency.
    #[arg(long)]
    urgency: Option<String>,
    /// Số tờ (receive) / Pages.
    #[arg(long)]
    pages: Option<u32>,
    /// Độ mật: mat, toi-mat, tuyet-mat (receive) / Secrecy.
    #[arg(long)]
    secrecy: Option<String>,
    /// Cách nhận: paper, electronic, fax, hand (receive) / How it came.
    #[arg(long)]
    via: Option<String>,
    /// Người chủ trì xử lý (direct, forward) / Lead handler user name.
    #[arg(long)]
    handler: Option<String>,
    /// Người phối hợp, lặp lại được (direct, forward) / Co-handler user name (repeatable).
    #[arg(long = "co-handler", value_name = "USER")]
    co_handlers: Vec<String>,
    /// Bút phê / ý kiến chỉ đạo (direct, forward) / The leader's direction.
    #[arg(long)]
    direction: Option<String>,
    /// Nội dung tiến độ, ý kiến quyết định hoặc ghi chú kết quả (progress, grant-extension, resolve) / Note.
    #[arg(long)]
    note: Option<String>,
    /// Ý kiến phối hợp (opinion) / The co-handler's opinion.
    #[arg(long)]
    text: Option<String>,
    /// Lý do (extend, refuse-extension) / Reason.
    #[arg(long)]
    reason: Option<String>,
    /// Ngày xin gia hạn đến YYYY-MM-DD (extend) / The new deadline asked for.
    #[arg(long)]
    until: Option<String>,
    /// In dạng JSON (show) / JSON output.
    #[arg(long)]
    pub(crate) json: bool,
    /// Thời hạn YYYY-MM-DD (direct, forward) / Deadline.
    #[arg(long)]
    deadline: Option<String>,
    /// Thời hạn tính bằng ngày làm việc (assign) / Deadline in working days from today.
    #[arg(long, value_name = "N")]
    working_days: Option<i64>,
    /// Văn bản trả lời (resolve) / Reply document id.
    #[arg(long)]
    reply: Option<i64>,
    /// Cơ quan nhận (receive; mặc định cơ quan mình phục vụ) / Receiving agency (abbreviation or id).
    #[arg(long, value_name = "AGENCY")]
    agency: Option<String>,
}

/// Runs one `vanthu incoming` step.
pub fn run(args: IncomingArgs, store: &mut Store) -> Result<(), Failure> {
    if matches!(args.action.as_str(), "attach" | "files" | "file") {
        return crate::incoming_files_cmd::run(args, store);
    }
    let IncomingArgs {
        action,
        id,
        target: _,
        files,
        name,
        out: _,
        as_user,
        sender,
        number,
        notation,
        date,
        kind,
        subject,
        urgency,
        pages,
        secrecy,
        via,
        handler,
        co_handlers,
        direction,
        note,
        text,
        reason,
        until,
        json,
        deadline,
        working_days,
        reply,
        agency,
    } = args;

    if action == "list" {
        // With --as, only the letters of the agencies the user serves (or handles).
        let letters = match &as_user {
            Some(user) => store.incoming_for(&crate::register_cmd::login(store, user)?)?,
            None => store.list_incoming()?,
        };
        for i in letters {
            let number = i.arrival_number.map_or_else(|| "—".to_owned(), |n| n.to_string());
            let deadline = i.deadline.map_or_else(String::new, |d| format!(" hạn {d}"));
            println!(
                "{:>5}  số đến {number:<5} {} {:<20} {}  [{}]{deadline}",
                i.id,
                i.arrival_date,
                i.sender,
                i.subject,
                i.state.label()
            );
        }
        return Ok(());
    }
    if action == "show" {
        let id = id.ok_or_else(|| Failure::input("cần mã văn bản đến (document id required)".into()))?;
        let as_user = as_user.ok_or_else(|| Failure::input("cần --as USER (acting user required)".into()))?;
        let actor = crate::register_cmd::login(store, &as_user)?;
        let card = store.incoming_card(&actor, id)?;
        if json {
            println!("{}", serde_json::to_string_pretty(&card).map_err(|e| Failure::input(e.to_string()))?);
        } else {
            print_card(&card, chrono::Local::now().date_naive());
        }
        return Ok(());
    }
    let as_user = as_user.ok_or_else(|| Failure::input("cần --as USER (acting user required)".into()))?;
    let password = read_password(&format!("Mật khẩu của {as_user} / Password for {as_user}: "))?;
    let actor = store.login(&as_user, &password)?;
    let now = chrono::Local::now();
    let files = crate::incoming_files_cmd::read_files(&files, None, name.as_deref())?;
    if !files.is_empty() && action != "receive" {
        return Err(Failure::input(
            "--file chỉ dùng khi receive hoặc attach (--file only with receive or attach)".into(),
        ));
    }
    if action == "receive" {
        let kind = kind.unwrap_or_else(|| "cong-van".to_owned());
        let need = |v: Option<String>, name: &str| {
            v.filter(|s| !s.trim().is_empty())
                .ok_or_else(|| Failure::input(format!("thiếu --{name} (missing --{name})")))
        };
        let agency_id = match agency.as_deref().map(str::trim) {
            Some(wanted) => {
                let key = vanthu_core::text::name_key(wanted);
                store
                    .agencies()?
                    .into_iter()
                    .find(|a| a.id.to_string() == wanted || vanthu_core::text::name_key(&a.abbreviation) == key)
                    .ok_or_else(|| Failure::input(format!("không có cơ quan `{wanted}` (no such agency)")))?
                    .id
            }
            None => store
                .default_receiving_agency(&actor)?
                .ok_or_else(|| Failure::input("người dùng chưa thuộc cơ quan nào (user has no agency)".into()))?,
        };
        let date = date.as_deref().map(vanthu_core::model::parse_iso_date).transpose().map_err(Failure::input)?;
        let urgency = match urgency.as_deref() {
            None => None,
            Some(code) => Some(
                vanthu_core::model::Urgency::from_code(code)
                    .ok_or_else(|| Failure::input(format!("mức độ khẩn `{code}` không hợp lệ (unknown urgency)")))?,
            ),
        };
        if !vanthu_core::ruleset::is_known_kind(&kind) {
            return Err(Failure::input(format!("loại văn bản `{kind}` không có trong danh mục (unknown kind)")));
        }
        let new = vanthu_core::store::NewIncoming {
            agency_id,
            arrival_number: None,
            arrival_date: now.date_naive(),
            sender: need(sender, "sender")?,
            number,
            notation,
            date,
            kind,
            subject: need(subject, "subject")?,
            urgency,
            state: vanthu_core::model::IncomingState::Received,
            handler_id: None,
            lead_unit_id: None,
            deadline: None,
            source_key: None,
        };
        let details = vanthu_core::store::IncomingDetails {
            pages,
            secrecy: match secrecy.as_deref() {
                None => None,
                Some(code) => Some(
                    vanthu_core::model::Secrecy::from_code(code)
                        .ok_or_else(|| Failure::input(format!("độ mật `{code}` không hợp lệ (unknown secrecy)")))?,
                ),
            },
            received_via: match via.as_deref() {
                None => None,
                Some(code) => Some(
                    vanthu_core::store::ReceivedVia::from_code(code)
                        .ok_or_else(|| Failure::input(format!("cách nhận `{code}` không hợp lệ (unknown --via)")))?,
                ),
            },
        };
        println!("{}", store.receive_incoming_with_files(&actor, new, details, &files, now)?);
        return Ok(());
    }
    let code = if action == "direct" { "assign" } else { action.as_str() };
    let kind = vanthu_core::workflow::IncomingAction::from_code(code).ok_or_else(|| {
        Failure::input(format!(
            "bước `{action}` không có; dùng receive, register, present, direct, start, progress, opinion, extend, \
             grant-extension, refuse-extension, forward, resolve, show, list (unknown step)"
        ))
    })?;
    let id = id.ok_or_else(|| Failure::input("cần mã văn bản đến (document id required)".into()))?;
    let calendar = store.work_calendar()?;
    let deadline = match (deadline, working_days) {
        (Some(d), _) => {
            Some(vanthu_core::model::parse_iso_date(&d).map_err(|e| Failure::input(format!("--deadline: {e}")))?)
        }
        (None, Some(n)) if (1..=250).contains(&n) => Some(calendar.add_working_days(now.date_naive(), n)),
        (None, Some(_)) => {
            return Err(Failure::input("--working-days phải từ 1 đến 250 (working days out of range)".into()));
        }
        (None, None) => None,
    };
    let need = |v: Option<String>, name: &str| {
        v.filter(|s| !s.trim().is_empty()).ok_or_else(|| Failure::input(format!("thiếu --{name} (missing --{name})")))
    };
    use vanthu_core::store::IncomingStep as S;
    use vanthu_core::workflow::IncomingAction as A;
    let step = match kind {
        A::Register => S::Register,
        A::Present => S::Present,
        A::Start => S::Start,
        A::Assign => S::Assign(vanthu_core::store::Assignment {
            handler: need(handler, "handler")?,
            co_handlers,
            direction,
            lead_unit_id: None,
            deadline: deadline
                .ok_or_else(|| Failure::input("cần --deadline hoặc --working-days (deadline required)".into()))?,
        }),
        A::Forward => S::Forward(vanthu_core::store::Forwarding {
            handler: need(handler, "handler")?,
            co_handlers,
            direction: need(direction, "direction")?,
            deadline,
        }),
        A::Progress => S::Progress(need(note, "note")?),
        A::Opinion => S::Opinion(need(text, "text")?),
        A::RequestExtension => S::RequestExtension {
            reason: need(reason, "reason")?,
            until: vanthu_core::model::parse_iso_date(&need(until, "until")?)
                .map_err(|e| Failure::input(format!("--until: {e}")))?,
        },
        A::GrantExtension => S::GrantExtension { note },
        A::RefuseExtension => S::RefuseExtension { reason: need(reason, "reason")? },
        A::Resolve => S::Resolve { reply, note },
    };
    let next = store.incoming_step(id, &step, &actor, now)?;
    println!("#{id}: {}", next.label());
    Ok(())
}

/// Prints the card of a letter.
fn print_card(card: &vanthu_core::store::IncomingCard, today: chrono::NaiveDate) {
    let i = &card.letter;
    let symbol = match (&i.number, &i.notation) {
        (Some(n), Some(s)) => format!("{n}/{s}"),
        (Some(n), None) => n.clone(),
        (None, Some(s)) => s.clone(),
        (None, None) => "—".into(),
    };
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    println!("Văn bản đến #{} — {}", i.id, card.agency_name);
    println!("  Số đến: {}", i.arrival_number.map_or_else(|| "chưa vào sổ".into(), |n| n.to_string()));
    println!("  Ngày đến: {}", day(i.arrival_date));
    println!("  Tác giả: {}", i.sender);
    println!("  Số, ký hiệu: {symbol}   Ngày văn bản: {}", i.date.map_or_else(|| "—".into(), day));
    println!(
        "  Loại: {}   Trích yếu: {}",
        vanthu_core::ruleset::kind_name(vanthu_core::model::Family::State, &i.kind).unwrap_or(&i.kind),
        i.subject
    );
    println!(
        "  Độ khẩn: {}   Độ mật: {}   Số tờ: {}   Cách nhận: {}",
        i.urgency.map_or("thường", |u| u.label()),
        card.details.secrecy.map_or("thường", |s| s.label()),
        card.details.pages.map_or_else(|| "—".into(), |p| p.to_string()),
        card.details.received_via.map_or("—", |v| v.label())
    );
    println!("  Trạng thái: {}", i.state.label());
    if let Some(d) = &card.direction {
        println!("  Bút phê: {d}");
    }
    if let Some(h) = &card.handler {
        println!("  Chủ trì: {h}");
    }
    if !card.co_handlers.is_empty() {
        println!("  Phối hợp: {}", card.co_handlers.join(", "));
    }
    if let Some(d) = i.deadline {
        println!("  Hạn xử lý: {}{}", day(d), if card.overdue(today) { " (QUÁ HẠN)" } else { "" });
    }
    for n in &card.notes {
        let at = chrono::DateTime::parse_from_rfc3339(&n.at).map_or(n.at.clone(), |t| t.format("%d/%m/%Y").to_string());
        println!("  Tiến độ {at} — {}: {}", n.author, n.text);
    }
    for n in &card.opinions {
        let at = chrono::DateTime::parse_from_rfc3339(&n.at).map_or(n.at.clone(), |t| t.format("%d/%m/%Y").to_string());
        println!("  Ý kiến phối hợp {at} — {}: {}", n.author, n.text);
    }
    for e in &card.extensions {
        println!(
            "  Xin gia hạn đến {} ({}): {} — {}",
            day(e.requested_deadline),
            e.requested_by,
            e.reason,
            e.state_label()
        );
    }
    if let Some((_, reply)) = &card.reply {
        println!("  Văn bản trả lời: {reply}");
    }
    if let Some(note) = &card.closing_note {
        println!("  Kết quả xử lý: {note}");
    }
    if !card.files.is_empty() {
        println!("  Tệp nhận kèm:");
        crate::incoming_files_cmd::print_files(&card.files, "    ");
    }
    let actions: Vec<&str> = card.actions.iter().map(|a| a.label()).collect();
    println!("  Việc có thể làm: {}", if actions.is_empty() { "không".into() } else { actions.join(", ") });
}
