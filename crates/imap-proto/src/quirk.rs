//! Every deviation from the grammar that the decoders accept: one closed
//! list, each with the servers known to send it and what strict decoding
//! does with it.
//!
//! In lenient decoding (the default) a parser that meets one of these
//! records it and reads on; the decoders hand the recorded quirks out
//! with each message (`ResponseEvent::Response { quirks, .. }`,
//! `CommandDecoder::quirks`). In strict decoding
//! ([`Strictness::Strict`](crate::parse::Strictness::Strict)) every quirk
//! is a syntax error at the octet where it was met: strict mode accepts
//! only the ABNF of RFC 3501 / RFC 9051 and the extensions.
//!
//! Each quirk has a stable [`name`](Quirk::name) (kebab-case, used by the
//! test fixtures and by `mailctl inspect imap --json`) that
//! [`FromStr`](std::str::FromStr) reads back, and a one-line
//! [`description`](Quirk::description) that `Display` prints.

use std::fmt;
use std::str::FromStr;

/// A deviation from the grammar that real peers commit and that is
/// accepted (and recorded) unless decoding is strict; strict decoding
/// refuses each of them as a syntax error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Quirk {
    /// More than one space between items, or a space before `)`, `]` or
    /// CRLF (Exchange and others after STATUS and SEARCH, DavMail's two
    /// spaces after `*`, Yahoo inside an address, go-imap#633's
    /// `PERMANENTFLAGS ( \*)`). Read as one space, or none.
    ExtraSpace,
    /// A line ended with LF alone. Accepted only where the framer was
    /// told to allow bare LF.
    BareLf,
    /// `NIL` where a string is required (maddy and iCloud for a transfer
    /// encoding, mail.ru for a parameter value): read as the empty string.
    NilAsString,
    /// 8-bit octets in a quoted string without UTF8=ACCEPT in force
    /// (RFC 3501 §9 `QUOTED-CHAR` is 7-bit): kept as received.
    EightBitQuoted,
    /// A literal8 (`~{n}`, RFC 3516) where a string is expected: read as
    /// the string when it holds no NUL.
    Literal8AsString,
    /// A `"` inside a quoted string, not escaped (qq.com in a message id,
    /// jakartaee/mail-api#669; Gmail in an address; MailKit#485 in a
    /// media type): read as content when what follows it cannot follow a
    /// string (anything but a space, `)`, `]` or the line's end).
    UnescapedQuote,
    /// `[CODE]` not followed by a space and text, or a status with no
    /// text at all (Gmail's `* OK [HIGHESTMODSEQ n]`, iCloud's `* BYE`).
    MissingText,
    /// A continuation request `+` without the space and text
    /// (public-inbox).
    BareContinuation,
    /// `\*` in a FLAGS response or FETCH FLAGS; only PERMANENTFLAGS may
    /// hold it (Zoho, djc/imap-proto#91).
    WildcardInFlags,
    /// A keyword with an octet no keyword may hold (`%`, `{`, `*`, a
    /// `\`-flag with `]`...): it cannot be a [`Flag`](crate::types::Flag),
    /// so it is dropped.
    InvalidKeyword,
    /// A flag sent as a quoted string (`"\\Deleted"`, InterMail,
    /// MailKit#771): read as the flag it holds (written back as an atom).
    QuotedFlag,
    /// A lone `\` in a LIST attribute list (Dovecot, libetpan#403):
    /// dropped.
    EmptyAttribute,
    /// A keyword containing `]`, which is no atom (RFC 3501 §9
    /// `flag-keyword`; Gmail's `OIB-Seen-[Gmail]/Trash`): kept as
    /// received in a [`Keyword`](crate::types::Keyword).
    BracketInKeyword,
    /// A negative size or line count in a body structure (Dovecot's `-1`
    /// line count): read as 0.
    NegativeNumber,
    /// A body structure's size or line count at or above 2^32 (the
    /// grammar's `number` has 32 bits; huge parts need more): kept as is.
    LargeBodyNumber,
    /// A body structure's size or line count in exponent notation, as
    /// C's `%g` writes it (`9.3736e+06`, mail.ru, MailKit#1838): read as
    /// the integer it rounds to (the server's value is already rounded).
    ExponentNumber,
    /// A `text/*` body part without its size in lines: read as 0.
    MissingLines,
    /// A bare string where a body disposition `(type params)` belongs
    /// (Exchange, MailKit#919 and javamail#278).
    BareDisposition,
    /// Spaces between the addresses of an envelope address list.
    SpacedAddresses,
    /// `message/rfc822` without envelope, body and lines: read as a basic
    /// part. `message/global` without them is no quirk: RFC 3501's
    /// grammar makes it a basic part.
    MessageWithoutEnvelope,
    /// `NIL` for the envelope of a message/rfc822 or message/global part.
    NilEnvelope,
    /// `NIL` or `()` for the body structure of a message/rfc822 or
    /// message/global part (Domino 10, MailKit#944).
    NilBody,
    /// A multipart body with no parts: `("mixed")`, or Gmail's
    /// `("RELATED" NIL ("ATTACHMENT" NIL) NIL)` (MailKit#371).
    EmptyMultipart,
    /// A LIST mailbox name neither quoted nor an atom, to the end of the
    /// line (Exchange: tabs in a name, MailKit#945).
    UnquotedName,
    /// An envelope of nine fields, the message id missing (qq.com for
    /// messages without a `Message-ID:`; MailKit#279, #669), or of eight,
    /// the in-reply-to missing too (a GBK provider, MailKit#932): read as
    /// NIL.
    MissingMessageId,
    /// An INTERNALDATE whose value is a string (quoted or literal) but no
    /// date: Domino's `"00-Jan-0000 00:00:00 +0000"` (the grammar's shape,
    /// no calendar day) for a message without a date (MailKit#1236). Kept
    /// raw, as [`FetchItem::Other`](crate::response::FetchItem::Other).
    InvalidDate,
    /// FETCH items wrapped in a second pair of parentheses, `(UID 14935
    /// (ENVELOPE (...)) BODYSTRUCTURE (...))` (Domino 10, MailKit#943):
    /// read as if not wrapped.
    WrappedItems,
    /// A FETCH item right after a literal whose data ends in CRLF, with no
    /// space between (Exchange, mailio#135, HaskellNet#15).
    NoSpaceAfterLiteral,
    /// A line that is a response code alone, `[COPYUID 124 10 233]`, with
    /// no `* OK` before it (Exchange 2013 after UID MOVE; ruby/net-imap#250,
    /// MailKit#115): read as that untagged `OK`.
    BareCode,
    /// `()` where the grammar wants at least one item or `NIL` (body
    /// parameters and locations, envelope address lists, namespaces;
    /// Mail.ru and hydroxide, Office 365).
    EmptyList,
    /// Text with octets that are neither ASCII nor UTF-8.
    EightBitText,
    /// A known response code whose arguments do not follow its grammar
    /// (`[UIDNEXT x]`, Microsoft 365's `[Error="..." ...]`, net-imap#597):
    /// kept as [`Code::Other`](crate::response::Code::Other).
    MalformedCode,
    /// `BADCHARSET charset` without the parentheses (an RFC 9051
    /// example).
    BareCharset,
    /// `""` as a hierarchy delimiter: read as NIL, a flat namespace.
    EmptyDelimiter,
    /// A LIST attribute without the leading `\`.
    AttributeWithoutBackslash,
}

