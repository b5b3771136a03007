//! Response grammar tests, one test binary with a module per subject: RFC
//! examples and other servers' lines, every real capture decoded and
//! round-tripped message by message, the quirks (each accepted leniently
//! and refused strictly), the defects real servers showed, literals, and
//! proptest round trips and chunking invariance.
//!
//! The lines they read are text fixtures under `tests/fixtures/`.

use bytes::{Bytes, BytesMut};
use imap_proto::Limits;
use imap_proto::codec::FramerConfig;
use imap_proto::parse::{Quirk, Strictness};
use imap_proto::response::*;

/// Parses one whole response (CRLF included).
fn parse_with(input: &[u8], strictness: Strictness) -> Result<(Response, Vec<Quirk>), String> {
    let bytes = Bytes::copy_from_slice(input);
    Response::parse_bytes(&bytes, 0, &Limits::default(), strictness).map_err(|e| e.to_string())
}

fn parse(input: &[u8]) -> (Response, Vec<Quirk>) {
    parse_with(input, Strictness::Lenient)
        .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(input)))
}

/// Parses, checks the round trip (decode(encode(x)) == x, and the encoding
/// is a fixed point), returns the response.
fn roundtrip(input: &[u8]) -> Response {
    let (r, _) = parse(input);
    check_roundtrip(&r);
    r
}

fn check_roundtrip(r: &Response) {
    let enc = r.to_bytes();
    let (again, quirks) = parse_with(&enc, Strictness::Lenient)
        .unwrap_or_else(|e| panic!("re-parse of {:?}: {e}", String::from_utf8_lossy(&enc)));
    assert_eq!(&again, r, "{:?}", String::from_utf8_lossy(&enc));
    assert_eq!(again.to_bytes(), enc);
    let strict_ok = parse_with(&enc, Strictness::Strict).is_ok();
    assert!(
        strict_ok || !quirks.is_empty(),
        "canonical encoding refused strictly: {:?}",
        String::from_utf8_lossy(&enc)
    );
}

/// A decoder that keeps literals of up to 64 MiB in the frame.
fn decoder(strictness: Strictness) -> ResponseDecoder {
    let mut config = FramerConfig::new(imap_proto::codec::Side::Client);
    config.limits.literal_stream_threshold = 64 * 1024 * 1024;
    ResponseDecoder::with_config(config, strictness)
}

/// Decodes a whole stream with the decoder; returns the events.
fn decode_stream(chunks: &[&[u8]]) -> Vec<ResponseEvent> {
    let mut d = decoder(Strictness::Lenient);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for c in chunks {
        buf.extend_from_slice(c);
        while let Some(ev) = d.decode(&mut buf) {
            out.push(ev);
        }
    }
    assert!(buf.is_empty(), "bytes left over");
    out
}

/// Checks that `input` decodes leniently with `quirk` recorded, that the
/// result round-trips, and that strict decoding refuses it.
fn quirk_case(input: &[u8], quirk: Quirk) -> Response {
    let (r, quirks) = parse(input);
    assert!(
        quirks.contains(&quirk),
        "{:?}: {quirks:?}",
        String::from_utf8_lossy(input)
    );
    check_roundtrip(&r);
    assert!(
        parse_with(input, Strictness::Strict).is_err(),
        "strict accepted {:?}",
        String::from_utf8_lossy(input)
    );
    r
}

fn body_of(r: &Response) -> &BodyStructure {
    let Response::Untagged(Data::Fetch { items, .. }) = r else {
        panic!("{r:?}")
    };
    match &items[0] {
        FetchItem::BodyStructure(b) | FetchItem::Body(b) => b,
        other => panic!("{other:?}"),
    }
}

#[path = "../common/mod.rs"]
mod common;
use common::fixtures::{Strict, load};
use common::strategies;

mod body;
mod captures;
mod decoding;
mod defects;
mod examples;
mod fixtures_loader;
mod literals;
mod props;
mod quirks;
