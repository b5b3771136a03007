//! Decoding a ~100 MB dot-stuffed RETR answer, fed in 16 KiB reads: the
//! pop3-proto `ResponseDecoder` and `ClientSession` side by side with the
//! plain lower bounds (a `memmem` scan for `"\r\n."`, a `memcpy` of each
//! read, and the two together).
//!
//! The codecs run twice: with each read handed over as `Bytes` (how a
//! transport that reads into its own buffer feeds them: no copy in the codec)
//! and with each read copied in (`handle_input(&[u8])`), which pays a memcpy
//! on top of the scan. The goal is the first at 0.6x the memmem scan or better.
//!
//! The group and bench ids are what `cargo xtask bench` summarises: a group
//! is one workload, a bench id is `ROLE[ KIND]: VARIANT` with ROLE `ours`,
//! `peer`, `limit` or `extra` (see `xtask/src/bench/summary.rs`).

use std::hint::black_box;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use criterion::{BatchSize, Criterion, Throughput};
use mailwire_benches::{
    BodyCheck, CrLfDotScanner, Feed, READ_SIZE, decode_with_decoder, decode_with_session,
    generate_retr, session_awaiting_retr,
};
use memchr::memmem;
use pop3_proto::Limits;

/// Body size of the generated message.
const BODY_LEN: usize = 100 * 1000 * 1000;

fn pop3_retr(c: &mut Criterion) {
    let stream = generate_retr(BODY_LEN, 0x6d61_696c_7769_7265);
    let shared = Bytes::from(stream.wire.clone());
    let wire = &stream.wire[..];
    let limits = Limits::default();

    // Correctness, once, outside the timing.
    let mut decoder_chunks = 0;
    let mut session_chunks = 0;
    for feed in [Feed::Copy, Feed::Shared] {
        let mut check = BodyCheck::new(&stream.body);
        decoder_chunks =
            decode_with_decoder(&shared, READ_SIZE, feed, limits.clone(), |c| check.chunk(c));
        check.finish();
        let (mut session, id) = session_awaiting_retr(limits.clone());
        let mut check = BodyCheck::new(&stream.body);
        session_chunks = decode_with_session(&mut session, id, &shared, READ_SIZE, feed, |c| {
            check.chunk(c)
        });
        check.finish();
    }
    let mut scan = CrLfDotScanner::new();
    for read in wire.chunks(READ_SIZE) {
        scan.feed(read);
    }
    assert_eq!(scan.count(), stream.stuffed_lines as u64 + 1);
    eprintln!(
        "pop3_retr: wire {} octets, body {} octets, {} lines ({} dot-stuffed, {} over 200 \
         octets); {decoder_chunks} chunks from the decoder, {session_chunks} from the session",
        wire.len(),
        stream.body.len(),
        stream.lines,
        stream.stuffed_lines,
        stream.long_lines,
    );
    drop(stream.body);

    let mut group = c.benchmark_group("POP3 RETR, 100 MB body");
    group
        .throughput(Throughput::Bytes(wire.len() as u64))
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10));

    for (feed, how) in [
        (Feed::Shared, "reads as Bytes"),
        (Feed::Copy, "reads copied"),
    ] {
        group.bench_function(format!("ours owned: ResponseDecoder, {how}"), |b| {
            b.iter(|| {
                let mut total = 0usize;
                decode_with_decoder(black_box(&shared), READ_SIZE, feed, limits.clone(), |c| {
                    total += black_box(c).len();
                });
                total
            });
        });

        group.bench_function(format!("ours owned: ClientSession, {how}"), |b| {
            b.iter_batched(
                || session_awaiting_retr(limits.clone()),
                |(mut session, id)| {
                    let mut total = 0usize;
                    decode_with_session(
                        &mut session,
                        id,
                        black_box(&shared),
                        READ_SIZE,
                        feed,
                        |c| {
                            total += black_box(c).len();
                        },
                    );
                    (session, total)
                },
                BatchSize::PerIteration,
            );
        });
    }

    group.bench_function("limit: memmem \"\\r\\n.\" scan", |b| {
        b.iter(|| {
            let mut scan = CrLfDotScanner::new();
            for read in black_box(wire).chunks(READ_SIZE) {
                scan.feed(read);
            }
            scan.count()
        });
    });

    group.bench_function("extra: memcpy", |b| {
        let mut dst = vec![0u8; READ_SIZE];
        b.iter(|| {
            for read in black_box(wire).chunks(READ_SIZE) {
                dst[..read.len()].copy_from_slice(read);
                black_box(&mut dst);
            }
        });
    });

    // Not a decoder, but the floor for one fed through a `BytesMut`: copy
    // each read into the buffer and find the line starts that begin with a
    // dot, with nothing else done.
    group.bench_function("extra: memcpy + memmem \"\\n.\" scan", |b| {
        let finder = memmem::Finder::new(b"\n.");
        let mut buf = BytesMut::with_capacity(READ_SIZE);
        b.iter(|| {
            let mut count = 0;
            for read in black_box(wire).chunks(READ_SIZE) {
                buf.clear();
                buf.extend_from_slice(read);
                count += finder.find_iter(&buf).count();
            }
            count
        });
    });

    group.finish();
}

// By hand rather than with `criterion_group!`, whose generated `pub fn`
// has no doc comment (the workspace denies missing docs).
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    pop3_retr(&mut criterion);
    criterion.final_summary();
}
