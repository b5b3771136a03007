//! IMAP response decoding on realistic traces, side by side on the same
//! bytes: imap-proto (ours: framer alone, framer + typed parse, and the
//! borrowed views, fed in 16 KiB reads), the peer crates imap-codec 1.0 and djc's imap-proto 0.16
//! (given the whole trace at once, their best case), and the limits of a
//! plain `memchr` line scan and a `memcpy`.
//!
//! The group and bench ids are what `cargo xtask bench` summarises: a group
//! is one workload, a bench id is `ROLE[ KIND]: VARIANT` with ROLE `ours`,
//! `peer`, `limit` or `extra` (see `xtask/src/bench/summary.rs`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use imap_codec::decode::Decoder as _;
use mailwire_benches::READ_SIZE;
use mailwire_benches::imap::{
    body_download, djc_parse, fetch_dump, frame_trace, line_scan, list_dump, parse_trace,
    parse_trace_shared, status_lines, view_trace, view_trace_decode_only, view_trace_per_call,
    view_trace_shared, view_trace_whole,
};

/// imap-codec: decode every response of `trace`; the count.
fn imap_codec_parse(trace: &[u8]) -> usize {
    let codec = imap_codec::ResponseCodec::default();
    let mut rest = trace;
    let mut n = 0;
    while !rest.is_empty() {
        let (remaining, response) = codec.decode(rest).expect("imap-codec decodes the trace");
        black_box(&response);
        rest = remaining;
        n += 1;
    }
    n
}

fn imap_decode(c: &mut Criterion) {
    let traces = [
        ("fetch dump, 10,000 messages", fetch_dump(10_000, 7)),
        ("body download, 1,000 literals", body_download(1_000, 8)),
        ("list, 5,000 mailboxes", list_dump(5_000, 9)),
        ("status lines, 20,000", status_lines(20_000, 10)),
    ];
    for (name, trace) in &traces {
        let mut group = c.benchmark_group(format!("IMAP {name}"));
        group
            .throughput(Throughput::Bytes(trace.len() as u64))
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
        let expected = parse_trace(trace, READ_SIZE);
        assert_eq!(
            imap_codec_parse(trace),
            expected,
            "imap-codec disagrees on {name}"
        );
        assert_eq!(
            djc_parse(trace),
            expected,
            "djc's imap-proto disagrees on {name}"
        );
        group.bench_function("ours owned: framer + parse", |b| {
            b.iter(|| parse_trace(black_box(trace), READ_SIZE))
        });
        assert_eq!(
            view_trace(trace, READ_SIZE),
            expected,
            "views disagree on {name}"
        );
        assert_eq!(view_trace_decode_only(trace, READ_SIZE), expected);
        if !name.starts_with("body") {
            // Views cover one-line responses; a body download is literals.
            group.bench_function("extra: views, decode only", |b| {
                b.iter(|| view_trace_decode_only(black_box(trace), READ_SIZE))
            });
            group.bench_function(
                "extra: views, decode only, one poll_event call for each response",
                |b| b.iter(|| view_trace_per_call(black_box(trace), READ_SIZE)),
            );
            let whole = bytes::Bytes::from(trace.clone());
            assert_eq!(view_trace_whole(&whole), expected);
            group.bench_function(
                "extra: views, decode only, whole trace as one read, as the peers",
                |b| b.iter(|| view_trace_whole(black_box(&whole))),
            );
            group.bench_function("ours views: every field read", |b| {
                b.iter(|| view_trace(black_box(trace), READ_SIZE))
            });
            let shared = bytes::Bytes::from(trace.clone());
            group.bench_function(
                "ours views: every field read, reads as Bytes (no receive buffer)",
                |b| b.iter(|| view_trace_shared(black_box(&shared), READ_SIZE)),
            );
        }
        if name.starts_with("body") {
            // The transport hands its reads over as `Bytes` (no copy into a
            // receive buffer); literals above 16 KiB stream as slices of them.
            let shared = bytes::Bytes::from(trace.clone());
            group.bench_function(
                "ours owned: framer + parse, reads as Bytes, 16 KiB stream threshold",
                |b| b.iter(|| parse_trace_shared(black_box(&shared), READ_SIZE, 16 * 1024)),
            );
        }
        group.bench_function("extra: framer only (ours)", |b| {
            b.iter(|| frame_trace(black_box(trace), READ_SIZE))
        });
        group.bench_function("peer: imap-codec 1.0", |b| {
            b.iter(|| imap_codec_parse(black_box(trace)))
        });
        group.bench_function("peer: djc imap-proto 0.16", |b| {
            b.iter(|| djc_parse(black_box(trace)))
        });
        group.bench_function("limit: memchr line scan", |b| {
            b.iter(|| line_scan(black_box(trace), READ_SIZE))
        });
        group.bench_function("extra: memcpy", |b| {
            let mut dst = vec![0u8; READ_SIZE];
            b.iter(|| {
                for read in black_box(trace).chunks(READ_SIZE) {
                    dst[..read.len()].copy_from_slice(read);
                    black_box(&mut dst);
                }
            });
        });
        group.finish();
    }
    // Linearity: the framer's cost per octet across read sizes.
    let trace = &traces[0].1;
    let mut group = c.benchmark_group("IMAP chunk-size sweep (fetch dump)");
    group
        .throughput(Throughput::Bytes(trace.len() as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    for read in [1usize, 16, 256, 4096, 65536] {
        group.bench_function(format!("extra: framer + parse, {read}-octet reads"), |b| {
            b.iter(|| parse_trace(black_box(trace), read))
        });
    }
    group.finish();
}

// By hand rather than with `criterion_group!`, whose generated `pub fn`
// has no doc comment (the workspace denies missing docs).
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    imap_decode(&mut criterion);
    criterion.final_summary();
}