impl Quirk {
    /// Every quirk, in declaration order.
    pub const ALL: [Quirk; 35] = [
        Quirk::ExtraSpace,
        Quirk::BareLf,
        Quirk::NilAsString,
        Quirk::EightBitQuoted,
        Quirk::Literal8AsString,
        Quirk::UnescapedQuote,
        Quirk::MissingText,
        Quirk::BareContinuation,
        Quirk::WildcardInFlags,
        Quirk::InvalidKeyword,
        Quirk::QuotedFlag,
        Quirk::EmptyAttribute,
        Quirk::BracketInKeyword,
        Quirk::NegativeNumber,
        Quirk::LargeBodyNumber,
        Quirk::ExponentNumber,
        Quirk::MissingLines,
        Quirk::BareDisposition,
        Quirk::SpacedAddresses,
        Quirk::MessageWithoutEnvelope,
        Quirk::NilEnvelope,
        Quirk::NilBody,
        Quirk::EmptyMultipart,
        Quirk::UnquotedName,
        Quirk::MissingMessageId,
        Quirk::InvalidDate,
        Quirk::WrappedItems,
        Quirk::NoSpaceAfterLiteral,
        Quirk::BareCode,
        Quirk::EmptyList,
        Quirk::EightBitText,
        Quirk::MalformedCode,
        Quirk::BareCharset,
        Quirk::EmptyDelimiter,
        Quirk::AttributeWithoutBackslash,
    ];

