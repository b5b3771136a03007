//! The one writer both directions encode with: [`EncodeOptions`] (what the
//! peer accepts) and `Writer`, the output buffer with those options, whose
//! methods write the shared pieces of the grammar (numbers, strings in the
//! form [`StringKind::choose`] picks, `NIL`, flags, parenthesized lists,
//! literals). The command encoder (`command/encode.rs`) and the response
//! encoder (`response/encode.rs`) add the words of their own grammar as
//! further `impl Writer` blocks next to it.
//!
//! A writer either keeps literals in the line (responses: a server never
//! waits for the client) or cuts the output into [`Fragment`]s at each
//! literal (commands: a client waits for `+` before a synchronizing one).

use std::io::Write as _;

use bytes::Bytes;

use crate::codec::LiteralMode;
use crate::types::{
    Flag, IString, LITERAL_MINUS_MAX, MailboxEncoding, NString, NonSyncLiterals, StringKind,
    StringOptions,
};

/// What the peer accepts that changes how strings are written: the
/// capabilities it advertised and the extensions enabled. One set of
/// options serves both directions; see each field for the direction it
/// matters in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EncodeOptions {
    /// Commands: the server advertised LITERAL+ (RFC 7888), so every
    /// literal may be non-synchronizing. Responses ignore it: literals a
    /// server sends are never announced with `+` (RFC 7888 §3 is about the
    /// client's literals).
    pub literal_plus: bool,
    /// Commands: the server advertised LITERAL- (RFC 7888), so literals of
    /// at most 4096 octets may be non-synchronizing. Responses ignore it.
    pub literal_minus: bool,
    /// UTF-8 is in force: UTF8=ACCEPT enabled (RFC 6855 §3) or IMAP4rev2
    /// (RFC 9051). Quoted strings may carry UTF-8, and mailbox names in
    /// responses are written as UTF-8 instead of modified UTF-7.
    pub utf8_accept: bool,
}

impl EncodeOptions {
    /// Options for a UTF-8 connection (see [`EncodeOptions::utf8_accept`]).
    pub fn utf8() -> Self {
        Self {
            utf8_accept: true,
            ..Self::default()
        }
    }

    /// How strings are chosen with these options.
    pub(crate) fn strings(self) -> StringOptions {
        StringOptions {
            non_sync: if self.literal_plus {
                NonSyncLiterals::Plus
            } else if self.literal_minus {
                NonSyncLiterals::Minus
            } else {
                NonSyncLiterals::None
            },
            utf8: self.utf8_accept,
        }
    }
}

/// A piece of an encoded command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fragment {
    /// Octets to send as they are. A line that announces a literal ends with
    /// `{n}\r\n` / `{n+}\r\n` / `~{n}\r\n`; the last line ends with `\r\n`.
    Line(Bytes),
    /// A literal's data. With [`LiteralMode::Sync`] the client must wait for
    /// a continuation request (`+`) before sending it.
    Literal {
        /// The octets.
        data: Bytes,
        /// Whether to wait for `+` first.
        mode: LiteralMode,
    },
}

/// Writes a number in decimal.
#[inline]
pub(crate) fn write_num(out: &mut Vec<u8>, n: impl std::fmt::Display) {
    let _ = write!(out, "{n}");
}

/// The output buffer and the options in force while encoding.
#[derive(Debug)]
pub(crate) struct Writer<'a> {
    /// The line being written (all of it, when literals stay inline).
    buf: &'a mut Vec<u8>,
    /// `Some` when literals cut the output into fragments (commands).
    fragments: Option<Vec<Fragment>>,
    /// How strings are chosen.
    pub(crate) strings: StringOptions,
    /// How mailbox names are written (responses).
    pub(crate) mailbox: MailboxEncoding,
}

impl<'a> Writer<'a> {
    /// A writer that keeps literals inline in `buf`, for responses: no
    /// literal is non-synchronizing, whatever `options` say.
    pub(crate) fn new(buf: &'a mut Vec<u8>, options: EncodeOptions) -> Self {
        let mut strings = options.strings();
        strings.non_sync = NonSyncLiterals::None;
        Self {
            buf,
            fragments: None,
            strings,
            mailbox: if options.utf8_accept {
                MailboxEncoding::Utf8
            } else {
                MailboxEncoding::ModifiedUtf7
            },
        }
    }

