//! Shared by the integration tests: the IMAP captures of
//! `testdata/captures/imap` (real clients against a real server),
//! the loader of the text fixtures under `tests/fixtures/` (and the server
//! line tables read from them), the proptest strategies several test files
//! use, and the check that the response decoder and the view reader agree.
//!
//! Each test file compiles its own copy and uses only part of it.
#![allow(dead_code)]

pub(crate) mod fixtures;
pub(crate) mod lines;
pub(crate) mod strategies;

use bytes::{Bytes, BytesMut};
use imap_proto::codec::{FramerConfig, Side};
use imap_proto::parse::Strictness;
use imap_proto::response::{ResponseDecoder, ResponseEvent};
use imap_proto::view::{ViewEvent, ViewReader};

/// Every capture, by name: (name, client octets, server octets).
pub(crate) fn captures() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    mailwire_testdata::captures(mailwire_testdata::Protocol::Imap)
        .into_iter()
        .map(|c| (c.name, c.c2s, c.s2c))
        .collect()
}

/// How the decoder and the reader of [`agree_with_views_in`] are set up.
#[derive(Debug, Clone)]
pub(crate) struct Setup {
    /// Framer settings (limits, bare LF).
    pub(crate) config: FramerConfig,
    /// Lenient or strict.
    pub(crate) strictness: Strictness,
    /// `ResponseDecoder::set_utf8` (and `ViewReader::set_utf8`).
    pub(crate) utf8: bool,
}

impl Default for Setup {
    /// What `ResponseDecoder::new` is.
    fn default() -> Self {
        Self {
            config: FramerConfig::new(Side::Client),
            strictness: Strictness::Lenient,
            utf8: false,
        }
    }
}

impl Setup {
    fn decoder(&self) -> ResponseDecoder {
        let mut d = ResponseDecoder::with_config(self.config.clone(), self.strictness);
        d.set_utf8(self.utf8);
        d
    }

    /// A view reader set up as the decoder.
    pub(crate) fn reader(&self) -> ViewReader {
        let mut r = ViewReader::with_config(self.config.clone(), self.strictness);
        r.set_utf8(self.utf8);
        r
    }
}

/// The contract of `ViewReader`: decodes `input`, fed in `read`-octet
/// pieces (0 counts as 1), once with `ResponseDecoder::decode` and once
/// with `ViewReader::poll_event` on default settings, and asserts that the
/// two give the same events in the same order, once every view is
/// replaced by `ResponseEvent::Response { response: view.to_response(),
/// quirks: vec![] }`. Errors must match too (kind and offset), as must the
/// pieces of streamed literals. So a view is never produced for a line the
/// full parser would refuse or would accept only with a quirk. The same
/// holds for `ViewReader::for_each_event`, and with the pieces handed over
/// as `Bytes` (`handle_input_bytes`, read without a copy).
///
/// Returns the number of views, so that callers can show views did fire.
/// Panics (naming the input) on the first disagreement.
pub(crate) fn agree_with_views(input: &[u8], read: usize) -> usize {
    agree_with_views_in(&Setup::default(), input, read)
}

/// [`agree_with_views`] with the decoder and the reader set up as `setup`
/// says.
pub(crate) fn agree_with_views_in(setup: &Setup, input: &[u8], read: usize) -> usize {
    let (owned, viewed, views) = both_ways(setup, input, read);
    assert_eq!(
        owned,
        viewed,
        "decode (left) and poll_event (right) disagree on {:?} read {read} octets at a time",
        String::from_utf8_lossy(input)
    );
    let (batched, batched_views) = batched(setup, input, read);
    assert_eq!(
        viewed,
        batched,
        "poll_event (left) and for_each_event (right) disagree on {:?} read {read} octets at a time",
        String::from_utf8_lossy(input)
    );
    assert_eq!(views, batched_views);
    let (shared, shared_views) = shared(setup, input, read);
    assert_eq!(
        viewed,
        shared,
        "handle_input (left) and handle_input_bytes (right) disagree on {:?} read {read} octets at a time",
        String::from_utf8_lossy(input)
    );
    assert_eq!(views, shared_views);
    views
}

/// The event `decode` gives where the reader gave `event`: a view as its
/// owned response (counted in `views`).
pub(crate) fn owned_event(event: ViewEvent<'_>, views: &mut usize) -> ResponseEvent {
    match event {
        ViewEvent::View(v) => {
            *views += 1;
            ResponseEvent::Response {
                response: v.to_response(),
                quirks: Vec::new(),
            }
        }
        ViewEvent::Event(e) => *e,
    }
}

/// The events of `for_each_event` (views turned into owned responses) for
/// `input` fed in `read`-octet pieces, and the number of views; checks
/// that each call leaves only octets not read yet (the start of a
/// response, never a whole one).
pub(crate) fn batched(setup: &Setup, input: &[u8], read: usize) -> (Vec<ResponseEvent>, usize) {
    let mut events = Vec::new();
    let mut views = 0;
    let mut r = setup.reader();
    for chunk in input.chunks(read.max(1)) {
        r.handle_input(chunk);
        r.for_each_event(|ev| {
            events.push(owned_event(ev, &mut views));
        });
        // What is left is no whole response: the reader asked again gives
        // nothing.
        assert!(r.poll_event().is_none(), "for_each_event stopped early");
        assert!(r.wants_input());
    }
    (events, views)
}

/// The events of `poll_event` for `input` fed in `read`-octet pieces, each
/// handed over as `Bytes` (read in place when the reader holds nothing
/// else), and the number of views.
pub(crate) fn shared(setup: &Setup, input: &[u8], read: usize) -> (Vec<ResponseEvent>, usize) {
    let mut events = Vec::new();
    let mut views = 0;
    let mut r = setup.reader();
    for chunk in input.chunks(read.max(1)) {
        r.handle_input_bytes(Bytes::copy_from_slice(chunk));
        while let Some(ev) = r.poll_event() {
            events.push(owned_event(ev, &mut views));
        }
    }
    (events, views)
}

/// The events of `decode` and of `poll_event` (views turned into owned
/// responses) for `input` fed in `read`-octet pieces, and the number of
/// views; compares nothing.
pub(crate) fn both_ways(
    setup: &Setup,
    input: &[u8],
    read: usize,
) -> (Vec<ResponseEvent>, Vec<ResponseEvent>, usize) {
    let mut owned = Vec::new();
    let mut d = setup.decoder();
    let mut buf = BytesMut::new();
    for chunk in input.chunks(read.max(1)) {
        buf.extend_from_slice(chunk);
        while let Some(ev) = d.decode(&mut buf) {
            owned.push(ev);
        }
    }
    let mut viewed = Vec::new();
    let mut views = 0;
    let mut r = setup.reader();
    for chunk in input.chunks(read.max(1)) {
        r.handle_input(chunk);
        while let Some(ev) = r.poll_event() {
            viewed.push(owned_event(ev, &mut views));
        }
    }
    // Both kept the same octets: the start of a response not whole yet.
    assert_eq!(r.buffered(), buf.len());
    (owned, viewed, views)
}
