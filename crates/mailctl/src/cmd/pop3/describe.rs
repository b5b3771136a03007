//! Short human-readable and JSON descriptions of POP3 commands and responses,
//! with secrets redacted.

use pop3_proto::{Command, LangArgument, Positive, Response, SaslResponse, StatusText};
use serde_json::{Value, json};

/// The command's keyword and its arguments as text; secrets are redacted.
pub(crate) fn command_parts(command: &Command) -> (String, Vec<String>) {
    let args = match command {
        Command::User(name) => vec![name.to_string()],
        Command::Pass(_) => vec!["<redacted>".into()],
        Command::Apop { name, .. } => vec![name.to_string(), "<digest>".into()],
        Command::Auth {
            mechanism,
            initial_response,
        } => {
            let mut v = vec![mechanism.to_string()];
            if initial_response.is_some() {
                v.push("<initial response redacted>".into());
            }
            v
        }
        Command::List(Some(n)) | Command::Uidl(Some(n)) | Command::Retr(n) | Command::Dele(n) => {
            vec![n.to_string()]
        }
        Command::Top { msg, lines } => vec![msg.to_string(), lines.to_string()],
        Command::Lang(LangArgument::Set(tag)) => vec![tag.to_string()],
        Command::Other { arguments, .. } if !arguments.is_empty() => vec![arguments.to_string()],
        _ => vec![],
    };
    (command.keyword().to_owned(), args)
}

/// `USER alice`, `PASS <redacted>`.
pub(crate) fn command_line(command: &Command) -> String {
    let (keyword, args) = command_parts(command);
    std::iter::once(keyword)
        .chain(args)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A SASL answer, redacted.
pub(crate) fn sasl_line(answer: &SaslResponse) -> String {
    match answer {
        SaslResponse::Cancel => "* (cancel)".into(),
        SaslResponse::Data(d) => format!("<SASL answer, {} octets>", d.expose().len()),
    }
}

/// `text (n what)`, without a leading space when the text is empty.
fn with_count(s: &StatusText, n: usize, what: &str) -> String {
    format!("{} ({n} {what})", status_text(s))
        .trim_start()
        .to_owned()
}

fn status_text(s: &StatusText) -> String {
    let mut out = String::new();
    if let Some(code) = &s.code {
        out.push('[');
        out.push_str(&crate::output::escape(code.as_bytes()));
        out.push_str("] ");
    }
    out.push_str(&crate::output::escape(s.text.as_bytes()));
    out.trim_end().to_owned()
}

/// `+OK 2 320`, `-ERR [AUTH] Authentication failed.`, `+OK (31 entries)`.
pub(crate) fn response_line(response: &Response) -> String {
    match response {
        Response::Err(s) => format!("-ERR {}", status_text(s)).trim_end().to_owned(),
        Response::Challenge(d) => format!("+ <challenge, {} octets>", d.expose().len()),
        Response::Ok(p) => {
            let detail = match p {
                Positive::Text(s) | Positive::Message(s) => status_text(s),
                Positive::Stat(d) => format!("{} {}", d.count, d.size),
                Positive::Scan(s) => format!("{} {}", s.msg, s.size),
                Positive::UniqueId(u) => format!("{} {}", u.msg, u.uid),
                Positive::ScanListing { status, entries } => {
                    with_count(status, entries.len(), "scan listings")
                }
                Positive::UniqueIdListing { status, entries } => {
                    with_count(status, entries.len(), "unique-ids")
                }
                Positive::Capabilities {
                    status,
                    capabilities,
                } => with_count(status, capabilities.len(), "capabilities"),
                Positive::Languages { status, languages } => {
                    with_count(status, languages.len(), "languages")
                }
                Positive::Mechanisms { status, mechanisms } => {
                    with_count(status, mechanisms.len(), "mechanisms")
                }
                _ => String::new(),
            };
            format!("+OK {detail}").trim_end().to_owned()
        }
        _ => "?".into(),
    }
}

/// JSON fields for a response: status, code, text and the data it carries.
pub(crate) fn response_json(response: &Response) -> Value {
    let status = |s: &StatusText| {
        json!({
            "code": s.code.as_ref().map(|c| String::from_utf8_lossy(c.as_bytes()).into_owned()),
            "text": s.text.to_str_lossy(),
        })
    };
    match response {
        Response::Err(s) => {
            json!({"status": "-ERR", "code": status(s)["code"], "text": status(s)["text"]})
        }
        Response::Challenge(d) => json!({"status": "+", "challenge_len": d.expose().len()}),
        Response::Ok(p) => {
            let (s, data) = match p {
                Positive::Text(s) | Positive::Message(s) => (status(s), Value::Null),
                Positive::Stat(d) => (Value::Null, json!({"count": d.count, "size": d.size})),
                Positive::Scan(s) => (Value::Null, json!({"msg": s.msg.get(), "size": s.size})),
                Positive::UniqueId(u) => (Value::Null, json!({"msg": u.msg.get(), "uid": u.uid.as_str()})),
                Positive::ScanListing { status: st, entries } => (
                    status(st),
                    entries.iter().map(|e| json!({"msg": e.msg.get(), "size": e.size})).collect(),
                ),
                Positive::UniqueIdListing { status: st, entries } => (
                    status(st),
                    entries.iter().map(|e| json!({"msg": e.msg.get(), "uid": e.uid.as_str()})).collect(),
                ),
                Positive::Capabilities { status: st, capabilities } => {
                    (status(st), capabilities.iter().map(|c| Value::String(format!("{c:?}"))).collect())
                }
                Positive::Languages { status: st, languages } => (
                    status(st),
                    languages.iter().map(|l| json!({"tag": l.tag.to_str_lossy(), "description": l.description.to_str_lossy()})).collect(),
                ),
                Positive::Mechanisms { status: st, mechanisms } => {
                    (status(st), mechanisms.iter().map(|m| Value::String(m.to_string())).collect())
                }
                _ => (Value::Null, Value::Null),
            };
            json!({"status": "+OK", "code": s.get("code").cloned().unwrap_or(Value::Null), "text": s.get("text").cloned().unwrap_or(Value::Null), "data": data})
        }
        _ => json!({"status": "?"}),
    }
}
