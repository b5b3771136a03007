//! Real IMAP clients (curl, Python's imaplib, mbsync) against Dovecot,
//! through a recording proxy on 127.0.0.1: each client must get every
//! message intact, and the recorded session (real client bytes, real server
//! bytes) must pass `mailctl inspect imap`, leniently and strictly: our
//! command decoder reads what real clients send, our response decoder what
//! a real server answers.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::Endpoint;
use super::messages::{Message, difference, maildir_count, read_dir_sorted, without_cr};
use super::process::{TempDir, run};

/// Longest any one client command may run.
const CLIENT_LIMIT: Duration = Duration::from_secs(40);

/// Dovecot's user (see `dovecot.rs`).
const USER: &str = "alice";
const PASSWORD: &str = "dovecot-peer-secret";

/// A stored message as Dovecot hands it out in BODY[] / RFC822: every bare
/// LF becomes CRLF; unlike POP3, no line ending is added at the end; and
/// NUL, which a plain literal cannot carry (RFC 3501 §9 CHAR8), becomes 0x80
/// (only BINARY[] sends it, in a literal8).
pub(crate) fn imap_form(file: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(file.len() + file.len() / 16);
    for (i, &b) in file.iter().enumerate() {
        if b == b'\n' && (i == 0 || file[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(if b == 0 { 0x80 } else { b });
    }
    out
}

/// One recorded connection: what the client sent, what the server sent.
type Capture = (Arc<Mutex<Vec<u8>>>, Arc<Mutex<Vec<u8>>>);

/// A proxy that relays connections to `upstream`, one at a time, and
/// records both directions of each.
pub(crate) struct Recorder {
    port: u16,
    captures: Arc<Mutex<Vec<Capture>>>,
    accept: Option<JoinHandle<()>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

fn relay(mut from: TcpStream, mut to: TcpStream, log: Arc<Mutex<Vec<u8>>>) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                log.lock().expect("the log").extend_from_slice(&buf[..n]);
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

impl Recorder {
    /// Listens on a free port of 127.0.0.1.
    pub(crate) fn start(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the recorder");
        let port = listener.local_addr().expect("its address").port();
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let captures: Arc<Mutex<Vec<Capture>>> = Arc::default();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (all, halt) = (Arc::clone(&captures), Arc::clone(&stop));
        let accept = std::thread::spawn(move || {
            while !halt.load(std::sync::atomic::Ordering::SeqCst) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                client.set_nonblocking(false).expect("blocking");
                let server =
                    TcpStream::connect(("127.0.0.1", upstream)).expect("connect to Dovecot");
                for stream in [&client, &server] {
                    stream
                        .set_read_timeout(Some(CLIENT_LIMIT))
                        .expect("a read timeout");
                }
                let (c, s): Capture = (Arc::default(), Arc::default());
                all.lock()
                    .expect("the captures")
                    .push((Arc::clone(&c), Arc::clone(&s)));
                // One connection at a time.
                let up = {
                    let from = client.try_clone().expect("clone");
                    let to = server.try_clone().expect("clone");
                    std::thread::spawn(move || relay(from, to, c))
                };
                relay(server, client, s);
                let _ = up.join();
            }
        });
        Self {
            port,
            captures,
            accept: Some(accept),
            stop,
        }
    }

    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// Stops listening; then each connection's `mailctl inspect imap`.
    pub(crate) fn finish_and_inspect(mut self, what: &str) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            accept.join().expect("the recorder thread");
        }
        let captures = std::mem::take(&mut *self.captures.lock().expect("the captures"));
        assert!(!captures.is_empty(), "{what}: no connection recorded");
        for (i, (c2s, s2c)) in captures.iter().enumerate() {
            let c2s = c2s.lock().expect("the log");
            let s2c = s2c.lock().expect("the log");
            inspect(&format!("{what} connection {}", i + 1), &c2s, &s2c);
        }
    }
}

