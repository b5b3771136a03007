//! What the commands print, in one place: peer text made safe for a
//! terminal, paths, whether stdout is interactive, and the record lines
//! and closing summary (or first failure) of `inspect`, as text or JSON,
//! with the exit code.
//!
//! # Terminal safety
//!
//! A server (or, for `serve`, a client) chooses much of what `mailctl`
//! prints: greetings, error texts, capabilities, listings, messages. A
//! peer that slips an escape sequence into them could recolour or clear
//! the terminal, set its title, or on some terminals make it answer
//! with keystrokes. So nothing reaches stdout or stderr except through
//! this module:
//!
//! - [`stdout`] and [`stderr`] are writers that pass everything through a
//!   [`Sanitizer`]: line feeds and tabs (the layout of what we print) go
//!   through, CRLF becomes LF, and every other control character, C0
//!   (ESC, BEL, CR...), DEL and C1 (U+0080..U+009F, which 8-bit terminals
//!   read as ESC sequences), every bidirectional formatting character
//!   (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F: they reorder what
//!   is shown) and every octet that is not UTF-8 is written as an escape.
//!   The escapes are the ones JSON has (`\u001b`, `\r`, `\t`), so a JSON
//!   document stays valid and means the same once filtered: serde_json
//!   escapes only what is below U+0020.
//! - [`escape`] and [`escape_str`] escape one piece of peer text for
//!   embedding in a line, line feeds included, so one peer line cannot
//!   pass for two.
//! - [`SafeAsyncWriter`] does the same for a message body streamed to a
//!   terminal (`retr`, `top`).
//!
//! The IMAP commands print through the same functions.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, IsTerminal as _, Write};
use std::path::Path;
use std::pin::Pin;
use std::process::ExitCode;
use std::task::{Context, Poll};

use anyhow::Context as _;

use serde_json::json;
use tokio::io::AsyncWrite;

/// Whether stdout is a terminal (progress bars are drawn only then).
pub(crate) fn interactive() -> bool {
    std::io::stdout().is_terminal()
}

/// Shows a path in a message.
pub(crate) fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Whether a character can act on a terminal or change how the text
/// around it is shown: controls (C0, DEL, C1) and the bidirectional
/// formatting characters (Unicode TR9: embeddings, overrides, isolates and
/// marks).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Writes `c` as a JSON-style escape: `\n`, `\r`, `\t`, else `\u00XX`.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        // Every unsafe character is in the Basic Multilingual Plane, so
        // four hex digits hold it.
        c => {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        }
    }
}

/// Peer octets for a person to read: UTF-8 as it is, every unsafe
/// character (line feeds included) escaped, and every octet that is not
/// UTF-8 written as `\xNN`.
pub(crate) fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        push_text(&mut out, chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// Peer text already decoded (an error's message, say), escaped as
/// [`escape`] does; borrowed when there is nothing to escape.
pub(crate) fn escape_str(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    push_text(&mut out, text);
    Cow::Owned(out)
}

fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        if is_unsafe(c) {
            push_escaped(out, c);
        } else {
            out.push(c);
        }
    }
}

/// Makes a stream of output octets safe for a terminal as it passes (see
/// the module docs): line feeds and tabs are kept, CRLF becomes LF, every
/// other unsafe character and every octet that is not UTF-8 is escaped.
/// A UTF-8 sequence or a CRLF cut between two writes is put back together.
#[derive(Debug, Default)]
pub(crate) struct Sanitizer {
    /// The start of a UTF-8 sequence whose end has not come yet.
    partial: Vec<u8>,
    /// A CR whose next octet has not come yet.
    cr: bool,
}

impl Sanitizer {
    /// Appends the safe form of `data` to `out`.
    pub(crate) fn feed(&mut self, data: &[u8], out: &mut Vec<u8>) {
        let joined;
        let data = if self.partial.is_empty() {
            data
        } else {
            let mut v = std::mem::take(&mut self.partial);
            v.extend_from_slice(data);
            joined = v;
            &joined[..]
        };
        let mut text = String::new();
        let mut chunks = data.utf8_chunks().peekable();
        while let Some(chunk) = chunks.next() {
            for c in chunk.valid().chars() {
                self.push_char(c, &mut text);
            }
            let invalid = chunk.invalid();
            let incomplete = chunks.peek().is_none()
                && std::str::from_utf8(invalid).is_err_and(|e| e.error_len().is_none());
            if incomplete {
                self.partial.extend_from_slice(invalid);
            } else {
                for b in invalid {
                    self.flush_cr(&mut text);
                    let _ = write!(text, "\\x{b:02x}");
                }
            }
        }
        out.extend_from_slice(text.as_bytes());
    }

