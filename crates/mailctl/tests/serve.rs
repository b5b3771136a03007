//! `mailctl serve` and `mailctl pop3` end to end on loopback: deletions are
//! crash safe (a killed server deletes nothing whose QUIT was not processed,
//! and loses nothing), and `fetch` downloads into a Maildir, skips what it
//! fetched before, and deletes on the server only what it wrote.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use mail_net::pop3::{ConnectOptions, Pop3Client, Security};
use mail_net::tls::{ClientTlsOptions, client_config};
use pop3_proto::{MessageNumber, Secret};

const USER: &str = "alice";
const PASSWORD: &str = "crash-test secret";

/// A temporary directory, removed on drop.
struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir(label: &str) -> Dir {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let path = std::env::temp_dir().join(format!("mailctl-{label}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&path).unwrap();
    Dir(path)
}

/// A `mailctl serve` process, killed on drop.
struct Server {
    child: Child,
    pop3s: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `mailctl serve` for the test user with these listener and other flags;
/// the port of the listener whose line starts with `label` (`pop3s`,
/// `pop3`), read from the "LABEL listening on ADDR" line it prints.
fn spawn_serve(root: &Path, label: &str, args: &[&std::ffi::OsStr]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailctl"))
        .args(["serve", "--maildir"])
        .arg(root)
        .args(["--user", &format!("{USER}:{PASSWORD}")])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start mailctl serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the listening line");
    assert!(
        line.starts_with(&format!("{label} listening on")),
        "{line:?}"
    );
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    Server { child, pop3s: port }
}

/// `mailctl serve` with one --pop3s listener on 127.0.0.1, its generated
/// certificate written to `cert`.
fn serve(root: &Path, cert: &Path) -> Server {
    spawn_serve(
        root,
        "pop3s",
        &[
            "--pop3s".as_ref(),
            "127.0.0.1:0".as_ref(),
            "--write-cert".as_ref(),
            cert.as_os_str(),
        ],
    )
}

/// The test messages small enough to send quickly (all but the two large ones).
fn messages() -> Vec<(String, Vec<u8>)> {
    mailwire_testdata::messages()
        .into_iter()
        .filter(|m| m.content.len() < 200_000)
        .map(|m| (m.name, m.content))
        .collect()
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = ["new", "cur"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(dir.join(sub)).into_iter().flatten())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

async fn client(port: u16, cert: &Path) -> Pop3Client {
    let config = client_config(&ClientTlsOptions::with_ca_files(vec![cert.to_owned()])).unwrap();
    let mut client = tokio::time::timeout(
        Duration::from_secs(20),
        Pop3Client::connect(ConnectOptions::new(
            "127.0.0.1",
            port,
            Security::Tls,
            config,
        )),
    )
    .await
    .expect("connect in time")
    .expect("connect");
    client
        .login(USER, &Secret::from(PASSWORD))
        .await
        .expect("login");
    client
}

fn n(i: u32) -> MessageNumber {
    MessageNumber::new(i).unwrap()
}

#[test]
fn a_killed_server_deletes_nothing_and_quit_deletes_exactly_the_marked() {
    let dir = temp_dir("crash");
    let root = dir.0.join("mail");
    let maildir = root.join(USER);
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    let msgs = messages();
    for (name, body) in &msgs {
        std::fs::write(maildir.join("new").join(name), body).unwrap();
    }
    let before = files(&maildir);
    let cert = dir.0.join("cert.pem");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    // DELE, then the server dies before QUIT: nothing is deleted.
    let mut server = serve(&root, &cert);
    runtime.block_on(async {
        let mut c = client(server.pop3s, &cert).await;
        c.delete(n(1)).await.unwrap();
        c.delete(n(2)).await.unwrap();
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        assert!(c.noop().await.is_err(), "the server is gone");
    });
    assert_eq!(files(&maildir), before, "a killed server deleted messages");

    // DELE and QUIT: exactly the marked message is gone, the rest untouched.
    let server = serve(&root, &cert);
    runtime.block_on(async {
        let mut c = client(server.pop3s, &cert).await;
        let uids = c.uidl().await.unwrap();
        c.delete(n(3)).await.unwrap();
        c.quit().await.unwrap();
        let mut c = client(server.pop3s, &cert).await;
        let after = c.uidl().await.unwrap();
        assert_eq!(after.len(), uids.len() - 1);
        assert!(
            !after.iter().any(|u| u.uid == uids[2].uid),
            "message 3 is gone"
        );
        c.quit().await.unwrap();
    });
    let mut expected = before.clone();
    expected.remove(2);
    assert_eq!(files(&maildir), expected);
    for (name, body) in &msgs {
        if let Ok(on_disk) = std::fs::read(maildir.join("new").join(name)) {
            assert_eq!(&on_disk, body, "{name} changed on disk");
        }
    }
}

/// What `fetch` stores: the wire form with CRLF turned into LF.
fn stored_form(original: &[u8]) -> Vec<u8> {
    let wire = pop3_proto::codec::wire_form(original);
    let mut out = Vec::with_capacity(wire.len());
    let mut i = 0;
    while i < wire.len() {
        if wire[i] == b'\r' && wire.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(wire[i]);
        i += 1;
    }
    out
}

fn mailctl_pop3(port: u16, cert: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mailctl"))
        .arg("pop3")
        .arg(format!("pop3s://{USER}@127.0.0.1:{port}"))
        .arg("--ca")
        .arg(cert)
        .args(args)
        .env("MAILCTL_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .output()
        .expect("run mailctl pop3");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "mailctl pop3 {args:?}: {stdout}\n{stderr}"
    );
    assert!(
        !stdout.contains(PASSWORD) && !stderr.contains(PASSWORD),
        "the password was printed"
    );
    stdout
}

#[test]
fn fetch_downloads_once_and_deletes_only_what_it_wrote() {
    let dir = temp_dir("fetch");
    let root = dir.0.join("mail");
    let server_box = root.join(USER);
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(server_box.join(sub)).unwrap();
    }
    let msgs = messages();
    for (name, body) in &msgs {
        std::fs::write(server_box.join("new").join(name), body).unwrap();
    }
    let cert = dir.0.join("cert.pem");
    let server = serve(&root, &cert);
    let local = dir.0.join("local");

    let stat = mailctl_pop3(server.pop3s, &cert, &["--json", "stat"]);
    let stat: serde_json::Value = serde_json::from_str(stat.trim()).unwrap();
    assert_eq!(stat["count"], msgs.len());

    mailctl_pop3(
        server.pop3s,
        &cert,
        &["fetch", "--to", local.to_str().unwrap(), "--new-only"],
    );
    let fetched = files(&local);
    assert_eq!(fetched.len(), msgs.len());
    // Maildir names carry the size; contents equal the originals' stored form.
    let mut got: Vec<Vec<u8>> = fetched
        .iter()
        .map(|f| std::fs::read(local.join("new").join(f)).unwrap())
        .collect();
    let mut want: Vec<Vec<u8>> = msgs.iter().map(|(_, b)| stored_form(b)).collect();
    got.sort();
    want.sort();
    assert!(got == want, "fetched messages differ from the originals");

    // Second run with --new-only: nothing new; with --delete: the server
    // deletes only what this run wrote, which is nothing.
    let out = mailctl_pop3(
        server.pop3s,
        &cert,
        &[
            "--json",
            "fetch",
            "--to",
            local.to_str().unwrap(),
            "--new-only",
            "--delete",
        ],
    );
    assert!(out.contains("\"fetched\":0"), "{out}");
    assert_eq!(files(&server_box).len(), msgs.len());
    assert_eq!(files(&local).len(), msgs.len());

    // A full fetch with --delete empties the server after writing everything.
    let other = dir.0.join("other");
    mailctl_pop3(
        server.pop3s,
        &cert,
        &["fetch", "--to", other.to_str().unwrap(), "--delete"],
    );
    assert_eq!(files(&other).len(), msgs.len());
    assert!(
        files(&server_box).is_empty(),
        "the server still holds {:?}",
        files(&server_box)
    );
}

/// `mailctl serve` with one --pop3 (STLS) listener on 127.0.0.1 and these
/// extra flags; its port.
fn serve_pop3(root: &Path, extra: &[&str]) -> Server {
    let mut args: Vec<&std::ffi::OsStr> = vec!["--pop3".as_ref(), "127.0.0.1:0".as_ref()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    spawn_serve(root, "pop3", &args)
}

/// A line-reading plaintext connection with a read timeout (nothing hangs).
struct Raw(BufReader<std::net::TcpStream>);

impl Raw {
    fn connect(port: u16) -> Self {
        let tcp = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        Self(BufReader::new(tcp))
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        let _ = self.0.read_line(&mut line);
        line
    }

    fn send(&mut self, text: &str) {
        use std::io::Write as _;
        // A closed connection shows in the next read.
        let _ = self.0.get_mut().write_all(text.as_bytes());
    }
}

fn maildir_root(dir: &Dir) -> PathBuf {
    let root = dir.0.join("mail");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(root.join(USER).join(sub)).unwrap();
    }
    root
}

/// On the STLS port passwords wait for TLS; --allow-plaintext-logins lets
/// them in on loopback, and is refused on a network address without
/// --force-plaintext-on-network, with the reason.
#[test]
fn plaintext_logins_need_the_flag_and_loopback() {
    let dir = temp_dir("plaintext");
    let root = maildir_root(&dir);

    let server = serve_pop3(&root, &[]);
    let mut conn = Raw::connect(server.pop3s);
    assert!(conn.line().starts_with("+OK"));
    conn.send(&format!("USER {USER}\r\nPASS {PASSWORD}\r\n"));
    let (user, pass) = (conn.line(), conn.line());
    assert!(user.starts_with("-ERR [AUTH]"), "{user:?}");
    assert!(pass.starts_with("-ERR [AUTH]"), "{pass:?}");
    drop(server);

    let server = serve_pop3(&root, &["--allow-plaintext-logins"]);
    let mut conn = Raw::connect(server.pop3s);
    assert!(conn.line().starts_with("+OK"));
    conn.send(&format!("USER {USER}\r\nPASS {PASSWORD}\r\n"));
    assert!(conn.line().starts_with("+OK"));
    let login = conn.line();
    assert!(login.starts_with("+OK Logged in"), "{login:?}");
    drop(server);

    let out = Command::new(env!("CARGO_BIN_EXE_mailctl"))
        .args(["serve", "--maildir"])
        .arg(&root)
        .args(["--user", &format!("{USER}:{PASSWORD}")])
        .args(["--pop3", "0.0.0.0:0", "--allow-plaintext-logins"])
        .stdin(Stdio::null())
        .output()
        .expect("run mailctl serve");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--force-plaintext-on-network") && stderr.contains("unencrypted"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "it must not start listening");
}

/// The guard flags reach the server: a short login deadline and one
/// connection per address.
#[test]
fn guard_flags_set_deadlines_and_limits() {
    let dir = temp_dir("guards");
    let root = maildir_root(&dir);
    let server = serve_pop3(
        &root,
        &[
            "--login-timeout",
            "700ms",
            "--max-connections-per-address",
            "1",
        ],
    );
    let start = std::time::Instant::now();
    let mut first = Raw::connect(server.pop3s);
    assert!(first.line().starts_with("+OK"));
    let mut second = Raw::connect(server.pop3s);
    let refusal = second.line();
    assert!(
        refusal.starts_with("-ERR [SYS/TEMP] Too many connections from your address"),
        "{refusal:?}"
    );
    // The first is cut at the login deadline though it keeps talking.
    let mut answers = 0;
    while start.elapsed() < Duration::from_secs(4) {
        first.send("NOOP\r\n");
        if first.line().is_empty() {
            break;
        }
        answers += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    let took = start.elapsed();
    assert!(answers >= 3, "{answers} NOOPs answered");
    assert!(
        took >= Duration::from_millis(600) && took < Duration::from_secs(3),
        "cut after {took:?}"
    );
}

/// Running out of file descriptors makes accepts fail for a while; the
/// listener goes on and greets clients again once descriptors are free
/// (it used to end at the first failed accept, for good).
#[test]
fn running_out_of_descriptors_does_not_stop_the_listener() {
    let dir = temp_dir("emfile");
    let root = maildir_root(&dir);
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 48 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_mailctl"))
        .args(["serve", "--maildir"])
        .arg(&root)
        .args([
            "--user",
            &format!("{USER}:{PASSWORD}"),
            "--pop3",
            "127.0.0.1:0",
        ])
        .args(["--max-connections-per-address", "1000"])
        .args(["--max-unauthenticated", "1000"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start mailctl serve under ulimit");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("the listening line");
    let server = Server {
        child,
        pop3s: line.trim().rsplit(':').next().unwrap().parse().unwrap(),
    };
    // More connections than the server has descriptors for.
    let flood: Vec<_> = (0..80)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", server.pop3s)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    drop(flood);
    std::thread::sleep(Duration::from_millis(300));
    let mut conn = Raw::connect(server.pop3s);
    let greeting = conn.line();
    assert!(greeting.starts_with("+OK"), "no greeting: {greeting:?}");
}

/// `fetch --delete` killed in the middle of its download (SIGKILL, after
/// its first batch is recorded): the server deletes nothing (no QUIT), and
/// every message recorded as fetched is whole in `new/`. A second run with
/// `--new-only --delete` brings the rest: every message is then in the
/// local Maildir, and the server keeps only what the first run recorded.
#[test]
fn a_killed_fetch_deletes_nothing_and_loses_nothing() {
    let dir = temp_dir("fetch-crash");
    let root = dir.0.join("mail");
    let server_box = root.join(USER);
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(server_box.join(sub)).unwrap();
    }
    // Enough messages for several batches of the writer.
    let count = 600;
    let originals: Vec<Vec<u8>> = (0..count)
        .map(|i| {
            let mut m = format!("Subject: message {i}\n\n").into_bytes();
            for line in 0..400 {
                m.extend_from_slice(
                    format!("line {line} of message {i}, some text to fill it\n").as_bytes(),
                );
            }
            m
        })
        .collect();
    for (i, body) in originals.iter().enumerate() {
        std::fs::write(
            server_box
                .join("new")
                .join(format!("{}.M{i}P1.test", 1_700_000_000 + i)),
            body,
        )
        .unwrap();
    }
    let cert = dir.0.join("cert.pem");
    let server = serve(&root, &cert);
    let local = dir.0.join("local");
    let fetch_args = |extra: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailctl"));
        cmd.arg("pop3")
            .arg(format!("pop3s://{USER}@127.0.0.1:{}", server.pop3s))
            .arg("--ca")
            .arg(&cert)
            .args(["fetch", "--to"])
            .arg(&local)
            .args(extra)
            .env("MAILCTL_PASSWORD", PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };

    let mut first = fetch_args(&["--delete", "--new-only"]).spawn().unwrap();
    let state_file = || {
        std::fs::read_dir(&local)
            .into_iter()
            .flatten()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".mailctl-uidl-")
            })
    };
    let recorded = |path: &Option<PathBuf>| {
        path.as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .map_or(0, |s| s.lines().count())
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while recorded(&state_file()) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing recorded in 60 s"
        );
        assert!(
            first.try_wait().unwrap().is_none(),
            "the first fetch ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    first.kill().unwrap();
    first.wait().unwrap();

    let after_kill = recorded(&state_file());
    assert!(
        after_kill > 0 && after_kill < count,
        "{after_kill} recorded"
    );
    assert_eq!(
        files(&server_box).len(),
        count,
        "the server deleted without QUIT"
    );
    let stored: Vec<Vec<u8>> = originals.iter().map(|m| stored_form(m)).collect();
    let local_new = || -> Vec<Vec<u8>> {
        std::fs::read_dir(local.join("new"))
            .unwrap()
            .map(|e| std::fs::read(e.unwrap().path()).unwrap())
            .collect()
    };
    let whole = local_new();
    assert!(
        whole.len() >= after_kill,
        "{} files for {after_kill} recorded",
        whole.len()
    );
    for body in &whole {
        assert!(
            stored.contains(body),
            "a file in new/ is not a whole message"
        );
    }

    let second = fetch_args(&["--delete", "--new-only"]).status().unwrap();
    assert!(second.success());
    let mut got = local_new();
    got.sort();
    got.dedup();
    let mut want = stored.clone();
    want.sort();
    assert!(
        got == want,
        "{} distinct messages in new/, {count} sent",
        got.len()
    );
    assert_eq!(recorded(&state_file()), count);
    assert_eq!(files(&server_box).len(), after_kill);
}
