//! Fuzzes the borrowed views of the IMAP response decoder against the full
//! parser: arbitrary server bytes in arbitrary chunks, under settings and
//! limits picked by the input.
//!
//! Checks the contract of `view::ViewReader`: its events, each view
//! replaced by `ResponseEvent::Response { response: view.to_response(),
//! quirks: vec![] }`, equal the events of `ResponseDecoder::decode` for the
//! same input in the same chunks; whether the events are taken one at a
//! time (`poll_event`), a read at a time (`for_each_event`) or both in
//! turn, and whether the chunks are copied in (`handle_input`) or handed
//! over as `Bytes` (`handle_input_bytes`). And: no panic in any view
//! accessor, no endless loop, no octet left behind that `decode` would
//! have used.
//!
//! Input: two header bytes, then the server bytes.
//! - byte 0: bit 0 strict, bit 1 UTF-8 in force, bit 2 bare LF allowed,
//!   bit 3 FETCH literals streamed above 8 octets, bits 4-6 the limits
//!   (0-3 default; 4 short lines and messages; 5 few list items; 6 shallow
//!   nesting; 7 few literals), bit 7 chunks handed over as `Bytes`.
//! - byte 1: bits 0-4 the read size (1 to 31 octets; 31: everything at
//!   once), bits 5-7 how events are taken (see `PATTERNS`).

#![no_main]

use bytes::{Bytes, BytesMut};
use imap_proto::codec::{FramerConfig, Side};
use imap_proto::parse::Strictness;
use imap_proto::response::{ResponseDecoder, ResponseEvent};
use imap_proto::view::{
    BodyView, EnvelopeView, FetchItemView, ResponseView, ViewEvent, ViewReader,
};
use libfuzzer_sys::fuzz_target;

/// How events are taken, cycled per call: `true` is one `poll_event`,
/// `false` one `for_each_event` (every event of the read).
const PATTERNS: [&[bool]; 8] = [
    &[true],
    &[true, false],
    &[false, true],
    &[true, true, false],
    &[true, false, false],
    &[false, false, true],
    &[true, true, true, false],
    &[true, false, true, true, false],
];

fuzz_target!(|input: &[u8]| {
    let [settings, reads, data @ ..] = input else {
        return;
    };
    let strictness = if settings & 1 == 0 {
        Strictness::Lenient
    } else {
        Strictness::Strict
    };
    let mut config = FramerConfig::new(Side::Client);
    config.allow_bare_lf = settings & 4 != 0;
    if settings & 8 != 0 {
        config.limits.literal_stream_threshold = 8;
    }
    match (settings >> 4) & 7 {
        4 => {
            config.limits.max_response_line = 64;
            config.limits.max_message_size = 256;
        }
        5 => config.limits.max_items = 2,
        6 => config.limits.max_depth = 3,
        7 => {
            config.limits.max_literals = 1;
            config.limits.max_literal_size = 16;
        }
        _ => {}
    }
    let utf8 = settings & 2 != 0;
    let mut d = ResponseDecoder::with_config(config.clone(), strictness);
    d.set_utf8(utf8);
    let mut reader = ViewReader::with_config(config, strictness);
    reader.set_utf8(utf8);
    let read = match reads & 0x1f {
        31 => data.len().max(1),
        n => usize::from(n) + 1,
    };
    let pattern = PATTERNS[usize::from(reads >> 5)];
    let shared = settings & 0x80 != 0;
    // Events are at most one per octet, plus a few (a literal's end, the
    // rest of a FETCH after it); far more means a loop.
    let bound = 4 * data.len() + 16;

    let mut owned = Vec::new();
    let mut buf = BytesMut::new();
    for piece in data.chunks(read) {
        buf.extend_from_slice(piece);
        while let Some(event) = d.decode(&mut buf) {
            owned.push(event);
            assert!(owned.len() <= bound, "decode loops");
        }
    }
    let owned_left = buf.len();

    let mut viewed = Vec::new();
    let mut call = 0usize;
    let take = |event: ViewEvent<'_>, viewed: &mut Vec<ResponseEvent>| {
        viewed.push(match event {
            ViewEvent::View(view) => {
                touch(&view);
                ResponseEvent::Response {
                    response: view.to_response(),
                    quirks: Vec::new(),
                }
            }
            ViewEvent::Event(event) => *event,
        });
        assert!(viewed.len() <= bound, "the reader loops");
    };
    for piece in data.chunks(read) {
        if shared {
            reader.handle_input_bytes(Bytes::copy_from_slice(piece));
        } else {
            reader.handle_input(piece);
        }
        loop {
            let one = pattern[call % pattern.len()];
            call += 1;
            if !one {
                reader.for_each_event(|event| take(event, &mut viewed));
                break;
            }
            match reader.poll_event() {
                Some(event) => take(event, &mut viewed),
                None => break,
            }
        }
    }
    assert_eq!(reader.buffered(), owned_left, "octets left over differ");
    assert!(
        owned == viewed,
        "decode and the view reader disagree on {:?} (read {read}, pattern {pattern:?}, \
         shared {shared}, strict {}, utf8 {utf8}, settings {settings:#04x})\n  decode: {owned:?}\n  \
         reader: {viewed:?}",
        data.escape_ascii().to_string(),
        settings & 1 != 0,
    );
});