/// Runs `mailctl inspect imap` on one recorded connection, lenient and
/// strict; both must succeed.
pub(crate) fn inspect(what: &str, c2s: &[u8], s2c: &[u8]) {
    assert!(
        !c2s.is_empty() && !s2c.is_empty(),
        "{what}: nothing recorded"
    );
    let dir = TempDir::new("imap-capture");
    let (c, s) = (dir.path().join("c2s"), dir.path().join("s2c"));
    std::fs::write(&c, c2s).expect("write the client side");
    std::fs::write(&s, s2c).expect("write the server side");
    for strict in [false, true] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailctl"));
        cmd.args(["inspect", "imap", "--client"])
            .arg(&c)
            .arg("--server")
            .arg(&s);
        if strict {
            cmd.arg("--strict");
        }
        let out = cmd.output().expect("run mailctl inspect imap");
        assert!(
            out.status.success(),
            "mailctl inspect imap (strict: {strict}) on the {what} session:\n{}\n{}\n--- client ---\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(c2s)
        );
    }
}

/// curl: one message by UID, and the mailbox list.
pub(crate) fn curl(curl: &Path, imap_port: u16, messages: &[Message]) {
    let rec = Recorder::start(imap_port);
    let base = format!("imap://127.0.0.1:{}", rec.port());
    let user = format!("{USER}:{PASSWORD}");
    let get = |url: String, what: &str| {
        run(
            Command::new(curl).args(["-sS", "--max-time", "30", "--user", &user, &url]),
            CLIENT_LIMIT,
        )
        .expect_success(what)
    };
    let fetched = get(format!("{base}/INBOX;UID=1"), "curl imap fetch");
    let expected = imap_form(&messages[0].file);
    assert!(
        fetched.stdout == expected,
        "curl: message 1 differs{}",
        difference(&fetched.stdout, &expected).unwrap_or_default()
    );
    let listed = get(format!("{base}/"), "curl imap list");
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("INBOX"),
        "curl LIST: {}",
        String::from_utf8_lossy(&listed.stdout)
    );
    rec.finish_and_inspect("curl");
}

/// Python's imaplib: login, list, select, search, fetch of every message
/// (RFC822, BODYSTRUCTURE, ENVELOPE), a flag change, logout.
const IMAPLIB_SCRIPT: &str = r#"
import imaplib, os, sys
port, user, password, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
m = imaplib.IMAP4("127.0.0.1", port)
m.login(user, password)
m.list()
m.select("INBOX")
typ, data = m.search(None, "ALL")
for num in data[0].split():
    typ, parts = m.fetch(num, "(RFC822)")
    with open(os.path.join(out, "msg-%02d" % int(num)), "wb") as f:
        f.write(parts[0][1])
m.fetch("1:*", "(UID FLAGS BODYSTRUCTURE ENVELOPE)")
m.store("1", "+FLAGS", "(\\Flagged)")
m.status("INBOX", "(MESSAGES UNSEEN UIDNEXT)")
m.close()
m.logout()
"#;

pub(crate) fn imaplib(python: &Path, imap_port: u16, ep: &Endpoint, messages: &[Message]) {
    let rec = Recorder::start(imap_port);
    let out = ep.scratch.join("imaplib");
    std::fs::create_dir_all(&out).expect("create the output directory");
    run(
        Command::new(python)
            .arg("-c")
            .arg(IMAPLIB_SCRIPT)
            .arg(rec.port().to_string())
            .arg(USER)
            .arg(PASSWORD)
            .arg(&out),
        CLIENT_LIMIT,
    )
    .expect_success("python3 imaplib");
    let got = read_dir_sorted(&out);
    assert_eq!(got.len(), messages.len(), "imaplib fetched every message");
    for ((name, data), message) in got.iter().zip(messages) {
        let expected = imap_form(&message.file);
        assert!(
            *data == expected,
            "imaplib {name} ({}) differs{}",
            message.name,
            difference(data, &expected).unwrap_or_default()
        );
    }
    rec.finish_and_inspect("imaplib");
}

/// `message` without the `X-TUID:` header line mbsync adds to every message
/// it stores (its transaction id, used to find the message again).
fn without_tuid(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    let mut removed = false;
    for line in message.split_inclusive(|&b| b == b'\n') {
        if !removed && line.starts_with(b"X-TUID: ") {
            removed = true;
            continue;
        }
        out.extend_from_slice(line);
    }
    out
}