    /// A writer that cuts its output into [`Fragment`]s at each literal,
    /// for commands; `buf` holds the line being written.
    pub(crate) fn fragments(buf: &'a mut Vec<u8>, options: EncodeOptions) -> Self {
        let mut w = Self::new(buf, options);
        w.fragments = Some(Vec::new());
        w.strings = options.strings();
        w
    }

    /// Ends the message with CRLF; the fragments written (empty for an
    /// inline writer, whose output is all in its buffer).
    pub(crate) fn finish(mut self) -> Vec<Fragment> {
        self.buf.extend_from_slice(b"\r\n");
        match self.fragments.take() {
            Some(mut out) => {
                out.push(Fragment::Line(Bytes::from(std::mem::take(self.buf))));
                out
            }
            None => Vec::new(),
        }
    }

    /// Octets as they are.
    #[inline]
    pub(crate) fn raw(&mut self, b: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(b);
        self
    }

    /// A space.
    #[inline]
    pub(crate) fn sp(&mut self) -> &mut Self {
        self.buf.push(b' ');
        self
    }

    /// A number in decimal.
    #[inline]
    pub(crate) fn num(&mut self, n: impl std::fmt::Display) -> &mut Self {
        write_num(self.buf, n);
        self
    }

    /// The literal mode the options allow for `len` octets.
    pub(crate) fn literal_mode(&self, len: usize) -> LiteralMode {
        match self.strings.non_sync {
            NonSyncLiterals::Plus => LiteralMode::NonSync,
            NonSyncLiterals::Minus if len <= LITERAL_MINUS_MAX => LiteralMode::NonSync,
            _ => LiteralMode::Sync,
        }
    }

    /// Announces a literal (`{n}`, `{n+}`, `~{n}` for literal8) and writes
    /// its data: inline, or as a [`Fragment::Literal`] after the line that
    /// announces it.
    pub(crate) fn literal(&mut self, data: &Bytes, mode: LiteralMode, binary: bool) {
        self.literal_head(data.len(), mode, binary);
        match &mut self.fragments {
            None => self.buf.extend_from_slice(data),
            Some(out) => {
                out.push(Fragment::Line(Bytes::from(std::mem::take(self.buf))));
                out.push(Fragment::Literal {
                    data: data.clone(),
                    mode,
                });
            }
        }
    }

    /// [`Writer::literal`] for data that is not shared `Bytes` (copied only
    /// when it becomes a fragment).
    pub(crate) fn literal_bytes(&mut self, data: &[u8], mode: LiteralMode, binary: bool) {
        if self.fragments.is_some() {
            self.literal(&Bytes::copy_from_slice(data), mode, binary);
        } else {
            self.literal_head(data.len(), mode, binary);
            self.buf.extend_from_slice(data);
        }
    }

    fn literal_head(&mut self, len: usize, mode: LiteralMode, binary: bool) {
        if binary {
            self.buf.push(b'~');
        }
        self.buf.push(b'{');
        write_num(self.buf, len);
        if mode == LiteralMode::NonSync {
            self.buf.push(b'+');
        }
        self.buf.extend_from_slice(b"}\r\n");
    }

    /// `content` in the form `kind`; `shared` is the same content as
    /// `Bytes`, for a literal that becomes a fragment.
    #[inline]
    pub(crate) fn put(&mut self, kind: StringKind, content: &[u8], shared: impl FnOnce() -> Bytes) {
        match kind {
            StringKind::Literal | StringKind::NonSyncLiteral if self.fragments.is_some() => {
                let mode = if kind == StringKind::Literal {
                    LiteralMode::Sync
                } else {
                    LiteralMode::NonSync
                };
                self.literal(&shared(), mode, false);
            }
            _ => {
                kind.write(content, self.buf);
            }
        }
    }

    /// A `string` (never an atom) in the simplest form for this peer.
    #[inline]
    pub(crate) fn string(&mut self, s: &IString) -> &mut Self {
        let kind = s.kind(self.strings);
        self.put(kind, s.as_bytes(), || s.to_bytes());
        self
    }

    /// [`Writer::string`] for octets that are not an [`IString`].
    #[inline]
    pub(crate) fn string_bytes(&mut self, s: &[u8]) {
        let kind = StringKind::choose(s, false, self.strings);
        self.put(kind, s, || Bytes::copy_from_slice(s));
    }

