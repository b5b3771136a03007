//! `cargo xtask bench [--quick] [CARGO-BENCH-ARGS...] [-- CRITERION-ARGS...]`:
//! the criterion benches, then one table of this run's results (printed,
//! and written to `target/bench/summary.{md,json}`).
//!
//! A full run (no `--quick`, no arguments) ends with the end-to-end
//! download ([`download`]: mailctl, curl and Python against a private
//! Dovecot); `cargo xtask bench download [--runs N]` runs that alone.

mod download;
mod summary;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::util;

/// Target selections of `cargo bench`; without one, the task picks the
/// bench targets alone (the library's test harness refuses criterion's flags).
const TARGET_FLAGS: [&str; 11] = [
    "--bench",
    "--benches",
    "--lib",
    "--bin",
    "--bins",
    "--example",
    "--examples",
    "--test",
    "--tests",
    "--all-targets",
    "--doc",
];

/// Criterion flags under which nothing is measured, so there is no table.
const NOT_MEASURING: [&str; 7] = [
    "--list",
    "--test",
    "--profile-time",
    "--help",
    "-h",
    "--version",
    "-V",
];

/// The command line of the task.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Options {
    /// `download`: the end-to-end download alone, no criterion benches.
    download_only: bool,
    /// `--runs N` (with `download`): timed runs of each client.
    runs: Option<usize>,
    /// `--quick`: criterion's quick mode, a smoke run.
    quick: bool,
    /// Before `--`: for `cargo bench`.
    cargo: Vec<String>,
    /// After `--`: for criterion.
    criterion: Vec<String>,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options::default();
        if args.first().is_some_and(|a| a == "download") {
            options.download_only = true;
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--runs" => {
                        let n = rest.next().context("--runs needs a number")?;
                        options.runs = Some(n.parse().context("--runs needs a number")?);
                    }
                    other => anyhow::bail!("bench download takes --runs N, not `{other}`"),
                }
            }
            return Ok(options);
        }
        let mut args = args.iter();
        for arg in args.by_ref() {
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--" => break,
                _ => options.cargo.push(arg.clone()),
            }
        }
        options.criterion.extend(args.cloned());
        Ok(options)
    }

    /// Whether the download runs: alone, or after a full criterion run
    /// (not `--quick`, which must stay a few minutes, nor a selection).
    fn downloads(&self) -> bool {
        self.download_only || (!self.quick && self.cargo.is_empty() && self.criterion.is_empty())
    }

    /// The arguments of `cargo`.
    fn cargo_args(&self) -> Vec<String> {
        let mut args: Vec<String> = ["bench", "-p", "mailwire-benches"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        if !self.cargo.iter().any(|a| flag_in(a, &TARGET_FLAGS)) {
            // A glob: cargo expands it to every bench target.
            args.extend(["--bench".to_owned(), "*".to_owned()]);
        }
        args.extend(self.cargo.iter().cloned());
        args.push("--".to_owned());
        if self.quick {
            args.push("--quick".to_owned());
        }
        args.extend(self.criterion.iter().cloned());
        args
    }

    /// Whether the run measures anything (and so ends with a table).
    fn measures(&self) -> bool {
        !self.cargo.iter().any(|a| a == "--no-run")
            && !self.criterion.iter().any(|a| flag_in(a, &NOT_MEASURING))
    }
}

/// Whether `arg` is one of `flags`, alone or as `--flag=value`.
fn flag_in(arg: &str, flags: &[&str]) -> bool {
    flags.iter().any(|flag| {
        arg == *flag
            || arg
                .strip_prefix(flag)
                .is_some_and(|rest| rest.starts_with('='))
    })
}