    /// The stable kebab-case name: what test fixtures and
    /// `mailctl inspect imap --json` write, and what
    /// [`FromStr`](std::str::FromStr) reads.
    pub const fn name(self) -> &'static str {
        match self {
            Quirk::ExtraSpace => "extra-space",
            Quirk::BareLf => "bare-lf",
            Quirk::NilAsString => "nil-as-string",
            Quirk::EightBitQuoted => "eight-bit-quoted",
            Quirk::Literal8AsString => "literal8-as-string",
            Quirk::UnescapedQuote => "unescaped-quote",
            Quirk::MissingText => "missing-text",
            Quirk::BareContinuation => "bare-continuation",
            Quirk::WildcardInFlags => "wildcard-in-flags",
            Quirk::InvalidKeyword => "invalid-keyword",
            Quirk::QuotedFlag => "quoted-flag",
            Quirk::EmptyAttribute => "empty-attribute",
            Quirk::BracketInKeyword => "bracket-in-keyword",
            Quirk::NegativeNumber => "negative-number",
            Quirk::LargeBodyNumber => "large-body-number",
            Quirk::ExponentNumber => "exponent-number",
            Quirk::MissingLines => "missing-lines",
            Quirk::BareDisposition => "bare-disposition",
            Quirk::SpacedAddresses => "spaced-addresses",
            Quirk::MessageWithoutEnvelope => "message-without-envelope",
            Quirk::NilEnvelope => "nil-envelope",
            Quirk::NilBody => "nil-body",
            Quirk::EmptyMultipart => "empty-multipart",
            Quirk::UnquotedName => "unquoted-name",
            Quirk::MissingMessageId => "missing-message-id",
            Quirk::InvalidDate => "invalid-date",
            Quirk::WrappedItems => "wrapped-items",
            Quirk::NoSpaceAfterLiteral => "no-space-after-literal",
            Quirk::BareCode => "bare-code",
            Quirk::EmptyList => "empty-list",
            Quirk::EightBitText => "eight-bit-text",
            Quirk::MalformedCode => "malformed-code",
            Quirk::BareCharset => "bare-charset",
            Quirk::EmptyDelimiter => "empty-delimiter",
            Quirk::AttributeWithoutBackslash => "attribute-without-backslash",
        }
    }

    /// What the peer did, in a few words (what `Display` prints).
    pub const fn description(self) -> &'static str {
        match self {
            Quirk::ExtraSpace => "extra space between items",
            Quirk::BareLf => "line ended with LF alone",
            Quirk::NilAsString => "NIL where a string is required",
            Quirk::EightBitQuoted => "8-bit octets in a quoted string",
            Quirk::Literal8AsString => "literal8 where a string is expected",
            Quirk::UnescapedQuote => "unescaped quote in a quoted string",
            Quirk::MissingText => "resp-text missing",
            Quirk::BareContinuation => "bare + continuation",
            Quirk::WildcardInFlags => "\\* outside PERMANENTFLAGS",
            Quirk::InvalidKeyword => "invalid keyword dropped",
            Quirk::QuotedFlag => "flag as a quoted string",
            Quirk::EmptyAttribute => "empty mailbox attribute",
            Quirk::BracketInKeyword => "] in a keyword",
            Quirk::NegativeNumber => "negative number in a body structure",
            Quirk::LargeBodyNumber => "body size or line count above 32 bits",
            Quirk::ExponentNumber => "body size in exponent notation",
            Quirk::MissingLines => "text part without line count",
            Quirk::BareDisposition => "bare string as body disposition",
            Quirk::SpacedAddresses => "spaces between envelope addresses",
            Quirk::MessageWithoutEnvelope => "message part without envelope",
            Quirk::NilEnvelope => "NIL envelope in a message part",
            Quirk::NilBody => "NIL body in a message part",
            Quirk::EmptyMultipart => "multipart without parts",
            Quirk::UnquotedName => "unquoted mailbox name with spaces or controls",
            Quirk::MissingMessageId => "envelope without message id",
            Quirk::InvalidDate => "INTERNALDATE that is no date kept raw",
            Quirk::WrappedItems => "FETCH items in extra parentheses",
            Quirk::NoSpaceAfterLiteral => "no space after a literal",
            Quirk::BareCode => "response code without * OK",
            Quirk::EmptyList => "empty list instead of NIL",
            Quirk::EightBitText => "8-bit octets in text",
            Quirk::MalformedCode => "malformed response code kept raw",
            Quirk::BareCharset => "charset without parentheses",
            Quirk::EmptyDelimiter => "empty hierarchy delimiter",
            Quirk::AttributeWithoutBackslash => "mailbox attribute without \\",
        }
    }
}

impl fmt::Display for Quirk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// A name that is no [`Quirk::name`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownQuirk(pub String);

impl fmt::Display for UnknownQuirk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no quirk is named {:?}", self.0)
    }
}

impl std::error::Error for UnknownQuirk {}

impl FromStr for Quirk {
    type Err = UnknownQuirk;

    /// Reads a [`Quirk::name`] back (exactly, case and all).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quirk::ALL
            .into_iter()
            .find(|q| q.name() == s)
            .ok_or_else(|| UnknownQuirk(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_kebab_case_and_read_back() {
        let mut seen = std::collections::HashSet::new();
        for q in Quirk::ALL {
            let name = q.name();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name}"
            );
            assert_eq!(name.parse::<Quirk>(), Ok(q));
            assert!(!q.description().is_empty());
            assert_eq!(q.to_string(), q.description());
        }
        assert_eq!(
            "Extra-Space".parse::<Quirk>(),
            Err(UnknownQuirk("Extra-Space".into()))
        );
        assert!("".parse::<Quirk>().is_err());
    }

    #[test]
    fn all_holds_every_variant_in_order() {
        // Ord follows declaration order: a variant listed twice or out of
        // order shows here (and one left out cannot be read back by name).
        assert!(Quirk::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Quirk::ALL.first(), Some(&Quirk::ExtraSpace));
        assert_eq!(Quirk::ALL.last(), Some(&Quirk::AttributeWithoutBackslash));
    }
}
