//! What the commands print, in one place: peer text made safe for a
//! terminal ([`escape`]), paths, whether stdout is interactive, and the
//! record lines and closing summary (or first failure) of `inspect`, as
//! text or JSON, with the exit code.

use std::io::{IsTerminal as _, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use serde_json::json;

/// Whether stdout is a terminal (progress bars are drawn only then).
pub(crate) fn interactive() -> bool {
    std::io::stdout().is_terminal()
}

/// Shows a path in a message.
pub(crate) fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Peer text for a person to read: lossy UTF-8 with every control
/// character (ESC, CR, LF, C1 controls) written as a Rust escape, so
/// nothing a peer sent can move the cursor or recolour the terminal.
pub(crate) fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for c in String::from_utf8_lossy(bytes).chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs a decoder that reports one line per record, writing each line to
/// `out`; the first write error fails the command once the decoder is done.
pub(crate) fn write_records<R>(
    out: &mut dyn Write,
    run: impl FnOnce(&mut dyn FnMut(String)) -> R,
) -> anyhow::Result<R> {
    let mut write_error = None;
    let result = run(&mut |line| {
        if let Err(e) = writeln!(out, "{line}") {
            write_error.get_or_insert(e);
        }
    });
    match write_error {
        Some(e) => Err(e).context("writing output"),
        None => Ok(result),
    }
}

/// What a capture decoded to, for the closing summary.
#[derive(Debug)]
pub(crate) struct Totals {
    pub(crate) client_messages: usize,
    pub(crate) server_messages: usize,
    pub(crate) c2s_bytes: u64,
    pub(crate) s2c_bytes: u64,
    pub(crate) c2s_total: usize,
    pub(crate) s2c_total: usize,
    /// Where (c2s, s2c) the TLS records start.
    pub(crate) tls_at: Option<(u64, u64)>,
    /// `STLS` or `STARTTLS`.
    pub(crate) upgrade: &'static str,
    /// What was checked of every message ("agreed", "round-tripped").
    pub(crate) checked: &'static str,
    /// Messages that needed a quirk, where the codec reports them.
    pub(crate) quirky: Option<usize>,
}

/// Prints the summary; exit 0.
pub(crate) fn success(out: &mut dyn Write, json: bool, t: &Totals) -> anyhow::Result<ExitCode> {
    if json {
        writeln!(
            out,
            "{}",
            json!({
                "type": "summary", "ok": true,
                "client_messages": t.client_messages, "server_messages": t.server_messages,
                "c2s_bytes": t.c2s_bytes, "s2c_bytes": t.s2c_bytes,
                "c2s_total": t.c2s_total, "s2c_total": t.s2c_total, "quirky": t.quirky,
                "tls_at": t.tls_at.map(|(c, s)| json!({"c2s": c, "s2c": s})),
            })
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let quirks = t
        .quirky
        .map(|q| format!("; {q} needed a quirk"))
        .unwrap_or_default();
    writeln!(
        out,
        "ok: {} client messages ({} octets) and {} server messages ({} octets) decoded and {}{quirks}",
        t.client_messages, t.c2s_bytes, t.server_messages, t.s2c_bytes, t.checked
    )?;
    if let Some((c, s)) = t.tls_at {
        writeln!(
            out,
            "the session switched to TLS after {} (c2s offset {c}, s2c offset {s}): the {} + {} octets after that are encrypted and were not decoded",
            t.upgrade,
            (t.c2s_total as u64).saturating_sub(c),
            (t.s2c_total as u64).saturating_sub(s)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the first failure; exit 1.
pub(crate) fn failure(
    out: &mut dyn Write,
    json: bool,
    direction: &str,
    offset: u64,
    reason: &str,
) -> anyhow::Result<ExitCode> {
    if json {
        writeln!(
            out,
            "{}",
            json!({"type": "summary", "ok": false, "dir": direction, "offset": offset, "reason": reason})
        )?;
    } else {
        writeln!(out, "FAILED: {direction} at offset {offset}: {reason}")?;
    }
    eprintln!("mailctl: {direction} at offset {offset}: {reason}");
    Ok(ExitCode::FAILURE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_text_and_defuses_controls() {
        assert_eq!(escape(b"+OK ready"), "+OK ready");
        assert_eq!(escape(b"a\x1b[2Jb\r\n"), "a\\u{1b}[2Jb\\r\\n");
        assert_eq!(escape("caf\u{e9} \u{9b}".as_bytes()), "caf\u{e9} \\u{9b}");
        assert_eq!(escape(b"\xff"), "\u{fffd}");
    }
}
