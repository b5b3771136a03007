//! The reader itself: what stays in its buffer, what a view borrows,
//! zero-copy input, input split anywhere, limits and back-pressure.
//!
//! A view cannot outlive the next input: `ViewReader::poll_event` returns
//! a `ViewEvent<'_>` that borrows the reader mutably, so `handle_input`,
//! `handle_input_bytes` and the next `poll_event` do not compile while a
//! view is alive (the `compile_fail` example in `ViewReader`'s docs shows
//! it). What the decoder once asked of its callers in words (pass the same
//! buffer, call `release` before switching) is now the borrow checker's.

use super::*;

use bytes::Bytes;
use imap_proto::view::ViewReader;

use common::owned_event;

/// Decodes `input` in `read`-octet pieces on one reader, taking events as
/// `pattern` says (cycled, one entry per call: `true` one `poll_event`,
/// `false` a whole `for_each_event`), each piece handed over with
/// `handle_input` and `handle_input_bytes` in turn; views become owned
/// responses.
fn interleaved(input: &[u8], read: usize, pattern: &[bool]) -> (Vec<ResponseEvent>, usize) {
    let mut r = ViewReader::new();
    let (mut out, mut views, mut call) = (Vec::new(), 0, 0);
    for (i, chunk) in input.chunks(read.max(1)).enumerate() {
        if i % 2 == 0 {
            r.handle_input(chunk);
        } else {
            r.handle_input_bytes(Bytes::copy_from_slice(chunk));
        }
        loop {
            let one = pattern[call % pattern.len()];
            call += 1;
            if !one {
                r.for_each_event(|ev| out.push(owned_event(ev, &mut views)));
                break;
            }
            match r.poll_event() {
                Some(ev) => out.push(owned_event(ev, &mut views)),
                None => break,
            }
        }
    }
    (out, views)
}

/// `poll_event` and `for_each_event` called in turn on one reader, fed
/// copies and shared `Bytes` in turn, give the events `decode` alone
/// gives: each call first drops the octets of the last views.
#[test]
fn poll_event_and_for_each_event_interleave() {
    let mut input = Vec::new();
    for (_, _, s2c) in common::captures().iter().take(12) {
        input.extend_from_slice(s2c);
    }
    input.extend_from_slice(
        b"* 1 EXISTS\r\n* 2 FETCH (BODY[] {3}\r\nabc UID 5)\r\n* 3 EXPUNGE\r\n* 1 FETCH (\r\n+ go\r\n",
    );
    let (alone, _, _) = both_ways(&Setup::default(), &input, usize::MAX);
    let patterns: &[&[bool]] = &[
        &[true, false],
        &[false, true],
        &[true, true, false],
        &[false, false, true],
        &[true, false, false, true, true],
    ];
    for pattern in patterns {
        for read in [1, 7, 4096, usize::MAX] {
            let (events, views) = interleaved(&input, read, pattern);
            assert_eq!(events, alone, "{pattern:?} read {read}");
            assert!(views > 0, "{pattern:?} read {read}");
        }
    }
}

