//! Fuzzes the IMAP response decoder (client side): arbitrary bytes in
//! arbitrary chunks.
//!
//! Checks: no panic or endless loop; streamed literal data never exceeds
//! the input; every decoded response round-trips (encode, parse again:
//! equal; leniently, as 8-bit text stays 8-bit); the chunked run and a run
//! over the whole input at once give the same responses, errors (at the
//! same offsets) and streamed data.

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
    let mut whole = ResponseDecoder::with_config(config.clone(), strictness);
    let mut decoder = ResponseDecoder::with_config(config, strictness);
    let chunk = usize::from(head >> 2).max(1);
    let mut seen = Vec::new();
    let mut buf = BytesMut::new();
    let mut streamed = 0usize;
    for piece in data.chunks(chunk) {
        buf.extend_from_slice(piece);
        while let Some(event) = decoder.decode(&mut buf) {
            seen.push(Seen::of(&event));
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
    let mut all = BytesMut::from(data);
    let mut at_once = Vec::new();
    while let Some(event) = whole.decode(&mut all) {
        at_once.push(Seen::of(&event));
    }
    assert_eq!(
        normalize(seen),
        normalize(at_once),
        "chunked and whole runs differ"
    );
});

/// An event as compared across chunkings (literal chunks are merged: their
/// sizes follow the reads).
#[derive(Debug, PartialEq)]
enum Seen {
    Response(Response),
    Error(u64),
    Data(Vec<u8>),
    Other(String),
}

impl Seen {
    fn of(event: &ResponseEvent) -> Self {
        match event {
            ResponseEvent::Response { response, .. } => Seen::Response(response.clone()),
            ResponseEvent::Error(e) => Seen::Error(e.offset),
            ResponseEvent::LiteralChunk(c) => Seen::Data(c.to_vec()),
            other => Seen::Other(format!("{other:?}")),
        }
    }
}

fn normalize(events: Vec<Seen>) -> Vec<Seen> {
    let mut out: Vec<Seen> = Vec::new();
    for e in events {
        match (out.last_mut(), e) {
            (Some(Seen::Data(d)), Seen::Data(more)) => d.extend_from_slice(&more),
            (_, e) => out.push(e),
        }
    }
    out
}
