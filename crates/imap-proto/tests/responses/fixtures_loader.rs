//! The fixture loader itself: what it reads, and that it refuses (naming
//! the file and line) what it cannot read, so no test passes on zero or
//! misread inputs.

use super::common::fixtures::{Strict, parse, unescape};
use super::*;

#[test]
fn a_record_reads_with_its_fields_and_escapes() {
    let text = "# a comment\n\
                \n\
                Domino 10 (MailKit#943) | wrapped-items | refused | * 1 FETCH (BODY[] {2}%0D%0Ahi)\n\
                RFC 3501 | - | accepted | * 3 EXISTS\n\
                deployed servers | - | - | * OK 90%25 at caf%C3%A9%20\n";
    let records = parse("t.txt", text).unwrap();
    assert_eq!(records.len(), 3);
    let r = &records[0];
    assert_eq!((r.file.as_str(), r.line), ("t.txt", 3));
    assert_eq!(r.origin, "Domino 10 (MailKit#943)");
    assert_eq!(r.quirk, Some(Quirk::WrappedItems));
    assert_eq!(r.strict, Strict::Refused);
    assert_eq!(r.data, b"* 1 FETCH (BODY[] {2}\r\nhi)");
    assert_eq!(r.wire(), b"* 1 FETCH (BODY[] {2}\r\nhi)\r\n");
    assert_eq!(r.at(), "t.txt:3 (Domino 10 (MailKit#943))");
    assert_eq!(
        (records[1].quirk, records[1].strict),
        (None, Strict::Accepted)
    );
    assert_eq!(records[2].strict, Strict::Unsaid);
    assert_eq!(records[2].text(), "* OK 90% at café ");
    // The message is everything after the third separator.
    let r = parse("t.txt", "x | - | - | a | b").unwrap();
    assert_eq!(r[0].data, b"a | b");
}

#[test]
fn malformed_records_are_refused_with_file_and_line() {
    let cases: &[(&str, &str)] = &[
        ("only | three | fields", "t.txt:2: expected"),
        (" padded | - | - | * OK", "t.txt:2: origin"),
        (
            "x | no-such-quirk | refused | * OK",
            "no quirk is named \"no-such-quirk\"",
        ),
        ("x | Extra-Space | refused | * OK", "no quirk is named"),
        (
            "x | - | maybe | * OK",
            "strict is `refused`, `accepted` or `-`",
        ),
        (
            "x | extra-space | - | * OK",
            "a message with a named quirk is refused strictly",
        ),
        ("x | - | - | ", "no message"),
        ("x | - | - | * OK ", "ends in a raw space"),
        ("x | - | - | * OK\tthere", "raw octet 0x09: write it as %09"),
        ("x | - | - | * OK caf\u{e9}", "raw octet 0xC3"),
        ("x | - | - | * OK\r", "raw octet 0x0D"),
        (
            "x | - | - | * OK 90% done",
            "% is followed by two upper-case hex digits",
        ),
        (
            "x | - | - | * OK %0d%0a",
            "% is followed by two upper-case hex digits",
        ),
        ("x | - | - | * OK 9%", "% at the end"),
    ];
    for (record, reason) in cases {
        let text = format!("# header\n{record}\n");
        let e = parse("t.txt", &text).unwrap_err();
        assert!(e.starts_with("t.txt:2: "), "{record:?}: {e}");
        assert!(e.contains(reason), "{record:?}: {e}");
    }
}

#[test]
fn every_octet_has_one_spelling() {
    for b in 0..=255u8 {
        let escaped = format!("x%{b:02X}y");
        assert_eq!(unescape(&escaped).unwrap(), [b'x', b, b'y']);
        let raw_ok = (0x20..0x7f).contains(&b) && b != b'%';
        if raw_ok {
            let raw = format!("x{}y", b as char);
            assert_eq!(unescape(&raw).unwrap(), [b'x', b, b'y']);
        }
    }
}

#[test]
fn missing_and_empty_tables_fail_the_test() {
    // `load` fails the test that calls it; run it where that failure can
    // be seen and checked.
    let missing = std::panic::catch_unwind(|| load("responses/no-such-file.txt"));
    let message = missing.unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("test data responses/no-such-file.txt not found at "),
        "{message}"
    );
    let dir = std::env::temp_dir().join(format!("imap-proto-fixtures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "# only a comment\n\n").unwrap();
    let loaded = std::panic::catch_unwind(|| load(empty.to_str().unwrap()));
    std::fs::remove_dir_all(&dir).unwrap();
    let message = loaded.unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(message.contains("holds no record"), "{message}");
}

#[test]
fn every_fixture_reads() {
    // Every file under tests/fixtures/ is read by some test; this one
    // reads them all, so a malformed record fails here too, with its
    // file and line, whichever test would have read it.
    let mut total = 0;
    for dir in ["responses", "responses/rfc", "commands"] {
        let path = std::path::Path::new(common::fixtures::FIXTURES).join(dir);
        for entry in std::fs::read_dir(&path).unwrap() {
            let file = entry.unwrap().path();
            if file.extension().is_some_and(|x| x == "txt") {
                let name = file.strip_prefix(common::fixtures::FIXTURES).unwrap();
                total += load(name.to_str().unwrap().trim_start_matches('/')).len();
            }
        }
    }
    // 935 server lines and 206 client lines when they became data.
    assert!(total >= 935 + 206, "{total} records");
}
