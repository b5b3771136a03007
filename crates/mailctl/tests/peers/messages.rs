//! The shared test messages, their expected forms, and comparisons that
//! explain where bytes differ.

use std::path::Path;

/// One message of `testdata/messages`, as stored (LF line endings).
#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub(crate) name: String,
    pub(crate) file: Vec<u8>,
}

/// Every message, in file-name order.
pub(crate) fn all() -> Vec<Message> {
    mailwire_testdata::messages()
        .into_iter()
        .map(|m| Message {
            name: m.name,
            file: m.content,
        })
        .collect()
}

/// Writes the messages into a Maildir's `new/` (creating `cur/`, `new/` and
/// `tmp/`), with names that sort in the files' order.
pub(crate) fn fill_maildir(maildir: &Path, messages: &[Message]) {
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).expect("create the Maildir");
    }
    for (i, message) in messages.iter().enumerate() {
        let name = format!("{}.M{}P1.mailwire-peers", 1_700_000_000 + i, i + 1);
        std::fs::write(maildir.join("new").join(name), &message.file).expect("write a message");
    }
}

/// How many messages a Maildir holds (in `cur/` and `new/`).
pub(crate) fn maildir_count(maildir: &Path) -> usize {
    ["cur", "new"]
        .iter()
        .map(|sub| std::fs::read_dir(maildir.join(sub)).map_or(0, |d| d.count()))
        .sum()
}

/// The message as a POP3 server sends it (before dot-stuffing), which is
/// what Dovecot does: every bare LF becomes CRLF, an existing CRLF and a
/// bare CR are kept, NUL is sent raw, and a CRLF is added when the message
/// does not end with a line ending.
pub(crate) fn wire_form(file: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(file.len() + file.len() / 16 + 2);
    let mut previous = 0u8;
    for &b in file {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        previous = b;
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Every CR removed (what fetchmail's `stripcr` does).
pub(crate) fn without_cr(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().copied().filter(|&b| b != b'\r').collect()
}

/// Printable form of a few bytes for a failure message.
fn escape(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

/// Where `got` first differs from `expected`, with context, or `None`.
pub(crate) fn difference(got: &[u8], expected: &[u8]) -> Option<String> {
    if got == expected {
        return None;
    }
    let at = got
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(expected.len()));
    let from = at.saturating_sub(40);
    let context = |b: &[u8]| escape(&b[from.min(b.len())..(at + 40).min(b.len())]);
    Some(format!(
        "{} octets, expected {}; first difference at offset {at}:\n  got      \"{}\"\n  expected \"{}\"",
        got.len(),
        expected.len(),
        context(got),
        context(expected)
    ))
}

/// Checks that what a client retrieved is exactly the expected messages,
/// in any order: `expect` gives each message's expected form for this
/// client. Failures name the messages that did not arrive intact and show
/// the first difference against the retrieved message at the same position.
pub(crate) fn assert_all_arrived(
    client: &str,
    messages: &[Message],
    expect: impl Fn(&[u8]) -> Vec<u8>,
    got: &[(String, Vec<u8>)],
) {
    let expected: Vec<Vec<u8>> = messages.iter().map(|m| expect(&m.file)).collect();
    let mut problems = Vec::new();
    if got.len() != messages.len() {
        problems.push(format!(
            "{} messages arrived, expected {}",
            got.len(),
            messages.len()
        ));
    }
    let mut used = vec![false; got.len()];
    for (i, (message, want)) in messages.iter().zip(&expected).enumerate() {
        let found = got
            .iter()
            .enumerate()
            .position(|(j, (_, bytes))| !used[j] && bytes == want);
        match found {
            Some(j) => used[j] = true,
            None => {
                let detail = got.get(i).map_or_else(
                    || "nothing at that position".to_owned(),
                    |(label, bytes)| {
                        format!("{label}: {}", difference(bytes, want).unwrap_or_default())
                    },
                );
                problems.push(format!(
                    "{} did not arrive intact; compared with {detail}",
                    message.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{client}:\n{}", problems.join("\n"));
}

/// The files a client wrote into `dir` (named so that they sort in
/// retrieval order), skipping dot files.
pub(crate) fn read_dir_sorted(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .map(|path| {
            let bytes = std::fs::read(&path).expect("read a retrieved message");
            (
                path.file_name()
                    .expect("file name")
                    .to_string_lossy()
                    .into_owned(),
                bytes,
            )
        })
        .collect();
    // `msg-2` before `msg-10`.
    files.sort_by_key(|(name, _)| {
        let digits: String = name.chars().filter(char::is_ascii_digit).collect();
        (digits.parse::<u64>().unwrap_or(u64::MAX), name.clone())
    });
    files
}
