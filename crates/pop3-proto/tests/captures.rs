//! Every real POP3 capture in `testdata/captures/pop3` (real clients
//! against Dovecot) replays through a server session and a client session.

use pop3_proto::Limits;
use pop3_proto::inspect::{Item, inspect};

#[test]
fn every_capture_replays() {
    for capture in mailwire_testdata::captures(mailwire_testdata::Protocol::Pop3) {
        let (name, c2s, s2c) = (capture.name, capture.c2s, capture.s2c);
        let mut records = Vec::new();
        let summary = inspect(&c2s, &s2c, &Limits::default(), &mut |r| {
            records.push(r.clone())
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            summary.client_messages > 0 && summary.server_messages > 0,
            "{name}: nothing decoded"
        );
        if name.contains("stls") {
            assert!(
                summary.tls_at.is_some(),
                "{name}: the switch to TLS was not seen"
            );
        } else {
            assert_eq!(summary.c2s_bytes as usize, c2s.len(), "{name}");
            assert_eq!(summary.s2c_bytes as usize, s2c.len(), "{name}");
        }
        assert!(
            records
                .iter()
                .find(|r| matches!(r.item, Item::Greeting(_)))
                .is_some(),
            "{name}: no greeting"
        );
    }
}

// What the replay does with sessions our own server would not have had:
// the constructed captures (testdata/README.md, "Constructed captures") and
// variations built here.

use pop3_proto::inspect::{InspectError, Record, Summary};
use pop3_proto::{Command, Response, SaslResponse};

fn replay(c2s: &[u8], s2c: &[u8]) -> (Vec<Record>, Result<Summary, InspectError>) {
    let mut records = Vec::new();
    let result = inspect(c2s, s2c, &Limits::default(), &mut |r| {
        records.push(r.clone())
    });
    (records, result)
}

/// Replays a capture that must replay whole; returns its records.
fn replay_capture(name: &str) -> Vec<Record> {
    let capture = mailwire_testdata::capture(mailwire_testdata::Protocol::Pop3, name);
    let (records, result) = replay(&capture.c2s, &capture.s2c);
    let summary = result.unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(summary.c2s_bytes as usize, capture.c2s.len(), "{name}");
    assert_eq!(summary.s2c_bytes as usize, capture.s2c.len(), "{name}");
    records
}

/// The answer recorded right after record `i`.
fn answer_to(records: &[Record], i: usize) -> &Response {
    match &records[i + 1].item {
        Item::Response { response, .. } => response,
        other => panic!("record {} is not an answer: {other:?}", i + 1),
    }
}

fn position(records: &[Record], what: impl Fn(&Item) -> bool) -> usize {
    records
        .iter()
        .position(|r| what(&r.item))
        .expect("record not found")
}

#[test]
fn twenty_unknown_commands_replay_past_our_bad_command_limit() {
    let records = replay_capture("constructed-twenty-unknown-commands");
    let unknown: Vec<usize> = (0..records.len())
        .filter(|&i| matches!(&records[i].item, Item::Command(Command::Other { .. })))
        .collect();
    assert_eq!(unknown.len(), 20);
    assert!(unknown.len() as u32 > Limits::default().max_bad_commands);
    for &i in &unknown {
        assert!(!answer_to(&records, i).is_ok());
    }
    let stat = position(&records, |item| {
        matches!(item, Item::Command(Command::Stat))
    });
    assert!(answer_to(&records, stat).is_ok(), "served after 20");
}

#[test]
fn three_cancelled_auths_then_user_pass_replays() {
    let records = replay_capture("constructed-auth-cancelled-thrice");
    let cancels: Vec<usize> = (0..records.len())
        .filter(|&i| matches!(records[i].item, Item::SaslResponse(SaslResponse::Cancel)))
        .collect();
    assert_eq!(cancels.len(), 3);
    assert!(cancels.len() as u32 >= Limits::default().max_failed_logins);
    for &i in &cancels {
        assert!(!answer_to(&records, i).is_ok());
    }
    let pass = position(&records, |item| {
        matches!(item, Item::Command(Command::Pass(_)))
    });
    assert!(answer_to(&records, pass).is_ok(), "logged in");
}
