//! The one table at the end of `cargo xtask bench`: criterion's results of
//! this run read back from its JSON files, one row per workload.
//!
//! # How bench ids become the table
//!
//! This module is the one place that reads meaning into the benches' names.
//! A criterion group is a workload (its name is the row's name). Every bench
//! id in a group has the form `ROLE[ KIND]: VARIANT`:
//!
//! - `ours KIND: VARIANT`: one of our decoders. The table has a column per
//!   KIND (`ours views: ...`, `ours owned: ...`; no KIND is the column
//!   `ours`) holding the fastest VARIANT of that kind.
//! - `peer: NAME`: another crate doing the same work; a column per NAME.
//! - `limit: NAME`: the floor our fastest decoder is compared with (a plain
//!   scan every decoder of the workload has to do); at most one a workload.
//! - `extra: VARIANT`: measured and kept in the JSON, not in the table
//!   (parts of a decoder, other floors, sweeps).
//!
//! A group without an `ours` bench is no row (a sweep, say); an id of any
//! other form is an error, so a renamed bench cannot drop out of the table
//! unnoticed.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

/// What a bench is to the table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Role {
    /// One of ours, in the column of its kind (`""` when it names none).
    Ours { kind: String },
    /// A peer crate; the variant is its name.
    Peer,
    /// The floor of the workload.
    Limit,
    /// Measured, not in the table.
    Extra,
}

impl Role {
    fn name(&self) -> &'static str {
        match self {
            Role::Ours { .. } => "ours",
            Role::Peer => "peer",
            Role::Limit => "limit",
            Role::Extra => "extra",
        }
    }
}

/// Splits a bench id `ROLE[ KIND]: VARIANT` into the role and the variant.
pub(crate) fn parse_id(id: &str) -> Result<(Role, String)> {
    let convention = "bench ids are `ROLE[ KIND]: VARIANT` with ROLE ours, peer, limit or \
                      extra (a KIND only after ours); see xtask/src/bench/summary.rs";
    let Some((head, variant)) = id.split_once(": ") else {
        bail!("bench id `{id}` has no `: `; {convention}");
    };
    let variant = variant.trim();
    if variant.is_empty() {
        bail!("bench id `{id}` names no variant after `: `; {convention}");
    }
    let (role, kind) = match head.split_once(' ') {
        Some((role, kind)) => (role, kind.trim()),
        None => (head, ""),
    };
    let role = match (role, kind) {
        ("ours", kind) => Role::Ours {
            kind: kind.to_owned(),
        },
        ("peer", "") => Role::Peer,
        ("limit", "") => Role::Limit,
        ("extra", "") => Role::Extra,
        _ => bail!("bench id `{id}` starts with `{head}`; {convention}"),
    };
    Ok((role, variant.to_owned()))
}

/// One bench of this run.
#[derive(Debug, Clone)]
pub(crate) struct Measurement {
    /// The criterion group: the workload.
    pub(crate) workload: String,
    /// Its part in the table.
    pub(crate) role: Role,
    /// The rest of the id (for a peer or limit, its name).
    pub(crate) variant: String,
    /// Octets of input per second, from criterion's typical time per
    /// iteration (the slope of a linear sampling, else the mean).
    pub(crate) bytes_per_second: f64,
    /// The same from the bounds of criterion's confidence interval (slow,
    /// fast), when it gives them: how far to trust the number.
    pub(crate) interval: Option<(f64, f64)>,
}

