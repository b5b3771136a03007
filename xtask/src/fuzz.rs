//! `cargo xtask fuzz [--time SECS] [TARGET...]`: runs the cargo-fuzz targets
//! (all by default) for a fixed time each, starting from the committed seed
//! corpus, and fails if any target finds a crash.
//!
//! cargo-fuzz needs nightly-only `-Z` flags; `RUSTC_BOOTSTRAP=1` lets the
//! stable toolchain accept them, so no nightly is installed (see
//! `fuzz/README.md`).

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use anyhow::{Context, Result, bail};

use crate::util;

const DEFAULT_SECONDS: u64 = 60;
/// Seconds one input may run before libFuzzer calls it a hang.
const HANG_SECONDS: u64 = 10;

/// What to fuzz and for how long.
#[derive(Debug)]
pub(crate) struct Options {
    /// Seconds per target.
    pub(crate) time: u64,
    /// Targets to run; empty for all.
    pub(crate) targets: Vec<String>,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> Result<Self> {
        let mut options = Self {
            time: DEFAULT_SECONDS,
            targets: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let time = if arg == "--time" {
                Some(
                    args.next()
                        .context("--time needs a number of seconds")?
                        .as_str(),
                )
            } else if let Some(time) = arg.strip_prefix("--time=") {
                Some(time)
            } else if arg.starts_with('-') {
                bail!("unknown option `{arg}` (usage: cargo xtask fuzz [--time SECS] [TARGET...])");
            } else {
                options.targets.push(arg.clone());
                None
            };
            if let Some(time) = time {
                options.time = time
                    .parse()
                    .ok()
                    .filter(|&t| t > 0)
                    .with_context(|| format!("--time wants whole seconds > 0, not `{time}`"))?;
            }
        }
        Ok(options)
    }
}

/// How one target's run ended.
#[derive(Debug)]
struct Outcome {
    target: String,
    passed: bool,
    executions: Option<u64>,
}

pub(crate) fn run(options: &Options) -> Result<()> {
    ensure_cargo_fuzz()?;
    let fuzz_dir = util::root().join("fuzz");
    let all = list_targets()?;
    let targets = if options.targets.is_empty() {
        all
    } else {
        if let Some(unknown) = options.targets.iter().find(|t| !all.contains(t)) {
            bail!(
                "no fuzz target `{unknown}`; the targets are: {}",
                all.join(", ")
            );
        }
        options.targets.clone()
    };
    // Build every target once first, so that a compile error is reported as
    // one and not as a crash.
    util::run(fuzz_command().args(["build", "--fuzz-dir"]).arg(&fuzz_dir))
        .context("the fuzz targets do not build")?;

    let mut outcomes = Vec::new();
    for target in &targets {
        let corpus = fuzz_dir.join("corpus").join(target);
        std::fs::create_dir_all(&corpus)
            .with_context(|| format!("could not create {}", corpus.display()))?;
        let mut cmd = fuzz_command();
        cmd.args(["run", "--fuzz-dir"])
            .arg(&fuzz_dir)
            .arg(target)
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={}", options.time))
            .arg(format!("-timeout={HANG_SECONDS}"))
            .arg("-print_final_stats=1");
        if let Some(dict) = dictionary(&fuzz_dir, target)? {
            cmd.arg(format!("-dict={}", dict.display()));
        }
        eprintln!("\n==> fuzz {target} for {} s", options.time);
        outcomes.push(run_target(target, &mut cmd)?);
    }

    eprintln!("\n==> fuzz results");
    for o in &outcomes {
        let runs = o
            .executions
            .map_or_else(|| "? runs".to_owned(), |n| format!("{n} runs"));
        let verdict = if o.passed {
            "ok".to_owned()
        } else {
            format!(
                "FAILED (crash input in {})",
                fuzz_dir.join("artifacts").join(&o.target).display()
            )
        };
        eprintln!("    {:<22} {runs:>14}  {verdict}", o.target);
    }
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| o.target.as_str())
        .collect();
    if !failed.is_empty() {
        bail!(
            "fuzz target(s) found a crash: {} (reproduce with `RUSTC_BOOTSTRAP=1 cargo fuzz run \
             TARGET fuzz/artifacts/TARGET/<file>`)",
            failed.join(", ")
        );
    }
    Ok(())
}

/// The keyword dictionary of a target's protocol (`fuzz/dict/imap.dict` for
/// the `imap_*` targets, `fuzz/dict/pop3.dict` for `pop3_*`): libFuzzer
/// splices these tokens into inputs, which reaches the grammar's keywords
/// far sooner than byte flips do. A protocol without one is an error, so a
/// new target cannot silently run without its dictionary.
fn dictionary(fuzz_dir: &std::path::Path, target: &str) -> Result<Option<std::path::PathBuf>> {
    let Some((protocol, _)) = target.split_once('_') else {
        return Ok(None);
    };
    let dict = fuzz_dir.join("dict").join(format!("{protocol}.dict"));
    if !dict.is_file() {
        bail!(
            "fuzz target `{target}` has no dictionary: {} is missing",
            dict.display()
        );
    }
    Ok(Some(dict))
}

/// A `cargo fuzz` command with the stable toolchain let into nightly flags.
fn fuzz_command() -> std::process::Command {
    let mut cmd = util::cargo();
    cmd.env("RUSTC_BOOTSTRAP", "1").arg("fuzz");
    cmd
}

fn ensure_cargo_fuzz() -> Result<()> {
    let installed = util::cargo()
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        eprintln!("cargo-fuzz is not installed; installing it (a few minutes)");
        util::run(util::cargo().args(["install", "cargo-fuzz", "--locked"]))
            .context("could not install cargo-fuzz")?;
    }
    Ok(())
}

fn list_targets() -> Result<Vec<String>> {
    let fuzz_dir = util::root().join("fuzz");
    let out = util::output(fuzz_command().args(["list", "--fuzz-dir"]).arg(&fuzz_dir))?;
    let targets: Vec<String> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if targets.is_empty() {
        bail!(
            "`cargo fuzz list` found no targets in {}",
            fuzz_dir.display()
        );
    }
    Ok(targets)
}

/// Runs one target, passing its output through and picking libFuzzer's count
/// of executions out of it.
fn run_target(target: &str, cmd: &mut std::process::Command) -> Result<Outcome> {
    let line = util::display(cmd);
    eprintln!("$ {line}");
    let mut child = cmd
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{line}`"))?;
    let mut executions = None;
    if let Some(stderr) = child.stderr.take() {
        for l in BufReader::new(stderr).lines() {
            let l = l.context("reading the fuzzer's output")?;
            if let Some(n) = l.strip_prefix("stat::number_of_executed_units:") {
                executions = n.trim().parse().ok();
            }
            eprintln!("{l}");
        }
    }
    let status = child.wait().context("waiting for the fuzzer")?;
    Ok(Outcome {
        target: target.to_owned(),
        passed: status.success(),
        executions,
    })
}
