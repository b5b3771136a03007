//! A private Dovecot (POP3, and IMAP when asked for) in a temporary
//! directory: its own configuration, certificate, passwd-file and Maildir, on
//! free ports of 127.0.0.1, stopped on drop.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Endpoint;
use super::dovecot_config::{chown_tree, config, nobody};
use super::messages::{self, Message};
use super::process::{ChildGuard, TempDir, accepts, find_peer, free_port, run, unavailable};

const USER: &str = "alice";
const PASSWORD: &str = "dovecot-peer-secret";

/// A running Dovecot. Dropping it stops Dovecot, then removes its directory.
#[derive(Debug)]
pub(crate) struct Dovecot {
    // Declared first: dropped (Dovecot stopped) before the directory goes.
    _child: ChildGuard,
    endpoint: Endpoint,
    /// Plaintext IMAP port (loopback, so Dovecot allows plaintext logins).
    imap: Option<u16>,
    log: PathBuf,
    _dir: TempDir,
}

/// Dovecot's IMAP server binary (package dovecot-imapd).
const IMAP_BINARY: &str = "/usr/lib/dovecot/imap";

impl Dovecot {
    /// Starts Dovecot with every test message in alice's Maildir `new/`;
    /// `None` (the test skips) when Dovecot is not installed or this is not root.
    pub(crate) fn start(messages: &[Message]) -> Option<Self> {
        Self::start_with(messages, false, None)
    }

    /// [`Dovecot::start`] with a certificate made by `openssl` as an
    /// administrator makes one (see [`openssl_req_x509`]): self-signed and,
    /// with OpenSSL 3, `CA:TRUE`. `None` (the test skips) as for `start`.
    pub(crate) fn start_with_openssl_cert(messages: &[Message], openssl: &Path) -> Option<Self> {
        Self::start_with(messages, false, Some(openssl))
    }

    /// [`Dovecot::start`] with IMAP enabled too (plaintext, on 127.0.0.1);
    /// `None` (the test skips) when dovecot-imapd is not installed.
    pub(crate) fn start_imap(messages: &[Message]) -> Option<Self> {
        if !Path::new(IMAP_BINARY).exists() {
            return unavailable("dovecot-imapd is not installed");
        }
        Self::start_with(messages, true, None)
    }

    fn start_with(messages: &[Message], imap: bool, openssl: Option<&Path>) -> Option<Self> {
        let dovecot = find_peer("dovecot")?;
        let dir = TempDir::new("dovecot");
        let probe = dir.path().join("probe");
        std::fs::write(&probe, b"").expect("write a probe file");
        if std::fs::metadata(&probe).expect("stat the probe").uid() != 0 {
            return unavailable("the Dovecot harness needs root (Dovecot switches users)");
        }

        let ca = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        if let Some(openssl) = openssl {
            openssl_req_x509(openssl, &ca, &key);
        } else {
            let cert =
                mail_net::tls::self_signed(&["localhost", "127.0.0.1"]).expect("generate a cert");
            std::fs::write(&ca, &cert.cert_pem).expect("write cert.pem");
            std::fs::write(&key, &cert.key_pem).expect("write key.pem");
        }
        // Dovecot reads it as root while parsing its configuration.
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
            .expect("chmod key.pem");

        let maildir_root = dir.path().join("mail");
        let maildir = maildir_root.join(USER);
        messages::fill_maildir(&maildir, messages);
        let (uid, gid) = nobody();
        chown_tree(&maildir_root, uid, gid);
        std::fs::write(
            dir.path().join("passwd"),
            format!(
                "{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{}::\n",
                maildir.display()
            ),
        )
        .expect("write the passwd-file");
        let scratch = dir.path().join("scratch");
        std::fs::create_dir(&scratch).expect("create the scratch directory");

        let log = dir.path().join("dovecot.log");
        let conf = dir.path().join("dovecot.conf");
        // The ports are free when picked; another process may take one before
        // Dovecot binds it, so try again with new ones.
        for attempt in 1..=3 {
            let (pop3s, pop3) = (free_port(), free_port());
            let imap_port = imap.then(free_port);
            std::fs::write(
                &conf,
                config(dir.path(), &maildir_root, pop3s, pop3, imap_port),
            )
            .expect("write dovecot.conf");
            let output = std::fs::File::create(dir.path().join("dovecot.out")).expect("create");
            let mut child = ChildGuard::spawn(
                Command::new(&dovecot)
                    .arg("-F")
                    .arg("-c")
                    .arg(&conf)
                    .stdin(Stdio::null())
                    .stdout(output.try_clone().expect("dup"))
                    .stderr(output),
            );
            let deadline = Instant::now() + Duration::from_secs(15);
            let up = loop {
                if child.exited().is_some() {
                    break false;
                }
                if accepts(pop3s) && accepts(pop3) && imap_port.is_none_or(accepts) {
                    break true;
                }
                if Instant::now() >= deadline {
                    break false;
                }
                std::thread::sleep(Duration::from_millis(20));
            };
            if up {
                return Some(Self {
                    _child: child,
                    endpoint: Endpoint {
                        server: "Dovecot",
                        pop3s,
                        pop3,
                        ca,
                        user: USER,
                        password: PASSWORD,
                        maildir,
                        scratch,
                        list_size_excludes_added_crlf: true,
                    },
                    imap: imap_port,
                    log,
                    _dir: dir,
                });
            }
            drop(child);
            let log_text = std::fs::read_to_string(&log).unwrap_or_default();
            let out_text =
                std::fs::read_to_string(dir.path().join("dovecot.out")).unwrap_or_default();
            if attempt < 3 && (log_text + &out_text).contains("in use") {
                continue;
            }
            panic!(
                "Dovecot did not start (ports {pop3s}, {pop3}).\n--- {} ---\n{}\n--- output ---\n{out_text}",
                log.display(),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        unreachable!("the loop returns or panics")
    }

    pub(crate) fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The plaintext IMAP port, when started with [`Dovecot::start_imap`].
    pub(crate) fn imap_port(&self) -> Option<u16> {
        self.imap
    }
}

/// The certificate most self-hosted servers present, made as most how-tos
/// say: `openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost
/// -addext subjectAltName=DNS:localhost,IP:127.0.0.1`.
pub(crate) fn openssl_req_x509(openssl: &Path, cert: &Path, key: &Path) {
    let made = run(
        Command::new(openssl)
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes"])
            .args(["-subj", "/CN=localhost"])
            .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            .arg("-keyout")
            .arg(key)
            .arg("-out")
            .arg(cert),
        Duration::from_secs(60),
    );
    assert!(
        made.status.success(),
        "openssl req -x509 failed:\n{}",
        String::from_utf8_lossy(&made.stderr)
    );
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = std::fs::read(&self.log).unwrap_or_default();
            eprintln!(
                "--- {} ---\n{}",
                self.log.display(),
                super::process::tail(&log)
            );
        }
        // `child` stops Dovecot when dropped, before the directory is removed.
    }
}
