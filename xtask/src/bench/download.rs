//! `cargo xtask bench download`: `mailctl pop3 … fetch` side by side with
//! curl and Python's poplib, end to end, downloading the same Maildir from
//! a private Dovecot over POP3S on 127.0.0.1.
//!
//! The Dovecot runs as in the interoperability tests (the same
//! configuration: `crates/mailctl/tests/peers/dovecot_config.rs`), with 200
//! messages of about 190 KB (38 MB). Each client downloads all of them over
//! one connection into a fresh directory; the clients take turns, run after
//! run, so that a change in the machine's load touches them alike. One
//! round before the timed ones warms the page cache and Dovecot's indexes.
//!
//! - curl: one process, the URL glob `pop3s://…/[1-200]` (one connection,
//!   reused for every message), each message to its own file.
//! - mailctl: `mailctl pop3 pop3s://… fetch --to DIR` (built with
//!   `--release`, or the binary `XTASK_BENCH_MAILCTL` names), every
//!   message fsynced before it counts as fetched.
//! - Python: `poplib.POP3_SSL`, RETR for each message, each to its own file.
//!
//! Only mailctl makes its files durable (fsync); the others leave them to
//! the page cache.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};

use super::summary::{Measurement, Role};
use crate::util;

#[path = "../../../crates/mailctl/tests/peers/dovecot_config.rs"]
mod dovecot_config;

/// The workload's name in the table.
pub(crate) const WORKLOAD: &str = "POP3S download 200 msgs 38 MB";
/// Messages in the Maildir.
const MESSAGES: usize = 200;
/// Octets of each message as stored (LF line endings).
const MESSAGE_OCTETS: usize = 190_000;
/// Timed runs of each client by default.
pub(crate) const DEFAULT_RUNS: usize = 5;
/// Names a mailctl binary to time instead of building this tree's (to
/// compare with an older build).
pub(crate) const MAILCTL_ENV: &str = "XTASK_BENCH_MAILCTL";
/// Longest a single download may take before the run fails.
const RUN_LIMIT: Duration = Duration::from_secs(120);

const USER: &str = "alice";
const PASSWORD: &str = "bench-download-secret";

/// A client's timed runs.
#[derive(Debug, Clone)]
pub(crate) struct Timings {
    /// Its name in the table.
    pub(crate) name: String,
    /// Ours or a peer.
    pub(crate) role: Role,
    /// Each run's wall-clock time, in the order they ran.
    pub(crate) runs: Vec<Duration>,
}

impl Timings {
    fn sorted(&self) -> Vec<Duration> {
        let mut runs = self.runs.clone();
        runs.sort();
        runs
    }

    /// The fastest run.
    pub(crate) fn min(&self) -> Duration {
        self.sorted().first().copied().unwrap_or_default()
    }

    /// The median run (the lower middle one of an even count).
    pub(crate) fn median(&self) -> Duration {
        let runs = self.sorted();
        runs.get(runs.len().saturating_sub(1) / 2)
            .copied()
            .unwrap_or_default()
    }

    /// The slowest run.
    pub(crate) fn max(&self) -> Duration {
        self.sorted().last().copied().unwrap_or_default()
    }
}

/// What the download bench measured.
#[derive(Debug, Clone)]
pub(crate) struct Download {
    /// Octets of all messages as stored.
    pub(crate) octets: u64,
    /// One per client.
    pub(crate) clients: Vec<Timings>,
}

impl Download {
    /// The table's measurements: octets per second from the median run; the
    /// interval from the slowest and the fastest.
    pub(crate) fn measurements(&self) -> Vec<Measurement> {
        let rate = |d: Duration| self.octets as f64 / d.as_secs_f64().max(1e-9);
        self.clients
            .iter()
            .filter(|c| !c.runs.is_empty())
            .map(|c| Measurement {
                workload: WORKLOAD.to_owned(),
                role: c.role.clone(),
                variant: c.name.clone(),
                bytes_per_second: rate(c.median()),
                interval: Some((rate(c.max()), rate(c.min()))),
            })
            .collect()
    }

