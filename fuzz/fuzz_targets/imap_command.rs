//! Fuzzes the IMAP command decoder (server side): arbitrary bytes in
//! arbitrary chunks, literal announcements accepted or refused and
//! AUTHENTICATE / DONE lines expected as input bits say.
//!
//! Checks: no panic or endless loop, and every decoded command round-trips
//! (encode, decode again: equal).

#![no_main]

use bytes::BytesMut;
use imap_proto::codec::{FramerConfig, Side};
use imap_proto::command::{
    Command, CommandDecoder, CommandEvent, EncodeOptions, Expect, encode, to_bytes,
};
use imap_proto::parse::Strictness;
use libfuzzer_sys::fuzz_target;

fn round_trip(command: &Command, options: EncodeOptions) {
    let wire = to_bytes(&encode(command, options));
    let mut decoder = CommandDecoder::new(FramerConfig::new(Side::Server), Strictness::Lenient);
    let mut buf = BytesMut::from(&wire[..]);
    loop {
        match decoder.decode(&mut buf) {
            Some(CommandEvent::Announcement(_)) => decoder.accept_literal().expect("accept"),
            Some(CommandEvent::Command(again)) => {
                assert_eq!(
                    &again,
                    command,
                    "round trip through {:?}",
                    String::from_utf8_lossy(&wire)
                );
                return;
            }
            other => panic!(
                "{command:?} encoded as {:?} decodes to {other:?}",
                String::from_utf8_lossy(&wire)
            ),
        }
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&head, data)) = input.split_first() else {
        return;
    };
    let strictness = if head & 1 == 0 {
        Strictness::Lenient
    } else {
        Strictness::Strict
    };
    let mut config = FramerConfig::new(Side::Server);
    config.allow_bare_lf = head & 2 != 0;
    let mut decoder = CommandDecoder::new(config, strictness);
    let chunk = usize::from(head >> 2).max(1);
    let mut buf = BytesMut::new();
    let mut bits = data.iter().cycle().skip(1);
    for piece in data.chunks(chunk) {
        buf.extend_from_slice(piece);
        while let Some(event) = decoder.decode(&mut buf) {
            let bit = bits.next().copied().unwrap_or(0);
            match event {
                CommandEvent::Announcement(_) => {
                    let r = if bit & 1 == 0 {
                        decoder.accept_literal()
                    } else {
                        decoder.reject_literal()
                    };
                    r.expect("a decision right after an announcement is valid");
                }
                CommandEvent::Command(c) => {
                    round_trip(&c, EncodeOptions::default());
                    if bit & 2 != 0 {
                        decoder.expect(if bit & 4 != 0 {
                            Expect::AuthLine
                        } else {
                            Expect::Done
                        });
                    }
                }
                CommandEvent::AuthLine(_) | CommandEvent::Done => decoder.expect(Expect::Command),
                _ => {}
            }
        }
    }
});
