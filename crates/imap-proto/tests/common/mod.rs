//! Shared by the integration tests: the IMAP captures of
//! `shared/testdata/captures/imap` (real clients against a real server),
//! and the server lines and proptest strategies several test files use.
//!
//! Each test file compiles its own copy and uses only part of it.
#![allow(dead_code)]

pub(crate) mod lines;
pub(crate) mod strategies;

/// Where the captures are.
pub(crate) const CAPTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/captures/imap"
);

/// Every capture, by name: (name, client octets, server octets).
pub(crate) fn captures() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let mut names: Vec<String> = std::fs::read_dir(CAPTURES)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|n| n.strip_suffix(".c2s").map(str::to_owned))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let c2s = std::fs::read(format!("{CAPTURES}/{n}.c2s")).unwrap();
            let s2c = std::fs::read(format!("{CAPTURES}/{n}.s2c")).unwrap();
            (n, c2s, s2c)
        })
        .collect()
}
