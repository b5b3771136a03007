//! `mailctl inspect pop3` over every real capture, its JSON output, and a
//! corrupted capture that must fail with the direction and offset.

use std::path::{Path, PathBuf};
use std::process::Command;

use mailwire_testdata::{Protocol, capture_dir, capture_names};

fn captures() -> PathBuf {
    capture_dir(Protocol::Pop3)
}

fn inspect(c2s: &Path, s2c: &Path, json: bool) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailctl"));
    cmd.args(["inspect", "pop3", "--client"])
        .arg(c2s)
        .arg("--server")
        .arg(s2c);
    if json {
        cmd.arg("--json");
    }
    cmd.output().expect("run mailctl")
}

#[test]
fn every_pop3_capture_replays_with_exit_0() {
    let dir = captures();
    let mut count = 0;
    for name in capture_names(Protocol::Pop3) {
        let out = inspect(
            &dir.join(format!("{name}.c2s")),
            &dir.join(format!("{name}.s2c")),
            false,
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.lines().last().is_some_and(|l| l.starts_with("ok: "))
                || stdout.contains("switched to TLS"),
            "{name}: {stdout}"
        );
        if name.contains("stls") {
            assert!(stdout.contains("switched to TLS"), "{name}: {stdout}");
        }
        assert!(
            !stdout.contains("secret"),
            "{name}: a password leaked into the output"
        );
        count += 1;
    }
    assert!(count >= 30, "only {count} captures found");
}

#[test]
fn json_output_is_one_object_per_line() {
    let dir = captures();
    let out = inspect(
        &dir.join("raw-pop3-pipelining.c2s"),
        &dir.join("raw-pop3-pipelining.s2c"),
        true,
    );
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect();
    let commands: Vec<&str> = lines
        .iter()
        .filter(|v| v["type"] == "command")
        .filter_map(|v| v["command"].as_str())
        .collect();
    assert_eq!(
        commands,
        [
            "USER", "PASS", "STAT", "LIST", "UIDL", "TOP", "NOOP", "QUIT"
        ]
    );
    let stat = lines
        .iter()
        .find(|v| v["type"] == "response" && v["command"] == "STAT")
        .expect("STAT answer");
    assert_eq!(stat["data"]["count"], 31);
    assert_eq!(stat["data"]["size"], 5061315);
    assert!(
        lines
            .iter()
            .all(|v| v["bytes"].is_u64() || v["type"] == "summary")
    );
    let pass = lines.iter().find(|v| v["command"] == "PASS").expect("PASS");
    assert_eq!(pass["args"][0], "<redacted>");
    let summary = lines.last().expect("summary");
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["ok"], true);
}

#[test]
fn a_corrupted_capture_fails_with_direction_and_offset() {
    let dir = captures();
    let mut s2c = std::fs::read(dir.join("curl-stat.s2c")).expect("capture");
    // Break the STAT answer's first line: "+OK 31 5061315" becomes "*OK ...".
    let at = s2c
        .windows(6)
        .position(|w| w == b"+OK 31")
        .expect("STAT answer");
    s2c[at] = b'*';
    let tmp = std::env::temp_dir().join(format!("mailctl-inspect-{}.s2c", std::process::id()));
    std::fs::write(&tmp, &s2c).expect("write temp");
    let out = inspect(&dir.join("curl-stat.c2s"), &tmp, true);
    let _ = std::fs::remove_file(&tmp);
    assert_eq!(out.status.code(), Some(1));
    let last: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .expect("output"),
    )
    .expect("JSON");
    assert_eq!(last["ok"], false);
    assert_eq!(last["dir"], "s2c");
    assert_eq!(last["offset"], at as u64);
}

fn inspect_imap(c2s: &Path, s2c: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mailctl"))
        .args(["inspect", "imap", "--client"])
        .arg(c2s)
        .arg("--server")
        .arg(s2c)
        .args(extra)
        .output()
        .expect("run mailctl")
}