    /// Appends what is held back (a CR, the start of a UTF-8 sequence)
    /// to `out`, escaped: the stream ended.
    pub(crate) fn finish(&mut self, out: &mut Vec<u8>) {
        let mut text = String::new();
        self.flush_cr(&mut text);
        for b in std::mem::take(&mut self.partial) {
            let _ = write!(text, "\\x{b:02x}");
        }
        out.extend_from_slice(text.as_bytes());
    }

    fn push_char(&mut self, c: char, out: &mut String) {
        if self.cr {
            self.cr = false;
            if c == '\n' {
                out.push('\n');
                return;
            }
            push_escaped(out, '\r');
        }
        match c {
            '\r' => self.cr = true,
            '\n' | '\t' => out.push(c),
            c if is_unsafe(c) => push_escaped(out, c),
            c => out.push(c),
        }
    }

    fn flush_cr(&mut self, out: &mut String) {
        if std::mem::take(&mut self.cr) {
            push_escaped(out, '\r');
        }
    }
}

/// A writer that passes everything through a [`Sanitizer`] on its way to
/// `inner`; what is held back is written when it is dropped.
#[derive(Debug)]
pub(crate) struct SafeWriter<W: Write> {
    inner: W,
    sanitizer: Sanitizer,
    scratch: Vec<u8>,
}