pub(crate) fn run(args: &[String]) -> Result<()> {
    let options = Options::parse(args)?;
    let target = target_dir()?;
    let criterion_dir = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("criterion"));
    let load_before = load_average();
    let started = SystemTime::now();
    let mut results = Vec::new();
    if !options.download_only {
        util::run(util::cargo().args(options.cargo_args()))?;
        if !options.measures() {
            eprintln!("xtask bench: nothing was measured, so no table");
            return Ok(());
        }
        results = summary::read_results(&criterion_dir, Some(started))?;
    }
    let download = if options.downloads() {
        eprintln!("xtask bench: {}", download::WORKLOAD);
        let download = download::run(options.runs.unwrap_or(download::DEFAULT_RUNS))?;
        results.extend(download.measurements());
        Some(download)
    } else {
        None
    };
    let table = summary::build(&results)
        .with_context(|| format!("no table from {}", criterion_dir.display()))?;
    let machine = machine(&options, started, load_before, load_average());

    let mut markdown = summary::markdown(&table);
    if let Some(download) = &download {
        markdown.push('\n');
        markdown.push_str(&download.markdown());
    }
    markdown.push('\n');
    markdown.push_str(&machine_line(&machine));
    markdown.push('\n');
    let mut json = summary::rows_json(&table);
    json["machine"] = machine;
    if let Some(download) = &download {
        json["download"] = download.json();
    }

    let out = target.join("bench");
    fs::create_dir_all(&out).with_context(|| format!("could not create {}", out.display()))?;
    let md_path = out.join("summary.md");
    let json_path = out.join("summary.json");
    write(&md_path, &markdown)?;
    write(&json_path, &format!("{json:#}\n"))?;
    println!("\n{markdown}");
    println!(
        "Written to {} and {}.",
        md_path.display(),
        json_path.display()
    );
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<()> {
    fs::write(path, text).with_context(|| format!("could not write {}", path.display()))
}

/// Cargo's target directory (where criterion writes too, unless told
/// otherwise).
pub(crate) fn target_dir() -> Result<PathBuf> {
    let metadata =
        util::output(util::cargo().args(["metadata", "--format-version", "1", "--no-deps"]))?;
    let metadata: Value =
        serde_json::from_str(&metadata).context("cargo metadata printed no JSON")?;
    metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .context("cargo metadata names no target_directory")
}

/// The machine and the run, for the JSON; a part that cannot be found is
/// `"unknown"`, not an error: the numbers are still worth having.
fn machine(
    options: &Options,
    started: SystemTime,
    load_before: Option<String>,
    load_after: Option<String>,
) -> Value {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| cpu_model(&info))
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let rustc = quiet_output(Command::new(rustc).arg("-V"));
    let commit = quiet_output(git().args(["rev-parse", "--short=12", "HEAD"]));
    let changed = quiet_output(git().args(["status", "--porcelain", "--untracked-files=no"]))
        .is_some_and(|s| !s.is_empty());
    let mut command = vec!["cargo".to_owned(), "xtask".to_owned(), "bench".to_owned()];
    if options.download_only {
        command.push("download".to_owned());
        if let Some(runs) = options.runs {
            command.push(format!("--runs {runs}"));
        }
    }
    if options.quick {
        command.push("--quick".to_owned());
    }
    command.extend(options.cargo.iter().cloned());
    if !options.criterion.is_empty() {
        command.push("--".to_owned());
        command.extend(options.criterion.iter().cloned());
    }
    json!({
        "cpu": cpu,
        "cores": cores,
        "rustc": rustc.unwrap_or_else(|| "unknown".to_owned()),
        "commit": commit.unwrap_or_else(|| "unknown".to_owned()),
        "uncommitted_changes": changed,
        "date": utc_minutes(started),
        "command": command.join(" "),
        "quick": options.quick,
        "load_average_before": load_before,
        "load_average_after": load_after,
    })
}

/// One line for people: where and how the numbers were taken.
fn machine_line(machine: &Value) -> String {
    let s = |key: &str| machine[key].as_str().unwrap_or("unknown").to_owned();
    let mut line = format!(
        "{}, {} cores; {}; commit {}{}; {}; `{}`",
        s("cpu"),
        machine["cores"],
        s("rustc"),
        s("commit"),
        if machine["uncommitted_changes"] == true {
            " with uncommitted changes"
        } else {
            ""
        },
        s("date"),
        s("command"),
    );
    if machine["quick"] == true {
        line.push_str(" (criterion's quick mode: a smoke run, not numbers to quote)");
    }
    if let (Some(before), Some(after)) = (
        machine["load_average_before"].as_str(),
        machine["load_average_after"].as_str(),
    ) {
        line.push_str(&format!(
            "; load average {before} at the start, {after} at the end"
        ));
    }
    line.push('.');
    line
}

/// The `model name` of the first processor in `/proc/cpuinfo`.
fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "model name").then(|| value.trim().to_owned())
    })
}

