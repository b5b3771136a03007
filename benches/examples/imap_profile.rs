//! A quick loop over the IMAP bench traces for profiling (`perf record`)
//! and fast before/after checks: `cargo run --release -p mailwire-benches
//! --example imap_profile [fetch|body|body-shared|list|status][-view[-decode|-call|-whole|-shared]|-djc] [seconds|Nx]`. Criterion's
//! `cargo xtask bench` stays the reference.

use std::time::{Duration, Instant};

use mailwire_benches::READ_SIZE;
use mailwire_benches::imap::{
    body_download, djc_parse, fetch_dump, list_dump, parse_trace, parse_trace_shared, status_lines,
    view_trace, view_trace_decode_only, view_trace_per_call, view_trace_shared, view_trace_whole,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "fetch".into());
    // `fetch-view`, `list-view`, `status-view`: the same traces through a
    // `ViewReader` (`for_each_event`), every field read. After `-view`, one
    // of: `-whole` (decode only, the whole trace as one read, a `Bytes`),
    // `-call` (decode only, one `poll_event` call per response),
    // `-decode` (decode only: the fields not read), `-shared` (reads
    // handed over as `Bytes`).
    let view_mode = |suffix: &str| {
        which
            .strip_suffix(suffix)
            .filter(|w| w.ends_with("-view"))
            .is_some()
    };
    let (whole, per_call) = (view_mode("-whole"), view_mode("-call"));
    let (decode_only, shared_reads) = (view_mode("-decode"), view_mode("-shared"));
    let which = ["-whole", "-call", "-decode", "-shared"]
        .iter()
        .find_map(|s| which.strip_suffix(s).filter(|w| w.ends_with("-view")))
        .unwrap_or(&which)
        .to_owned();
    // `-djc`: djc's imap-proto on the whole trace, as the criterion bench
    // runs it (for side-by-side ratios on a noisy machine).
    let (which, djc) = match which.strip_suffix("-djc") {
        Some(w) => (w.to_owned(), true),
        None => (which, false),
    };
    let (which, view) = match which.strip_suffix("-view") {
        Some(w) => (w.to_owned(), true),
        None => (which, false),
    };
    // Seconds, or a run count (`5x`: exactly five runs, for instruction
    // counts under `valgrind --tool=callgrind`).
    let arg = args.next().unwrap_or_else(|| "3".into());
    let runs_wanted: Option<u64> = arg.strip_suffix('x').and_then(|n| n.parse().ok());
    let seconds: f64 = arg.parse().unwrap_or(3.0);
    let trace = match which.as_str() {
        "fetch" => fetch_dump(10_000, 7),
        "body" | "body-shared" => body_download(1_000, 8),
        "list" => list_dump(5_000, 9),
        "status" => status_lines(20_000, 10),
        other => panic!("unknown trace {other} (fetch, body, body-shared, list, status)"),
    };
    let shared = bytes::Bytes::from(trace.clone());
    let deadline = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut runs = 0u64;
    while runs_wanted.map_or(start.elapsed() < deadline, |n| runs < n) {
        if djc {
            std::hint::black_box(djc_parse(std::hint::black_box(&trace)));
        } else if view && whole {
            std::hint::black_box(view_trace_whole(&shared));
        } else if view && per_call {
            std::hint::black_box(view_trace_per_call(std::hint::black_box(&trace), READ_SIZE));
        } else if view && decode_only {
            std::hint::black_box(view_trace_decode_only(
                std::hint::black_box(&trace),
                READ_SIZE,
            ));
        } else if view && shared_reads {
            std::hint::black_box(view_trace_shared(&shared, READ_SIZE));
        } else if view {
            std::hint::black_box(view_trace(std::hint::black_box(&trace), READ_SIZE));
        } else if which == "body-shared" {
            std::hint::black_box(parse_trace_shared(&shared, READ_SIZE, 16 * 1024));
        } else {
            std::hint::black_box(parse_trace(std::hint::black_box(&trace), READ_SIZE));
        }
        runs += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let mib = (trace.len() as f64 * runs as f64) / secs / (1024.0 * 1024.0);
    println!("{which}: {runs} runs, {mib:.1} MiB/s");
}
