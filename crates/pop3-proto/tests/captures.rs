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

#[test]
fn a_sasl_exchange_longer_than_our_limit_replays() {
    let rounds = Limits::default().max_sasl_steps as usize + 2;
    let c2s = [
        &b"AUTH X-STEPS\r\n"[..],
        &b"eA==\r\n".repeat(rounds),
        b"QUIT\r\n",
    ]
    .concat();
    let s2c = [
        &b"+OK ready\r\n"[..],
        &b"+ eA==\r\n".repeat(rounds),
        b"-ERR [AUTH] Authentication failed.\r\n+OK Logging out\r\n",
    ]
    .concat();
    let (records, result) = replay(&c2s, &s2c);
    result.unwrap_or_else(|e| panic!("{e}"));
    let answers = records
        .iter()
        .filter(|r| matches!(r.item, Item::SaslResponse(_)))
        .count();
    assert_eq!(answers, rounds);
}

// Lines our decoder or our server session rejects are carried as received
// and judged by the real server's answer.

use pop3_proto::inspect::{Finding, REJECTED_LINE};
use pop3_proto::{DecodeError, Rejection};

/// The findings on the answer recorded right after record `i`.
fn answer_findings(records: &[Record], i: usize) -> &[Finding] {
    answer_to(records, i);
    &records[i + 1].findings
}

#[test]
fn an_empty_line_is_carried_and_its_answer_judged() {
    let records = replay_capture("constructed-empty-line");
    let i = position(&records, |item| matches!(item, Item::Rejected { .. }));
    let Item::Rejected { line, reason, sasl } = &records[i].item else {
        unreachable!()
    };
    assert!(line.is_empty());
    assert_eq!(*reason, Rejection::Malformed(DecodeError::EmptyLine));
    assert!(!sasl);
    assert!(records[i].exact, "carried as received");
    assert_eq!((records[i].offset, records[i].len), (0, 2));
    assert!(!answer_to(&records, i).is_ok());
    assert!(answer_findings(&records, i).is_empty(), "refused by both");
    let Item::Response { command, .. } = &records[i + 1].item else {
        unreachable!()
    };
    assert_eq!(*command, REJECTED_LINE);
}

#[test]
fn a_non_ascii_line_is_carried_byte_for_byte() {
    let records = replay_capture("constructed-non-ascii-line");
    let i = position(&records, |item| matches!(item, Item::Rejected { .. }));
    let Item::Rejected { line, reason, .. } = &records[i].item else {
        unreachable!()
    };
    assert_eq!(&line[..], b"\xff\xfe\x80");
    assert!(matches!(reason, Rejection::Malformed(_)), "{reason:?}");
    assert!(records[i].exact);
    assert!(!answer_to(&records, i).is_ok());
    let pass = position(&records, |item| {
        matches!(item, Item::Command(Command::Pass(_)))
    });
    assert!(answer_to(&records, pass).is_ok(), "the replay went on");
}

#[test]
fn user_without_a_name_accepted_by_the_server_is_a_finding() {
    let records = replay_capture("constructed-user-without-name");
    let i = position(&records, |item| matches!(item, Item::Rejected { .. }));
    let Item::Rejected { line, reason, .. } = &records[i].item else {
        unreachable!()
    };
    assert_eq!(&line[..], b"USER");
    assert!(matches!(reason, Rejection::Malformed(_)), "{reason:?}");
    assert!(answer_to(&records, i).is_ok());
    assert_eq!(
        answer_findings(&records, i),
        [Finding::AcceptedUndecodableLine]
    );
    // The PASS after it: refused by our server (no USER accepted) and by the
    // real one (no such user): agreement, no finding.
    let Item::Rejected { reason, .. } = &records[i + 2].item else {
        panic!("{:?}", records[i + 2])
    };
    assert_eq!(*reason, Rejection::PassWithoutUser);
    assert!(!answer_to(&records, i + 2).is_ok());
    assert!(answer_findings(&records, i + 2).is_empty());
    assert_eq!(records.iter().filter(|r| !r.findings.is_empty()).count(), 1);
}

#[test]
fn a_recorded_stat_with_an_argument_is_a_finding() {
    // Dovecot answers `STAT extra-arg` with the drop listing; RFC 1939 STAT
    // takes no argument, so our decoder refuses the line.
    let records = replay_capture("poplib-errors");
    let i = position(
        &records,
        |item| matches!(item, Item::Rejected { line, .. } if &line[..] == b"STAT extra-arg"),
    );
    assert_eq!(
        answer_findings(&records, i),
        [Finding::AcceptedUndecodableLine]
    );
}

#[test]
fn a_multi_line_answer_to_a_rejected_line_is_read_to_its_end() {
    // Dovecot ignores CAPA's arguments: `CAPA x` gets the whole list.
    let records = replay_capture("raw-pop3-argument-noise");
    let i = position(
        &records,
        |item| matches!(item, Item::Rejected { line, .. } if &line[..] == b"CAPA x"),
    );
    let Item::Response { body_len, .. } = &records[i + 1].item else {
        unreachable!()
    };
    // The nine lines after `+OK`, without the terminating `.`.
    assert_eq!(*body_len, Some(87));
    assert_eq!(records[i + 1].len, 5 + 87 + 3);
    assert_eq!(
        answer_findings(&records, i),
        [Finding::AcceptedUndecodableLine]
    );
    // Noise after a message number: refused by both, single-line.
    for noisy in [&b"RETR 1 2"[..], b"TOP 1 0 7", b"LIST 1 2", b"UIDL 1 x"] {
        let j = position(
            &records,
            |item| matches!(item, Item::Rejected { line, .. } if &line[..] == noisy),
        );
        assert!(!answer_to(&records, j).is_ok());
        assert!(answer_findings(&records, j).is_empty());
    }
}

