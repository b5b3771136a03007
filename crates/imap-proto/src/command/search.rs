//! SEARCH keys (RFC 3501 §6.4.4, RFC 9051 §6.4.4) with nesting, OR and NOT,
//! dates, sizes, headers, CONDSTORE's MODSEQ (RFC 7162), OBJECTID's EMAILID /
//! THREADID (RFC 8474), WITHIN's OLDER / YOUNGER (RFC 5032) and SEARCHRES's
//! `$` (RFC 5182); ESEARCH RETURN options (RFC 4731); SORT criteria and
//! THREAD algorithms (RFC 5256).

use super::Sequence;
use crate::encode::Writer;
use crate::parse::{Cursor, PResult, values};
use crate::types::{AString, Atom, Date, Flag};

/// A search key. A list of keys matches when all match.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SearchKey {
    /// `ALL`.
    All,
    /// `ANSWERED`.
    Answered,
    /// `BCC string`.
    Bcc(AString),
    /// `BEFORE date`.
    Before(Date),
    /// `BODY string`.
    Body(AString),
    /// `CC string`.
    Cc(AString),
    /// `DELETED`.
    Deleted,
    /// `DRAFT`.
    Draft,
    /// `FLAGGED`.
    Flagged,
    /// `FROM string`.
    From(AString),
    /// `HEADER field-name string`.
    Header(AString, AString),
    /// `KEYWORD flag`.
    Keyword(Flag),
    /// `LARGER n`.
    Larger(u64),
    /// `NEW` (RFC 3501 only).
    New,
    /// `NOT key`.
    Not(Box<SearchKey>),
    /// `OLD` (RFC 3501 only).
    Old,
    /// `ON date`.
    On(Date),
    /// `OR key key`.
    Or(Box<SearchKey>, Box<SearchKey>),
    /// `RECENT` (RFC 3501 only).
    Recent,
    /// `SEEN`.
    Seen,
    /// `SENTBEFORE date`.
    SentBefore(Date),
    /// `SENTON date`.
    SentOn(Date),
    /// `SENTSINCE date`.
    SentSince(Date),
    /// `SINCE date`.
    Since(Date),
    /// `SMALLER n`.
    Smaller(u64),
    /// `SUBJECT string`.
    Subject(AString),
    /// `TEXT string`.
    Text(AString),
    /// `TO string`.
    To(AString),
    /// `UID set`.
    Uid(Sequence),
    /// `UNANSWERED`.
    Unanswered,
    /// `UNDELETED`.
    Undeleted,
    /// `UNDRAFT`.
    Undraft,
    /// `UNFLAGGED`.
    Unflagged,
    /// `UNKEYWORD flag`.
    Unkeyword(Flag),
    /// `UNSEEN`.
    Unseen,
    /// A message set (or `$`).
    Sequence(Sequence),
    /// `(key key ...)`: all must match; at least one.
    And(Vec<SearchKey>),
    /// `MODSEQ [entry type] n` (RFC 7162).
    ModSeq {
        /// The metadata item and its type (`priv`, `shared`, `all`).
        entry: Option<(AString, Atom)>,
        /// The mod-sequence.
        mod_seq: u64,
    },
    /// `OLDER seconds` (RFC 5032).
    Older(u32),
    /// `YOUNGER seconds` (RFC 5032).
    Younger(u32),
    /// `EMAILID id` (RFC 8474).
    EmailId(Atom),
    /// `THREADID id` (RFC 8474).
    ThreadId(Atom),
    /// `X-GM-RAW query` (Gmail's search syntax).
    XGmRaw(AString),
    /// `X-GM-MSGID id` (Gmail).
    XGmMsgId(u64),
    /// `X-GM-THRID id` (Gmail).
    XGmThrId(u64),
    /// `X-GM-LABELS label` (Gmail).
    XGmLabels(AString),
}

