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

/// Replays a POP3 capture. Exit 0 when everything decoded and agreed, 1 at the
/// first failure (with its direction, offset and reason).
pub(crate) fn pop3(
    client: &Path,
    server: &Path,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (c2s, s2c) = read_capture(client, server)?;
    let result = output::write_records(out, |emit| {
        inspect(&c2s, &s2c, &Limits::default(), &mut |record| {
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
                quirky: None,
            },
        ),
        Err(e) => output::failure(out, json, e.direction.as_str(), e.offset, &e.reason),
    }
}

/// The message as one line of text (the `line` field of the JSON form).
fn item_line(item: &Item) -> String {
    match item {
        Item::Command(c) => command_line(c),
        Item::Rejected { line, reason } => {
            format!("{}  (rejected: {reason})", output::escape(line))
        }
        Item::SaslResponse(a) => sasl_line(a),
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

fn record_text(r: &Record) -> String {
    let what = item_line(&r.item);
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
    // The fields imap's JSON records have too; POP3 has no quirks.
    let base = json!({
        "dir": r.direction.as_str(), "offset": r.offset, "bytes": r.len, "exact": r.exact,
        "line": item_line(&r.item), "quirks": [],
    });
    let mut v = match &r.item {
        Item::Command(c) => {
            let (command, args) = command_parts(c);
            json!({"type": "command", "command": command, "args": args})
        }
        Item::Rejected { line, reason } => {
            json!({"type": "rejected", "raw": output::escape(line), "reason": reason.to_string()})
        }
        Item::SaslResponse(a) => json!({"type": "sasl", "line": sasl_line(a)}),
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