/// Calls every accessor of a view (none may panic) and checks the few
/// that restate what `to_response` gives.
fn touch(view: &ResponseView<'_>) {
    match view {
        ResponseView::Status(s) => {
            let _ = (s.tag(), s.kind(), s.code(), s.text());
            assert_eq!(s.to_response().tag().map(|t| t.as_str()), s.tag());
        }
        ResponseView::Continue(text) => {
            let _ = text.len();
        }
        ResponseView::Exists(_) | ResponseView::Recent(_) | ResponseView::Expunge(_) => {}
        ResponseView::Fetch(f) => {
            let _ = f.seq();
            assert_eq!(f.items().count(), f.to_items().len());
            for item in f.items() {
                match item {
                    FetchItemView::Flags(flags) => {
                        for flag in flags.iter() {
                            assert!(!flag.is_empty());
                        }
                    }
                    FetchItemView::Envelope(e) => touch_envelope(e),
                    FetchItemView::Body(b) | FetchItemView::BodyStructure(b) => touch_body(b, 0),
                    _ => {}
                }
                let _ = item.to_item();
            }
        }
        ResponseView::List(l) | ResponseView::Lsub(l) => {
            let _ = (l.attributes().count(), l.delimiter(), l.mailbox_name());
            let _ = (l.mailbox().bytes(), l.mailbox().to_str(), l.mailbox().raw());
            let _ = l.to_list_item();
        }
        _ => {}
    }
}

fn touch_envelope(e: EnvelopeView<'_>) {
    for s in [e.date(), e.subject(), e.in_reply_to(), e.message_id()]
        .into_iter()
        .flatten()
    {
        let _ = (s.bytes(), s.to_str(), s.is_escaped());
    }
    for list in [e.from(), e.sender(), e.reply_to(), e.to(), e.cc(), e.bcc()] {
        let _ = list.is_empty();
        for a in list.iter() {
            let _ = (a.name(), a.adl(), a.mailbox(), a.host(), a.to_address());
        }
    }
    let _ = e.to_envelope();
}

fn touch_body(b: BodyView<'_>, depth: usize) {
    assert!(depth < 256, "body views nest too deep");
    let _ = (
        b.is_multipart(),
        b.media_type().bytes(),
        b.subtype().bytes(),
    );
    for (k, v) in b.params().iter() {
        let _ = (k.bytes(), v.bytes());
    }
    let _ = (b.id(), b.description(), b.encoding(), b.size(), b.lines());
    let _ = (b.md5(), b.location(), b.language().count());
    if let Some((kind, params)) = b.disposition() {
        let _ = (kind.bytes(), params.iter().count());
    }
    if let Some(e) = b.envelope() {
        touch_envelope(e);
    }
    if let Some(inner) = b.body() {
        touch_body(inner, depth + 1);
    }
    for part in b.parts() {
        touch_body(part, depth + 1);
    }
    let _ = b.to_body_structure();
}
