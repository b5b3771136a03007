//! `cargo xtask ci`: everything CI checks, in order, stopping at the first
//! failure: that the repository stands alone, formatting, clippy, docs,
//! tests, the proto crates' dependency rule, and a short fuzz run.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::{fuzz, util};

/// Seconds each fuzz target runs in CI: four targets stay well under the CI
/// time budget.
const FUZZ_SECONDS: u64 = 20;

/// Crates that must stay sans-IO, and what must never enter their normal
/// dependency tree (DESIGN.md: the proto crates know nothing of tokio or TLS).
const SANS_IO_CRATES: [&str; 2] = ["pop3-proto", "imap-proto"];
const FORBIDDEN_DEPENDENCIES: [&str; 2] = ["tokio", "rustls"];

/// One CI step.
type Step = fn() -> Result<()>;

pub(crate) fn run(args: &[String]) -> Result<()> {
    if let Some(arg) = args.first() {
        bail!("unexpected argument `{arg}` (usage: cargo xtask ci)");
    }
    let start = Instant::now();
    let mut timings = Vec::new();
    let steps: [(&str, Step); 7] = [
        ("standalone", standalone),
        ("fmt", fmt),
        ("clippy", clippy),
        ("doc", doc),
        ("test", test),
        ("dependencies", dependencies),
        ("fuzz", fuzz_smoke),
    ];
    for (name, step) in steps {
        eprintln!("\n==> ci: {name}");
        let step_start = Instant::now();
        let result = step();
        let took = minutes(step_start.elapsed());
        result.with_context(|| {
            format!(
                "ci step `{name}` failed after {took} ({} into the run)",
                minutes(start.elapsed())
            )
        })?;
        eprintln!("==> ci: {name} passed in {took}");
        timings.push((name, took));
    }
    eprintln!("\n==> ci: all steps passed in {}", minutes(start.elapsed()));
    for (name, took) in timings {
        eprintln!("    {name:<13} {took}");
    }
    Ok(())
}

fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}m{:02}s", s / 60, s % 60)
}

/// Nothing in the repository reads files from beside the checkout: a user
/// who clones it has only what is in it (test data lives in `testdata/`).
/// Searches every tracked text file for a path that climbs out of the
/// checkout into a sibling `shared` directory.
fn standalone() -> Result<()> {
    // Written as a regular expression so this file does not match itself.
    const OUTSIDE: &str = r"\.\./+shared\b";
    let mut cmd = Command::new("git");
    cmd.current_dir(util::root())
        .args(["grep", "-n", "-I", "-E", "-e", OUTSIDE, "--", "."]);
    eprintln!("$ {}", util::display(&cmd));
    let out = cmd.output().context("could not run git grep")?;
    // git grep exits 1 when nothing matches, 0 with matches, >1 on error.
    match out.status.code() {
        Some(1) => {
            eprintln!("    no file reads outside the repository");
            Ok(())
        }
        Some(0) => bail!(
            "these tracked files read outside the repository (copy the data into \
             testdata/ and read it from there):\n{}",
            String::from_utf8_lossy(&out.stdout)
        ),
        _ => bail!(
            "git grep failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    }
}

fn fmt() -> Result<()> {
    util::run(util::cargo().args(["fmt", "--all", "--", "--check"]))?;
    // The fuzz crate is its own workspace, outside `--all` above (and `--all`
    // here would take in its path dependencies too).
    util::run(util::cargo().args(["fmt", "--manifest-path", "fuzz/Cargo.toml", "--", "--check"]))
}

fn clippy() -> Result<()> {
    util::run(util::cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]))
}

fn doc() -> Result<()> {
    util::run(util::cargo().env("RUSTDOCFLAGS", "-D warnings").args([
        "doc",
        "--workspace",
        "--no-deps",
        "--locked",
    ]))
}

fn test() -> Result<()> {
    util::run(util::cargo().args(["test", "--workspace", "--locked"]))
}

/// `tokio` and `rustls` (and their `tokio-*` / `rustls-*` companions) are not
/// in the normal dependency tree of the proto crates.
fn dependencies() -> Result<()> {
    for krate in SANS_IO_CRATES {
        let mut cmd = util::cargo();
        cmd.args([
            "tree", "-p", krate, "-e", "normal", "--prefix", "none", "--locked",
        ]);
        eprintln!("$ {}", util::display(&cmd));
        let tree = util::output(&mut cmd)?;
        let mut found: Vec<&str> = tree
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .filter(|name| {
                FORBIDDEN_DEPENDENCIES
                    .iter()
                    .any(|f| *name == *f || name.starts_with(&format!("{f}-")))
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        if !found.is_empty() {
            bail!(
                "{krate} must stay sans-IO, but its normal dependencies include {} \
                 (see `cargo tree -p {krate} -e normal -i {}`)",
                found.join(", "),
                found[0]
            );
        }
        eprintln!("    {krate}: no {}", FORBIDDEN_DEPENDENCIES.join(" / "));
    }
    Ok(())
}

fn fuzz_smoke() -> Result<()> {
    fuzz::run(&fuzz::Options {
        time: FUZZ_SECONDS,
        targets: Vec::new(),
    })
}