const FLAGS: &[(&[u8], SearchKey)] = &[
    (b"ALL", SearchKey::All),
    (b"ANSWERED", SearchKey::Answered),
    (b"DELETED", SearchKey::Deleted),
    (b"DRAFT", SearchKey::Draft),
    (b"FLAGGED", SearchKey::Flagged),
    (b"NEW", SearchKey::New),
    (b"OLD", SearchKey::Old),
    (b"RECENT", SearchKey::Recent),
    (b"SEEN", SearchKey::Seen),
    (b"UNANSWERED", SearchKey::Unanswered),
    (b"UNDELETED", SearchKey::Undeleted),
    (b"UNDRAFT", SearchKey::Undraft),
    (b"UNFLAGGED", SearchKey::Unflagged),
    (b"UNSEEN", SearchKey::Unseen),
];

type StrKey = fn(AString) -> SearchKey;
const STRINGS: &[(&[u8], StrKey)] = &[
    (b"BCC", SearchKey::Bcc),
    (b"BODY", SearchKey::Body),
    (b"CC", SearchKey::Cc),
    (b"FROM", SearchKey::From),
    (b"SUBJECT", SearchKey::Subject),
    (b"TEXT", SearchKey::Text),
    (b"TO", SearchKey::To),
];

type DateKey = fn(Date) -> SearchKey;
const DATES: &[(&[u8], DateKey)] = &[
    (b"BEFORE", SearchKey::Before),
    (b"ON", SearchKey::On),
    (b"SENTBEFORE", SearchKey::SentBefore),
    (b"SENTON", SearchKey::SentOn),
    (b"SENTSINCE", SearchKey::SentSince),
    (b"SINCE", SearchKey::Since),
];

fn date(c: &mut Cursor<'_>) -> PResult<Date> {
    if c.eat(b'"') {
        let d = Date::parse(c)?;
        c.expect(b'"', "\" closing the date")?;
        Ok(d)
    } else {
        Date::parse(c)
    }
}

fn date_value(d: &Date) -> Date {
    *d
}

