//! Fuzzes the IMAP response decoder (client side): arbitrary bytes in
//! arbitrary chunks.
//!
//! Checks: no panic or endless loop; streamed literal data never exceeds
//! the input; every decoded response round-trips (encode, parse again:
//! equal; leniently, as 8-bit text stays 8-bit).

#![no_main]

use bytes::{Bytes, BytesMut};
use imap_proto::Limits;
use imap_proto::codec::{FramerConfig, Side};
use imap_proto::parse::Strictness;
use imap_proto::response::{Response, ResponseDecoder, ResponseEvent};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&head, data)) = input.split_first() else {
        return;
    };
    let strictness = if head & 1 == 0 {
        Strictness::Lenient
    } else {
        Strictness::Strict
    };
    let mut config = FramerConfig::new(Side::Client);
    if head & 2 != 0 {
        config.limits.literal_stream_threshold = 8;
    }
    let mut decoder = ResponseDecoder::with_config(config, strictness);
    let chunk = usize::from(head >> 2).max(1);
    let mut buf = BytesMut::new();
    let mut streamed = 0usize;
    for piece in data.chunks(chunk) {
        buf.extend_from_slice(piece);
        while let Some(event) = decoder.decode(&mut buf) {
            match event {
                ResponseEvent::Response { response, .. } => {
                    let mut wire = Vec::new();
                    response.encode(&mut wire);
                    let wire = Bytes::from(wire);
                    match Response::parse_bytes(&wire, 0, &Limits::default(), Strictness::Lenient) {
                        Ok((again, _)) => {
                            assert_eq!(again, response, "round trip through {wire:?}")
                        }
                        Err(e) => panic!("{response:?} encoded as {wire:?} does not parse: {e}"),
                    }
                }
                ResponseEvent::LiteralChunk(c) => {
                    streamed += c.len();
                    assert!(streamed <= data.len());
                }
                _ => {}
            }
        }
    }
});