/// Reads one bench from criterion's `benchmark.json` and `estimates.json`.
pub(crate) fn measurement(benchmark: &Value, estimates: &Value) -> Result<Measurement> {
    let workload = benchmark["group_id"]
        .as_str()
        .context("benchmark.json has no group_id")?;
    let Some(id) = benchmark["function_id"].as_str() else {
        bail!("bench `{workload}` is not in a group (no function_id); put it in one");
    };
    let (role, variant) = parse_id(id)?;
    let throughput = &benchmark["throughput"];
    let Some(bytes) = throughput["Bytes"]
        .as_u64()
        .or_else(|| throughput["BytesDecimal"].as_u64())
    else {
        bail!("`{workload}/{id}` has no throughput in bytes (it has {throughput})");
    };
    // Criterion's own choice of the typical time (`Estimates::typical`).
    let estimate = if estimates["slope"].is_object() {
        &estimates["slope"]
    } else {
        &estimates["mean"]
    };
    let nanos = estimate["point_estimate"]
        .as_f64()
        .with_context(|| format!("estimates.json of `{workload}/{id}` has no point estimate"))?;
    if !(nanos.is_finite() && nanos > 0.0) {
        bail!("`{workload}/{id}` took {nanos} ns an iteration");
    }
    let bound = |name: &str| {
        let nanos = estimate["confidence_interval"][name].as_f64()?;
        (nanos.is_finite() && nanos > 0.0).then(|| bytes as f64 * 1e9 / nanos)
    };
    Ok(Measurement {
        workload: workload.to_owned(),
        role,
        variant,
        bytes_per_second: bytes as f64 * 1e9 / nanos,
        // The longer time is the lower rate.
        interval: bound("upper_bound").zip(bound("lower_bound")),
    })
}

/// Reads every bench under `criterion_dir` whose estimates were written at
/// or after `since` (all of them for `None`), in the order they were
/// written: the order they ran.
pub(crate) fn read_results(
    criterion_dir: &Path,
    since: Option<SystemTime>,
) -> Result<Vec<Measurement>> {
    let mut found = Vec::new();
    find_new_dirs(criterion_dir, &mut found)
        .with_context(|| format!("could not read {}", criterion_dir.display()))?;
    let mut results = Vec::new();
    for dir in found {
        let estimates_path = dir.join("estimates.json");
        let written = fs::metadata(&estimates_path)
            .and_then(|m| m.modified())
            .with_context(|| format!("could not read {}", estimates_path.display()))?;
        if since.is_some_and(|since| written < since) {
            continue;
        }
        let benchmark = read_json(&dir.join("benchmark.json"))?;
        let estimates = read_json(&estimates_path)?;
        let m =
            measurement(&benchmark, &estimates).with_context(|| format!("in {}", dir.display()))?;
        results.push((written, m));
    }
    results.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.workload.cmp(&b.1.workload))
            .then_with(|| a.1.variant.cmp(&b.1.variant))
    });
    Ok(results.into_iter().map(|(_, m)| m).collect())
}

/// Collects the `new` directories (criterion's latest results) that hold
/// both JSON files; baselines live in other directories and are skipped.
fn find_new_dirs(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let path = entry.path();
        if entry.file_name() == "new" {
            if path.join("benchmark.json").is_file() && path.join("estimates.json").is_file() {
                found.push(path);
            }
        } else {
            find_new_dirs(&path, found)?;
        }
    }
    Ok(())
}

fn read_json(path: &Path) -> Result<Value> {
    let text =
        fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

/// A named throughput.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Named {
    /// The variant (ours) or the name (peer, limit).
    pub(crate) name: String,
    /// Octets per second.
    pub(crate) bytes_per_second: f64,
}

/// One workload.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// The criterion group.
    pub(crate) workload: String,
    /// The fastest of ours per kind, in the order of [`Table::kinds`].
    pub(crate) ours: Vec<Option<Named>>,
    /// Each peer, in the order of [`Table::peers`].
    pub(crate) peers: Vec<Option<f64>>,
    /// The fastest of ours over all kinds, and its kind.
    pub(crate) best: (String, Named),
    /// The fastest peer.
    pub(crate) best_peer: Option<Named>,
    /// The workload's floor.
    pub(crate) limit: Option<Named>,
    /// Every bench of the workload, for the JSON.
    pub(crate) all: Vec<Measurement>,
}

impl Row {
    /// The fastest of ours over the fastest peer.
    pub(crate) fn over_best_peer(&self) -> Option<f64> {
        let peer = self.best_peer.as_ref()?;
        Some(self.best.1.bytes_per_second / peer.bytes_per_second)
    }

    /// The fastest of ours over the limit.
    pub(crate) fn over_limit(&self) -> Option<f64> {
        let limit = self.limit.as_ref()?;
        Some(self.best.1.bytes_per_second / limit.bytes_per_second)
    }
}

