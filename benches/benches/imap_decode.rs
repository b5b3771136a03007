//! IMAP decoding on realistic traces, fed in 16 KiB reads: the imap-proto
//! framer (the first stage of every decode) side by side with the limits of
//! a plain `memchr` line scan and a `memcpy` of the same bytes. The grammar
//! parser and the peer crates (imap-codec, djc's imap-proto) join this group
//! as the parser lands.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use mailwire_benches::READ_SIZE;
use mailwire_benches::imap::{body_download, fetch_dump, frame_trace, line_scan, list_dump};

fn imap_decode(c: &mut Criterion) {
    let traces = [
        ("fetch dump, 10,000 messages", fetch_dump(10_000, 7)),
        ("body download, 1,000 literals", body_download(1_000, 8)),
        ("list, 5,000 mailboxes", list_dump(5_000, 9)),
    ];
    for (name, trace) in &traces {
        let mut group = c.benchmark_group(format!("imap/{name}"));
        group
            .throughput(Throughput::Bytes(trace.len() as u64))
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
        group.bench_function("imap-proto framer", |b| {
            b.iter(|| frame_trace(black_box(trace), READ_SIZE))
        });
        group.bench_function("memchr line scan", |b| {
            b.iter(|| line_scan(black_box(trace), READ_SIZE))
        });
        group.bench_function("memcpy", |b| {
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
    let mut group = c.benchmark_group("imap/chunk-size sweep (fetch dump)");
    group
        .throughput(Throughput::Bytes(trace.len() as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    for read in [1usize, 16, 256, 4096, 65536] {
        group.bench_function(format!("framer, {read}-octet reads"), |b| {
            b.iter(|| frame_trace(black_box(trace), read))
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