impl SearchKey {
    /// Reads one key (nested keys recurse up to the depth limit).
    pub fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        match c.peek() {
            Some(b'(') => {
                c.enter()?;
                let keys = c.list(Self::parse)?;
                c.leave();
                if keys.is_empty() {
                    return Err(c.error("at least one search key"));
                }
                return Ok(Self::And(keys));
            }
            Some(b'0'..=b'9' | b'*' | b'$') => return Ok(Self::Sequence(Sequence::parse(c)?)),
            _ => {}
        }
        for (name, key) in FLAGS {
            if c.eat_keyword(name) {
                return Ok(key.clone());
            }
        }
        for (name, key) in STRINGS {
            if c.eat_keyword(name) {
                c.sp()?;
                return Ok(key(c.astring()?));
            }
        }
        for (name, key) in DATES {
            if c.eat_keyword(name) {
                c.sp()?;
                return Ok(key(date(c)?));
            }
        }
        if c.eat_keyword(b"HEADER") {
            c.sp()?;
            let field = c.astring()?;
            c.sp()?;
            return Ok(Self::Header(field, c.astring()?));
        }
        if c.eat_keyword(b"KEYWORD") {
            c.sp()?;
            return Ok(Self::Keyword(values::flag(c)?));
        }
        if c.eat_keyword(b"UNKEYWORD") {
            c.sp()?;
            return Ok(Self::Unkeyword(values::flag(c)?));
        }
        if c.eat_keyword(b"LARGER") {
            c.sp()?;
            return Ok(Self::Larger(c.number64()?));
        }
        if c.eat_keyword(b"SMALLER") {
            c.sp()?;
            return Ok(Self::Smaller(c.number64()?));
        }
        if c.eat_keyword(b"UID") {
            c.sp()?;
            return Ok(Self::Uid(Sequence::parse(c)?));
        }
        if c.eat_keyword(b"NOT") {
            c.sp()?;
            c.enter()?;
            let k = Self::parse(c)?;
            c.leave();
            return Ok(Self::Not(Box::new(k)));
        }
        if c.eat_keyword(b"OR") {
            c.sp()?;
            c.enter()?;
            let a = Self::parse(c)?;
            c.sp()?;
            let b = Self::parse(c)?;
            c.leave();
            return Ok(Self::Or(Box::new(a), Box::new(b)));
        }
        if c.eat_keyword(b"MODSEQ") {
            c.sp()?;
            let entry = if c.peek() == Some(b'"') || c.at_literal() {
                let name = AString(c.string()?);
                c.sp()?;
                let t = c.atom()?;
                let t = Atom::new(t).map_err(|_| c.error("priv, shared or all"))?;
                c.sp()?;
                Some((name, t))
            } else {
                None
            };
            return Ok(Self::ModSeq {
                entry,
                mod_seq: c.number64()?,
            });
        }
        if c.eat_keyword(b"OLDER") {
            c.sp()?;
            return Ok(Self::Older(c.nz_number()?));
        }
        if c.eat_keyword(b"YOUNGER") {
            c.sp()?;
            return Ok(Self::Younger(c.nz_number()?));
        }
        if c.eat_keyword(b"X-GM-RAW") {
            c.sp()?;
            return Ok(Self::XGmRaw(c.astring()?));
        }
        if c.eat_keyword(b"X-GM-MSGID") {
            c.sp()?;
            return Ok(Self::XGmMsgId(c.number64()?));
        }
        if c.eat_keyword(b"X-GM-THRID") {
            c.sp()?;
            return Ok(Self::XGmThrId(c.number64()?));
        }
        if c.eat_keyword(b"X-GM-LABELS") {
            c.sp()?;
            return Ok(Self::XGmLabels(c.astring()?));
        }
        if c.eat_keyword(b"EMAILID") {
            c.sp()?;
            return Ok(Self::EmailId(values::atom(c)?));
        }
        if c.eat_keyword(b"THREADID") {
            c.sp()?;
            return Ok(Self::ThreadId(values::atom(c)?));
        }
        Err(c.error("a search key"))
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        use SearchKey as K;
        if let Some((n, _)) = FLAGS.iter().find(|(_, k)| k == self) {
            e.raw(n);
            return;
        }
        let named_str = |e: &mut Writer<'_>, n: &[u8], s: &AString| {
            e.raw(n).sp().astring(s);
        };
        let named_date = |e: &mut Writer<'_>, n: &[u8], d: &Date| {
            e.raw(n).sp().date(&date_value(d));
        };
        match self {
            K::Bcc(s) => named_str(e, b"BCC", s),
            K::Body(s) => named_str(e, b"BODY", s),
            K::Cc(s) => named_str(e, b"CC", s),
            K::From(s) => named_str(e, b"FROM", s),
            K::Subject(s) => named_str(e, b"SUBJECT", s),
            K::Text(s) => named_str(e, b"TEXT", s),
            K::To(s) => named_str(e, b"TO", s),
            K::Before(d) => named_date(e, b"BEFORE", d),
            K::On(d) => named_date(e, b"ON", d),
            K::SentBefore(d) => named_date(e, b"SENTBEFORE", d),
            K::SentOn(d) => named_date(e, b"SENTON", d),
            K::SentSince(d) => named_date(e, b"SENTSINCE", d),
            K::Since(d) => named_date(e, b"SINCE", d),
            K::Header(f, v) => {
                e.raw(b"HEADER ").astring(f).sp().astring(v);
            }
            K::Keyword(f) => {
                e.raw(b"KEYWORD ").flag(f);
            }
            K::Unkeyword(f) => {
                e.raw(b"UNKEYWORD ").flag(f);
            }
            K::Larger(n) => {
                e.raw(b"LARGER ").num(*n);
            }
            K::Smaller(n) => {
                e.raw(b"SMALLER ").num(*n);
            }
            K::Uid(s) => {
                e.raw(b"UID ").seq(s);
            }
            K::Sequence(s) => {
                e.seq(s);
            }
            K::Not(k) => {
                e.raw(b"NOT ");
                k.write(e);
            }
            K::Or(a, b) => {
                e.raw(b"OR ");
                a.write(e);
                e.sp();
                b.write(e);
            }
            K::And(keys) => {
                e.list(keys, |e, k| k.write(e));
            }
            K::ModSeq { entry, mod_seq } => {
                e.raw(b"MODSEQ ");
                if let Some((name, t)) = entry {
                    e.string(&name.0).sp().raw(t.as_bytes()).sp();
                }
                e.num(*mod_seq);
            }
            K::Older(n) => {
                e.raw(b"OLDER ").num(*n);
            }
            K::Younger(n) => {
                e.raw(b"YOUNGER ").num(*n);
            }
            K::EmailId(a) => {
                e.raw(b"EMAILID ").raw(a.as_bytes());
            }
            K::ThreadId(a) => {
                e.raw(b"THREADID ").raw(a.as_bytes());
            }
            K::XGmRaw(s) => named_str(e, b"X-GM-RAW", s),
            K::XGmLabels(s) => named_str(e, b"X-GM-LABELS", s),
            K::XGmMsgId(n) => {
                e.raw(b"X-GM-MSGID ").num(*n);
            }
            K::XGmThrId(n) => {
                e.raw(b"X-GM-THRID ").num(*n);
            }
            _ => {}
        }
    }
}

