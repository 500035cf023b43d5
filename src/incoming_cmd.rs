//! `vanthu incoming`: the incoming lifecycle on the command line.

use vanthu_core::Store;

use crate::cli::{Failure, read_password};

/// Arguments of `vanthu incoming`.
#[derive(Debug, clap::Args)]
pub struct IncomingArgs {
    /// Bước / Step: receive, register, present, assign, start, resolve, list.
    action: String,
    /// Mã văn bản đến (trừ receive, list) / Incoming document id (not for receive, list).
    id: Option<i64>,
    /// Người thực hiện (mật khẩu từ VANTHU_PASSWORD) / Acting user.
    #[arg(long = "as", value_name = "USER")]
    as_user: Option<String>,
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
    /// Loại văn bản (receive), mặc định cong-van / Kind code.
    #[arg(long, default_value = "cong-van")]
    kind: String,
    /// Trích yếu (receive) / Subject.
    #[arg(long)]
    subject: Option<String>,
    /// Mức độ khẩn: khan, thuong-khan, hoa-toc (receive) / Urgency.
    #[arg(long)]
    urgency: Option<String>,
    /// Người xử lý (assign) / Handler user name.
    #[arg(long)]
    handler: Option<String>,
    /// Thời hạn YYYY-MM-DD (assign) / Deadline.
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
    let IncomingArgs {
        action,
        id,
        as_user,
        sender,
        number,
        notation,
        date,
        kind,
        subject,
        urgency,
        handler,
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
    let as_user = as_user.ok_or_else(|| Failure::input("cần --as USER (acting user required)".into()))?;
    let password = read_password(&format!("Mật khẩu của {as_user} / Password for {as_user}: "))?;
    let actor = store.login(&as_user, &password)?;
    let now = chrono::Local::now();
    if action == "receive" {
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
        println!("{}", store.receive_incoming(&actor, new, now)?);
        return Ok(());
    }
    let step = vanthu_core::workflow::IncomingAction::from_code(&action).ok_or_else(|| {
        Failure::input(format!(
            "bước `{action}` không có; dùng receive, register, present, assign, start, resolve, list (unknown step)"
        ))
    })?;
    let id = id.ok_or_else(|| Failure::input("cần mã văn bản đến (document id required)".into()))?;
    let calendar = store.work_calendar()?;
    let assignment = match (handler, deadline, working_days) {
        (Some(handler), Some(d), _) => Some(vanthu_core::store::Assignment {
            handler,
            lead_unit_id: None,
            deadline: vanthu_core::model::parse_iso_date(&d).map_err(|e| Failure::input(format!("--deadline: {e}")))?,
        }),
        (Some(handler), None, Some(n)) => Some(vanthu_core::store::Assignment {
            handler,
            lead_unit_id: None,
            deadline: calendar.add_working_days(now.date_naive(), n),
        }),
        (Some(_), None, None) => {
            return Err(Failure::input("cần --deadline hoặc --working-days (deadline required)".into()));
        }
        _ => None,
    };
    let next = store.incoming_transition(id, step, &actor, now, assignment.as_ref(), reply)?;
    println!("#{id}: {}", next.label());
    Ok(())
}
