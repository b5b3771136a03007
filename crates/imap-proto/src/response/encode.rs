//! The canonical response encoder: single spaces, upper-case keywords,
//! strings in the simplest form [`StringKind::choose`] allows.

use std::io::Write as _;

use bytes::Bytes;

use super::{Condition, Continue, Data, Response, StatusText, code, search};
use crate::types::{Flag, NString, StringKind, StringOptions};

/// How responses are encoded for this connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct EncodeOptions {
    /// IMAP4rev2, or UTF8=ACCEPT enabled (RFC 6855): quoted strings may
    /// carry UTF-8 and mailbox names are sent as UTF-8 instead of modified
    /// UTF-7.
    pub utf8: bool,
}

impl EncodeOptions {
    /// Options for a UTF-8 connection (see [`EncodeOptions::utf8`]).
    pub fn utf8() -> Self {
        Self { utf8: true }
    }
}

/// The output buffer and the options in force while encoding.
pub(crate) struct Enc<'a> {
    buf: &'a mut Vec<u8>,
    pub(crate) strings: StringOptions,
    pub(crate) mailbox: crate::types::MailboxEncoding,
}

impl<'a> Enc<'a> {
    pub(crate) fn new(buf: &'a mut Vec<u8>, options: EncodeOptions) -> Self {
        Self {
            buf,
            strings: StringOptions {
                non_sync: crate::types::NonSyncLiterals::None,
                utf8: options.utf8,
            },
            mailbox: if options.utf8 {
                crate::types::MailboxEncoding::Utf8
            } else {
                crate::types::MailboxEncoding::ModifiedUtf7
            },
        }
    }
}

impl std::ops::Deref for Enc<'_> {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        self.buf
    }
}

impl std::ops::DerefMut for Enc<'_> {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        self.buf
    }
}

pub(crate) fn w_num(out: &mut Vec<u8>, n: impl std::fmt::Display) {
    let _ = write!(out, "{n}");
}

pub(crate) fn w_string(out: &mut Enc<'_>, s: &[u8]) {
    StringKind::choose(s, false, out.strings).write(s, out);
}

pub(crate) fn w_astring(out: &mut Enc<'_>, s: &[u8]) {
    StringKind::choose(s, true, out.strings).write(s, out);
}

pub(crate) fn w_nstring(out: &mut Enc<'_>, s: &NString) {
    match &s.0 {
        None => out.extend_from_slice(b"NIL"),
        Some(s) => w_string(out, s.as_bytes()),
    }
}

pub(crate) fn w_literal8(out: &mut Enc<'_>, data: &[u8]) {
    out.extend_from_slice(b"~{");
    w_num(out, data.len());
    out.extend_from_slice(b"}\r\n");
    out.extend_from_slice(data);
}

/// `NIL`, or the bytes as a string (literal8 when they hold NUL).
pub(crate) fn w_nbytes(out: &mut Enc<'_>, data: &Option<Bytes>) {
    match data {
        None => out.extend_from_slice(b"NIL"),
        Some(d) if memchr::memchr(0, d).is_some() => w_literal8(out, d),
        Some(d) => w_string(out, d),
    }
}

pub(crate) fn w_flags(out: &mut Enc<'_>, flags: &[Flag]) {
    out.push(b'(');
    for (i, f) in flags.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        let _ = write!(out, "{f}");
    }
    out.push(b')');
}

pub(crate) fn w_list<T>(out: &mut Enc<'_>, items: &[T], mut f: impl FnMut(&mut Enc<'_>, &T)) {
    out.push(b'(');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        f(out, x);
    }
    out.push(b')');
}

impl StatusText {
    pub(super) fn write(&self, out: &mut Enc<'_>) {
        if let Some(code) = &self.code {
            out.push(b'[');
            code.write(out);
            out.extend_from_slice(b"] ");
        }
        out.extend_from_slice(&self.text.0);
    }
}

impl Response {
    /// Writes the response, CRLF included, in canonical form for an
    /// IMAP4rev1 connection.
    pub fn encode(&self, out: &mut Vec<u8>) {
        self.encode_with(EncodeOptions::default(), out);
    }

    /// Writes the response, CRLF included, in canonical form with these
    /// options.
    pub fn encode_with(&self, options: EncodeOptions, out: &mut Vec<u8>) {
        self.write(&mut Enc::new(out, options));
    }