    /// The times, as Markdown.
    pub(crate) fn markdown(&self) -> String {
        let mut out = format!(
            "{WORKLOAD}: {} messages, {} octets, over POP3S from a private Dovecot on \
             127.0.0.1; each client in turn, {} timed runs each after one untimed round:\n\n\
             | client | min | median | max | MB/s (median) |\n| --- | ---: | ---: | ---: | ---: |\n",
            MESSAGES,
            self.octets,
            self.clients.first().map_or(0, |c| c.runs.len()),
        );
        for c in &self.clients {
            let _ = writeln!(
                out,
                "| {} | {:.3} s | {:.3} s | {:.3} s | {:.1} |",
                c.name,
                c.min().as_secs_f64(),
                c.median().as_secs_f64(),
                c.max().as_secs_f64(),
                self.octets as f64 / 1e6 / c.median().as_secs_f64().max(1e-9)
            );
        }
        out
    }

    /// The times, as JSON (seconds).
    pub(crate) fn json(&self) -> Value {
        let clients: Vec<Value> = self
            .clients
            .iter()
            .map(|c| {
                json!({
                    "name": c.name,
                    "runs_seconds": c.runs.iter().map(Duration::as_secs_f64).collect::<Vec<_>>(),
                    "min_seconds": c.min().as_secs_f64(),
                    "median_seconds": c.median().as_secs_f64(),
                })
            })
            .collect();
        json!({ "workload": WORKLOAD, "messages": MESSAGES, "octets": self.octets, "clients": clients })
    }
}

/// Builds mailctl, starts Dovecot, and times `runs` downloads of each client.
pub(crate) fn run(runs: usize) -> Result<Download> {
    ensure!(runs > 0, "--runs must be at least 1");
    let dovecot = find_program("dovecot").context(
        "dovecot not found: apt-get install -y dovecot-pop3d dovecot-imapd dovecot-core",
    )?;
    let curl = find_program("curl").context("curl not found: apt-get install -y curl")?;
    let openssl = find_program("openssl").context("openssl not found")?;
    let python = find_program("python3");
    let mailctl = match std::env::var_os(MAILCTL_ENV) {
        Some(path) => PathBuf::from(path),
        None => {
            util::run(util::cargo().args(["build", "--release", "-p", "mailctl"]))?;
            super::target_dir()?.join("release/mailctl")
        }
    };

    let dir = TempDir::new()?;
    let server = Server::start(&dovecot, &openssl, dir.path())?;
    let out = dir.path().join("out");
    let password_file = dir.path().join("password");
    fs::write(&password_file, PASSWORD)?;

    let mut clients: Vec<(Timings, Client)> = Vec::new();
    let port = server.pop3s;
    let ca = server.ca.clone();
    clients.push((
        timings(
            "mailctl pop3 fetch",
            Role::Ours {
                kind: String::new(),
            },
        ),
        Box::new({
            let ca = ca.clone();
            move |to: &Path| {
                let mut cmd = Command::new(&mailctl);
                cmd.arg("pop3")
                    .arg(format!("pop3s://{USER}@127.0.0.1:{port}"))
                    .arg("--ca")
                    .arg(&ca)
                    .arg("--password-file")
                    .arg(&password_file)
                    .arg("fetch")
                    .arg("--to")
                    .arg(to);
                cmd
            }
        }),
    ));
    clients.push((
        timings("curl", Role::Peer),
        Box::new({
            let ca = ca.clone();
            move |to: &Path| {
                let mut cmd = Command::new(&curl);
                cmd.args(["--silent", "--show-error", "--fail"])
                    .arg("--cacert")
                    .arg(&ca)
                    .args(["--user", &format!("{USER}:{PASSWORD}")])
                    .arg(format!("pop3s://127.0.0.1:{port}/[1-{MESSAGES}]"))
                    .arg("--output")
                    .arg(to.join("#1"));
                cmd
            }
        }),
    ));
    if let Some(python) = python {
        clients.push((
            timings("Python poplib", Role::Peer),
            Box::new(move |to: &Path| {
                let mut cmd = Command::new(&python);
                cmd.arg("-c")
                    .arg(POPLIB_SCRIPT)
                    .arg(port.to_string())
                    .arg(&ca)
                    .arg(USER)
                    .arg(PASSWORD)
                    .arg(MESSAGES.to_string())
                    .arg(to);
                cmd
            }),
        ));
    } else {
        eprintln!("xtask bench download: python3 not found, Python's poplib left out");
    }

    for round in 0..=runs {
        for (timings, command) in &mut clients {
            let _ = fs::remove_dir_all(&out);
            fs::create_dir_all(&out)?;
            let took = time(&mut command(&out), &timings.name)?;
            check_output(&out, &timings.name)?;
            if round == 0 {
                eprintln!("  {} (warm-up): {:.3} s", timings.name, took.as_secs_f64());
            } else {
                eprintln!(
                    "  {} run {round}: {:.3} s",
                    timings.name,
                    took.as_secs_f64()
                );
                timings.runs.push(took);
            }
        }
    }
    drop(server);
    Ok(Download {
        octets: (MESSAGES * MESSAGE_OCTETS) as u64,
        clients: clients.into_iter().map(|(t, _)| t).collect(),
    })
}

