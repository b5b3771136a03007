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