/// Keys separated by spaces up to the line end: at least one.
pub(crate) fn keys(c: &mut Cursor<'_>) -> PResult<Vec<SearchKey>> {
    let mut out = vec![SearchKey::parse(c)?];
    while !c.at_line_end() {
        if out.len() >= c.limits().max_items {
            return Err(c.error("fewer search keys"));
        }
        c.sp()?;
        out.push(SearchKey::parse(c)?);
    }
    Ok(out)
}

pub(crate) fn write_keys(keys: &[SearchKey], e: &mut Writer<'_>) {
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            e.sp();
        }
        k.write(e);
    }
}

/// An ESEARCH return option (RFC 4731, RFC 5182 SAVE).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SearchReturn {
    /// `MIN`.
    Min,
    /// `MAX`.
    Max,
    /// `ALL`.
    All,
    /// `COUNT`.
    Count,
    /// `SAVE` (SEARCHRES).
    Save,
    /// Another option (no arguments), kept as sent.
    Other(Atom),
}

impl SearchReturn {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let a = values::atom(c)?;
        let b = a.as_bytes().to_ascii_uppercase();
        Ok(match &b[..] {
            b"MIN" => Self::Min,
            b"MAX" => Self::Max,
            b"ALL" => Self::All,
            b"COUNT" => Self::Count,
            b"SAVE" => Self::Save,
            _ => Self::Other(a),
        })
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        let s: &[u8] = match self {
            Self::Min => b"MIN",
            Self::Max => b"MAX",
            Self::All => b"ALL",
            Self::Count => b"COUNT",
            Self::Save => b"SAVE",
            Self::Other(a) => a.as_bytes(),
        };
        e.raw(s);
    }
}

/// A SORT key (RFC 5256, RFC 5957 DISPLAY).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// `ARRIVAL`.
    Arrival,
    /// `CC`.
    Cc,
    /// `DATE`.
    Date,
    /// `FROM`.
    From,
    /// `SIZE`.
    Size,
    /// `SUBJECT`.
    Subject,
    /// `TO`.
    To,
    /// `DISPLAYFROM` (RFC 5957).
    DisplayFrom,
    /// `DISPLAYTO` (RFC 5957).
    DisplayTo,
    /// Another key, kept as sent.
    Other(Atom),
}

/// A SORT criterion: a key, maybe reversed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SortCriterion {
    /// `REVERSE`.
    pub reverse: bool,
    /// The key.
    pub key: SortKey,
}

const SORT_KEYS: &[(&[u8], SortKey)] = &[
    (b"ARRIVAL", SortKey::Arrival),
    (b"CC", SortKey::Cc),
    (b"DATE", SortKey::Date),
    (b"FROM", SortKey::From),
    (b"SIZE", SortKey::Size),
    (b"SUBJECT", SortKey::Subject),
    (b"TO", SortKey::To),
    (b"DISPLAYFROM", SortKey::DisplayFrom),
    (b"DISPLAYTO", SortKey::DisplayTo),
];

