//! Client-side response decoding: a queue of expected shapes from the first
//! input bytes, then the rest in arbitrary chunks into `ResponseDecoder`.
//! Checks bounded output and that chunking does not change what is decoded:
//! the chunked run (a `BytesMut` receive buffer) must agree with decoding the
//! whole stream in place from `Bytes`.
//!
//! Input: a byte `n` (low six bits: header length; top two: body chunk
//! threshold), `n` shape bytes (see `mailwire_fuzz::SHAPES`), then the
//! server's bytes.

#![no_main]

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use mailwire_fuzz::{Chunks, shape, split_header};
use pop3_proto::codec::ReceiveBuffer;
use pop3_proto::{Error, Limits, Response, ResponseShape};
use pop3_proto::{ResponseDecoder, ResponseEvent};

/// What a stream decoded to, independent of how it was chunked.
#[derive(Debug, PartialEq, Eq)]
enum Decoded {
    Response(Response),
    /// A whole body, its chunks joined.
    Body(Vec<u8>),
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Outcome {
    items: Vec<Decoded>,
    /// A body in progress when the input ran out.
    partial_body: Option<Vec<u8>>,
    error: Option<Error>,
    /// Items decoded.
    decoded: usize,
    /// Body octets delivered.
    body_total: usize,
}

/// Decodes what `buf` holds, appending to `out`. Returns false when the
/// run is over (an error, or no answer left to wait for).
fn drain<B: ReceiveBuffer>(
    decoder: &mut ResponseDecoder,
    buf: &mut B,
    queue: &mut VecDeque<ResponseShape>,
    out: &mut Outcome,
    fed: usize,
) -> bool {
    loop {
        let Some(&shape) = queue.front() else {
            return false;
        };
        let item = match decoder.decode(buf, shape) {
            Ok(Some(item)) => item,
            Ok(None) => break,
            Err(e) => {
                out.error = Some(e);
                return false;
            }
        };
        // Every item but BodyEnd consumes input: a decoder that returns
        // items forever without it is looping.
        out.decoded += 1;
        assert!(
            out.decoded <= 2 * fed + 2,
            "{} items from {fed} octets",
            out.decoded
        );
        if item.is_final() {
            queue.pop_front();
        }
        match item {
            ResponseEvent::BodyChunk(data) => {
                out.body_total += data.len();
                assert!(
                    out.body_total <= fed,
                    "{} body octets from {fed} input octets",
                    out.body_total
                );
                out.partial_body
                    .get_or_insert_with(Vec::new)
                    .extend_from_slice(&data);
            }
            ResponseEvent::BodyEnd => {
                let body = out.partial_body.take().unwrap_or_default();
                out.items.push(Decoded::Body(body));
            }
            ResponseEvent::Response(r) => out.items.push(Decoded::Response(r)),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        buf.octets().len() <= fed,
        "receive buffer grew beyond the input"
    );
    true
}

/// The stream in chunks, into a `BytesMut` receive buffer.
fn chunked(limits: &Limits, stream: &[u8], shapes: &[ResponseShape]) -> Outcome {
    let mut queue: VecDeque<ResponseShape> = shapes.iter().copied().collect();
    let mut decoder = ResponseDecoder::new(limits.clone());
    let mut out = Outcome::default();
    let mut buf = BytesMut::new();
    let mut fed = 0;
    for (_, chunk) in Chunks::new(stream) {
        buf.extend_from_slice(chunk);
        fed += chunk.len();
        if !drain(&mut decoder, &mut buf, &mut queue, &mut out, fed) {
            break;
        }
    }
    out
}

/// The whole stream at once, decoded in place from `Bytes` (zero copy).
fn whole(limits: &Limits, stream: &[u8], shapes: &[ResponseShape]) -> Outcome {
    let mut queue: VecDeque<ResponseShape> = shapes.iter().copied().collect();
    let mut decoder = ResponseDecoder::new(limits.clone());
    let mut out = Outcome::default();
    let mut buf = Bytes::copy_from_slice(stream);
    drain(&mut decoder, &mut buf, &mut queue, &mut out, stream.len());
    out
}

fuzz_target!(|data: &[u8]| {
    let (limits, header, stream) = split_header(data);
    let shapes: Vec<ResponseShape> = header.iter().map(|&b| shape(b)).collect();
    let mut chunked = chunked(&limits, stream, &shapes);
    let mut whole = whole(&limits, stream, &shapes);
    // How many pieces a body came in depends on the chunking; nothing else may.
    (chunked.decoded, chunked.body_total) = (0, 0);
    (whole.decoded, whole.body_total) = (0, 0);
    assert_eq!(chunked, whole, "chunking changed what was decoded");
});
