//! Validated value types the grammar is built from. None of them can hold a
//! value that cannot be sent: constructors check their input and return a
//! [`ValueError`](crate::ValueError).
//!
//! - [`Tag`], [`Atom`]: the bare tokens of RFC 3501 §9 / RFC 9051 §9.
//! - [`IString`], [`AString`], [`NString`]: string values, with
//!   [`StringKind::choose`] picking the wire form (atom, quoted, literal,
//!   non-synchronizing literal) from the content and the peer's capabilities.
//! - [`Flag`]: system flags, keywords ([`Keyword`]), extension flags and `\*`.
//! - [`SequenceSet`]: message numbers and UIDs as ranges, never expanded.
//! - [`MailboxName`]: Unicode names, modified UTF-7 ([`utf7`]) or UTF-8 on
//!   the wire, `INBOX` case-insensitive.

mod atom;
pub mod datetime;
mod flag;
mod mailbox;
mod secret;
pub mod section;
mod sequence;
mod string;
pub mod utf7;

pub use self::atom::{Atom, Tag};
pub use self::datetime::{Date, DateTime};
pub use self::flag::{Flag, Keyword};
pub use self::mailbox::{MailboxEncoding, MailboxName};
pub use self::secret::Secret;
pub use self::section::{Partial, Section, SectionText};
pub use self::sequence::{SeqNumber, SeqRange, SequenceSet};
pub use self::string::{
    AString, IString, LITERAL_MINUS_MAX, NString, NonSyncLiterals, StringKind, StringOptions,
};

/// `ATOM-CHAR`: any CHAR except atom-specials (`(`, `)`, `{`, SP, CTL, `%`,
/// `*`, `"`, `\`, `]`).
#[inline]
pub const fn is_atom_char(b: u8) -> bool {
    ATOM_CHARS[b as usize]
}

/// [`is_atom_char`] as a table (one load per octet in the lexer's loops).
const ATOM_CHARS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x21;
    while b <= 0x7e {
        table[b] = !matches!(
            b as u8,
            b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']'
        );
        b += 1;
    }
    table
};

/// `ASTRING-CHAR`: an `ATOM-CHAR` or `]`.
pub fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// A character allowed in a tag: an `ASTRING-CHAR` except `+`.
pub fn is_tag_char(b: u8) -> bool {
    is_astring_char(b) && b != b'+'
}

/// `TEXT-CHAR`: any 7-bit CHAR except NUL, CR and LF.
pub fn is_text_char(b: u8) -> bool {
    matches!(b, 0x01..=0x7f) && b != b'\r' && b != b'\n'
}
