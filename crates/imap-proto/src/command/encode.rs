//! The canonical command encoder. It writes every command one way (keywords
//! upper case, lists in parentheses, single spaces) and picks each string's
//! form (atom, quoted, literal, LITERAL+ / LITERAL-) from its content and the
//! peer's capabilities ([`EncodeOptions`]). The output is a list of
//! [`Fragment`]s: a client sends a [`Fragment::Line`] and, before a
//! synchronizing [`Fragment::Literal`], waits for the server's `+`.

use bytes::Bytes;

use super::search;
use super::{AuthLine, Command, CommandBody, MetadataOption, SaslInitial, SelectParam, Sequence};
use crate::codec::LiteralMode;
use crate::types::{
    AString, Date, DateTime, Flag, IString, LITERAL_MINUS_MAX, NString, NonSyncLiterals,
    StringKind, StringOptions,
};

/// What the server supports that changes how strings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EncodeOptions {
    /// The server advertised LITERAL+ (RFC 7888): every literal may be
    /// non-synchronizing.
    pub literal_plus: bool,
    /// The server advertised LITERAL- (RFC 7888): literals of at most 4096
    /// octets may be non-synchronizing.
    pub literal_minus: bool,
    /// UTF8=ACCEPT is enabled (RFC 6855): UTF-8 may be sent in quoted
    /// strings.
    pub utf8_accept: bool,
}

impl EncodeOptions {
    fn strings(self) -> StringOptions {
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

/// Writes commands into fragments.
#[derive(Debug)]
pub(crate) struct Encoder {
    line: Vec<u8>,
    out: Vec<Fragment>,
    opts: StringOptions,
}

impl Encoder {
    pub(crate) fn new(options: EncodeOptions) -> Self {
        Self {
            line: Vec::new(),
            out: Vec::new(),
            opts: options.strings(),
        }
    }

    pub(crate) fn raw(&mut self, b: &[u8]) -> &mut Self {
        self.line.extend_from_slice(b);
        self
    }

    pub(crate) fn sp(&mut self) -> &mut Self {
        self.raw(b" ")
    }

    pub(crate) fn num(&mut self, n: impl Into<u64>) -> &mut Self {
        let s = n.into().to_string();
        self.raw(s.as_bytes())
    }

    fn kind(&mut self, kind: StringKind, content: &Bytes) {
        match kind {
            StringKind::Atom | StringKind::Quoted => {
                kind.write(content, &mut self.line);
            }
            StringKind::Literal | StringKind::NonSyncLiteral => {
                let mode = if kind == StringKind::Literal {
                    LiteralMode::Sync
                } else {
                    LiteralMode::NonSync
                };
                self.literal(content.clone(), mode, false);
            }
        }
    }

    /// Announces a literal and queues its data.
    pub(crate) fn literal(&mut self, data: Bytes, mode: LiteralMode, binary: bool) {
        if binary {
            self.line.push(b'~');
        }
        let plus = if mode == LiteralMode::NonSync {
            "+"
        } else {
            ""
        };
        let head = format!("{{{}{plus}}}\r\n", data.len());
        self.line.extend_from_slice(head.as_bytes());
        let line = std::mem::take(&mut self.line);
        self.out.push(Fragment::Line(Bytes::from(line)));
        self.out.push(Fragment::Literal { data, mode });
    }

    /// The literal mode the options allow for `len` octets.
    pub(crate) fn literal_mode(&self, len: usize) -> LiteralMode {
        match self.opts.non_sync {
            NonSyncLiterals::Plus => LiteralMode::NonSync,
            NonSyncLiterals::Minus if len <= LITERAL_MINUS_MAX => LiteralMode::NonSync,
            _ => LiteralMode::Sync,
        }
    }

    pub(crate) fn astring(&mut self, s: &AString) -> &mut Self {
        let mut kind = s.kind(self.opts);
        // An atom starting with `]` after a space inside a list reads as a
        // trailing-space quirk before `]` to the lenient cursor; quote it.
        if kind == StringKind::Atom && s.as_bytes().first() == Some(&b']') {
            kind = s.0.kind(self.opts);
        }
        self.kind(kind, &s.0.to_bytes());
        self
    }

    pub(crate) fn string(&mut self, s: &IString) -> &mut Self {
        let kind = s.kind(self.opts);
        self.kind(kind, &s.to_bytes());
        self
    }

    pub(crate) fn nstring(&mut self, s: &NString) -> &mut Self {
        match &s.0 {
            None => self.raw(b"NIL"),
            Some(s) => self.string(s),
        }
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

    pub(crate) fn flag(&mut self, f: &Flag) -> &mut Self {
        let s = f.to_string();
        self.raw(s.as_bytes())
    }

    pub(crate) fn flags(&mut self, flags: &[Flag]) -> &mut Self {
        self.list(flags, |e, f| {
            e.flag(f);
        })
    }

    pub(crate) fn list<T>(&mut self, items: &[T], mut f: impl FnMut(&mut Self, &T)) -> &mut Self {
        self.raw(b"(");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.sp();
            }
            f(self, item);
        }
        self.raw(b")")
    }

    pub(crate) fn seq(&mut self, s: &Sequence) -> &mut Self {
        match s {
            Sequence::Set(s) => {
                let t = s.to_string();
                self.raw(t.as_bytes())
            }
            Sequence::Saved => self.raw(b"$"),
        }
    }

    pub(crate) fn date(&mut self, d: &Date) -> &mut Self {
        d.write(&mut self.line);
        self
    }

    pub(crate) fn date_time(&mut self, d: &DateTime) -> &mut Self {
        d.write(&mut self.line);
        self
    }

    pub(crate) fn finish(mut self) -> Vec<Fragment> {
        self.line.extend_from_slice(b"\r\n");
        let line = std::mem::take(&mut self.line);
        self.out.push(Fragment::Line(Bytes::from(line)));
        self.out
    }
}

/// Encodes a command canonically.
pub fn encode(command: &Command, options: EncodeOptions) -> Vec<Fragment> {
    let mut e = Encoder::new(options);
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

fn mailbox(e: &mut Encoder, m: &AString) {
    e.astring(m);
}

fn write_body(body: &CommandBody, e: &mut Encoder) {
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
pub(crate) fn written(w: impl FnOnce(&mut Encoder)) -> String {
    let mut e = Encoder::new(EncodeOptions::default());
    w(&mut e);
    let frags = e.finish();
    let bytes = to_bytes(&frags);
    String::from_utf8_lossy(&bytes[..bytes.len() - 2]).into_owned()
}
