//! `cargo xtask`: the project's automation, one module per task.
//!
//! Run `cargo xtask help` for the list. No argument-parsing crate: each task
//! reads its few flags by hand.

mod bench;
mod ci;
mod fuzz;
mod fuzz_seeds;
mod interop;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task> [args]

tasks:
  ci                          fmt, clippy, doc, test, dependency check, fuzz smoke (20 s per target)
  fuzz [--time SECS] [TARGET...]
                              run cargo-fuzz targets (all by default) for SECS seconds each (default 60)
  fuzz-seeds [--captures DIR] recreate the committed seed corpora in fuzz/corpus/ from captures
  bench [--quick] [CARGO-BENCH-ARGS...] [-- CRITERION-ARGS...]
                              the criterion benches (cargo bench -p mailwire-benches), then one
                              table of this run, also written to target/bench/summary.{md,json};
                              --quick: criterion's quick mode, a smoke run of about 3 minutes;
                              e.g. `bench --bench imap_decode -- list` (a cargo bench target,
                              then a criterion filter: a regex on `GROUP/ID`); a full run (no
                              --quick, no arguments) ends with `bench download`
  bench download [--runs N]   end to end: mailctl pop3 fetch, curl and Python's poplib each
                              download 200 messages (38 MB) over POP3S from a private Dovecot
                              (needs root, dovecot, curl, openssl), in turns, N timed runs each
                              (default 5); rows in the same table; about a minute
  interop                     interoperability tests against real servers and clients
  help                        this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let result = match task.as_str() {
        "ci" => ci::run(rest),
        "fuzz" => fuzz::Options::parse(rest).and_then(|o| fuzz::run(&o)),
        "fuzz-seeds" => fuzz_seeds::run(rest),
        "bench" => bench::run(rest),
        "interop" => interop::run(rest),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(anyhow::anyhow!("unknown task `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
