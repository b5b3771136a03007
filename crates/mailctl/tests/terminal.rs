//! `mailctl pop3` against a scripted fake server on 127.0.0.1 that puts
//! terminal escape sequences into everything it says: no ESC, BEL, DEL or
//! C1 control, raw or in UTF-8, may reach the terminal, in error messages,
//! `-v` traces, listings or JSON.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long any one step may take before the test fails.
const STEP: Duration = Duration::from_secs(10);

/// The fake server's answer to each command line (without CRLF).
type Script = fn(&str) -> Vec<u8>;

/// A fake POP3 server serving one connection: it sends `greeting`, then
/// answers each command with `script`, until QUIT or the client closes.
/// Joining it gives the command lines it received.
fn fake_server(greeting: &'static [u8], script: Script) -> (u16, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        listener.set_nonblocking(true).unwrap();
        let deadline = Instant::now() + STEP;
        let tcp = loop {
            match listener.accept() {
                Ok((tcp, _)) => break tcp,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    assert!(Instant::now() < deadline, "mailctl never connected");
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => panic!("accept: {e}"),
            }
        };
        tcp.set_nonblocking(false).unwrap();
        tcp.set_read_timeout(Some(STEP)).unwrap();
        let mut writer = tcp.try_clone().unwrap();
        writer.write_all(greeting).unwrap();
        let mut received = Vec::new();
        let mut reader = BufReader::new(tcp);
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let line = line.trim_end().to_owned();
            // A client that gave up may have closed already.
            let _ = writer.write_all(&script(&line));
            let quit = line.eq_ignore_ascii_case("QUIT");
            received.push(line);
            if quit {
                break;
            }
        }
        received
    });
    (port, handle)
}

/// What a run of `mailctl` left behind.
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs `mailctl pop3 pop3://alice@127.0.0.1:PORT --no-tls ARGS...`,
/// killing it if it takes longer than [`STEP`].
fn mailctl(port: u16, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailctl"))
        .arg("pop3")
        .arg(format!("pop3://alice@127.0.0.1:{port}"))
        .arg("--no-tls")
        .args(args)
        .env("MAILCTL_PASSWORD", "secret")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start mailctl");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + STEP;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mailctl {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Fails if `out` holds anything a terminal would act on: ESC or BEL
/// anywhere, DEL, a raw C1 octet, a C1 control in UTF-8, a bidirectional
/// override, or any control but LF and TAB.
fn assert_inert(what: &str, out: &[u8]) {
    let text = match std::str::from_utf8(out) {
        Ok(text) => text,
        Err(e) => panic!("{what}: not UTF-8 ({e}): raw 8-bit octets passed: {out:?}"),
    };
    if let Some(c) = text.chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        panic!("{what}: {c:?} reached the terminal in {text:?}");
    }
}

