//! `mailctl inspect`: replays a captured session through the client and
//! server state machines and prints every decoded message.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use pop3_proto::Limits;
use pop3_proto::inspect::{Item, Record, inspect};
use serde_json::json;

use super::read_capture;
use crate::cmd::pop3::describe::{
    command_line, command_parts, response_json, response_line, sasl_line,
};
use crate::output;

/// Replays a POP3 capture. Exit 0 when everything decoded and agreed (what
/// the real server did that ours would not is shown as findings on the
/// records, and counted in the summary), 1 at the first protocol violation
/// or disagreement (with its direction, offset and reason).
pub(crate) fn pop3(
    client: &Path,
    server: &Path,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (c2s, s2c) = read_capture(client, server)?;
    let mut with_findings = 0;
    let result = output::write_records(out, |emit| {
        inspect(&c2s, &s2c, &Limits::default(), &mut |record| {
            if !record.findings.is_empty() {
                with_findings += 1;
            }
            emit(if json {
                record_json(record).to_string()
            } else {
                record_text(record)
            })
        })
    })?;
    match result {
        Ok(summary) => output::success(
            out,
            json,
            &output::Totals {
                client_messages: summary.client_messages,
                server_messages: summary.server_messages,
                c2s_bytes: summary.c2s_bytes,
                s2c_bytes: summary.s2c_bytes,
                c2s_total: c2s.len(),
                s2c_total: s2c.len(),
                tls_at: summary.tls_at,
                upgrade: "STLS",
                checked: "agreed",
                quirky: Some(with_findings),
            },
        ),
        Err(e) => output::failure(out, json, e.direction.as_str(), e.offset, &e.reason),
    }
}

/// The message as one line of text (the `line` field of the JSON form).
fn item_line(item: &Item) -> String {
    match item {
        Item::Command(c) => command_line(c),
        Item::Rejected { line, reason, sasl } => {
            let (text, hex) = rejected_line(line, *sasl);
            // Octets that are not UTF-8 show as U+FFFD: say which they were.
            let octets = match hex {
                Some(hex) if std::str::from_utf8(line).is_err() => format!(" [octets {hex}]"),
                _ => String::new(),
            };
            format!("{text}{octets}  (rejected: {reason})")
        }
        Item::SaslResponse(a) => sasl_line(a),
        Item::Unsolicited(resp) => format!("{}  (unsolicited)", response_line(resp)),
        Item::Greeting(resp) => format!("{}  (greeting)", response_line(resp)),
        Item::Response {
            command,
            response,
            body_len,
        } => {
            let mut s = format!("{}  (to {command})", response_line(response));
            if let Some(n) = body_len {
                s.push_str(&format!(", body {n} octets"));
            }
            s
        }
        _ => "?".into(),
    }
}

/// A rejected line as received, for a person to read, and its octets in hex
/// when they may be shown (not for lines that may hold credentials: a SASL
/// answer, PASS, an AUTH initial response, an APOP digest).
fn rejected_line(line: &[u8], sasl: bool) -> (String, Option<String>) {
    if sasl {
        return (format!("<SASL answer, {} octets>", line.len()), None);
    }
    if line.is_empty() {
        return ("<empty line>".into(), Some(String::new()));
    }
    // Split as leniently as any server might (leading blanks, tabs), so that
    // no spelling of PASS shows its argument.
    let mut words = line
        .trim_ascii_start()
        .splitn(3, |&b| b == b' ' || b == b'\t');
    let keyword = words.next().unwrap_or_default();
    let first = words.next();
    let rest = words.next();
    let shown = output::escape(keyword);
    let redacted = if keyword.eq_ignore_ascii_case(b"PASS") && first.is_some() {
        Some(format!("{shown} <redacted>"))
    } else if keyword.eq_ignore_ascii_case(b"AUTH") && rest.is_some() {
        let mechanism = output::escape(first.unwrap_or_default());
        Some(format!("{shown} {mechanism} <initial response redacted>"))
    } else if keyword.eq_ignore_ascii_case(b"APOP") && rest.is_some() {
        let name = output::escape(first.unwrap_or_default());
        Some(format!("{shown} {name} <digest>"))
    } else {
        None
    };
    match redacted {
        Some(text) => (text, None),
        None => (output::escape(line), Some(hex(line))),
    }
}