/// The octets of views stay in the reader until it gives something else
/// or more input comes, and are then dropped before anything else:
/// `buffered` counts only what is not read yet, and the stream offset
/// moves on as each view is read.
#[test]
fn a_views_octets_stay_until_the_next_call() {
    let mut r = ViewReader::new();
    r.handle_input(b"* 1 EXISTS\r\n* 2 EXISTS\r\n");
    let Some(ViewEvent::View(ResponseView::Exists(1))) = r.poll_event() else {
        panic!("a view");
    };
    assert_eq!(r.buffered(), 12);
    assert_eq!(r.framer().offset(), 12);
    let Some(ViewEvent::View(ResponseView::Exists(2))) = r.poll_event() else {
        panic!("a view");
    };
    assert_eq!(r.buffered(), 0);
    assert!(r.poll_event().is_none());

    // A view, input appended, the next view: the first's octets go first.
    r.handle_input(b"A1 OK done\r\n");
    let Some(ViewEvent::View(ResponseView::Status(s))) = r.poll_event() else {
        panic!("a view");
    };
    assert_eq!(s.tag(), Some("A1"));
    r.handle_input(b"* 5 RECENT\r\n");
    assert_eq!(r.buffered(), 12);
    assert!(matches!(
        r.poll_event(),
        Some(ViewEvent::View(ResponseView::Recent(5)))
    ));
    // A view, then no more input: the next call drops it and finds nothing.
    r.handle_input(b"* 6 EXPUNGE\r\n");
    assert!(matches!(
        r.poll_event(),
        Some(ViewEvent::View(ResponseView::Expunge(6)))
    ));
    assert!(r.poll_event().is_none());
    assert_eq!(r.buffered(), 0);
    assert_eq!(r.framer().offset(), 24 + 12 + 12 + 13);
    // Half a line after a view: dropped, the half kept, completed later.
    r.handle_input(b"* 7 EXISTS\r\n* 8 EX");
    assert!(matches!(
        r.poll_event(),
        Some(ViewEvent::View(ResponseView::Exists(7)))
    ));
    assert!(r.poll_event().is_none());
    assert_eq!(r.buffered(), 6);
    r.handle_input(b"ISTS\r\n");
    assert!(matches!(
        r.poll_event(),
        Some(ViewEvent::View(ResponseView::Exists(8)))
    ));
    // An event that is not a view (here, one the full parser reads) drops
    // the views before it.
    r.handle_input(b"* 9 EXISTS\r\n* 10  EXISTS\r\n");
    assert!(matches!(r.poll_event(), Some(ViewEvent::View(_))));
    assert!(matches!(r.poll_event(), Some(ViewEvent::Event(_))));
    assert_eq!(r.buffered(), 0);
    assert!(r.poll_event().is_none());
}

// ----------------------------------------------------------------- limits

