//! Every real POP3 capture in `shared/testdata/captures/pop3` (real clients
//! against Dovecot) replays through a server session and a client session.

use std::path::PathBuf;

use pop3_proto::Limits;
use pop3_proto::inspect::{Item, inspect};

fn captures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/captures/pop3")
}

#[test]
fn every_capture_replays() {
    let dir = captures_dir();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .into_string()
                .ok()?
                .strip_suffix(".c2s")
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(
        names.len() >= 30,
        "expected the captures, found {}",
        names.len()
    );
    for name in names {
        let c2s = std::fs::read(dir.join(format!("{name}.c2s"))).unwrap();
        let s2c = std::fs::read(dir.join(format!("{name}.s2c"))).unwrap();
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
