//! The canonical command encoder. It writes every command one way (keywords
//! upper case, lists in parentheses, single spaces) and picks each string's
//! form (atom, quoted, literal, LITERAL+ / LITERAL-) from its content and the
//! peer's capabilities ([`EncodeOptions`]). The output is a list of
//! [`Fragment`]s: a client sends a [`Fragment::Line`] and, before a
//! synchronizing [`Fragment::Literal`], waits for the server's `+`.

use bytes::Bytes;

use super::search;
use super::{AuthLine, Command, CommandBody, MetadataOption, SaslInitial, SelectParam, Sequence};
use crate::encode::Writer;
pub use crate::encode::{EncodeOptions, Fragment};
use crate::types::{AString, Date, DateTime, IString, StringKind};

/// Command-only words of the shared [`Writer`].
impl Writer<'_> {
    /// An `astring` (an atom when possible). An atom starting with `]`
    /// after a space inside a list reads as a trailing-space quirk before
    /// `]` to the lenient cursor, so such a value is quoted instead.
    pub(crate) fn astring(&mut self, s: &AString) -> &mut Self {
        let mut kind = s.kind(self.strings);
        if kind == StringKind::Atom && s.as_bytes().first() == Some(&b']') {
            kind = s.0.kind(self.strings);
        }
        self.put(kind, s.as_bytes(), || s.0.to_bytes());
        self
    }

    /// A string that may be an atom when `atom_ok` says every octet allows it.
    pub(crate) fn string_or_atom(&mut self, s: &IString, atom_ok: fn(u8) -> bool) -> &mut Self {
        let b = s.as_bytes();
        if !b.is_empty()
            && b[0] != b']'
            && !b.eq_ignore_ascii_case(b"NIL")
            && b.iter().all(|&c| atom_ok(c))
        {
            self.raw(b)
        } else {
            self.string(s)
        }
    }

    /// A sequence set or `$`.
    pub(crate) fn seq(&mut self, s: &Sequence) -> &mut Self {
        match s {
            Sequence::Set(s) => self.num(s),
            Sequence::Saved => self.raw(b"$"),
        }
    }

    /// A date (`d-Mon-yyyy`).
    pub(crate) fn date(&mut self, d: &Date) -> &mut Self {
        d.write(self);
        self
    }

    /// A date and time (`"dd-Mon-yyyy hh:mm:ss +zzzz"`).
    pub(crate) fn date_time(&mut self, d: &DateTime) -> &mut Self {
        d.write(self);
        self
    }
}

/// Encodes a command canonically.
pub fn encode(command: &Command, options: EncodeOptions) -> Vec<Fragment> {
    let mut line = Vec::new();
    let mut e = Writer::fragments(&mut line, options);
    e.raw(command.tag.as_bytes()).sp();
    write_body(&command.body, &mut e);
    e.finish()
}

/// Encodes an AUTHENTICATE data line.
pub fn encode_auth_line(line: &AuthLine) -> Bytes {
    let mut out = match line {
        AuthLine::Data(d) => d.expose().to_vec(),
        AuthLine::Cancel => b"*".to_vec(),
    };
    out.extend_from_slice(b"\r\n");
    Bytes::from(out)
}

/// The line that ends IDLE.
pub fn encode_done() -> Bytes {
    Bytes::from_static(b"DONE\r\n")
}

/// Joins fragments into the octets a peer receives (for tests, logs and
/// servers that do not wait).
pub fn to_bytes(fragments: &[Fragment]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in fragments {
        match f {
            Fragment::Line(b) | Fragment::Literal { data: b, .. } => out.extend_from_slice(b),
        }
    }
    out
}

fn mailbox(e: &mut Writer<'_>, m: &AString) {
    e.astring(m);
}

