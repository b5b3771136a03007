//! `mailctl pop3 … fetch` choosing what to download: its UIDL listing
//! matched to its LIST listing by message number, for 200,000 messages
//! (half of them already fetched). The code is mailctl's own
//! (`crates/mailctl/src/cmd/pop3/fetch/plan.rs`, included here), compared
//! with the floor of one pass over each listing. The search of LIST per
//! UIDL entry it replaced took 2 s at 80,000 messages; at 200,000 it would
//! take about 13 s an iteration, so it is not run.
//!
//! Throughput is the octets of the two listings as the server sent them
//! (`N UID\r\n` and `N SIZE\r\n` lines). Ids follow `cargo xtask bench`'s
//! `ROLE[ KIND]: VARIANT` (see `xtask/src/bench/summary.rs`).

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use pop3_proto::{MessageNumber, ScanListing, UniqueId, UniqueIdListing};

// Its unit tests' helpers are compiled too when clippy builds every target
// (with cfg(test), but without a test harness to run them).
#[path = "../../crates/mailctl/src/cmd/pop3/fetch/plan.rs"]
#[allow(dead_code)]
mod plan;

const MESSAGES: u32 = 200_000;

fn fetch_plan(c: &mut Criterion) {
    let mut wire = 0u64;
    let mut uids = Vec::new();
    let mut sizes = Vec::new();
    for i in 1..=MESSAGES {
        let msg = MessageNumber::new(i).expect("from 1");
        // Dovecot's form: the UID and the UIDVALIDITY in hex.
        let uid = format!("{i:08x}{:08x}", 0x6553_1a2b_u32);
        let size = 2_000 + u64::from(i % 50_000);
        wire += format!("{i} {uid}\r\n{i} {size}\r\n").len() as u64;
        uids.push(UniqueIdListing {
            msg,
            uid: UniqueId::new(uid.into_bytes()).expect("printable"),
        });
        sizes.push(ScanListing { msg, size });
    }
    let seen: HashSet<String> = uids
        .iter()
        .step_by(2)
        .map(|u| u.uid.as_str().to_owned())
        .collect();
    let wanted = plan::plan(&uids, &sizes, &seen, true);
    assert_eq!(wanted.len(), MESSAGES as usize / 2);
    assert!(wanted.iter().all(|w| w.size > 0 && !w.uid.is_empty()));

    let mut group = c.benchmark_group("POP3 fetch plan, 200k messages");
    group
        .throughput(Throughput::Bytes(wire))
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("ours: map by message number", |b| {
        b.iter(|| {
            let wanted = plan::plan(black_box(&uids), black_box(&sizes), &seen, true);
            wanted
                .iter()
                .map(|w| w.size + u64::from(w.msg.get()))
                .sum::<u64>()
        });
    });
    group.bench_function("limit: one pass over each listing", |b| {
        b.iter(|| {
            let fresh = black_box(&uids)
                .iter()
                .filter(|u| !seen.contains(u.uid.as_str()))
                .count();
            let total: u64 = black_box(&sizes).iter().map(|s| s.size).sum();
            (fresh, total)
        });
    });
    group.finish();
}

// By hand rather than with `criterion_group!`, whose generated `pub fn`
// has no doc comment (the workspace denies missing docs).
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    fetch_plan(&mut criterion);
    criterion.final_summary();
}
