//! `cargo xtask fuzz-seeds [--captures DIR]`: recreates the committed seed
//! corpora `fuzz/corpus/<target>/seed-*` from recorded POP3 sessions.
//!
//! A capture `NAME.c2s` (client bytes) seeds the command decoder and the
//! server session as it is. `NAME.s2c` (server bytes) seeds the response
//! decoder and the client session behind a header that the targets read
//! first: one length byte, then one byte per command the client sent (the
//! shape of its answer, or the client's script step). The tables below must
//! match `fuzz/src/lib.rs` and `fuzz/fuzz_targets/pop3_client_session.rs`.
//!
//! The captures come from `testdata/captures/pop3` (or `--captures DIR`, or
//! `$MAILWIRE_CAPTURES`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::util;

/// Seeds larger than this are skipped: they slow every fuzzing run down.
const MAX_SEED: usize = 64 * 1024;
/// The targets read at most this many header bytes (six bits of the length byte).
const MAX_HEADER: usize = 63;

/// Indices into `mailwire_fuzz::SHAPES`.
mod shape {
    pub(super) const STATUS: u8 = 0;
    pub(super) const GREETING: u8 = 1;
    pub(super) const STAT: u8 = 2;
    pub(super) const SCAN: u8 = 3;
    pub(super) const SCAN_LISTING: u8 = 4;
    pub(super) const UNIQUE_ID: u8 = 5;
    pub(super) const UNIQUE_ID_LISTING: u8 = 6;
    pub(super) const CAPABILITIES: u8 = 7;
    pub(super) const LANGUAGES: u8 = 8;
    pub(super) const MESSAGE: u8 = 9;
    pub(super) const SASL: u8 = 10;
}

/// A client command line as the response shape of its answer and the index
/// of the matching step in the client target's `STEPS`; `None` for lines
/// that are not commands (SASL answers, TLS records after STLS).
fn classify(line: &[u8]) -> Option<(u8, u8)> {
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split(' ').filter(|w| !w.is_empty());
    let keyword = words.next()?;
    let argument = words.next();
    let upper = keyword.to_ascii_uppercase();
    let pair = match (upper.as_str(), argument) {
        ("CAPA", _) => (shape::CAPABILITIES, 0),
        ("USER", _) => (shape::STATUS, 1),
        ("PASS", _) => (shape::STATUS, 2),
        ("APOP", _) => (shape::STATUS, 3),
        ("AUTH", Some(m)) if m.eq_ignore_ascii_case("PLAIN") => (shape::SASL, 4),
        ("AUTH", Some(m)) if m.eq_ignore_ascii_case("LOGIN") => (shape::SASL, 5),
        ("AUTH", Some(m)) if m.eq_ignore_ascii_case("CRAM-MD5") => (shape::SASL, 6),
        ("AUTH", Some(m)) if m.eq_ignore_ascii_case("XOAUTH2") => (shape::SASL, 7),
        ("AUTH", _) => (shape::SASL, 8),
        ("STAT", _) => (shape::STAT, 9),
        ("LIST", None) => (shape::SCAN_LISTING, 10),
        ("LIST", Some(_)) => (shape::SCAN, 11),
        ("UIDL", None) => (shape::UNIQUE_ID_LISTING, 12),
        ("UIDL", Some(_)) => (shape::UNIQUE_ID, 13),
        ("RETR", _) => (shape::MESSAGE, 14),
        ("TOP", _) => (shape::MESSAGE, 15),
        ("DELE", _) => (shape::STATUS, 16),
        ("RSET", _) => (shape::STATUS, 17),
        ("NOOP", _) => (shape::STATUS, 18),
        ("QUIT", _) => (shape::STATUS, 19),
        ("STLS", _) => (shape::STATUS, 20),
        ("UTF8", _) => (shape::STATUS, 21),
        ("LANG", None) => (shape::LANGUAGES, 22),
        ("LANG", Some(_)) => (shape::STATUS, 23),
        // An unknown command (XYZZY), but not base64 or `*`.
        _ if keyword.bytes().all(|b| b.is_ascii_uppercase()) => (shape::STATUS, 24),
        _ => return None,
    };
    Some(pair)
}

pub(crate) fn run(args: &[String]) -> Result<()> {
    let captures = match args {
        [] => default_captures(),
        [flag, dir] if flag == "--captures" => PathBuf::from(dir),
        _ => bail!("usage: cargo xtask fuzz-seeds [--captures DIR]"),
    };
    let mut names: Vec<String> = std::fs::read_dir(&captures)
        .with_context(|| {
            format!(
                "no captures at {} (set MAILWIRE_CAPTURES or pass --captures DIR)",
                captures.display()
            )
        })?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".c2s"))
                .map(String::from)
        })
        .collect();
    names.sort();

    let corpus = util::root().join("fuzz").join("corpus");
    let targets = [
        "pop3_command",
        "pop3_server_session",
        "pop3_response",
        "pop3_client_session",
    ];
    for target in targets {
        clear_seeds(&corpus.join(target))?;
    }
    let mut written = [0usize; 4];
    for name in &names {
        let c2s = std::fs::read(captures.join(format!("{name}.c2s")))?;
        let s2c = std::fs::read(captures.join(format!("{name}.s2c"))).ok();
        let commands: Vec<(u8, u8)> = c2s
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .filter_map(classify)
            .collect();
        let mut shapes = vec![shape::GREETING];
        shapes.extend(commands.iter().map(|c| c.0));
        let steps: Vec<u8> = commands.iter().map(|c| c.1).collect();

        let mut seeds = vec![(0, c2s.clone()), (1, c2s)];
        if let Some(s2c) = s2c {
            seeds.push((2, with_header(&shapes, &s2c)));
            seeds.push((3, with_header(&steps, &s2c)));
        }
        for (i, seed) in seeds {
            if seed.len() > MAX_SEED {
                continue;
            }
            let path = corpus.join(targets[i]).join(format!("seed-{name}"));
            std::fs::write(&path, seed)
                .with_context(|| format!("could not write {}", path.display()))?;
            written[i] += 1;
        }
    }
    for (target, n) in targets.iter().zip(written) {
        println!("{target}: {n} seeds");
    }
    Ok(())
}

fn default_captures() -> PathBuf {
    match std::env::var_os("MAILWIRE_CAPTURES") {
        Some(dir) => PathBuf::from(dir),
        None => util::root().join("testdata/captures/pop3"),
    }
}

/// The header length byte (body chunk threshold bits zero: default limits),
/// the header, then the data.
fn with_header(header: &[u8], data: &[u8]) -> Vec<u8> {
    let header = &header[..header.len().min(MAX_HEADER)];
    let mut seed = Vec::with_capacity(1 + header.len() + data.len());
    // MAX_HEADER < 64: fits the length byte's six bits.
    seed.push(u8::try_from(header.len()).unwrap_or(0));
    seed.extend_from_slice(header);
    seed.extend_from_slice(data);
    seed
}

/// Removes the old seeds (only those: fuzzing finds stay).
fn clear_seeds(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with("seed-") {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
