//! The repository's test data, for the tests of every crate: the real
//! captures (`testdata/captures/{imap,pop3}`) and the torture messages
//! (`testdata/messages`). See `testdata/README.md` for where each file came
//! from and how to add one.
//!
//! Every function here panics with the file and the reason when the data is
//! missing, unreadable or empty: a test that cannot find its data fails and
//! says why, it never passes on zero inputs.

use std::path::{Path, PathBuf};

/// The `testdata/` directory at the repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// `testdata/RELATIVE`, which must exist.
pub fn path(relative: &str) -> PathBuf {
    let path = root().join(relative);
    if !path.exists() {
        panic!(
            "test data {relative} not found at {}: it ships with the repository \
             under testdata/ (see testdata/README.md); a partial checkout or a \
             moved directory loses it",
            path.display()
        );
    }
    path
}

/// The content of `testdata/RELATIVE`.
pub fn read(relative: &str) -> Vec<u8> {
    let path = path(relative);
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("test data {relative} ({}) unreadable: {e}", path.display()))
}

/// One torture message, as stored (LF line endings, as in a Maildir).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The file name, e.g. `02-dot-stuffing.eml`.
    pub name: String,
    /// The file name without `.eml`, e.g. `02-dot-stuffing`.
    pub stem: String,
    /// The octets of the file.
    pub content: Vec<u8>,
}

/// How many messages `testdata/messages` holds; tests count on all of them.
pub const MESSAGE_COUNT: usize = 14;

/// Every message of `testdata/messages`, sorted by file name.
pub fn messages() -> Vec<Message> {
    let mut messages: Vec<Message> = files_with_suffix("messages", ".eml")
        .into_iter()
        .map(|(stem, path)| Message {
            name: format!("{stem}.eml"),
            content: read_path(&path),
            stem,
        })
        .collect();
    messages.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(
        messages.len(),
        MESSAGE_COUNT,
        "expected {MESSAGE_COUNT} test messages in {}",
        root().join("messages").display()
    );
    messages
}

/// Which protocol's captures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `testdata/captures/imap`.
    Imap,
    /// `testdata/captures/pop3`.
    Pop3,
}

impl Protocol {
    fn directory(self) -> &'static str {
        match self {
            Self::Imap => "captures/imap",
            Self::Pop3 => "captures/pop3",
        }
    }

    /// The fewest captures the directory holds: a test that finds fewer
    /// read the wrong directory or a damaged checkout.
    fn minimum(self) -> usize {
        match self {
            Self::Imap => 35,
            Self::Pop3 => 30,
        }
    }
}

/// One captured connection: every octet each side sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// The scenario, e.g. `curl-fetch-large` (or `NAME.conn2`).
    pub name: String,
    /// What the client sent (`NAME.c2s`).
    pub c2s: Vec<u8>,
    /// What the server sent (`NAME.s2c`).
    pub s2c: Vec<u8>,
}

/// The directory of a protocol's captures (for tests that hand files to a
/// program).
pub fn capture_dir(protocol: Protocol) -> PathBuf {
    path(protocol.directory())
}

/// The names of a protocol's captures, sorted.
pub fn capture_names(protocol: Protocol) -> Vec<String> {
    let mut names: Vec<String> = files_with_suffix(protocol.directory(), ".c2s")
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    names.sort();
    assert!(
        names.len() >= protocol.minimum(),
        "expected at least {} captures in {}, found {}",
        protocol.minimum(),
        capture_dir(protocol).display(),
        names.len()
    );
    names
}

/// Every capture of a protocol, sorted by name.
pub fn captures(protocol: Protocol) -> Vec<Capture> {
    capture_names(protocol)
        .into_iter()
        .map(|name| capture(protocol, &name))
        .collect()
}

/// One capture by name; both directions must exist.
pub fn capture(protocol: Protocol, name: &str) -> Capture {
    let dir = protocol.directory();
    Capture {
        c2s: read(&format!("{dir}/{name}.c2s")),
        s2c: read(&format!("{dir}/{name}.s2c")),
        name: name.to_owned(),
    }
}

/// The files of `testdata/DIRECTORY` ending in `suffix`: (name without the
/// suffix, path).
fn files_with_suffix(directory: &str, suffix: &str) -> Vec<(String, PathBuf)> {
    let dir = path(directory);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("test data directory {} unreadable: {e}", dir.display()));
    entries
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("test data directory {}: {e}", dir.display()))
                .path()
        })
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.strip_suffix(suffix)?.to_owned();
            Some((name, path))
        })
        .collect()
}

fn read_path(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("test data {} unreadable: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_and_capture_is_found() {
        assert_eq!(messages().len(), MESSAGE_COUNT);
        for protocol in [Protocol::Imap, Protocol::Pop3] {
            for capture in captures(protocol) {
                assert!(
                    !capture.s2c.is_empty(),
                    "{}: empty server side",
                    capture.name
                );
            }
        }
    }

    #[test]
    fn missing_data_names_the_file() {
        let panic = std::panic::catch_unwind(|| read("captures/imap/no-such.c2s"))
            .expect_err("a missing file panics");
        let text = panic.downcast_ref::<String>().expect("a formatted message");
        assert!(text.contains("captures/imap/no-such.c2s"), "{text}");
        assert!(text.contains("testdata/README.md"), "{text}");
    }
}