/// A client's command line, downloading into the directory it is given.
type Client = Box<dyn Fn(&Path) -> Command>;

fn timings(name: &str, role: Role) -> Timings {
    Timings {
        name: name.to_owned(),
        role,
        runs: Vec::new(),
    }
}

/// Python's poplib: every message over one POP3S connection, each to a file.
const POPLIB_SCRIPT: &str = r#"
import os, poplib, ssl, sys
port, ca, user, password, count, out = sys.argv[1:]
pop = poplib.POP3_SSL("127.0.0.1", int(port), context=ssl.create_default_context(cafile=ca))
pop.user(user)
pop.pass_(password)
for n in range(1, int(count) + 1):
    _, lines, _ = pop.retr(n)
    with open(os.path.join(out, str(n)), "wb") as f:
        f.write(b"\n".join(lines) + b"\n")
pop.quit()
"#;

/// Runs `cmd` to its end and returns how long it took; an error if it fails
/// or takes longer than [`RUN_LIMIT`].
fn time(cmd: &mut Command, name: &str) -> Result<Duration> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("could not start {name}: {}", util::display(cmd)))?;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            bail!("{name} took longer than {RUN_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_micros(500));
    };
    let took = started.elapsed();
    if !status.success() {
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
        }
        bail!("{name} failed ({status}): {stderr}");
    }
    Ok(took)
}

/// Every message arrived: as many files as messages (in `new/` for a
/// Maildir), each at least as long as a message.
fn check_output(out: &Path, name: &str) -> Result<()> {
    let dir = if out.join("new").is_dir() {
        out.join("new")
    } else {
        out.to_path_buf()
    };
    let mut count = 0;
    for entry in fs::read_dir(&dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') || !entry.file_type()?.is_file() {
            continue;
        }
        let size = entry.metadata()?.len();
        ensure!(
            size >= MESSAGE_OCTETS as u64,
            "{name}: {} has {size} octets, fewer than a message",
            entry.path().display()
        );
        count += 1;
    }
    ensure!(
        count == MESSAGES,
        "{name} left {count} messages in {}, not {MESSAGES}",
        dir.display()
    );
    Ok(())
}

/// `program` on PATH or in the sbin directories (where Debian puts dovecot).
fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let sbin = ["/usr/local/sbin", "/usr/sbin", "/sbin"].map(PathBuf::from);
    std::env::split_paths(&path)
        .chain(sbin)
        .map(|dir| dir.join(program))
        .find(|p| fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}