    pub(super) fn write(&self, out: &mut Enc<'_>) {
        match self {
            Response::Tagged(t) => {
                out.extend_from_slice(t.tag.as_bytes());
                out.extend_from_slice(match t.condition {
                    Condition::Ok => b" OK ",
                    Condition::No => b" NO ",
                    Condition::Bad => b" BAD ",
                });
                t.text.write(out);
            }
            Response::Continue(Continue::Text(t)) => {
                out.extend_from_slice(b"+ ");
                t.write(out);
            }
            Response::Continue(Continue::Base64(b)) => {
                out.extend_from_slice(b"+ ");
                out.extend_from_slice(&b.0);
            }
            Response::Untagged(d) => {
                out.extend_from_slice(b"* ");
                d.write(out);
            }
        }
        out.extend_from_slice(b"\r\n");
    }

    /// The encoded response as a new buffer.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

impl Data {
    pub(super) fn write(&self, out: &mut Enc<'_>) {
        let st = |out: &mut Enc<'_>, kw: &[u8], t: &StatusText| {
            out.extend_from_slice(kw);
            out.push(b' ');
            t.write(out);
        };
        match self {
            Data::Ok(t) => st(out, b"OK", t),
            Data::No(t) => st(out, b"NO", t),
            Data::Bad(t) => st(out, b"BAD", t),
            Data::PreAuth(t) => st(out, b"PREAUTH", t),
            Data::Bye(t) => st(out, b"BYE", t),
            Data::Capability(caps) => {
                out.extend_from_slice(b"CAPABILITY");
                code::write_caps(out, caps);
            }
            Data::Enabled(caps) => {
                out.extend_from_slice(b"ENABLED");
                code::write_caps(out, caps);
            }
            Data::Flags(f) => {
                out.extend_from_slice(b"FLAGS ");
                w_flags(out, f);
            }
            Data::List(l) => {
                out.extend_from_slice(b"LIST ");
                l.write(out);
            }
            Data::Lsub(l) => {
                out.extend_from_slice(b"LSUB ");
                l.write(out);
            }
            Data::Status { mailbox, items } => {
                out.extend_from_slice(b"STATUS ");
                mailbox.write(out);
                out.push(b' ');
                w_list(out, items, |out, i| i.write(out));
            }
            Data::Search { ids, modseq } => {
                out.extend_from_slice(b"SEARCH");
                search::write_numbers(out, ids, *modseq);
            }
            Data::Sort { ids, modseq } => {
                out.extend_from_slice(b"SORT");
                search::write_numbers(out, ids, *modseq);
            }
            Data::Thread(t) => {
                out.extend_from_slice(b"THREAD");
                if !t.is_empty() {
                    out.push(b' ');
                    for th in t {
                        th.write(out);
                    }
                }
            }
            Data::ESearch(e) => {
                out.extend_from_slice(b"ESEARCH");
                e.write(out);
            }
            Data::Exists(n) => {
                w_num(out, n);
                out.extend_from_slice(b" EXISTS");
            }
            Data::Recent(n) => {
                w_num(out, n);
                out.extend_from_slice(b" RECENT");
            }
            Data::Expunge(n) => {
                w_num(out, n);
                out.extend_from_slice(b" EXPUNGE");
            }
            Data::Vanished { earlier, uids } => {
                out.extend_from_slice(b"VANISHED ");
                if *earlier {
                    out.extend_from_slice(b"(EARLIER) ");
                }
                w_num(out, uids);
            }
            Data::Fetch { seq, items } => {
                w_num(out, seq);
                out.extend_from_slice(b" FETCH ");
                w_list(out, items, |out, i| i.write(out));
            }
            Data::Namespace(n) => {
                out.extend_from_slice(b"NAMESPACE ");
                n.write(out);
            }
            Data::Id(params) => {
                out.extend_from_slice(b"ID ");
                if params.is_empty() {
                    out.extend_from_slice(b"NIL");
                } else {
                    w_list(out, params, |out, (k, v)| {
                        w_string(out, k.as_bytes());
                        out.push(b' ');
                        w_nstring(out, v);
                    });
                }
            }
            Data::Quota { root, resources } => {
                out.extend_from_slice(b"QUOTA ");
                w_astring(out, root.as_bytes());
                out.push(b' ');
                w_list(out, resources, |out, r| r.write(out));
            }
            Data::QuotaRoot { mailbox, roots } => {
                out.extend_from_slice(b"QUOTAROOT ");
                mailbox.write(out);
                for r in roots {
                    out.push(b' ');
                    w_astring(out, r.as_bytes());
                }
            }
            Data::Metadata { mailbox, data } => {
                out.extend_from_slice(b"METADATA ");
                mailbox.write(out);
                out.push(b' ');
                data.write(out);
            }
            Data::Other { number, name, rest } => {
                if let Some(n) = number {
                    w_num(out, n);
                    out.push(b' ');
                }
                out.extend_from_slice(name.as_bytes());
                if !rest.is_empty() {
                    out.push(b' ');
                    out.extend_from_slice(rest);
                }
            }
        }
    }
}
