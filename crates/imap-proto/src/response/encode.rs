//! The canonical response encoder: single spaces, upper-case keywords,
//! strings in the simplest form [`StringKind::choose`] allows.

use bytes::Bytes;

use super::{Condition, Continue, Data, Response, StatusText, code, search};
use crate::codec::LiteralMode;
pub use crate::encode::EncodeOptions;
use crate::encode::{Writer, write_num};

/// Response-only words of the shared [`Writer`].
impl Writer<'_> {
    /// A literal8 (`~{n}`, RFC 3516): data that may hold NUL.
    pub(crate) fn literal8(&mut self, data: &[u8]) {
        self.literal_bytes(data, LiteralMode::Sync, true);
    }

    /// `NIL`, or the bytes as a string (literal8 when they hold NUL).
    pub(crate) fn nbytes(&mut self, data: &Option<Bytes>) {
        match data {
            None => self.extend_from_slice(b"NIL"),
            Some(d) if memchr::memchr(0, d).is_some() => self.literal8(d),
            Some(d) => self.string_bytes(d),
        }
    }
}

impl StatusText {
    pub(super) fn write(&self, out: &mut Writer<'_>) {
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
        self.write(&mut Writer::new(out, options));
    }

    pub(super) fn write(&self, out: &mut Writer<'_>) {
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
    pub(super) fn write(&self, out: &mut Writer<'_>) {
        let st = |out: &mut Writer<'_>, kw: &[u8], t: &StatusText| {
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
                out.flags(f);
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
                out.list(items, |out, i| i.write(out));
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
                write_num(out, n);
                out.extend_from_slice(b" EXISTS");
            }
            Data::Recent(n) => {
                write_num(out, n);
                out.extend_from_slice(b" RECENT");
            }
            Data::Expunge(n) => {
                write_num(out, n);
                out.extend_from_slice(b" EXPUNGE");
            }
            Data::Vanished { earlier, uids } => {
                out.extend_from_slice(b"VANISHED ");
                if *earlier {
                    out.extend_from_slice(b"(EARLIER) ");
                }
                write_num(out, uids);
            }
            Data::Fetch { seq, items } => {
                write_num(out, seq);
                out.extend_from_slice(b" FETCH ");
                out.list(items, |out, i| i.write(out));
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
                    out.list(params, |out, (k, v)| {
                        out.string_bytes(k.as_bytes());
                        out.push(b' ');
                        out.nstring(v);
                    });
                }
            }
            Data::Quota { root, resources } => {
                out.extend_from_slice(b"QUOTA ");
                out.astring_bytes(root.as_bytes());
                out.push(b' ');
                out.list(resources, |out, r| r.write(out));
            }
            Data::QuotaRoot { mailbox, roots } => {
                out.extend_from_slice(b"QUOTAROOT ");
                mailbox.write(out);
                for r in roots {
                    out.push(b' ');
                    out.astring_bytes(r.as_bytes());
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
                    write_num(out, n);
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