/// A fresh directory, removed on drop.
#[derive(Debug)]
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<Self> {
        let path =
            std::env::temp_dir().join(format!("mailwire-bench-download-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path)?;
        // Traversable by the users Dovecot switches to.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755))?;
        Ok(Self(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The private Dovecot: stopped on drop.
#[derive(Debug)]
struct Server {
    child: Child,
    pop3s: u16,
    ca: PathBuf,
}

impl Server {
    fn start(dovecot: &Path, openssl: &Path, dir: &Path) -> Result<Self> {
        let probe = dir.join("probe");
        fs::write(&probe, b"")?;
        ensure!(
            fs::metadata(&probe)?.uid() == 0,
            "the download bench runs Dovecot, which needs root (it switches users)"
        );
        let ca = dir.join("cert.pem");
        let key = dir.join("key.pem");
        let made = Command::new(openssl)
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            ])
            .args(["-subj", "/CN=localhost"])
            .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&ca)
            .stdin(Stdio::null())
            .output()
            .context("could not run openssl")?;
        ensure!(
            made.status.success(),
            "openssl req -x509 failed: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        fs::set_permissions(&key, fs::Permissions::from_mode(0o600))?;

        let root = dir.join("mail");
        let maildir = root.join(USER);
        fill_maildir(&maildir)?;
        let (uid, gid) = dovecot_config::nobody();
        dovecot_config::chown_tree(&root, uid, gid);
        fs::write(
            dir.join("passwd"),
            format!(
                "{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{}::\n",
                maildir.display()
            ),
        )?;
        let conf = dir.join("dovecot.conf");
        for _attempt in 0..3 {
            let (pop3s, pop3) = (free_port()?, free_port()?);
            fs::write(&conf, dovecot_config::config(dir, &root, pop3s, pop3, None))?;
            let child = Command::new(dovecot)
                .arg("-F")
                .arg("-c")
                .arg(&conf)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .context("could not start dovecot")?;
            let mut server = Self {
                child,
                pop3s,
                ca: ca.clone(),
            };
            let deadline = Instant::now() + Duration::from_secs(15);
            while Instant::now() < deadline {
                if server.child.try_wait()?.is_some() {
                    break;
                }
                if accepts(pop3s) && accepts(pop3) {
                    return Ok(server);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            server.stop();
        }
        bail!(
            "Dovecot did not start; its log:\n{}",
            fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default()
        )
    }

    /// SIGTERM (Dovecot stops its children), then SIGKILL after 3 s.
    fn stop(&mut self) {
        if self.child.try_wait().ok().flatten().is_some() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn accepts(port: u16) -> bool {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

/// Fills `maildir/new` with the messages: a header, then lines of 72
/// letters from a fixed pseudo-random sequence (so no two messages are
/// alike and nothing compresses away), each exactly [`MESSAGE_OCTETS`] long.
fn fill_maildir(maildir: &Path) -> Result<()> {
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(maildir.join(sub))?;
    }
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for n in 1..=MESSAGES {
        let mut text = format!(
            "From: bench@example.org\nTo: {USER}@example.org\nSubject: message {n}\n\
             Message-ID: <{n}@bench.example.org>\n\n"
        )
        .into_bytes();
        while text.len() < MESSAGE_OCTETS {
            let room = MESSAGE_OCTETS - text.len();
            let len = room.min(73) - 1;
            for _ in 0..len {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push(b'a' + ((state >> 33) % 26) as u8);
            }
            text.push(b'\n');
        }
        let name = format!("{}.M{n}P1.bench,S={}", 1_700_000_000 + n, text.len());
        let mut f = fs::File::create(maildir.join("new").join(name))?;
        f.write_all(&text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics() {
        let t = Timings {
            name: "x".into(),
            role: Role::Peer,
            runs: [5, 1, 4, 2, 3].map(Duration::from_millis).to_vec(),
        };
        assert_eq!(t.min(), Duration::from_millis(1));
        assert_eq!(t.median(), Duration::from_millis(3));
        assert_eq!(t.max(), Duration::from_millis(5));
        let d = Download {
            octets: 3_000_000,
            clients: vec![t],
        };
        let m = &d.measurements()[0];
        assert_eq!(m.workload, WORKLOAD);
        assert!((m.bytes_per_second - 1e9).abs() < 1.0);
        let (slow, fast) = m.interval.unwrap();
        assert!(slow < m.bytes_per_second && m.bytes_per_second < fast);
        assert!(
            d.markdown()
                .contains("| x | 0.001 s | 0.003 s | 0.005 s | 1000.0 |")
        );
    }

    #[test]
    fn messages_have_their_size() {
        let dir = std::env::temp_dir().join(format!("xtask-fill-{}", std::process::id()));
        fill_maildir(&dir).unwrap();
        let files: Vec<_> = fs::read_dir(dir.join("new")).unwrap().collect();
        assert_eq!(files.len(), MESSAGES);
        for f in files {
            assert_eq!(f.unwrap().metadata().unwrap().len(), MESSAGE_OCTETS as u64);
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