/// The summary of a run.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// Our kinds, a column each: views, owned, then any other by name.
    pub(crate) kinds: Vec<String>,
    /// The peers, a column each, in the order they first ran.
    pub(crate) peers: Vec<String>,
    /// One per workload with an `ours` bench, in the order they ran.
    pub(crate) rows: Vec<Row>,
    /// Workloads that ran without an `ours` bench (no row).
    pub(crate) not_rows: Vec<String>,
}

/// Where a kind of ours stands among the columns.
fn kind_rank(kind: &str) -> u8 {
    match kind {
        "views" => 0,
        "owned" => 1,
        _ => 2,
    }
}

/// Builds the table; an error when no workload has a row or one has two
/// limits.
pub(crate) fn build(results: &[Measurement]) -> Result<Table> {
    let mut workloads: Vec<&str> = Vec::new();
    let mut kinds: Vec<String> = Vec::new();
    let mut peers: Vec<String> = Vec::new();
    for m in results {
        if !workloads.contains(&m.workload.as_str()) {
            workloads.push(&m.workload);
        }
        match &m.role {
            Role::Ours { kind } if !kinds.contains(kind) => kinds.push(kind.clone()),
            Role::Peer if !peers.contains(&m.variant) => peers.push(m.variant.clone()),
            _ => {}
        }
    }
    // Columns in a fixed order, whatever order the files were written in
    // (a fresh checkout gives the fixtures arbitrary times): views, then
    // owned, then any other kind of ours; peers by name.
    kinds.sort_by_key(|kind| (kind_rank(kind), kind.clone()));
    peers.sort();
    let mut rows = Vec::new();
    let mut not_rows = Vec::new();
    for workload in workloads {
        let all: Vec<Measurement> = results
            .iter()
            .filter(|m| m.workload == workload)
            .cloned()
            .collect();
        let fastest = |keep: &dyn Fn(&Measurement) -> bool| {
            all.iter()
                .filter(|m| keep(m))
                .max_by(|a, b| a.bytes_per_second.total_cmp(&b.bytes_per_second))
                .map(|m| Named {
                    name: m.variant.clone(),
                    bytes_per_second: m.bytes_per_second,
                })
        };
        let ours: Vec<Option<Named>> = kinds
            .iter()
            .map(|kind| fastest(&|m| m.role == Role::Ours { kind: kind.clone() }))
            .collect();
        let Some(best) = kinds
            .iter()
            .zip(&ours)
            .filter_map(|(kind, named)| Some((kind.clone(), named.clone()?)))
            .max_by(|a, b| a.1.bytes_per_second.total_cmp(&b.1.bytes_per_second))
        else {
            not_rows.push(workload.to_owned());
            continue;
        };
        let peer_rates = peers
            .iter()
            .map(|peer| {
                fastest(&|m| m.role == Role::Peer && &m.variant == peer).map(|n| n.bytes_per_second)
            })
            .collect();
        let limits: Vec<&Measurement> = all.iter().filter(|m| m.role == Role::Limit).collect();
        if limits.len() > 1 {
            let names: Vec<&str> = limits.iter().map(|m| m.variant.as_str()).collect();
            bail!(
                "workload `{workload}` has {} limits ({}); mark all but one `extra: `",
                limits.len(),
                names.join(", ")
            );
        }
        rows.push(Row {
            workload: workload.to_owned(),
            ours,
            peers: peer_rates,
            best,
            best_peer: fastest(&|m| m.role == Role::Peer),
            limit: fastest(&|m| m.role == Role::Limit),
            all,
        });
    }
    if rows.is_empty() {
        bail!(
            "none of the {} benches of this run is one of ours (an id `ours[ KIND]: ...`), so \
             there is no table{}",
            results.len(),
            if results.is_empty() {
                " (no criterion results were written: did the run measure anything?)"
            } else {
                ""
            }
        );
    }
    // A kind or peer seen only in workloads without a row has no column.
    let (kinds, rows) = drop_empty_columns(kinds, rows, |r| &mut r.ours);
    let (peers, rows) = drop_empty_columns(peers, rows, |r| &mut r.peers);
    Ok(Table {
        kinds,
        peers,
        rows,
        not_rows,
    })
}