/// The 1-minute load average from `/proc/loadavg`.
fn load_average() -> Option<String> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_owned)
}

/// A `git` command in the repository.
fn git() -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(util::root());
    cmd
}

/// A command's trimmed output, or `None` when it fails.
fn quiet_output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `time` as `YYYY-MM-DD HH:MM UTC`.
fn utc_minutes(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let (year, month, day) = civil_from_days(days);
    let minutes = secs % 86_400 / 60;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        minutes / 60,
        minutes % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01: count in 400-year
/// eras (146,097 days each) of years that start on 1 March, so the leap day
/// is the last day of a year.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468; // days since 0000-03-01
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options() {
        let o = Options::parse(&strings(&["--quick"])).unwrap();
        assert!(o.quick && o.measures());
        assert_eq!(
            o.cargo_args(),
            strings(&[
                "bench",
                "-p",
                "mailwire-benches",
                "--bench",
                "*",
                "--",
                "--quick"
            ])
        );
        let o = Options::parse(&strings(&[
            "--bench",
            "imap_decode",
            "--",
            "fetch",
            "--quick",
        ]))
        .unwrap();
        assert!(!o.quick);
        assert_eq!(
            o.cargo_args(),
            strings(&[
                "bench",
                "-p",
                "mailwire-benches",
                "--bench",
                "imap_decode",
                "--",
                "fetch",
                "--quick"
            ])
        );
        // `--quick` after `--` is criterion's, passed as it is.
        let o = Options::parse(&strings(&["--", "--quick"])).unwrap();
        assert!(!o.quick);
        assert_eq!(o.criterion, ["--quick"]);
        let o = Options::parse(&strings(&["--bench=pop3_retr"])).unwrap();
        assert!(!o.cargo_args().contains(&"*".to_owned()));
        assert!(!Options::parse(&strings(&["--no-run"])).unwrap().measures());
        assert!(
            !Options::parse(&strings(&["--", "--list"]))
                .unwrap()
                .measures()
        );
        assert!(
            !Options::parse(&strings(&["--", "--profile-time=5"]))
                .unwrap()
                .measures()
        );
        assert!(
            Options::parse(&strings(&["--", "--listx"]))
                .unwrap()
                .measures()
        );
    }

    #[test]
    fn download_options() {
        let full = Options::parse(&[]).unwrap();
        assert!(full.downloads() && !full.download_only);
        assert!(!Options::parse(&strings(&["--quick"])).unwrap().downloads());
        assert!(
            !Options::parse(&strings(&["--bench", "pop3_retr"]))
                .unwrap()
                .downloads()
        );
        assert!(
            !Options::parse(&strings(&["--", "list"]))
                .unwrap()
                .downloads()
        );
        let o = Options::parse(&strings(&["download", "--runs", "3"])).unwrap();
        assert!(o.download_only && o.downloads());
        assert_eq!(o.runs, Some(3));
        assert!(Options::parse(&strings(&["download", "--quick"])).is_err());
        assert!(Options::parse(&strings(&["download", "--runs"])).is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
        assert_eq!(civil_from_days(20_794), (2026, 12, 7));
        let t = UNIX_EPOCH + std::time::Duration::from_secs(20_794 * 86_400 + 23 * 3600 + 59 * 60);
        assert_eq!(utc_minutes(t), "2026-12-07 23:59 UTC");
    }

    #[test]
    fn cpu() {
        let info = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) \
                    Processor\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) Processor\n";
        assert_eq!(cpu_model(info).unwrap(), "Intel(R) Xeon(R) Processor");
        assert_eq!(cpu_model("processor : 0\n"), None);
    }

    #[test]
    fn machine_line_says_where_and_how() {
        let m = json!({
            "cpu": "Some CPU", "cores": 2, "rustc": "rustc 1.95.0", "commit": "abc",
            "uncommitted_changes": false, "date": "2026-12-08 00:40 UTC",
            "command": "cargo xtask bench --quick", "quick": true,
            "load_average_before": "5.10", "load_average_after": "6.20",
        });
        let line = machine_line(&m);
        assert!(line.starts_with("Some CPU, 2 cores; rustc 1.95.0; commit abc; 2026-12-08"));
        assert!(line.contains("quick mode"), "{line}");
        assert!(line.contains("load average 5.10 at the start, 6.20 at the end"));
    }
}