/// Limits other than the defaults: small `max_items` and `max_depth`.
/// The full parser counts every list's items against `max_items` and
/// every parenthesis against `max_depth`; so must the views, or leave the
/// line to the full parser. (Found by this test's first version: the
/// views once read these lines, which the full parser refuses.)
#[test]
fn small_item_and_depth_limits_agree() {
    let cases: &[(usize, usize, &[u8])] = &[
        // (max_items, max_depth, line)
        (2, 64, b"* 1 FETCH (FLAGS (\\Seen \\Answered \\Draft))\r\n"),
        (0, 64, b"* LIST (\\Noselect) \"/\" x\r\n"),
        (2, 64, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"a\" \"b\" \"c\" \"d\") NIL NIL \"7bit\" 1 1))\r\n"),
        (2, 64, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1 NIL NIL (\"en\" \"de\" \"fr\")))\r\n"),
        (1_000_000, 0, b"* 1 FETCH (UID 1)\r\n"),
        (1_000_000, 0, b"* LIST () \"/\" x\r\n"),
        (1_000_000, 1, b"* 1 FETCH (FLAGS ())\r\n"),
        (1_000_000, 3, b"* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL NIL NIL))\r\n"),
    ];
    let mut wrong = Vec::new();
    for (items, depth, input) in cases {
        let mut setup = Setup::default();
        setup.config.limits.max_items = *items;
        setup.config.limits.max_depth = *depth;
        let (owned, viewed, _) = both_ways(&setup, input, usize::MAX);
        if owned != viewed {
            wrong.push(format!(
                "max_items {items}, max_depth {depth}: b\"{}\"\n  decode:      {owned:?}\n  poll_event:  {viewed:?}",
                input.escape_ascii()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A config check for the tests above: the default `FramerConfig` is the
/// client side with the default limits.
#[test]
fn default_setup_is_the_default_decoder() {
    let s = Setup::default();
    assert_eq!(s.config.side, FramerConfig::new(Side::Client).side);
    assert_eq!(
        s.config.limits.max_depth,
        imap_proto::Limits::default().max_depth
    );
}

// ------------------------------------------------------------------ API

#[test]
fn views_are_read_in_place() {
    let mut r = ViewReader::new();
    r.handle_input(
        b"* 1 FETCH (UID 9 ENVELOPE (NIL \"a \\\"q\\\"\" NIL NIL NIL ((\"B\" NIL \"b\" \"h\")) NIL NIL NIL NIL))\r\n* 2 EXISTS\r\n",
    );
    let Some(ViewEvent::View(ResponseView::Fetch(f))) = r.poll_event() else {
        panic!("a FETCH view");
    };
    assert_eq!(f.seq(), 1);
    let items: Vec<_> = f.items().collect();
    assert!(matches!(items[0], FetchItemView::Uid(9)));
    let FetchItemView::Envelope(e) = items[1] else {
        panic!("an envelope");
    };
    assert_eq!(e.subject().unwrap().bytes().as_ref(), b"a \"q\"");
    let to: Vec<_> = e.to().iter().collect();
    assert_eq!(to.len(), 1);
    assert_eq!(to[0].host().unwrap().raw(), b"h");
    assert!(e.from().is_empty());
    assert!(matches!(
        r.poll_event(),
        Some(ViewEvent::View(ResponseView::Exists(2)))
    ));
    assert!(r.poll_event().is_none());
    assert_eq!(r.buffered(), 0);
}

/// The address of the octets a view reads, as a range in `data`.
fn offset_in(data: &Bytes, part: &[u8]) -> Option<usize> {
    let start = data.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    (at >= start && at + part.len() <= start + data.len()).then(|| at - start)
}

/// `handle_input_bytes` on a reader that holds nothing keeps the `Bytes`:
/// views are read straight out of it, and literals are slices of it.
/// Once the reader holds the start of a response, later input is copied
/// after it; once that is read, a new `Bytes` is kept again.
#[test]
fn bytes_handed_to_an_empty_reader_are_not_copied() {
    let mut r = ViewReader::new();
    let data = Bytes::from_static(
        b"* LIST (\\HasNoChildren) \"/\" \"Sent\"\r\nA1 OK done\r\n* 1 FETCH (BODY[] {5}\r\nhello)\r\n* 2 EX",
    );
    r.handle_input_bytes(data.clone());
    let Some(ViewEvent::View(ResponseView::List(l))) = r.poll_event() else {
        panic!("a LIST view");
    };
    assert_eq!(l.mailbox().raw(), b"Sent");
    assert_eq!(offset_in(&data, l.mailbox().raw()), Some(29));
    let Some(ViewEvent::View(ResponseView::Status(s))) = r.poll_event() else {
        panic!("a status view");
    };
    assert_eq!(offset_in(&data, s.tag().unwrap().as_bytes()), Some(36));
    let Some(ViewEvent::Event(e)) = r.poll_event() else {
        panic!("a FETCH with a literal");
    };
    let ResponseEvent::Response {
        response: Response::Untagged(Data::Fetch { items, .. }),
        ..
    } = *e
    else {
        panic!("{e:?}");
    };
    let FetchItem::BodySection { data: section, .. } = &items[0] else {
        panic!("{items:?}");
    };
    let body = section.as_bytes().unwrap();
    assert_eq!(offset_in(&data, body), Some(71));
    assert!(r.poll_event().is_none());
    assert_eq!(r.buffered(), 6);

    // The start of `* 2 EXISTS` is held: the rest is copied after it.
    let rest = Bytes::from_static(b"ISTS\r\n");
    r.handle_input_bytes(rest.clone());
    let Some(ViewEvent::View(ResponseView::Exists(2))) = r.poll_event() else {
        panic!("a view");
    };
    assert!(r.poll_event().is_none());
    // Nothing held: the next `Bytes` is read in place again.
    let next = Bytes::from_static(b"* OK [ALERT] hello\r\n");
    r.handle_input_bytes(next.clone());
    let Some(ViewEvent::View(ResponseView::Status(s))) = r.poll_event() else {
        panic!("a view");
    };
    assert_eq!(offset_in(&next, s.text()), Some(13));
}

/// A closure that panics in the middle of `for_each_event` leaves the
/// reader consistent: the views handed out before the panic are not
/// handed out again, and reading goes on after them.
#[test]
fn a_panic_in_for_each_event_hands_no_view_out_twice() {
    let mut r = ViewReader::new();
    r.handle_input(b"* 1 EXISTS\r\n* 2 EXISTS\r\n* 3 EXISTS\r\n");
    let mut seen = Vec::new();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        r.for_each_event(|ev| {
            if let ViewEvent::View(ResponseView::Exists(n)) = ev {
                seen.push(n);
                assert_ne!(n, 2, "the caller's closure stops here");
            }
        })
    }));
    assert!(result.is_err());
    assert_eq!(seen, [1, 2]);
    assert_eq!(r.framer().offset(), 24);
    assert!(matches!(
        r.poll_event(),
        Some(ViewEvent::View(ResponseView::Exists(3)))
    ));
    assert!(r.poll_event().is_none());
    assert_eq!(r.framer().offset(), 36);
}

/// Any input split at any point, in two pieces handed over either way
/// and read either way, gives the events of the whole input read at once.
#[test]
fn input_split_at_every_point_gives_the_same_events() {
    let input: &[u8] = b"* OK [CAPABILITY IMAP4rev1] ready\r\n\
        * 1 EXISTS\r\n\
        * LIST (\\HasNoChildren) \"/\" INBOX\r\n\
        * 2 FETCH (UID 7 BODY[] {11}\r\nhello\r\nworld FLAGS (\\Seen))\r\n\
        * 3 FETCH (UID 8 FLAGS (\\Seen) ENVELOPE (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n\
        * 1 FETCH (\r\n\
        * 4  EXISTS\r\n\
        + go\r\n\
        A1 OK done\r\n";
    let (whole, views) = common::batched(&Setup::default(), input, usize::MAX);
    assert!(views >= 5, "{views}");
    for at in 0..=input.len() {
        let (a, b) = input.split_at(at);
        for way in 0..4 {
            let mut r = ViewReader::new();
            let mut events = Vec::new();
            let mut n = 0;
            for piece in [a, b] {
                if way & 1 == 0 {
                    r.handle_input(piece);
                } else {
                    r.handle_input_bytes(Bytes::copy_from_slice(piece));
                }
                if way & 2 == 0 {
                    while let Some(ev) = r.poll_event() {
                        events.push(owned_event(ev, &mut n));
                    }
                } else {
                    r.for_each_event(|ev| events.push(owned_event(ev, &mut n)));
                }
            }
            assert_eq!(events, whole, "split at {at}, way {way}");
            assert_eq!(r.buffered(), 0);
        }
    }
}

/// The reader asks for more input only while it holds less than a line's
/// limit that the caller has not taken out, or once everything whole has
/// been taken; and an overlong line never makes it hold more than the
/// limit and a read.
#[test]
fn back_pressure_and_the_line_limit() {
    let mut config = FramerConfig::new(Side::Client);
    config.limits.max_response_line = 64;
    let mut r = ViewReader::with_config(config, Strictness::Lenient);
    assert!(r.wants_input());
    for _ in 0..5 {
        r.handle_input(b"* 1 EXISTS\r\n");
    }
    assert_eq!(r.buffered(), 60);
    assert!(r.wants_input());
    r.handle_input(b"* 2 EXISTS\r\n");
    assert!(!r.wants_input(), "72 octets held, none taken out");
    let mut views = 0;
    r.for_each_event(|ev| views += usize::from(matches!(ev, ViewEvent::View(_))));
    assert_eq!(views, 6);
    assert!(r.wants_input());
    assert_eq!(r.buffered(), 0);

    // A line of 10,000 octets, read 16 at a time: refused once it passes
    // the limit, its rest dropped as it comes; the next line is read.
    let mut long = b"* OK ".to_vec();
    long.resize(10_000, b'a');
    long.extend_from_slice(b"\r\n* 3 EXISTS\r\n");
    let mut events = Vec::new();
    for piece in long.chunks(16) {
        r.handle_input(piece);
        while let Some(ev) = r.poll_event() {
            events.push(owned_event(ev, &mut views));
        }
        assert!(r.buffered() <= 64 + 16, "{}", r.buffered());
        assert!(r.wants_input());
    }
    assert!(
        matches!(
            &events[..],
            [
                ResponseEvent::Error(_),
                ResponseEvent::Response {
                    response: Response::Untagged(Data::Exists(3)),
                    ..
                }
            ]
        ),
        "{events:?}"
    );
}