impl SortCriterion {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let reverse = c.eat_keyword(b"REVERSE");
        if reverse {
            c.sp()?;
        }
        let a = values::atom(c)?;
        let up = a.as_bytes().to_ascii_uppercase();
        let key = SORT_KEYS
            .iter()
            .find(|(n, _)| *n == &up[..])
            .map_or(SortKey::Other(a), |(_, k)| k.clone());
        Ok(Self { reverse, key })
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        if self.reverse {
            e.raw(b"REVERSE ");
        }
        match &self.key {
            SortKey::Other(a) => {
                e.raw(a.as_bytes());
            }
            k => {
                let n = SORT_KEYS
                    .iter()
                    .find(|(_, x)| x == k)
                    .map_or(&b""[..], |(n, _)| n);
                e.raw(n);
            }
        }
    }
}

/// A THREAD algorithm (RFC 5256).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThreadAlgorithm {
    /// `ORDEREDSUBJECT`.
    OrderedSubject,
    /// `REFERENCES`.
    References,
    /// Another algorithm (`REFS`, ...), kept as sent.
    Other(Atom),
}

impl ThreadAlgorithm {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let a = values::atom(c)?;
        Ok(if a.eq_ignore_ascii_case(b"ORDEREDSUBJECT") {
            Self::OrderedSubject
        } else if a.eq_ignore_ascii_case(b"REFERENCES") {
            Self::References
        } else {
            Self::Other(a)
        })
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        let s: &[u8] = match self {
            Self::OrderedSubject => b"ORDEREDSUBJECT",
            Self::References => b"REFERENCES",
            Self::Other(a) => a.as_bytes(),
        };
        e.raw(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::encode::written;
    use crate::parse::read_all;

    #[test]
    fn keys_table() {
        // (input, canonical)
        let cases: &[(&str, &str)] = &[
            ("all", "ALL"),
            ("1:3,5", "1:3,5"),
            ("$", "$"),
            ("uid $", "UID $"),
            ("not seen", "NOT SEEN"),
            ("or (seen flagged) not draft", "OR (SEEN FLAGGED) NOT DRAFT"),
            ("since \"1-Feb-1994\"", "SINCE 1-Feb-1994"),
            ("sentbefore 01-jan-2000", "SENTBEFORE 1-Jan-2000"),
            ("header \"X-Y\" \"\"", "HEADER X-Y \"\""),
            ("keyword $Junk", "KEYWORD $Junk"),
            ("larger 4294967296", "LARGER 4294967296"),
            ("modseq 5", "MODSEQ 5"),
            ("older 60", "OLDER 60"),
            ("x-gm-raw \"in:inbox\"", "X-GM-RAW in:inbox"),
            ("subject {3}\r\na b", "SUBJECT \"a b\""),
        ];
        for (input, canonical) in cases {
            let k = read_all(input, SearchKey::parse).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(written(|e| k.write(e)), *canonical);
            assert_eq!(read_all(canonical, SearchKey::parse).unwrap(), k);
        }
        for bad in [
            "",
            "()",
            "nosuchkey",
            "not",
            "or seen",
            "since 30-Feb-2000",
            "larger -1",
            "uid 0",
            "older 0",
            "(all",
        ] {
            assert!(read_all(bad, SearchKey::parse).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sort_and_returns() {
        let c = read_all("reverse arrival", SortCriterion::parse).unwrap();
        assert_eq!(c.key, SortKey::Arrival);
        assert_eq!(written(|e| c.write(e)), "REVERSE ARRIVAL");
        let r = read_all("x-partial", SearchReturn::parse).unwrap();
        assert!(matches!(r, SearchReturn::Other(_)));
        assert_eq!(
            read_all("refs", ThreadAlgorithm::parse).unwrap(),
            ThreadAlgorithm::Other(Atom::try_from("refs").unwrap())
        );
    }
}
