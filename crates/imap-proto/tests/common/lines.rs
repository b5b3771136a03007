//! The server-line tables the response tests share, by their old names,
//! read from the fixtures under `tests/fixtures/responses/` (see
//! [`super::fixtures`]): the defects real servers showed, the RFC examples
//! and other servers' lines. Each table is loaded once, on first use; a
//! missing or malformed fixture fails the test that reads it.
//!
//! New tests read the records ([`super::fixtures::load`]), which keep the
//! file, line and origin of each message for failure messages.

use std::ops::Deref;
use std::sync::OnceLock;

use imap_proto::Quirk;

use super::fixtures::{self, Record, Strict};

/// A table of test data read from a fixture on first use: it derefs to a
/// slice and iterates by reference, as the tables of Rust tuples did.
pub(crate) struct Table<T: 'static> {
    name: &'static str,
    convert: fn(&'static Record) -> T,
    rows: OnceLock<Vec<T>>,
}

impl<T> Table<T> {
    /// The table of fixture `name` (a file or directory under
    /// `tests/fixtures/`), each record converted by `convert`.
    pub(crate) const fn new(name: &'static str, convert: fn(&'static Record) -> T) -> Self {
        Self {
            name,
            convert,
            rows: OnceLock::new(),
        }
    }
}

impl<T> Deref for Table<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.rows.get_or_init(|| {
            let records: &'static [Record] = Vec::leak(fixtures::load(self.name));
            records.iter().map(self.convert).collect()
        })
    }
}

impl<'a, T> IntoIterator for &'a Table<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.deref().iter()
    }
}

/// A fixture that holds exactly one message: it derefs to that message.
pub(crate) struct One(Table<&'static str>);

impl Deref for One {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.0[..] {
            [line] => line,
            lines => panic!("{}: {} records, not one", self.0.name, lines.len()),
        }
    }
}

fn text(r: &'static Record) -> &'static str {
    r.text()
}

fn with_quirk(r: &'static Record) -> (&'static str, Option<Quirk>) {
    (r.text(), r.quirk)
}

fn rfc_example(r: &'static Record) -> (&'static str, bool, &'static str) {
    assert!(
        r.strict != Strict::Unsaid,
        "{}: an RFC example says refused or accepted",
        r.at()
    );
    (r.origin.as_str(), r.strict == Strict::Refused, r.text())
}

/// Declares `pub(crate) static NAME: &Table<T>` over a fixture.
macro_rules! table {
    ($(#[$doc:meta])* $name:ident: $t:ty = $file:literal, $convert:expr) => {
        $(#[$doc])*
        pub(crate) static $name: &Table<$t> = {
            static TABLE: Table<$t> = Table::new($file, $convert);
            &TABLE
        };
    };
}

table! {
    /// `responses/defects-flags.txt`: flag lists (and the quirk each
    /// shows, if one is named).
    DEFECTS_IN_FLAG_LISTS: (&'static str, Option<Quirk>) = "responses/defects-flags.txt", with_quirk
}
table! {
    /// `responses/defects-status.txt`: status responses.
    DEFECTS_IN_STATUS_RESPONSES: (&'static str, Option<Quirk>) = "responses/defects-status.txt", with_quirk
}
table! {
    /// `responses/defects-spacing.txt`: spaces and lists.
    DEFECTS_IN_SPACING_AND_LISTS: (&'static str, Option<Quirk>) = "responses/defects-spacing.txt", with_quirk
}
table! {
    /// `responses/defects-body.txt`: body structures.
    DEFECTS_IN_BODY_STRUCTURES: (&'static str, Option<Quirk>) = "responses/defects-body.txt", with_quirk
}
table! {
    /// `responses/defects-fetch.txt`: FETCH responses that real servers
    /// got wrong in ways other libraries' users reported.
    DEFECTS_IN_FETCH_RESPONSES: (&'static str, Option<Quirk>) = "responses/defects-fetch.txt", with_quirk
}

/// `responses/refused.txt`: a line the parser refuses (GMX, MailKit#878).
pub(crate) static UNDECODABLE_LINE: &One = {
    static ONE: One = One(Table::new("responses/refused.txt", text));
    &ONE
};

table! {
    /// `responses/deployed-servers.txt`: typical lines of widely deployed
    /// servers.
    LINES_OF_WIDELY_DEPLOYED_SERVERS: &'static str = "responses/deployed-servers.txt", text
}
table! {
    /// `responses/grammar-corners.txt`: corners of the grammar real
    /// servers reach.
    GRAMMAR_CORNERS_SERVERS_REACH: &'static str = "responses/grammar-corners.txt", text
}
table! {
    /// `responses/rfc/*.txt`: every single-line server response in the
    /// examples of RFC 3501, RFC 9051 and the extension RFCs, as (origin,
    /// strict decoding refuses it, line).
    RFC_EXAMPLES: (&'static str, bool, &'static str) = "responses/rfc", rfc_example
}
table! {
    /// `responses/other-servers.txt`: lines of the shapes other servers
    /// (Gmail, Exchange, Yahoo, Cyrus / Fastmail, Courier) send.
    OTHER_SERVERS: &'static str = "responses/other-servers.txt", text
}
