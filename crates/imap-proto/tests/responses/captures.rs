//! Every real capture's server side decoded message by message and
//! round-tripped, in any chunking.

use super::*;

/// The server side of every capture, up to the STARTTLS upgrade where there
/// is one.
fn captures() -> Vec<(String, Vec<u8>)> {
    common::captures()
        .into_iter()
        .map(|(n, c2s, mut s2c)| {
            if n.contains("starttls") {
                s2c.truncate(plaintext_end(&c2s, &s2c));
            }
            (n, s2c)
        })
        .collect()
}

/// In a STARTTLS capture: the end of the server's tagged answer to STARTTLS.
fn plaintext_end(c2s: &[u8], s2c: &[u8]) -> usize {
    let pos = c2s
        .windows(10)
        .position(|w| w.eq_ignore_ascii_case(b" STARTTLS\r"))
        .unwrap();
    let line_start = c2s[..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let mut needle = b"\n".to_vec();
    needle.extend_from_slice(&c2s[line_start..pos]);
    needle.extend_from_slice(b" OK ");
    let at = s2c.windows(needle.len()).position(|w| w == needle).unwrap();
    at + 1 + s2c[at + 1..].iter().position(|&b| b == b'\n').unwrap() + 1
}

#[test]
fn every_capture_decodes_and_round_trips() {
    let all = captures();
    assert!(all.len() >= 40, "captures found: {}", all.len());
    let mut total = 0;
    for (name, s2c) in &all {
        let events = decode_stream(&[s2c]);
        assert!(!events.is_empty(), "{name}");
        for ev in &events {
            match ev {
                ResponseEvent::Response { response, .. } => {
                    check_roundtrip(response);
                    total += 1;
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        // Strict decoding of Dovecot's bytes finds nothing to object to.
        let mut d = decoder(Strictness::Strict);
        let mut buf = Bytes::copy_from_slice(s2c);
        while let Some(ev) = d.decode(&mut buf) {
            assert!(
                matches!(ev, ResponseEvent::Response { ref quirks, .. } if quirks.is_empty()),
                "{name}: {ev:?}"
            );
        }
    }
    assert!(total > 1000, "{total}");
}

#[test]
fn captures_decode_the_same_in_any_chunking() {
    for (name, s2c) in captures() {
        let whole = decode_stream(&[&s2c]);
        for size in [1, 7, 4096] {
            let chunks: Vec<&[u8]> = s2c.chunks(size).collect();
            assert_eq!(
                decode_stream(&chunks),
                whole,
                "{name} in {size}-octet chunks"
            );
        }
    }
}