fn hex(octets: &[u8]) -> String {
    octets.iter().map(|b| format!("{b:02x}")).collect()
}

/// `  (finding: ...)` for each finding on the record.
fn findings_text(r: &Record) -> String {
    r.findings
        .iter()
        .map(|f| format!("  (finding: {})", f.description()))
        .collect()
}

fn record_text(r: &Record) -> String {
    let what = item_line(&r.item) + &findings_text(r);
    let arrow = if r.direction == pop3_proto::inspect::Direction::ClientToServer {
        "C:"
    } else {
        "S:"
    };
    format!(
        "{} {arrow} {:>8} +{:<7} {what}",
        r.direction.as_str(),
        r.offset,
        r.len
    )
}

fn record_json(r: &Record) -> serde_json::Value {
    // The fields imap's JSON records have too; POP3's quirks are the
    // replay's findings (what the real server did that ours would not).
    let base = json!({
        "dir": r.direction.as_str(), "offset": r.offset, "bytes": r.len, "exact": r.exact,
        "line": item_line(&r.item),
        "quirks": r.findings.iter().map(|f| f.name()).collect::<Vec<_>>(),
        "findings": r.findings.iter().map(|f| f.description()).collect::<Vec<_>>(),
    });
    let mut v = match &r.item {
        Item::Command(c) => {
            let (command, args) = command_parts(c);
            json!({"type": "command", "command": command, "args": args})
        }
        Item::Rejected { line, reason, sasl } => {
            let (raw, hex) = rejected_line(line, *sasl);
            json!({"type": "rejected", "raw": raw, "hex": hex, "reason": reason.to_string()})
        }
        Item::SaslResponse(a) => json!({"type": "sasl", "line": sasl_line(a)}),
        Item::Unsolicited(resp) => {
            let mut v = response_json(resp);
            v["type"] = "unsolicited".into();
            v
        }
        Item::Greeting(resp) => {
            let mut v = response_json(resp);
            v["type"] = "greeting".into();
            v
        }
        Item::Response {
            command,
            response,
            body_len,
        } => {
            let mut v = response_json(response);
            v["type"] = "response".into();
            v["command"] = (*command).into();
            v["body_bytes"] = (*body_len).into();
            v
        }
        _ => json!({"type": "unknown"}),
    };
    if let (Some(v), Some(b)) = (v.as_object_mut(), base.as_object()) {
        v.extend(b.clone());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::rejected_line;

    #[test]
    fn rejected_lines_never_show_credentials() {
        for line in [
            &b"PASS secret"[..],
            b"pass secret with spaces",
            b"  PASS secret",
            b"PASS\tsecret",
            b"PASS \xffsecret",
            b"AUTH PLAIN secret extra",
            b"APOP alice secret",
        ] {
            let (text, hex) = rejected_line(line, false);
            assert!(!text.contains("secret"), "{text}");
            assert_eq!(hex, None, "{text}");
        }
        let (text, hex) = rejected_line(b"c2VjcmV0 secret", true);
        assert!(!text.contains("secret") && hex.is_none(), "{text}");
    }

    #[test]
    fn other_rejected_lines_show_as_received() {
        assert_eq!(
            rejected_line(b"\xff\xfe\x80", false),
            ("\\xff\\xfe\\x80".into(), Some("fffe80".into()))
        );
        assert_eq!(
            rejected_line(b"USER", false),
            ("USER".into(), Some("55534552".into()))
        );
        assert_eq!(
            rejected_line(b"", false),
            ("<empty line>".into(), Some(String::new()))
        );
    }
}