#[test]
fn lenient_arguments_the_server_ignored_are_findings() {
    let records = replay_capture("raw-pop3-lenient-arguments");
    let accepted: Vec<&[u8]> = records
        .windows(2)
        .filter_map(|pair| match (&pair[0].item, &pair[1].findings[..]) {
            (Item::Rejected { line, .. }, [Finding::AcceptedUndecodableLine]) => Some(&line[..]),
            _ => None,
        })
        .collect();
    assert!(accepted.contains(&&b"CAPA x"[..]), "{accepted:?}");
    assert!(accepted.contains(&&b"STAT x"[..]), "{accepted:?}");
}

#[test]
fn a_capture_ending_inside_a_multi_line_answer_to_a_rejected_line_fails() {
    let c2s = b"CAPA x\r\n";
    let s2c = [GREETING, b"+OK\r\nTOP\r\nUIDL\r\n"].concat();
    let (_, result) = replay(c2s, &s2c);
    let error = result.expect_err("cut short");
    assert!(
        error.reason.contains("ends inside the multi-line answer"),
        "{error}"
    );
}

const GREETING: &[u8] = b"+OK Dovecot (Debian) ready.\r\n";

#[test]
fn an_undecodable_sasl_answer_ends_the_exchange_and_the_replay_goes_on() {
    let c2s = b"AUTH PLAIN\r\n!!!\r\nQUIT\r\n";
    let s2c = [
        GREETING,
        b"+ \r\n",
        b"-ERR Invalid base64 data in continued response\r\n",
        b"+OK Logging out\r\n",
    ]
    .concat();
    let (records, result) = replay(c2s, &s2c);
    result.unwrap_or_else(|e| panic!("{e}"));
    let i = position(&records, |item| matches!(item, Item::Rejected { .. }));
    let Item::Rejected { line, sasl, .. } = &records[i].item else {
        unreachable!()
    };
    assert_eq!((&line[..], *sasl), (&b"!!!"[..], true));
    let Item::Response {
        command, response, ..
    } = &records[i + 1].item
    else {
        panic!("{:?}", records[i + 1])
    };
    assert_eq!((*command, response.is_ok()), ("AUTH", false));
}

#[test]
fn a_multi_line_answer_out_of_our_state_is_followed() {
    // A Latin-1 password: our decoder wants UTF-8, the server logs in. Our
    // sessions stay in AUTHORIZATION, so LIST is out of state for them; its
    // multi-line answer is read to its end and the replay goes on.
    let c2s = b"USER alice\r\nPASS \xe9t\xe9\r\nLIST\r\nQUIT\r\n";
    let s2c = [
        GREETING,
        b"+OK\r\n",
        b"+OK Logged in.\r\n",
        b"+OK 1 messages:\r\n1 120\r\n.\r\n",
        b"+OK Logging out.\r\n",
    ]
    .concat();
    let (records, result) = replay(c2s, &s2c);
    let summary = result.expect("followed to the end");
    assert_eq!(summary.s2c_bytes as usize, s2c.len());
    let findings: Vec<Finding> = records.iter().flat_map(|r| r.findings.clone()).collect();
    assert_eq!(
        findings,
        [
            Finding::AcceptedUndecodableLine,
            Finding::AcceptedOutOfState
        ]
    );
}

#[test]
fn a_failure_after_an_accepted_rejected_line_says_where_the_states_split() {
    let c2s = b"USER alice\r\nPASS \xe9t\xe9\r\nQUIT\r\n";
    let s2c = [GREETING, b"+OK\r\n", b"+OK Logged in.\r\n", b"* BYE\r\n"].concat();
    let (_, result) = replay(c2s, &s2c);
    let error = result.expect_err("no POP3 answer to QUIT");
    assert!(
        error
            .reason
            .contains("the server accepted the line at c2s offset 12"),
        "{error}"
    );
}

#[test]
fn ok_after_a_cancelled_auth_is_still_a_violation() {
    // RFC 5034 §4: the server MUST answer `*` with -ERR.
    let c2s = b"AUTH PLAIN\r\n*\r\nQUIT\r\n";
    let s2c = [
        GREETING,
        b"+ \r\n",
        b"+OK Logged in.\r\n",
        b"+OK Logging out.\r\n",
    ]
    .concat();
    let (_, result) = replay(c2s, &s2c);
    let error = result.expect_err("a violation");
    assert_eq!(error.offset, (GREETING.len() + 4) as u64);
    assert!(error.reason.contains("RFC 5034"), "{error}");
}

// What a server sends unasked before it closes.

#[test]
fn the_servers_own_close_after_too_many_bad_commands_is_a_finding() {
    let records = replay_capture("constructed-too-many-bad-commands");
    let last = records.last().expect("records");
    let Item::Unsolicited(Response::Err(text)) = &last.item else {
        panic!("{last:?}")
    };
    assert_eq!(text.text.as_bytes(), b"Too many bad commands.");
    assert_eq!(last.findings, [Finding::UnsolicitedBeforeClose]);
    assert!(last.exact);
    let unknown = records
        .iter()
        .filter(|r| matches!(&r.item, Item::Command(Command::Other { .. })))
        .count();
    assert_eq!(unknown, 21);
}

#[test]
fn a_positive_line_after_the_last_answer_is_left_over() {
    let c2s = b"QUIT\r\n";
    let s2c = [GREETING, b"+OK Logging out\r\n", b"+OK one more\r\n"].concat();
    let (_, result) = replay(c2s, &s2c);
    let error = result.expect_err("left over");
    assert_eq!(error.offset, (GREETING.len() + 17) as u64);
    assert!(error.reason.contains("left over"), "{error}");
}
