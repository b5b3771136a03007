//! `mailctl inspect imap`: decodes a captured IMAP session direction by
//! direction with the imap-proto codec and prints every message.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use imap_proto::command::{CommandBody, EncodeOptions, encode, to_bytes};
use imap_proto::inspect::{Direction, Item, Record, inspect};
use imap_proto::parse::Strictness;
use serde_json::json;

use super::read_capture;
use crate::output;

/// Longest line shown.
const SHOWN: usize = 120;

/// Decodes an IMAP capture. Exit 0 when every message decoded and
/// round-tripped, 1 at the first failure (direction, offset, reason).
pub(crate) fn imap(
    client: &Path,
    server: &Path,
    json: bool,
    strict: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (c2s, s2c) = read_capture(client, server)?;
    let strictness = if strict {
        Strictness::Strict
    } else {
        Strictness::Lenient
    };
    let result = output::write_records(out, |emit| {
        inspect(&c2s, &s2c, strictness, &mut |record| {
            emit(if json {
                record_json(record).to_string()
            } else {
                record_text(record)
            })
        })
    })?;
    match result {
        Ok(s) => output::success(
            out,
            json,
            &output::Totals {
                client_messages: s.client_messages,
                server_messages: s.server_messages,
                c2s_bytes: s.c2s_bytes,
                s2c_bytes: s.s2c_bytes,
                c2s_total: c2s.len(),
                s2c_total: s2c.len(),
                tls_at: s.tls_at,
                upgrade: "STARTTLS",
                checked: "round-tripped",
                quirky: Some(s.quirky),
            },
        ),
        Err(e) => output::failure(out, json, e.direction.as_str(), e.offset, &e.reason),
    }
}

/// The first line of a message, shortened, with secrets redacted.
fn summary(item: &Item) -> (&'static str, String, Option<String>) {
    match item {
        Item::Command(c) => {
            let tag = c.tag.as_str().to_owned();
            let line = match &c.body {
                CommandBody::Login { username, .. } => {
                    format!(
                        "{tag} LOGIN {} <password redacted>",
                        output::escape(username.as_bytes())
                    )
                }
                CommandBody::Authenticate { mechanism, initial } => format!(
                    "{tag} AUTHENTICATE {}{}",
                    mechanism.as_str(),
                    if initial.is_some() {
                        " <initial response redacted>"
                    } else {
                        ""
                    }
                ),
                _ => first_line(&to_bytes(&encode(c, EncodeOptions::default()))),
            };
            ("command", line, Some(tag))
        }
        Item::AuthLine => ("sasl", "<SASL data redacted>".into(), None),
        Item::Done => ("done", "DONE".into(), None),
        Item::StreamedAppend { literal_octets } => (
            "command",
            format!("APPEND (message streamed, {literal_octets} octets)"),
            None,
        ),
        Item::Rejected { reason, answer } => (
            "rejected",
            format!("rejected: {reason}; the server answered: {answer}"),
            None,
        ),
        Item::Response(r) => {
            let mut wire = Vec::new();
            r.encode(&mut wire);
            ("response", first_line(&wire), None)
        }
        Item::StreamedFetch {
            seq,
            literal_octets,
        } => (
            "response",
            format!("* {seq} FETCH (... literal streamed, {literal_octets} octets ...)"),
            None,
        ),
        _ => ("unknown", String::new(), None),
    }
}

fn first_line(wire: &[u8]) -> String {
    let end = memchr(wire);
    let mut line = output::escape(&wire[..end]);
    if wire.len() > end + 2 {
        line.push_str(&format!("  [+{} octets]", wire.len() - end - 2));
    }
    if line.len() > SHOWN {
        let cut = (0..=SHOWN)
            .rev()
            .find(|&i| line.is_char_boundary(i))
            .unwrap_or(0);
        line.truncate(cut);
        line.push_str("...");
    }
    line
}

fn memchr(wire: &[u8]) -> usize {
    wire.iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .unwrap_or(wire.len())
}

fn record_text(r: &Record) -> String {
    let arrow = if r.direction == Direction::ClientToServer {
        "C:"
    } else {
        "S:"
    };
    let (_, line, _) = summary(&r.item);
    let quirks = if r.quirks.is_empty() {
        String::new()
    } else {
        format!(
            "  (quirks: {})",
            r.quirks
                .iter()
                .map(|q| q.name())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!(
        "{} {arrow} {:>8} +{:<7} {line}{quirks}",
        r.direction.as_str(),
        r.offset,
        r.len
    )
}

fn record_json(r: &Record) -> serde_json::Value {
    let (kind, line, tag) = summary(&r.item);
    json!({
        "dir": r.direction.as_str(), "offset": r.offset, "bytes": r.len, "type": kind,
        "tag": tag, "line": line, "exact": r.exact,
        "quirks": r.quirks.iter().map(|q| q.name()).collect::<Vec<_>>(),
    })
}