/// mbsync (isync) pulling INBOX into a local Maildir; it stores messages
/// with LF line endings and its own `X-TUID:` header.
pub(crate) fn mbsync(mbsync: &Path, imap_port: u16, ep: &Endpoint, messages: &[Message]) {
    let rec = Recorder::start(imap_port);
    let scratch = &ep.scratch;
    let local = scratch.join("mbsync");
    std::fs::create_dir_all(&local).expect("create the local store");
    let config = scratch.join("mbsyncrc");
    std::fs::write(
        &config,
        format!(
            "IMAPAccount dovecot\nHost 127.0.0.1\nPort {port}\nUser {USER}\nPass {PASSWORD}\n\
             SSLType None\nAuthMechs LOGIN\n\n\
             IMAPStore remote\nAccount dovecot\n\n\
             MaildirStore local\nPath {dir}/\nInbox {dir}/INBOX\n\n\
             Channel pull\nFar :remote:\nNear :local:\nPatterns INBOX\nCreate Near\nSync Pull\n\
             SyncState *\n",
            port = rec.port(),
            dir = local.display()
        ),
    )
    .expect("write the mbsync configuration");
    run(
        Command::new(mbsync).arg("-c").arg(&config).arg("-a"),
        CLIENT_LIMIT,
    )
    .expect_success("mbsync");
    let mut got: Vec<Vec<u8>> = ["new", "cur"]
        .iter()
        .flat_map(|sub| read_dir_sorted(&local.join("INBOX").join(sub)))
        .map(|(_, data)| without_tuid(&without_cr(&data)))
        .collect();
    got.sort();
    let mut expected: Vec<Vec<u8>> = messages
        .iter()
        .map(|m| without_cr(&imap_form(&m.file)))
        .collect();
    expected.sort();
    assert_eq!(got.len(), expected.len(), "mbsync stored every message");
    for (g, e) in got.iter().zip(&expected) {
        assert!(
            g == e,
            "mbsync stored a message that differs{}",
            difference(g, e).unwrap_or_default()
        );
    }
    rec.finish_and_inspect("mbsync");
}

/// fetchmail over IMAP (`protocol IMAP`, `no stripcr`, deleting what it
/// fetched), in plaintext (`sslproto ''`: no STARTTLS) or upgraded with
/// STARTTLS (the recorded session then ends at the upgrade, where `mailctl
/// inspect imap` stops). The MDA gets each message as Dovecot sent it, with
/// a final CRLF added where the message had none.
fn fetchmail(
    fetchmail: &Path,
    imap_port: u16,
    ep: &Endpoint,
    messages: &[Message],
    starttls: bool,
) {
    let rec = Recorder::start(imap_port);
    let home = ep.scratch.join(format!("fetchmail-imap-{starttls}"));
    let security = if starttls {
        format!(
            "sslproto \"TLS1.2+\" sslcertfile \"{}\" sslcertck sslcommonname localhost",
            ep.ca.display()
        )
    } else {
        "sslproto ''".to_owned()
    };
    let poll = format!(
        "poll 127.0.0.1 service {port} protocol IMAP timeout 20\n  \
           user \"{USER}\" password \"{PASSWORD}\"\n  \
           {security}\n  \
           fetchall nokeep no rewrite no stripcr\n",
        port = rec.port(),
    );
    let (out, got) = super::clients::fetchmail_poll(fetchmail, &home, &poll);
    assert!(out.status.success(), "fetchmail (IMAP): {}", out.describe());
    assert_eq!(
        maildir_count(&ep.maildir),
        0,
        "fetchmail deleted what it fetched"
    );
    assert_eq!(
        got.len(),
        messages.len(),
        "fetchmail delivered every message"
    );
    for ((name, data), message) in got.iter().zip(messages) {
        // fetchmail ends a message without a final line ending with one
        // (its MDA gets whole lines).
        let mut expected = imap_form(&message.file);
        if !expected.ends_with(b"\r\n") {
            expected.extend_from_slice(b"\r\n");
        }
        assert!(
            *data == expected,
            "fetchmail (IMAP) {name} ({}) differs{}",
            message.name,
            difference(data, &expected).unwrap_or_default()
        );
    }
    rec.finish_and_inspect(if starttls {
        "fetchmail STARTTLS"
    } else {
        "fetchmail"
    });
}

/// fetchmail over plaintext IMAP.
pub(crate) fn fetchmail_plain(program: &Path, imap_port: u16, ep: &Endpoint, messages: &[Message]) {
    fetchmail(program, imap_port, ep, messages, false);
}

/// fetchmail over IMAP upgraded with STARTTLS.
pub(crate) fn fetchmail_starttls(
    program: &Path,
    imap_port: u16,
    ep: &Endpoint,
    messages: &[Message],
) {
    fetchmail(program, imap_port, ep, messages, true);
}