#[test]
fn every_imap_capture_inspects_with_exit_0() {
    let dir = capture_dir(Protocol::Imap);
    let mut count = 0;
    for name in capture_names(Protocol::Imap) {
        let out = inspect_imap(
            &dir.join(format!("{name}.c2s")),
            &dir.join(format!("{name}.s2c")),
            &["--json"],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let last: serde_json::Value =
            serde_json::from_str(stdout.lines().last().expect("summary")).expect("JSON");
        assert_eq!(last["ok"], true, "{name}");
        assert!(
            !stdout.contains("secret"),
            "{name}: a password leaked into the output"
        );
        count += 1;
    }
    assert!(count >= 35, "only {count} captures found");
}

#[test]
fn a_corrupted_imap_capture_fails_with_direction_and_offset() {
    let dir = capture_dir(Protocol::Imap);
    let mut s2c = std::fs::read(dir.join("curl-status.s2c")).expect("capture");
    let at = s2c
        .windows(8)
        .position(|w| w == b"* STATUS")
        .expect("a STATUS response");
    // "* STATUS" becomes "* STATUZ (": an unknown untagged response is kept,
    // so break the parenthesis structure instead.
    let close = at + s2c[at..].iter().position(|&b| b == b')').expect(")");
    s2c[close] = b'(';
    let tmp = std::env::temp_dir().join(format!("mailctl-inspect-imap-{}.s2c", std::process::id()));
    std::fs::write(&tmp, &s2c).expect("write temp");
    let out = inspect_imap(&dir.join("curl-status.c2s"), &tmp, &["--json"]);
    let _ = std::fs::remove_file(&tmp);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let last: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .expect("output"),
    )
    .expect("JSON");
    assert_eq!(last["ok"], false);
    assert_eq!(last["dir"], "s2c");
    let offset = last["offset"].as_u64().expect("offset") as usize;
    assert!(
        (at..at + 200).contains(&offset),
        "{offset} not within the broken STATUS at {at}"
    );
}

/// The JSON lines of `inspect pop3 --json` on a capture, and its exit code.
fn inspect_json(name: &str) -> (Vec<serde_json::Value>, Option<i32>) {
    let dir = captures();
    let out = inspect(
        &dir.join(format!("{name}.c2s")),
        &dir.join(format!("{name}.s2c")),
        true,
    );
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect();
    (lines, out.status.code())
}

#[test]
fn sessions_past_our_servers_limits_replay_with_exit_0() {
    for name in [
        "constructed-twenty-unknown-commands",
        "constructed-auth-cancelled-thrice",
    ] {
        let (lines, code) = inspect_json(name);
        let summary = lines.last().expect("summary");
        assert_eq!(
            (code, &summary["ok"]),
            (Some(0), &true.into()),
            "{name}: {summary}"
        );
    }
}

#[test]
fn rejected_lines_are_shown_byte_for_byte_and_judged_by_the_answer() {
    let (lines, code) = inspect_json("constructed-non-ascii-line");
    assert_eq!(code, Some(0), "{lines:?}");
    let rejected = lines
        .iter()
        .find(|v| v["type"] == "rejected")
        .expect("a rejected line");
    assert_eq!(rejected["hex"], "fffe80");
    assert_eq!(rejected["exact"], true);
    assert!(
        rejected["line"]
            .as_str()
            .unwrap()
            .contains("[octets fffe80]"),
        "{rejected}"
    );

    let (lines, code) = inspect_json("constructed-empty-line");
    assert_eq!(code, Some(0), "{lines:?}");
    let rejected = lines.iter().find(|v| v["type"] == "rejected").unwrap();
    assert_eq!(
        (&rejected["raw"], &rejected["hex"]),
        (&"<empty line>".into(), &"".into())
    );

    let (lines, code) = inspect_json("constructed-user-without-name");
    assert_eq!(code, Some(0), "{lines:?}");
    let at = lines
        .iter()
        .position(|v| v["type"] == "rejected")
        .expect("a rejected line");
    assert_eq!(lines[at]["raw"], "USER");
    assert_eq!(lines[at + 1]["status"], "+OK", "{}", lines[at + 1]);
    assert_eq!(lines[at + 1]["quirks"][0], "accepted-undecodable-line");
    // The PASS after it is rejected too, and shown without its password.
    assert_eq!(lines[at + 2]["raw"], "PASS <redacted>");
    assert!(lines[at + 2]["hex"].is_null());
    assert_eq!(lines.last().unwrap()["quirky"], 1);
}

#[test]
fn the_servers_closing_line_is_shown_as_unsolicited() {
    let dir = captures();
    let name = "constructed-too-many-bad-commands";
    let out = inspect(
        &dir.join(format!("{name}.c2s")),
        &dir.join(format!("{name}.s2c")),
        false,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let closing = stdout
        .lines()
        .find(|l| l.contains("Too many bad commands."))
        .expect("the closing line");
    assert!(closing.contains("(unsolicited)"), "{closing}");
    assert!(closing.contains("finding: "), "{closing}");
}