fn write_body(body: &CommandBody, e: &mut Writer<'_>) {
    use CommandBody as C;
    e.raw(body.name().as_bytes());
    match body {
        C::Capability
        | C::Noop
        | C::Logout
        | C::StartTls
        | C::Namespace
        | C::Idle
        | C::Check
        | C::Close
        | C::Unselect
        | C::Expunge => {}
        C::Authenticate { mechanism, initial } => {
            e.sp().raw(mechanism.as_bytes());
            match initial {
                None => {}
                Some(SaslInitial::Empty) => {
                    e.raw(b" =");
                }
                Some(SaslInitial::Data(d)) => {
                    e.sp().raw(d.expose().as_bytes());
                }
            }
        }
        C::Login { username, password } => {
            e.sp().astring(username).sp().astring(password.expose());
        }
        C::Enable(caps) => {
            for cap in caps {
                e.sp().raw(cap.as_bytes());
            }
        }
        C::Select { mailbox: m, params } | C::Examine { mailbox: m, params } => {
            e.sp();
            mailbox(e, m);
            if !params.is_empty() {
                e.sp().list(params, |e, p| match p {
                    SelectParam::Condstore => {
                        e.raw(b"CONDSTORE");
                    }
                    SelectParam::Qresync {
                        uid_validity,
                        mod_seq,
                        known_uids,
                        seq_match,
                    } => {
                        e.raw(b"QRESYNC (").num(*uid_validity).sp().num(*mod_seq);
                        if let Some(k) = known_uids {
                            e.sp().raw(k.to_string().as_bytes());
                        }
                        if let Some((a, b)) = seq_match {
                            e.raw(b" (")
                                .raw(a.to_string().as_bytes())
                                .sp()
                                .raw(b.to_string().as_bytes())
                                .raw(b")");
                        }
                        e.raw(b")");
                    }
                    SelectParam::Other { name, value } => {
                        e.raw(name.as_bytes());
                        if let Some(v) = value {
                            e.sp().raw(v.as_bytes());
                        }
                    }
                });
            }
        }
        C::Create {
            mailbox: m,
            special_use,
        } => {
            e.sp();
            mailbox(e, m);
            if let Some(f) = special_use {
                e.raw(b" (USE ").flags(f).raw(b")");
            }
        }
        C::Delete(m) | C::Subscribe(m) | C::Unsubscribe(m) | C::GetQuotaRoot(m) => {
            e.sp();
            mailbox(e, m);
        }
        C::GetQuota(r) => {
            e.sp().astring(r);
        }
        C::Rename { from, to } => {
            e.sp().astring(from).sp().astring(to);
        }
        C::List {
            selection,
            reference,
            patterns,
            returns,
        } => {
            e.sp();
            if let Some(s) = selection {
                e.list(s, |e, s| s.write(e)).sp();
            }
            e.astring(reference).sp();
            if patterns.len() == 1 {
                patterns[0].write(e);
            } else {
                e.list(patterns, |e, p| p.write(e));
            }
            if let Some(r) = returns {
                e.raw(b" RETURN ").list(r, |e, r| r.write(e));
            }
        }
        C::Lsub { reference, pattern } => {
            e.sp().astring(reference).sp();
            pattern.write(e);
        }
        C::Status { mailbox: m, items } => {
            e.sp();
            mailbox(e, m);
            e.sp().list(items, |e, i| i.write(e));
        }
        C::Append {
            mailbox: m,
            messages,
        } => {
            e.sp();
            mailbox(e, m);
            for msg in messages {
                e.sp();
                msg.write(e);
            }
        }
        C::UidExpunge(s) => {
            e.sp().seq(s);
        }
        C::Search {
            returns,
            charset,
            criteria,
            ..
        } => {
            e.sp();
            if let Some(r) = returns {
                e.raw(b"RETURN ").list(r, |e, r| r.write(e)).sp();
            }
            if let Some(cs) = charset {
                e.raw(b"CHARSET ").astring(cs).sp();
            }
            search::write_keys(criteria, e);
        }
        C::Fetch {
            set,
            items,
            modifiers,
            ..
        } => {
            e.sp().seq(set).sp();
            items.write(e);
            if !modifiers.is_empty() {
                e.sp().list(modifiers, |e, m| m.write(e));
            }
        }
        C::Store {
            set,
            unchanged_since,
            flags,
            ..
        } => {
            e.sp().seq(set).sp();
            if let Some(n) = unchanged_since {
                e.raw(b"(UNCHANGEDSINCE ").num(*n).raw(b") ");
            }
            flags.write(e);
        }
        C::Copy {
            set, mailbox: m, ..
        }
        | C::Move {
            set, mailbox: m, ..
        } => {
            e.sp().seq(set).sp();
            mailbox(e, m);
        }
        C::Sort {
            returns,
            criteria,
            charset,
            search: keys,
            ..
        } => {
            e.sp();
            if let Some(r) = returns {
                e.raw(b"RETURN ").list(r, |e, r| r.write(e)).sp();
            }
            e.list(criteria, |e, c| c.write(e))
                .sp()
                .astring(charset)
                .sp();
            search::write_keys(keys, e);
        }
        C::Thread {
            algorithm,
            charset,
            search: keys,
            ..
        } => {
            e.sp();
            algorithm.write(e);
            e.sp().astring(charset).sp();
            search::write_keys(keys, e);
        }
        C::SetQuota { root, limits } => {
            e.sp().astring(root).sp().list(limits, |e, (n, l)| {
                e.raw(n.as_bytes()).sp().num(*l);
            });
        }
        C::GetMetadata {
            options,
            mailbox: m,
            entries,
        } => {
            e.sp();
            if !options.is_empty() {
                e.list(options, |e, o| match o {
                    MetadataOption::MaxSize(n) => {
                        e.raw(b"MAXSIZE ").num(*n);
                    }
                    MetadataOption::Depth(None) => {
                        e.raw(b"DEPTH infinity");
                    }
                    MetadataOption::Depth(Some(d)) => {
                        e.raw(b"DEPTH ").num(*d);
                    }
                })
                .sp();
            }
            mailbox(e, m);
            e.sp();
            if entries.len() == 1 {
                e.astring(&entries[0]);
            } else {
                e.list(entries, |e, a| {
                    e.astring(a);
                });
            }
        }
        C::SetMetadata {
            mailbox: m,
            entries,
        } => {
            e.sp();
            mailbox(e, m);
            e.sp().list(entries, |e, (k, v)| {
                e.astring(k).sp().nstring(v);
            });
        }
        C::Id(None) => {
            e.raw(b" NIL");
        }
        C::Id(Some(fields)) => {
            e.sp().list(fields, |e, (k, v): &(IString, _)| {
                e.string(k).sp().nstring(v);
            });
        }
        C::Compress(m) => {
            e.sp().raw(m.as_bytes());
        }
        C::Other { args, .. } => {
            if let Some(a) = args {
                e.sp().raw(a.as_bytes());
            }
        }
    }
}

/// Test helper: the octets `w` writes.
#[cfg(test)]
pub(crate) fn written(w: impl FnOnce(&mut Writer<'_>)) -> String {
    let mut line = Vec::new();
    let mut e = Writer::fragments(&mut line, EncodeOptions::default());
    w(&mut e);
    let frags = e.finish();
    let bytes = to_bytes(&frags);
    String::from_utf8_lossy(&bytes[..bytes.len() - 2]).into_owned()
}