fn drop_empty_columns<T>(
    names: Vec<String>,
    mut rows: Vec<Row>,
    cells: impl Fn(&mut Row) -> &mut Vec<Option<T>>,
) -> (Vec<String>, Vec<Row>) {
    let keep: Vec<bool> = (0..names.len())
        .map(|i| rows.iter_mut().any(|r| cells(r)[i].is_some()))
        .collect();
    for row in &mut rows {
        let mut i = 0;
        cells(row).retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }
    let names = names
        .into_iter()
        .zip(&keep)
        .filter_map(|(name, &keep)| keep.then_some(name))
        .collect();
    (names, rows)
}

/// A throughput as a person reads it: GiB/s from 1 GiB/s up, else MiB/s
/// (KiB/s below 1 MiB/s), three significant digits.
pub(crate) fn rate(bytes_per_second: f64) -> String {
    const KIB: f64 = 1024.0;
    let (value, unit) = if bytes_per_second >= KIB * KIB * KIB {
        (bytes_per_second / (KIB * KIB * KIB), "GiB/s")
    } else if bytes_per_second >= KIB * KIB {
        (bytes_per_second / (KIB * KIB), "MiB/s")
    } else {
        (bytes_per_second / KIB, "KiB/s")
    };
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.decimals$} {unit}")
}

/// A ratio as `0.80x`, `4.21x`, `12.3x`.
pub(crate) fn ratio(r: f64) -> String {
    if r >= 10.0 {
        format!("{r:.1}x")
    } else {
        format!("{r:.2}x")
    }
}

/// The header and the cells of the table, as text.
fn cells(table: &Table) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["workload".to_owned()];
    header.extend(table.kinds.iter().map(|kind| {
        if kind.is_empty() {
            "ours".to_owned()
        } else {
            format!("ours, {kind}")
        }
    }));
    header.extend(table.peers.iter().cloned());
    header.extend(
        ["ours / best peer", "limit", "ours / limit"]
            .iter()
            .map(|s| (*s).to_owned()),
    );
    let dash = || "–".to_owned();
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![row.workload.clone()];
            cells.extend(
                row.ours
                    .iter()
                    .map(|n| n.as_ref().map_or_else(dash, |n| rate(n.bytes_per_second))),
            );
            cells.extend(row.peers.iter().map(|p| p.map_or_else(dash, rate)));
            cells.push(row.over_best_peer().map_or_else(dash, ratio));
            cells.push(row.limit.as_ref().map_or_else(dash, |l| {
                format!("{} ({})", rate(l.bytes_per_second), l.name)
            }));
            cells.push(row.over_limit().map_or_else(dash, ratio));
            cells
        })
        .collect();
    (header, rows)
}

/// Markdown cell text: a `|` would end the cell.
fn escape(cell: &str) -> String {
    cell.replace('|', "\\|")
}

/// The table as Markdown, columns padded so it reads as well in a terminal,
/// then which variant of ours each cell is and what the ratios mean.
pub(crate) fn markdown(table: &Table) -> String {
    let (header, rows) = cells(table);
    let mut lines: Vec<Vec<String>> = vec![header];
    lines.extend(rows);
    let lines: Vec<Vec<String>> = lines
        .into_iter()
        .map(|l| l.iter().map(|c| escape(c)).collect())
        .collect();
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let write_line = |out: &mut String, cells: &[String]| {
        out.push('|');
        for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(width - cell.chars().count());
            // The workload's name left, the numbers right.
            if i == 0 {
                let _ = write!(out, " {cell}{pad} |");
            } else {
                let _ = write!(out, " {pad}{cell} |");
            }
        }
        out.push('\n');
    };
    write_line(&mut out, &lines[0]);
    out.push('|');
    for (i, width) in widths.iter().enumerate() {
        let dashes = "-".repeat(*width);
        if i == 0 {
            let _ = write!(out, " {dashes} |");
        } else {
            let _ = write!(out, " {}: |", &dashes[1..]);
        }
    }
    out.push('\n');
    for line in &lines[1..] {
        write_line(&mut out, line);
    }
    out.push('\n');
    out.push_str(
        "Throughput in octets of input per second. \"ours / best peer\" and \
         \"ours / limit\" compare the fastest of ours in the row. The fastest \
         variant of ours in each cell:\n\n",
    );
    for row in &table.rows {
        let variants: Vec<String> = table
            .kinds
            .iter()
            .zip(&row.ours)
            .filter_map(|(kind, named)| {
                let named = named.as_ref()?;
                Some(if kind.is_empty() {
                    named.name.clone()
                } else {
                    format!("{kind}: {}", named.name)
                })
            })
            .collect();
        let _ = writeln!(out, "- {}: {}", row.workload, variants.join("; "));
    }
    if !table.not_rows.is_empty() {
        let _ = writeln!(
            out,
            "\nAlso measured, not in the table (no `ours` bench): {}.",
            table.not_rows.join("; ")
        );
    }
    out
}