    /// An `astring`: an atom when the content allows one, else a string.
    #[inline]
    pub(crate) fn astring_bytes(&mut self, s: &[u8]) {
        let kind = StringKind::choose(s, true, self.strings);
        self.put(kind, s, || Bytes::copy_from_slice(s));
    }

    /// `NIL` or the string.
    #[inline]
    pub(crate) fn nstring(&mut self, s: &NString) -> &mut Self {
        match &s.0 {
            None => self.raw(b"NIL"),
            Some(s) => self.string(s),
        }
    }

    /// A flag.
    pub(crate) fn flag(&mut self, f: &Flag) -> &mut Self {
        let _ = write!(self.buf, "{f}");
        self
    }

    /// `(flag flag ...)`.
    pub(crate) fn flags(&mut self, flags: &[Flag]) -> &mut Self {
        self.list(flags, |w, f| {
            w.flag(f);
        })
    }

    /// `(item item ...)`, each item written by `f`.
    #[inline]
    pub(crate) fn list<T>(&mut self, items: &[T], mut f: impl FnMut(&mut Self, &T)) -> &mut Self {
        self.buf.push(b'(');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.buf.push(b' ');
            }
            f(self, item);
        }
        self.buf.push(b')');
        self
    }
}

impl std::ops::Deref for Writer<'_> {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        self.buf
    }
}

impl std::ops::DerefMut for Writer<'_> {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(literal_plus: bool, literal_minus: bool) -> EncodeOptions {
        EncodeOptions {
            literal_plus,
            literal_minus,
            utf8_accept: false,
        }
    }

    #[test]
    fn an_inline_writer_keeps_literals_synchronizing_and_in_the_line() {
        let s = IString::try_from("two\r\nlines").unwrap();
        for (plus, minus) in [(false, false), (true, false), (false, true)] {
            let mut buf = Vec::new();
            let mut w = Writer::new(&mut buf, options(plus, minus));
            w.raw(b"x").sp().string(&s).sp().literal8(b"\0");
            assert!(w.finish().is_empty());
            assert_eq!(buf, b"x {10}\r\ntwo\r\nlines ~{1}\r\n\0\r\n");
        }
    }

    #[test]
    fn a_fragment_writer_cuts_at_each_literal() {
        let s = IString::try_from("two\r\nlines").unwrap();
        let cases = [
            (options(false, false), LiteralMode::Sync, "{10}"),
            (options(true, false), LiteralMode::NonSync, "{10+}"),
            (options(false, true), LiteralMode::NonSync, "{10+}"),
        ];
        for (opts, mode, head) in cases {
            let mut line = Vec::new();
            let mut w = Writer::fragments(&mut line, opts);
            w.raw(b"A1 LOGIN")
                .sp()
                .string(&s)
                .sp()
                .nstring(&NString::NIL);
            assert_eq!(
                w.finish(),
                [
                    Fragment::Line(Bytes::from(format!("A1 LOGIN {head}\r\n"))),
                    Fragment::Literal {
                        data: Bytes::from_static(b"two\r\nlines"),
                        mode,
                    },
                    Fragment::Line(Bytes::from_static(b" NIL\r\n")),
                ]
            );
        }
        // LITERAL- allows non-synchronizing literals up to 4096 octets only.
        let mut line = Vec::new();
        let w = Writer::fragments(&mut line, options(false, true));
        assert_eq!(w.literal_mode(LITERAL_MINUS_MAX), LiteralMode::NonSync);
        assert_eq!(w.literal_mode(LITERAL_MINUS_MAX + 1), LiteralMode::Sync);
    }

    #[test]
    fn shared_pieces_are_written_one_way() {
        let mut buf = Vec::new();
        let mut w = Writer::new(&mut buf, EncodeOptions::utf8());
        w.flags(&[Flag::Seen, Flag::Wildcard]).sp().num(42u32).sp();
        w.list(&[&b"a b"[..], b"c"], |w, s| w.astring_bytes(s));
        w.sp().string_bytes("é".as_bytes());
        assert_eq!(w.mailbox, MailboxEncoding::Utf8);
        assert_eq!(buf, "(\\Seen \\*) 42 (\"a b\" c) \"é\"".as_bytes());
    }
}