/// Both streams are inert; stdout and stderr as text.
fn inert(run: &Run) -> (String, String) {
    assert_inert("stdout", &run.stdout);
    assert_inert("stderr", &run.stderr);
    (
        String::from_utf8_lossy(&run.stdout).into_owned(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

/// Logs in, answers STAT and QUIT, and lists hostile capabilities.
fn friendly(line: &str) -> Vec<u8> {
    let keyword = line
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    match keyword.as_str() {
        "STAT" => b"+OK 2 320\r\n".to_vec(),
        "CAPA" => b"+OK Capability list follows\r\n\
            USER\r\n\
            IMPLEMENTATION \x1b]0;owned\x07x\r\n\
            X-C1 \xc2\x9b31m red \xc2\x85 next\r\n\
            X-RAW \x9b31m raw \x7f del \xe2\x80\xae reversed\r\n\
            .\r\n"
            .to_vec(),
        _ => b"+OK\r\n".to_vec(),
    }
}

#[test]
fn a_hostile_greeting_error_is_escaped() {
    let (port, server) = fake_server(b"-ERR \x1b[31;1;4mPOP3\x1b[0m server ready.\r\n", friendly);
    let run = mailctl(port, &["stat"]);
    let (_, stderr) = inert(&run);
    assert_eq!(run.code, Some(2), "{stderr}");
    assert!(
        stderr.contains("-ERR \\u001b[31;1;4mPOP3\\u001b[0m server ready."),
        "the error still says what the server said: {stderr}"
    );
    assert!(server.join().unwrap().is_empty(), "nothing sent after -ERR");
}

#[test]
fn a_hostile_greeting_in_the_verbose_trace_is_escaped() {
    let (port, server) = fake_server(b"+OK \x1b]0;owned\x07 hello\r\n", friendly);
    let run = mailctl(port, &["-v", "stat"]);
    let (stdout, stderr) = inert(&run);
    assert_eq!(run.code, Some(0), "{stderr}");
    assert_eq!(stdout, "2 messages, 320 octets\n");
    assert!(
        stderr.contains("S: +OK \\u001b]0;owned\\u0007 hello"),
        "{stderr}"
    );
    assert_eq!(
        server.join().unwrap(),
        ["USER alice", "PASS secret", "STAT", "QUIT"]
    );
}

#[test]
fn a_hostile_login_error_is_escaped() {
    fn refuse(line: &str) -> Vec<u8> {
        if line.starts_with("PASS") {
            b"-ERR [AUTH] \x1b[2J\x1b[H\xc2\x9b2J\x9b2J\x07 denied\r\n".to_vec()
        } else {
            friendly(line)
        }
    }
    let (port, server) = fake_server(b"+OK ready\r\n", refuse);
    let run = mailctl(port, &["stat"]);
    let (_, stderr) = inert(&run);
    assert_eq!(run.code, Some(2), "{stderr}");
    assert!(
        // mail-net's error decodes the text lossily: the raw C1 octet
        // arrives as U+FFFD, which is inert.
        stderr.contains("-ERR [AUTH] \\u001b[2J\\u001b[H\\u009b2J\u{fffd}2J\\u0007 denied"),
        "{stderr}"
    );
    assert_eq!(server.join().unwrap(), ["USER alice", "PASS secret"]);
}

#[test]
fn a_hostile_verbose_trace_of_a_login_error_is_escaped() {
    fn refuse(line: &str) -> Vec<u8> {
        if line.starts_with("PASS") {
            b"-ERR [AUTH] \x1b[2J\x1b[H denied\r\n".to_vec()
        } else {
            friendly(line)
        }
    }
    let (port, _server) = fake_server(b"+OK ready\r\n", refuse);
    let run = mailctl(port, &["-v", "stat"]);
    let (_, stderr) = inert(&run);
    assert!(
        stderr.contains("S: -ERR [AUTH] \\u001b[2J\\u001b[H denied"),
        "{stderr}"
    );
}

#[test]
fn hostile_capabilities_are_escaped_as_text_and_as_json() {
    let (port, server) = fake_server(b"+OK ready\r\n", friendly);
    let run = mailctl(port, &["capa"]);
    let (stdout, stderr) = inert(&run);
    assert_eq!(run.code, Some(0), "{stderr}");
    assert!(
        stdout.contains("IMPLEMENTATION \\u001b]0;owned\\u0007x\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("X-C1 \\u009b31m red \\u0085 next\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("X-RAW \\x9b31m raw \\u007f del \\u202e reversed\n"),
        "{stdout}"
    );
    server.join().unwrap();

    let (port, server) = fake_server(b"+OK ready\r\n", friendly);
    let run = mailctl(port, &["--json", "capa"]);
    let (stdout, stderr) = inert(&run);
    assert_eq!(run.code, Some(0), "{stderr}");
    // Still JSON, and it still says what the server sent (as escaped for
    // the text form: the list holds the lines as shown).
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let list = value["capabilities"].as_array().expect("a list");
    assert!(
        list.iter()
            .any(|c| c == "IMPLEMENTATION \\u001b]0;owned\\u0007x"),
        "{stdout}"
    );
    server.join().unwrap();
}
