//! Property tests of the value types: modified UTF-7 and mailbox names,
//! sequence sets, and the string forms.

use std::num::NonZeroU32;

use imap_proto::types::{
    AString, MailboxEncoding, MailboxName, NonSyncLiterals, SeqNumber, SeqRange, SequenceSet,
    StringKind, StringOptions, utf7,
};
use proptest::prelude::*;

fn seq_number() -> impl Strategy<Value = SeqNumber> {
    prop_oneof![
        Just(SeqNumber::Largest),
        any::<NonZeroU32>().prop_map(SeqNumber::Value),
        (1u32..20).prop_map(|n| SeqNumber::new(n).unwrap()),
    ]
}

/// Reads back a quoted string written by `StringKind::write`.
fn unquote(wire: &[u8]) -> Vec<u8> {
    let inner = &wire[1..wire.len() - 1];
    let mut out = Vec::new();
    let mut escaped = false;
    for &b in inner {
        if !escaped && b == b'\\' {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(b);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any Unicode text survives modified UTF-7, and the encoding is
    /// printable ASCII.
    #[test]
    fn utf7_round_trip(s in any::<String>()) {
        let wire = utf7::encode(&s);
        prop_assert!(wire.bytes().all(|b| (0x20..=0x7e).contains(&b)));
        prop_assert_eq!(utf7::decode(wire.as_bytes()), Ok(s));
    }

    /// Whatever decodes is canonical: encoding it gives back the input.
    #[test]
    fn utf7_accepts_only_canonical(wire in proptest::collection::vec(
        prop_oneof![Just(b'&'), Just(b'-'), Just(b'A'), Just(b'P'), Just(b'w'), Just(b','), 0x20u8..0x7f],
        0..24,
    )) {
        if let Ok(text) = utf7::decode(&wire) {
            prop_assert_eq!(utf7::encode(&text).into_bytes(), wire);
        }
    }

    /// Mailbox names round-trip in both encodings.
    #[test]
    fn mailbox_round_trip(s in "[^\u{0}]*") {
        let m = MailboxName::new(s.as_str()).unwrap();
        for enc in [MailboxEncoding::ModifiedUtf7, MailboxEncoding::Utf8] {
            prop_assert_eq!(&MailboxName::from_wire(&m.to_wire(enc), enc).unwrap(), &m);
        }
    }

    /// A sequence set reads back as written, and membership agrees with
    /// the normalized ranges.
    #[test]
    fn sequence_set_round_trip(
        ranges in proptest::collection::vec((seq_number(), seq_number()), 1..8),
        largest in 0u32..30,
        probe in 0u32..40,
    ) {
        let set = SequenceSet::new(
            ranges.into_iter().map(|(start, end)| SeqRange { start, end }).collect(),
        ).unwrap();
        let text = set.to_string();
        let back = SequenceSet::parse(text.as_bytes(), 100).unwrap();
        prop_assert_eq!(back.to_string(), text);
        let norm = set.normalize(largest);
        prop_assert_eq!(set.contains(probe, largest), norm.iter().any(|r| r.contains(&probe)));
        for w in norm.windows(2) {
            prop_assert!(u64::from(*w[0].end()) + 1 < u64::from(*w[1].start()));
        }
    }

    /// The chosen form always carries the content: atoms are atoms, quoted
    /// strings unquote to the content, literals announce the right length.
    #[test]
    fn string_forms_carry_the_content(
        content in proptest::collection::vec(1u8..=255, 0..64),
        plus in any::<bool>(),
        utf8 in any::<bool>(),
    ) {
        let s = AString::new(content.clone()).unwrap();
        let options = StringOptions {
            non_sync: if plus { NonSyncLiterals::Plus } else { NonSyncLiterals::None },
            utf8,
        };
        let kind = s.kind(options);
        let mut out = Vec::new();
        let data_at = kind.write(&content, &mut out);
        match kind {
            StringKind::Atom => prop_assert_eq!(&out, &content),
            StringKind::Quoted => {
                prop_assert!(!out.contains(&b'\r') && !out.contains(&b'\n'));
                prop_assert_eq!(unquote(&out), content);
            }
            StringKind::Literal | StringKind::NonSyncLiteral => {
                prop_assert_eq!(&out[data_at..], &content[..]);
                let head = format!("{{{}{}}}\r\n", content.len(), if kind == StringKind::NonSyncLiteral { "+" } else { "" });
                prop_assert_eq!(&out[..data_at], head.as_bytes());
                prop_assert_eq!(kind == StringKind::NonSyncLiteral, plus);
            }
        }
    }
}

#[test]
fn capture_mailbox_names_decode() {
    // Names a real server listed.
    let s2c = mailwire_testdata::read("captures/imap/curl-list-mailboxes.s2c");
    let mut names = Vec::new();
    for line in s2c.split(|&b| b == b'\n') {
        let Some(rest) = line.strip_prefix(b"* LIST ") else {
            continue;
        };
        let rest = rest.strip_suffix(b"\r").unwrap_or(rest);
        let name = rest.rsplit(|&b| b == b' ').next().unwrap();
        let name = name
            .strip_prefix(b"\"")
            .and_then(|n| n.strip_suffix(b"\""))
            .unwrap_or(name);
        let m = MailboxName::from_wire(name, MailboxEncoding::ModifiedUtf7).unwrap();
        assert_eq!(m.to_wire(MailboxEncoding::ModifiedUtf7), name);
        names.push(m);
    }
    assert!(names.contains(&MailboxName::inbox()));
    assert!(
        names.contains(&MailboxName::new("Résumé").unwrap()),
        "{names:?}"
    );
}
