//! Client-side response decoding: a queue of expected shapes from the first
//! input bytes, then the rest in arbitrary chunks into `ResponseDecoder`.
//! Checks bounded output and that chunking does not change what is decoded.
//!
//! Input: a byte `n` (low six bits: header length; top two: body chunk
//! threshold), `n` shape bytes (see `mailwire_fuzz::SHAPES`), then the
//! server's bytes.

#![no_main]

use std::collections::VecDeque;

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use mailwire_fuzz::{Chunks, shape, split_header};
use pop3_proto::codec::{ResponseDecoder, ResponseItem};
use pop3_proto::{Error, Limits, Response, ResponseShape};

/// What a stream decoded to, independent of how it was chunked.
#[derive(Debug, PartialEq, Eq)]
enum Decoded {
    Response(Response),
    /// A whole body, its chunks joined.
    Body(Vec<u8>),
}

#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    items: Vec<Decoded>,
    /// A body in progress when the input ran out.
    partial_body: Option<Vec<u8>>,
    error: Option<Error>,
}

fn run(limits: &Limits, stream: &[u8], shapes: &[ResponseShape], chunked: bool) -> Outcome {
    let mut queue: VecDeque<ResponseShape> = shapes.iter().copied().collect();
    let mut decoder = ResponseDecoder::new(limits.clone());
    let mut buf = BytesMut::new();
    let mut out = Outcome {
        items: Vec::new(),
        partial_body: None,
        error: None,
    };
    let mut fed = 0usize;
    let mut body_total = 0usize;
    let mut decoded = 0usize;
    let chunks: Box<dyn Iterator<Item = &[u8]>> = if chunked {
        Box::new(Chunks::new(stream).map(|(_, c)| c))
    } else {
        Box::new(std::iter::once(stream))
    };
    'input: for chunk in chunks {
        buf.extend_from_slice(chunk);
        fed += chunk.len();
        loop {
            let Some(&shape) = queue.front() else {
                break 'input;
            };
            let item = match decoder.decode(&mut buf, shape) {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(e) => {
                    out.error = Some(e);
                    break 'input;
                }
            };
            // Every item but BodyEnd consumes input: a decoder that returns
            // items forever without it is looping.
            decoded += 1;
            assert!(decoded <= 2 * fed + 2, "{decoded} items from {fed} octets");
            if item.is_final() {
                queue.pop_front();
            }
            match item {
                ResponseItem::BodyChunk(data) => {
                    body_total += data.len();
                    assert!(
                        body_total <= fed,
                        "{body_total} body octets from {fed} input octets"
                    );
                    out.partial_body
                        .get_or_insert_with(Vec::new)
                        .extend_from_slice(&data);
                }
                ResponseItem::BodyEnd => {
                    let body = out.partial_body.take().unwrap_or_default();
                    out.items.push(Decoded::Body(body));
                }
                ResponseItem::Response(r) => out.items.push(Decoded::Response(r)),
            }
        }
        assert!(buf.len() <= fed, "receive buffer grew beyond the input");
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let (limits, header, stream) = split_header(data);
    let shapes: Vec<ResponseShape> = header.iter().map(|&b| shape(b)).collect();
    let chunked = run(&limits, stream, &shapes, true);
    let whole = run(&limits, stream, &shapes, false);
    assert_eq!(chunked, whole, "chunking changed what was decoded");
});