fn named_json(named: &Named) -> Value {
    json!({ "name": named.name, "bytes_per_second": named.bytes_per_second })
}

/// The table as JSON: every number in octets per second, and the ratios.
pub(crate) fn rows_json(table: &Table) -> Value {
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|row| {
            let ours: serde_json::Map<String, Value> = table
                .kinds
                .iter()
                .zip(&row.ours)
                .filter_map(|(kind, named)| Some((kind.clone(), named_json(named.as_ref()?))))
                .collect();
            let peers: serde_json::Map<String, Value> = table
                .peers
                .iter()
                .zip(&row.peers)
                .filter_map(|(peer, rate)| Some((peer.clone(), json!(rate.as_ref()?))))
                .collect();
            let all: Vec<Value> = row
                .all
                .iter()
                .map(|m| {
                    let kind = match &m.role {
                        Role::Ours { kind } => Value::from(kind.as_str()),
                        _ => Value::Null,
                    };
                    json!({
                        "role": m.role.name(),
                        "kind": kind,
                        "variant": m.variant,
                        "bytes_per_second": m.bytes_per_second,
                        "bytes_per_second_interval": m.interval.map(|(low, high)| [low, high]),
                    })
                })
                .collect();
            json!({
                "workload": row.workload,
                "ours": ours,
                "best_ours": {
                    "kind": row.best.0,
                    "name": row.best.1.name,
                    "bytes_per_second": row.best.1.bytes_per_second,
                },
                "peers": peers,
                "best_peer": row.best_peer.as_ref().map(named_json),
                "ours_over_best_peer": row.over_best_peer(),
                "limit": row.limit.as_ref().map(named_json),
                "ours_over_limit": row.over_limit(),
                "all": all,
            })
        })
        .collect();
    json!({
        "unit": "bytes per second",
        "rows": rows,
        "not_in_table": table.not_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/criterion")
    }

    fn m(workload: &str, id: &str, bytes_per_second: f64) -> Measurement {
        let (role, variant) = parse_id(id).unwrap();
        Measurement {
            workload: workload.to_owned(),
            role,
            variant,
            bytes_per_second,
            interval: None,
        }
    }

    #[test]
    fn ids() {
        assert_eq!(
            parse_id("ours views: decode only").unwrap(),
            (
                Role::Ours {
                    kind: "views".into()
                },
                "decode only".into()
            )
        );
        assert_eq!(
            parse_id("ours: ResponseDecoder, reads as Bytes").unwrap(),
            (
                Role::Ours { kind: "".into() },
                "ResponseDecoder, reads as Bytes".into()
            )
        );
        assert_eq!(
            parse_id("peer: imap-codec 1.0").unwrap(),
            (Role::Peer, "imap-codec 1.0".into())
        );
        assert_eq!(
            parse_id("limit: memmem \"\\r\\n.\" scan").unwrap(),
            (Role::Limit, "memmem \"\\r\\n.\" scan".into())
        );
        assert_eq!(
            parse_id("extra: a: b").unwrap(),
            (Role::Extra, "a: b".into())
        );
        for bad in [
            "memcpy",
            "mailwire imap-proto (framer + parse)",
            "our views: decode only",
            "peer djc: 0.16",
            "limit: ",
            "Ours: x",
        ] {
            let err = parse_id(bad).unwrap_err().to_string();
            assert!(err.contains(bad.trim()), "{bad}: {err}");
        }
    }

    #[test]
    fn criterion_json() {
        let benchmark: Value = serde_json::from_str(
            r#"{"group_id":"IMAP list","function_id":"peer: djc imap-proto 0.16",
                "value_str":null,"throughput":{"Bytes":1048576},
                "full_id":"IMAP list/peer: djc imap-proto 0.16",
                "directory_name":"IMAP list/peer_ djc imap-proto 0.16","title":"x"}"#,
        )
        .unwrap();
        // The slope when there is one: 1 MiB in 1 ms.
        let estimates: Value = serde_json::from_str(
            r#"{"mean":{"point_estimate":2000000.0},"slope":{"point_estimate":1000000.0}}"#,
        )
        .unwrap();
        let got = measurement(&benchmark, &estimates).unwrap();
        assert_eq!(got.workload, "IMAP list");
        assert_eq!(got.role, Role::Peer);
        assert_eq!(got.variant, "djc imap-proto 0.16");
        assert_eq!(got.bytes_per_second, 1048576.0 * 1000.0);
        assert_eq!(got.interval, None);
        // The mean for a flat sampling.
        let estimates: Value =
            serde_json::from_str(r#"{"mean":{"point_estimate":2000000.0},"slope":null}"#).unwrap();
        let got = measurement(&benchmark, &estimates).unwrap();
        assert_eq!(got.bytes_per_second, 1048576.0 * 500.0);

        let mut elements = benchmark.clone();
        elements["throughput"] = json!({"Elements": 10});
        let err = measurement(&elements, &estimates).unwrap_err().to_string();
        assert!(err.contains("no throughput in bytes"), "{err}");
        let mut ungrouped = benchmark.clone();
        ungrouped["function_id"] = Value::Null;
        let err = measurement(&ungrouped, &estimates).unwrap_err().to_string();
        assert!(err.contains("not in a group"), "{err}");
        let zero: Value = serde_json::from_str(r#"{"mean":{"point_estimate":0.0}}"#).unwrap();
        assert!(measurement(&benchmark, &zero).is_err());
    }

    /// The committed tree has criterion's layout: two workloads with
    /// `ours`, a sweep without, and a baseline directory to skip.
    #[test]
    fn fixture_tree() {
        let results = read_results(&fixtures(), None).unwrap();
        assert_eq!(results.len(), 9, "{results:#?}");
        let table = build(&results).unwrap();
        assert_eq!(table.kinds, ["views", "owned"]);
        assert_eq!(table.peers, ["imap-codec 1.0"]);
        assert_eq!(table.not_rows, ["IMAP sweep"]);
        let workloads: Vec<&str> = table.rows.iter().map(|r| r.workload.as_str()).collect();
        assert_eq!(workloads.len(), 2);
        let imap = table
            .rows
            .iter()
            .find(|r| r.workload == "IMAP list")
            .unwrap();
        // Throughput 1 GiB; the fastest views variant takes 0.5 s.
        let views = imap.ours[0].as_ref().unwrap();
        assert_eq!(views.name, "decode only");
        assert_eq!(views.bytes_per_second, 2.0 * (1u64 << 30) as f64);
        let decode_only = imap
            .all
            .iter()
            .find(|m| m.variant == "decode only")
            .unwrap();
        let (low, high) = decode_only.interval.unwrap();
        assert!(low < decode_only.bytes_per_second && decode_only.bytes_per_second < high);
        assert_eq!(imap.best.0, "views");
        assert_eq!(imap.over_best_peer(), Some(8.0));
        assert_eq!(imap.over_limit(), Some(0.5));
        let pop3 = table
            .rows
            .iter()
            .find(|r| r.workload == "POP3 RETR")
            .unwrap();
        assert!(pop3.ours[0].is_none());
        assert_eq!(pop3.peers, [None]);
        assert_eq!(pop3.over_best_peer(), None);
        assert_eq!(pop3.over_limit(), Some(0.8));

        let md = markdown(&table);
        assert!(md.contains(" 2.00 GiB/s |"), "{md}");
        assert!(md.contains("8.00x"), "{md}");
        assert!(md.contains("- IMAP list: views: decode only; owned: framer + parse"));
        let json = rows_json(&table);
        let rows = json["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        for row in rows {
            assert!(row["best_ours"]["bytes_per_second"].as_f64().unwrap() > 0.0);
            assert!(row["ours_over_limit"].as_f64().unwrap() > 0.0);
        }
    }

    /// Results written before the run began are not this run's.
    #[test]
    fn older_results_are_left_out() {
        let later = SystemTime::now() + std::time::Duration::from_secs(3600);
        let results = read_results(&fixtures(), Some(later)).unwrap();
        assert!(results.is_empty());
        let err = build(&results).unwrap_err().to_string();
        assert!(err.contains("no criterion results"), "{err}");
    }

    #[test]
    fn no_row_without_ours() {
        let results = [
            m("a", "peer: p", 1.0),
            m("a", "limit: l", 2.0),
            m("b", "extra: e", 3.0),
        ];
        let err = build(&results).unwrap_err().to_string();
        assert!(err.contains("none of the 3 benches"), "{err}");
    }

    #[test]
    fn two_limits_are_refused() {
        let results = [
            m("a", "ours: x", 1.0),
            m("a", "limit: memchr", 2.0),
            m("a", "limit: memcpy", 3.0),
        ];
        let err = build(&results).unwrap_err().to_string();
        assert!(err.contains("memchr, memcpy"), "{err}");
    }

    #[test]
    fn columns_and_best() {
        let results = [
            m("w1", "ours views: v1", 10.0),
            m("w1", "ours views: v2", 30.0),
            m("w1", "ours owned: o1", 20.0),
            m("w1", "peer: p1", 5.0),
            m("w1", "peer: p2", 6.0),
            m("w2", "ours owned: o1", 4.0),
            m("w2", "peer: p2", 8.0),
            m("sweep", "extra: s", 1.0),
            m("sweep", "peer: only in the sweep", 1.0),
        ];
        let table = build(&results).unwrap();
        assert_eq!(table.kinds, ["views", "owned"]);
        assert_eq!(table.peers, ["p1", "p2"]);
        let w1 = &table.rows[0];
        assert_eq!(w1.best.1.name, "v2");
        assert_eq!(w1.best_peer.as_ref().unwrap().name, "p2");
        assert_eq!(w1.over_best_peer(), Some(5.0));
        assert_eq!(w1.over_limit(), None);
        let w2 = &table.rows[1];
        assert_eq!(w2.best.0, "owned");
        assert_eq!(w2.peers, [None, Some(8.0)]);
        assert_eq!(w2.over_best_peer(), Some(0.5));
        let md = markdown(&table);
        let header = md.lines().next().unwrap();
        let words = header.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.starts_with("| workload | ours, views | ours, owned | p1 | p2 |"),
            "{header}"
        );
        // Every line of the table has as many cells as the header.
        let cells = header.matches(" |").count();
        for line in md.lines().take(4) {
            assert_eq!(line.matches(" |").count(), cells, "{line}");
        }
    }

    #[test]
    fn units() {
        assert_eq!(rate(1.1 * (1u64 << 30) as f64), "1.10 GiB/s");
        assert_eq!(rate(260.4 * (1u64 << 20) as f64), "260 MiB/s");
        assert_eq!(rate(85.34 * (1u64 << 20) as f64), "85.3 MiB/s");
        assert_eq!(rate(2.5 * (1u64 << 20) as f64), "2.50 MiB/s");
        assert_eq!(rate(512.0), "0.50 KiB/s");
        assert_eq!(ratio(0.8), "0.80x");
        assert_eq!(ratio(12.34), "12.3x");
    }

    #[test]
    fn pipes_are_escaped() {
        let results = [m("a | b", "ours: x|y", 1.0)];
        let md = markdown(&build(&results).unwrap());
        assert!(md.contains("a \\| b"), "{md}");
    }
}
