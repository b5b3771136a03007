//! `mailctl serve` (our server) on free ports of 127.0.0.1 over a Maildir
//! in a temporary directory, killed on drop.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::Endpoint;
use super::messages::{self, Message};
use super::process::{ChildGuard, TempDir};

const USER: &str = "alice";
const PASSWORD: &str = "serve-peer-secret";

/// A running `mailctl serve`.
#[derive(Debug)]
pub(crate) struct Serve {
    // Declared first: killed before the directory is removed.
    _child: ChildGuard,
    endpoint: Endpoint,
    stderr: PathBuf,
    _dir: TempDir,
}

/// The port of a `LABEL listening on ADDR` line, if it is one.
fn listening(line: &str, label: &str) -> Option<u16> {
    let addr: SocketAddr = line
        .strip_prefix(label)?
        .strip_prefix(" listening on ")?
        .trim()
        .parse()
        .ok()?;
    Some(addr.port())
}

impl Serve {
    /// Starts `mailctl serve` with every test message in alice's Maildir
    /// `new/`, and waits for its two `listening on` lines. `None` (the test
    /// skips) while the binary has no `serve` subcommand.
    pub(crate) fn start(messages: &[Message]) -> Option<Self> {
        let dir = TempDir::new("serve");
        let root = dir.path().join("maildirs");
        let maildir = root.join(USER);
        messages::fill_maildir(&maildir, messages);
        let ca = dir.path().join("cert.pem");
        let scratch = dir.path().join("scratch");
        std::fs::create_dir(&scratch).expect("create the scratch directory");
        let stderr = dir.path().join("serve.stderr");

        let mut child = ChildGuard::spawn(
            Command::new(env!("CARGO_BIN_EXE_mailctl"))
                .arg("serve")
                .arg("--maildir")
                .arg(&root)
                .arg("--user")
                .arg(format!("{USER}:{PASSWORD}"))
                .args(["--pop3s", "127.0.0.1:0", "--pop3", "127.0.0.1:0"])
                .arg("--write-cert")
                .arg(&ca)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(std::fs::File::create(&stderr).expect("create serve.stderr")),
        );
        let stdout = child.stdout().expect("piped stdout");
        let (lines, received) = mpsc::channel();
        // Reads stdout to the end, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    // Nobody listens any more: keep draining.
                    continue;
                }
            }
        });

        let deadline = Instant::now() + Duration::from_secs(20);
        let (mut pop3s, mut pop3) = (None, None);
        let mut seen = Vec::new();
        while pop3s.is_none() || pop3.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            match received.recv_timeout(left) {
                Ok(line) => {
                    pop3s = pop3s.or(listening(&line, "pop3s"));
                    pop3 = pop3.or(listening(&line, "pop3"));
                    seen.push(line);
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = child.wait_exit(Duration::from_secs(5));
                    let err = std::fs::read_to_string(&stderr).unwrap_or_default();
                    if err.contains("unrecognized subcommand") {
                        eprintln!(
                            "skipping: this mailctl has no `serve` subcommand yet ({})",
                            err.lines().next().unwrap_or_default()
                        );
                        return None;
                    }
                    panic!(
                        "mailctl serve exited ({status:?}) before printing both listening \
                         lines.\n--- stdout ---\n{}\n--- stderr ---\n{err}",
                        seen.join("\n")
                    );
                }
                Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                    "mailctl serve did not print both listening lines within 20 s.\n\
                     --- stdout ---\n{}\n--- stderr ---\n{}",
                    seen.join("\n"),
                    std::fs::read_to_string(&stderr).unwrap_or_default()
                ),
            }
        }
        let cert = std::fs::read_to_string(&ca).unwrap_or_default();
        assert!(
            cert.contains("BEGIN CERTIFICATE"),
            "--write-cert {} holds no certificate once serve listens",
            ca.display()
        );
        Some(Self {
            _child: child,
            endpoint: Endpoint {
                server: "mailctl serve",
                pop3s: pop3s.expect("pop3s port"),
                pop3: pop3.expect("pop3 port"),
                ca,
                user: USER,
                password: PASSWORD,
                maildir,
                scratch,
                list_size_excludes_added_crlf: false,
            },
            stderr,
            _dir: dir,
        })
    }

    pub(crate) fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let err = std::fs::read(&self.stderr).unwrap_or_default();
            eprintln!(
                "--- mailctl serve stderr ---\n{}",
                super::process::tail(&err)
            );
        }
    }
}
