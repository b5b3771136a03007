//! The loader of the text fixtures under `tests/fixtures/` (the format is
//! in `tests/fixtures/README.md`): one message per line with its origin,
//! the quirk it shows, what strict decoding does with it, and the message
//! with `%HH` escapes.
//!
//! A missing file, a malformed record or a table with no record fails the
//! test that asked for it, naming the file and line: a test never passes
//! on zero inputs.

use std::path::{Path, PathBuf};

use imap_proto::Quirk;

/// Where the fixtures are.
pub(crate) const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// What strict decoding does with a message, as its record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strict {
    /// `refused`: the message deviates from the grammar; lenient decoding
    /// reports at least one quirk and strict decoding refuses it.
    Refused,
    /// `accepted`: the message follows the grammar; no quirk, and strict
    /// decoding accepts it.
    Accepted,
    /// `-`: the record does not say (quirks allowed, not required).
    Unsaid,
}

/// One record: a message and what is known about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    /// The fixture's name under `tests/fixtures/` and the record's line.
    pub(crate) file: String,
    /// The line number in `file` (from 1).
    pub(crate) line: usize,
    /// Where the message comes from: an RFC and section, or a server and
    /// the thread that reported it.
    pub(crate) origin: String,
    /// The quirk it shows, if one is named.
    pub(crate) quirk: Option<Quirk>,
    /// What strict decoding does with it.
    pub(crate) strict: Strict,
    /// The message, unescaped, without its final CRLF.
    pub(crate) data: Vec<u8>,
}

impl Record {
    /// `file:line (origin)`, for failure messages.
    pub(crate) fn at(&self) -> String {
        format!("{}:{} ({})", self.file, self.line, self.origin)
    }

    /// The message as text; fails the test (naming the record) if it is
    /// not UTF-8.
    pub(crate) fn text(&self) -> &str {
        match std::str::from_utf8(&self.data) {
            Ok(text) => text,
            Err(e) => panic!("{}: the message is not UTF-8: {e}", self.at()),
        }
    }

    /// The message with its CRLF, as it travels.
    pub(crate) fn wire(&self) -> Vec<u8> {
        let mut wire = self.data.clone();
        wire.extend_from_slice(b"\r\n");
        wire
    }
}

/// Loads `name` under `tests/fixtures/`: one fixture file, or a directory
/// whose `*.txt` files are read in name order. Fails the test on a missing
/// file, a malformed record or no record at all.
pub(crate) fn load(name: &str) -> Vec<Record> {
    let path = Path::new(FIXTURES).join(name);
    let files = if path.is_dir() {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&path) {
            Ok(dir) => dir
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect(),
            Err(e) => panic!("test data {name} not found at {}: {e}", path.display()),
        };
        files.sort();
        files
    } else {
        vec![path.clone()]
    };
    let mut records = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("test data {name} not found at {}: {e}", file.display()));
        let shown = file
            .strip_prefix(FIXTURES)
            .unwrap_or(file)
            .display()
            .to_string();
        match parse(shown.trim_start_matches('/'), &text) {
            Ok(mut r) => records.append(&mut r),
            Err(e) => panic!("{e}"),
        }
    }
    assert!(
        !records.is_empty(),
        "test data {name} at {} holds no record: a table must not be empty",
        path.display()
    );
    records
}

/// Parses the text of fixture `file` into its records (no record is no
/// error here; [`load`] refuses an empty table).
pub(crate) fn parse(file: &str, text: &str) -> Result<Vec<Record>, String> {
    let mut records = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = i + 1;
        let fail = |reason: String| format!("{file}:{line}: {reason}");
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = raw.splitn(4, " | ").collect();
        let [origin, quirk, strict, message] = fields[..] else {
            return Err(fail(
                "expected `origin | quirk | strict | message`".to_owned(),
            ));
        };
        if origin.trim().is_empty() || origin != origin.trim() {
            return Err(fail(format!("origin {origin:?}: empty or padded")));
        }
        if let Some(c) = origin.chars().find(|c| c.is_control()) {
            return Err(fail(format!("control character {c:?} in the origin")));
        }
        let quirk = match quirk {
            "-" => None,
            name => Some(
                name.parse::<Quirk>()
                    .map_err(|e| fail(format!("{e} (quirk names: Quirk::name)")))?,
            ),
        };
        let strict = match strict {
            "refused" => Strict::Refused,
            "accepted" => Strict::Accepted,
            "-" => Strict::Unsaid,
            other => {
                return Err(fail(format!(
                    "strict is `refused`, `accepted` or `-`, not {other:?}"
                )));
            }
        };
        if quirk.is_some() && strict != Strict::Refused {
            return Err(fail(
                "a message with a named quirk is refused strictly: write `refused`".to_owned(),
            ));
        }
        let data = unescape(message).map_err(fail)?;
        records.push(Record {
            file: file.to_owned(),
            line,
            origin: origin.to_owned(),
            quirk,
            strict,
            data,
        });
    }
    Ok(records)
}

/// Undoes the escaping of a message field: `%HH` (two upper-case hex
/// digits) is that octet; other octets stand for themselves and must be
/// printable ASCII, and the last may not be a space (editors drop
/// trailing spaces: write `%20`).
pub(crate) fn unescape(field: &str) -> Result<Vec<u8>, String> {
    if field.is_empty() {
        return Err("no message".to_owned());
    }
    if field.ends_with(' ') {
        return Err("the message ends in a raw space: write it as %20".to_owned());
    }
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3).unwrap_or_default();
            let digit = |d: u8| match d {
                b'0'..=b'9' => Some(d - b'0'),
                b'A'..=b'F' => Some(d - b'A' + 10),
                _ => None,
            };
            match hex {
                [h, l] => match (digit(*h), digit(*l)) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => {
                        return Err(format!(
                            "column {}: % is followed by two upper-case hex digits \
                             (a % itself is %25)",
                            i + 1
                        ));
                    }
                },
                _ => {
                    return Err(format!(
                        "column {}: % at the end (a % itself is %25)",
                        i + 1
                    ));
                }
            }
            i += 3;
        } else if (0x20..0x7f).contains(&b) {
            out.push(b);
            i += 1;
        } else {
            return Err(format!(
                "column {}: raw octet 0x{b:02X}: write it as %{b:02X}",
                i + 1
            ));
        }
    }
    Ok(out)
}
