//! The commands widely used clients send
//! (`tests/fixtures/commands/deployed-clients.txt`).

use imap_proto::Limits;

use super::common::fixtures::load;
use super::*;

/// Commands in the shapes widely used clients send them (Thunderbird,
/// Outlook, Apple Mail, mutt, K-9, Python's imaplib, Gmail clients):
/// each decodes (leniently: lower-case names, odd tags) and round-trips
/// through the encoder.
#[test]
fn commands_of_widely_deployed_clients() {
    use imap_proto::command::{Command, EncodeOptions, encode, to_bytes};
    let lines = load("commands/deployed-clients.txt");
    let mut failures = Vec::new();
    for r in &lines {
        let line = r.text();
        let input = Bytes::from(r.wire());
        let limits = Limits::default();
        let cmd = match Command::parse_bytes(&input, 0, &limits, Strictness::Lenient) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{line:?}: {e:?}"));
                continue;
            }
        };
        let wire = Bytes::from(to_bytes(&encode(&cmd, EncodeOptions::default())));
        match Command::parse_bytes(&wire, 0, &limits, Strictness::Strict) {
            Ok(again) if again == cmd => {}
            Ok(again) => failures.push(format!("{line:?}: {cmd:?} came back as {again:?}")),
            Err(e) => failures.push(format!("{line:?}: re-encoded as {wire:?}: {e:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