impl<W: Write> SafeWriter<W> {
    pub(crate) fn new(inner: W) -> Self {
        Self {
            inner,
            sanitizer: Sanitizer::default(),
            scratch: Vec::new(),
        }
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.scratch.clear();
        self.sanitizer.feed(buf, &mut self.scratch);
        self.inner.write_all(&self.scratch)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for SafeWriter<W> {
    fn drop(&mut self) {
        self.scratch.clear();
        self.sanitizer.finish(&mut self.scratch);
        let _ = self.inner.write_all(&self.scratch);
        let _ = self.inner.flush();
    }
}

/// Standard output, made safe for a terminal. (It locks stdout per write,
/// so it can be held across awaits and beside other writers.)
pub(crate) fn stdout() -> SafeWriter<io::Stdout> {
    SafeWriter::new(io::stdout())
}

/// Standard error, made safe for a terminal.
pub(crate) fn stderr() -> SafeWriter<io::Stderr> {
    SafeWriter::new(io::stderr())
}

/// `mailctl: error`, the error and its causes on one line of stderr, every
/// line feed in them escaped. Where `main` reports a failed command: errors
/// carry what the peer said.
pub(crate) fn report_error(error: &anyhow::Error) {
    let _ = writeln!(stderr(), "mailctl: {}", escape_str(&format!("{error:#}")));
}

/// An async writer that passes everything through a [`Sanitizer`]: a
/// message body on its way to a terminal. [`finish`](Self::finish) writes
/// what is held back at the end.
#[derive(Debug)]
pub(crate) struct SafeAsyncWriter<W> {
    inner: W,
    /// `None`: octets pass unchanged.
    sanitizer: Option<Sanitizer>,
    /// Octets not yet accepted by `inner`.
    out: Vec<u8>,
}

impl SafeAsyncWriter<tokio::io::Stdout> {
    /// Where `retr` and `top` write a message: through the filter when
    /// stdout is a terminal; unchanged when it is a file or a pipe, so
    /// that `> message.eml` keeps every octet the server sent.
    pub(crate) fn body_to_stdout() -> Self {
        let mut w = Self::new(tokio::io::stdout());
        if !interactive() {
            w.sanitizer = None;
        }
        w
    }
}

impl<W: AsyncWrite + Unpin> SafeAsyncWriter<W> {
    pub(crate) fn new(inner: W) -> Self {
        Self {
            inner,
            sanitizer: Some(Sanitizer::default()),
            out: Vec::new(),
        }
    }

    /// Writes what was held back and flushes.
    pub(crate) async fn finish(&mut self) -> io::Result<()> {
        use tokio::io::AsyncWriteExt as _;
        if let Some(s) = &mut self.sanitizer {
            s.finish(&mut self.out);
        }
        self.flush().await
    }

    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.out.is_empty() {
            let n = std::task::ready!(Pin::new(&mut self.inner).poll_write(cx, &self.out))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.out.drain(..n);
        }
        Poll::Ready(Ok(()))
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for SafeAsyncWriter<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_drain(cx))?;
        match &mut this.sanitizer {
            Some(s) => s.feed(buf, &mut this.out),
            None => this.out.extend_from_slice(buf),
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(s) = &mut this.sanitizer {
            s.finish(&mut this.out);
        }
        std::task::ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
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
    let _ = writeln!(
        stderr(),
        "mailctl: {direction} at offset {offset}: {}",
        escape_str(reason)
    );
    Ok(ExitCode::FAILURE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every octet a terminal acts on: C0 but LF and TAB, DEL, and C1 as
    /// raw octets (8-bit terminals) and as UTF-8.
    fn dangerous(out: &[u8]) -> Option<usize> {
        let text = String::from_utf8(out.to_vec()).expect("output is UTF-8");
        let at = text.chars().position(|c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        });
        at.or_else(|| out.iter().position(|&b| b == 0x1b || b == 0x07))
    }

    fn sanitized(pieces: &[&[u8]]) -> Vec<u8> {
        let mut s = Sanitizer::default();
        let mut out = Vec::new();
        for p in pieces {
            s.feed(p, &mut out);
        }
        s.finish(&mut out);
        out
    }

    #[test]
    fn escape_keeps_text_and_defuses_controls() {
        assert_eq!(escape(b"+OK ready"), "+OK ready");
        assert_eq!(escape(b"a\x1b[2Jb\r\n"), "a\\u001b[2Jb\\r\\n");
        assert_eq!(escape(b"\x07\x7f\t"), "\\u0007\\u007f\\t");
        assert_eq!(escape("caf\u{e9} \u{9b}".as_bytes()), "caf\u{e9} \\u009b");
        assert_eq!(escape(b"\xff\x9b[2J"), "\\xff\\x9b[2J");
        assert_eq!(escape("a\u{202e}b".as_bytes()), "a\\u202eb");
        assert_eq!(escape_str("plain"), Cow::Borrowed("plain"));
        assert_eq!(
            escape_str("-ERR \u{1b}]0;owned\u{7}"),
            "-ERR \\u001b]0;owned\\u0007"
        );
    }

    #[test]
    fn the_attack_payloads_come_out_inert() {
        for payload in [
            &b"-ERR \x1b[31;1;4mPOP3\x1b[0m server ready."[..],
            b"+OK \x1b]0;owned\x07 hello",
            b"-ERR [AUTH] \x1b[2J\x1b[H gone",
            b"IMPLEMENTATION \x1b]0;owned\x07x",
            "\u{9b}31m \u{7f} \u{202e}".as_bytes(),
            b"\x9b31m raw C1",
        ] {
            let escaped = escape(payload);
            assert_eq!(dangerous(escaped.as_bytes()), None, "{escaped}");
            let out = sanitized(&[payload, b"\n"]);
            assert_eq!(dangerous(&out), None, "{}", String::from_utf8_lossy(&out));
        }
    }

    #[test]
    fn the_sanitizer_keeps_layout_and_joins_what_writes_cut() {
        assert_eq!(sanitized(&[b"a\tb\r\nc\n"]), b"a\tb\nc\n");
        assert_eq!(sanitized(&[b"a\r", b"\nb\rc\r"]), b"a\nb\\rc\\r");
        // A two-octet and a four-octet sequence cut at every point.
        let text = "é 😀 ok\n".as_bytes();
        for cut in 0..=text.len() {
            assert_eq!(
                sanitized(&[&text[..cut], &text[cut..]]),
                text,
                "cut at {cut}"
            );
        }
        // A C1 control cut in the middle is still escaped.
        assert_eq!(sanitized(&[b"\xc2", b"\x9b2J"]), b"\\u009b2J");
        // A sequence that never ends.
        assert_eq!(sanitized(&[b"x\xe2\x82"]), b"x\\xe2\\x82");
        assert_eq!(sanitized(&[b"\r\xff"]), b"\\r\\xff");
    }

    #[test]
    fn json_stays_valid_and_equal_through_the_sanitizer() {
        let value = json!({
            "text": "a\u{1b}[2J\u{7}\u{7f}\u{9b}\u{85}\u{202e}\\\u{7f}\"\n\té",
            "list": ["IMPLEMENTATION \u{1b}]0;owned\u{7}x"],
        });
        let line = format!("{value}\n");
        let mut w = SafeWriter::new(Vec::new());
        w.write_all(line.as_bytes()).unwrap();
        let out = std::mem::take(&mut w.inner);
        assert_eq!(dangerous(&out), None, "{}", String::from_utf8_lossy(&out));
        let back: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn the_safe_writer_writes_what_it_held_back_when_dropped() {
        let mut sink = Vec::new();
        {
            let mut w = SafeWriter::new(&mut sink);
            w.write_all(b"ok \xe2").unwrap();
        }
        assert_eq!(sink, b"ok \\xe2");
    }

    #[tokio::test]
    async fn the_async_writer_sanitizes_a_streamed_body() {
        use tokio::io::AsyncWriteExt as _;
        let mut w = SafeAsyncWriter::new(Vec::new());
        for piece in [
            &b"Subject: \x1b]0;x\x07\r"[..],
            b"\n\r\nbody \xc2",
            b"\x9b\r\n",
        ] {
            w.write_all(piece).await.unwrap();
        }
        w.finish().await.unwrap();
        assert_eq!(w.inner, b"Subject: \\u001b]0;x\\u0007\n\nbody \\u009b\n");
    }
}
