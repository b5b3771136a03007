//! POP3 end to end over loopback: the async client against the server driver,
//! with implicit TLS and STLS, certificate checks, STLS injection in both
//! directions, locking, autologout, login-failure delays, backpressure, and
//! the `Framed` codecs.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use common::{
    MemMaildrop, Mode, STEP, TempPem, TestServer, bounded, expected_top, fast_options,
    testdata_messages, wire_form,
};
use futures_util::{SinkExt, StreamExt};
use mail_net::MailStream;
use mail_net::pop3::{
    ClientItem, ConnectOptions, Flush, Locks, Pop3Client, Pop3ClientCodec, Pop3Error,
    Pop3ServerCodec, Security, ServeError, ServerAction, ServerItem, TlsMode, serve_connection,
};
use mail_net::tls::{self, ClientTlsOptions, TlsSetupError};
use pop3_proto::{
    Capability, ClientConfig, Command, Event, MessageInfo, MessageNumber, Positive, Response,
    ResponseCode, Secret, SessionConfig, SessionEvent, Text, UniqueId,
};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::Framed;

const USER: &str = "alice";
const PASSWORD: &str = "wonderland";

fn msg(n: u32) -> MessageNumber {
    MessageNumber::new(n).unwrap()
}

fn secret(s: &str) -> Secret {
    Secret::from(s)
}

/// Asserts two byte strings are equal, reporting the first difference
/// instead of dumping megabytes.
fn assert_bytes_eq(what: &str, got: &[u8], want: &[u8]) {
    if got == want {
        return;
    }
    let at = got
        .iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    let show = |b: &[u8]| {
        String::from_utf8_lossy(&b[at.saturating_sub(20)..(at + 20).min(b.len())]).into_owned()
    };
    panic!(
        "{what}: {} octets received, {} expected; first difference at {at}: got {:?}, want {:?}",
        got.len(),
        want.len(),
        show(got),
        show(want)
    );
}

fn alice_with_testdata() -> (MemMaildrop, Vec<(String, Bytes)>) {
    let messages = testdata_messages();
    let maildrop = MemMaildrop::new();
    maildrop.add_user(USER, PASSWORD, messages.clone());
    (maildrop, messages)
}

fn refused_code(e: &Pop3Error) -> Option<ResponseCode> {
    match e {
        Pop3Error::Refused { status, .. } => status.code.clone(),
        _ => None,
    }
}

/// 1. POP3S: a whole session over implicit TLS, every test message byte for byte.
#[tokio::test]
async fn implicit_tls_session_carries_every_message() {
    let (maildrop, messages) = alice_with_testdata();
    let mut server = TestServer::start(Mode::Implicit, maildrop, fast_options()).await;
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::Tls)),
    )
    .await
    .unwrap();
    assert!(client.tls_summary().is_some());
    let caps = client.capabilities().await.unwrap();
    assert!(!caps.contains(&Capability::Stls), "{caps:?}");
    client.login(USER, &secret(PASSWORD)).await.unwrap();

    let wires: Vec<Vec<u8>> = messages.iter().map(|(_, d)| wire_form(d)).collect();
    let total: u64 = wires.iter().map(|w| w.len() as u64).sum();
    let stat = client.stat().await.unwrap();
    assert_eq!((stat.count, stat.size), (14, total));

    let list = client.list().await.unwrap();
    assert_eq!(list.len(), 14);
    for (i, entry) in list.iter().enumerate() {
        assert_eq!(entry.msg, msg(i as u32 + 1));
        assert_eq!(
            entry.size,
            wires[i].len() as u64,
            "LIST size of {}",
            messages[i].0
        );
    }
    let uidl = client.uidl().await.unwrap();
    let uids: Vec<&str> = uidl.iter().map(|u| u.uid.as_str()).collect();
    let want: Vec<&str> = messages.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(uids, want);
    assert_eq!(
        client.list_one(msg(9)).await.unwrap().size,
        wires[8].len() as u64
    );
    assert_eq!(
        client.uidl_one(msg(3)).await.unwrap().uid.as_str(),
        messages[2].0
    );

    for (i, wire) in wires.iter().enumerate() {
        let mut out = Vec::new();
        let n = bounded("RETR", client.retrieve(msg(i as u32 + 1), &mut out))
            .await
            .unwrap();
        assert_eq!(n, out.len() as u64);
        assert_bytes_eq(&format!("RETR {}", messages[i].0), &out, wire);
    }

    // TOP: header only, a few lines, more lines than the body has.
    for (n, lines) in [(1u32, 0usize), (2, 3), (10, 2), (11, 5), (14, 7), (3, 100)] {
        let mut out = Vec::new();
        client.top(msg(n), lines as u64, &mut out).await.unwrap();
        let want = expected_top(&wires[n as usize - 1], lines);
        assert_bytes_eq(&format!("TOP {n} {lines}"), &out, &want);
    }

    for n in [2, 5, 9] {
        client.delete(msg(n)).await.unwrap();
    }
    let err = client.retrieve(msg(5), &mut Vec::new()).await.unwrap_err();
    assert!(matches!(err, Pop3Error::Refused { .. }), "{err:?}");
    let stat = client.stat().await.unwrap();
    assert_eq!(stat.count, 11);
    assert_eq!(
        stat.size,
        total - (wires[1].len() + wires[4].len() + wires[8].len()) as u64
    );
    assert!(server.maildrop.commits().is_empty(), "nothing before QUIT");
    client.quit().await.unwrap();

    let summary = server.next_done().await.unwrap();
    assert_eq!(summary.user.as_deref(), Some(USER));
    assert_eq!(summary.deleted, 3);
    assert_eq!(summary.retrieved, 14 + 6);
    assert!(!summary.autologout);
    assert_eq!(
        server.maildrop.commits(),
        vec![(USER.to_owned(), vec![1, 4, 8])]
    );
    let left = server.maildrop.uids(USER);
    assert_eq!(left.len(), 11);
    for gone in [&messages[1].0, &messages[4].0, &messages[8].0] {
        assert!(!left.contains(gone));
    }
}

/// 2. STLS: the upgrade, capabilities asked again without STLS, and logins
/// with USER/PASS, SASL PLAIN and APOP over the upgraded connection.
#[tokio::test]
async fn stls_upgrade_and_logins() {
    let (maildrop, _) = alice_with_testdata();
    let mut options = fast_options();
    options.session.apop_timestamp = Some("<4242.1700000000@mailwire.test>".into());
    let mut server = TestServer::start(Mode::StartTls, maildrop, options).await;

    // USER/PASS after Security::StartTls.
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::StartTls)),
    )
    .await
    .unwrap();
    assert!(client.tls_summary().is_some());
    let caps = client
        .session()
        .capabilities()
        .expect("CAPA asked over TLS");
    assert!(!caps.contains(&Capability::Stls), "{caps:?}");
    assert!(caps.contains(&Capability::User), "{caps:?}");
    client.login(USER, &secret(PASSWORD)).await.unwrap();
    assert_eq!(client.stat().await.unwrap().count, 14);
    client.quit().await.unwrap();
    assert_eq!(
        server.next_done().await.unwrap().user.as_deref(),
        Some(USER)
    );

    // Plaintext first: STLS offered; then the upgrade by hand and SASL PLAIN.
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::Plain)),
    )
    .await
    .unwrap();
    assert!(client.tls_summary().is_none());
    let caps = client.capabilities().await.unwrap();
    assert!(caps.contains(&Capability::Stls), "{caps:?}");
    bounded("STLS", client.starttls()).await.unwrap();
    assert!(client.tls_summary().is_some());
    assert!(
        !client
            .session()
            .capabilities()
            .unwrap()
            .contains(&Capability::Stls)
    );
    // STLS again over TLS is refused by the server.
    assert!(client.starttls().await.is_err());
    let err = client
        .authenticate(Box::new(pop3_proto::sasl::Plain::new(USER, secret("nope"))))
        .await
        .unwrap_err();
    assert_eq!(refused_code(&err), Some(ResponseCode::Auth), "{err:?}");
    client
        .authenticate(Box::new(pop3_proto::sasl::Plain::new(
            USER,
            secret(PASSWORD),
        )))
        .await
        .unwrap();
    assert_eq!(client.stat().await.unwrap().count, 14);
    client.quit().await.unwrap();
    assert_eq!(
        server.next_done().await.unwrap().user.as_deref(),
        Some(USER)
    );

    // APOP with the greeting's timestamp.
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::StartTls)),
    )
    .await
    .unwrap();
    let ts = client
        .session()
        .greeting()
        .unwrap()
        .apop_timestamp()
        .unwrap();
    assert_eq!(&ts[..], b"<4242.1700000000@mailwire.test>");
    let err = client.apop(USER, &secret("wrong")).await.unwrap_err();
    assert_eq!(refused_code(&err), Some(ResponseCode::Auth), "{err:?}");
    client.apop(USER, &secret(PASSWORD)).await.unwrap();
    assert_eq!(client.stat().await.unwrap().count, 14);
    client.quit().await.unwrap();
    assert_eq!(
        server.next_done().await.unwrap().user.as_deref(),
        Some(USER)
    );
}

/// 3. Certificate checks: an untrusted certificate fails the handshake; the
/// explicit opt-in connects.
#[tokio::test]
async fn certificate_verification() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start(Mode::Implicit, maildrop, fast_options()).await;

    let unrelated = tls::self_signed(&["unrelated.example"]).unwrap();
    let unrelated_ca = TempPem::new(&unrelated.cert_pem);
    let config = tls::client_config(&ClientTlsOptions::with_ca_files(vec![
        unrelated_ca.path.clone(),
    ]))
    .unwrap();
    let mut options = server.connect_options(Security::Tls);
    options.tls = Some(config);
    let err = bounded("connect", Pop3Client::connect(options))
        .await
        .unwrap_err();
    assert!(matches!(err, Pop3Error::Handshake { .. }), "{err:?}");
    let done = server.next_done().await;
    assert!(matches!(done, Err(ServeError::Handshake(_))), "{done:?}");

    // The same with STLS: the upgrade fails the same way.
    let mut stls_server =
        TestServer::start(Mode::StartTls, MemMaildrop::new(), fast_options()).await;
    let mut options = stls_server.connect_options(Security::StartTls);
    options.tls = Some(
        tls::client_config(&ClientTlsOptions::with_ca_files(vec![
            unrelated_ca.path.clone(),
        ]))
        .unwrap(),
    );
    let err = bounded("connect", Pop3Client::connect(options))
        .await
        .unwrap_err();
    assert!(matches!(err, Pop3Error::Handshake { .. }), "{err:?}");
    let done = stls_server.next_done().await;
    assert!(matches!(done, Err(ServeError::Handshake(_))), "{done:?}");

    // Accepting any certificate (explicit opt-in) connects.
    let mut insecure = ClientTlsOptions::default();
    insecure.accept_invalid_certs = true;
    let mut options = server.connect_options(Security::Tls);
    options.tls = Some(tls::client_config(&insecure).unwrap());
    let mut client = bounded("connect", Pop3Client::connect(options))
        .await
        .unwrap();
    assert!(client.tls_summary().is_some());
    client.login(USER, &secret(PASSWORD)).await.unwrap();
    client.quit().await.unwrap();
    assert!(server.next_done().await.is_ok());

    // The right CA with a DNS name also verifies.
    let mut options = server.connect_options(Security::Tls);
    options.host = "localhost".into();
    let client = bounded("connect", Pop3Client::connect(options))
        .await
        .unwrap();
    client.quit().await.unwrap();
    assert!(server.next_done().await.is_ok());

    // No roots at all is a setup error, not a client that trusts nothing.
    assert!(matches!(
        tls::client_config(&ClientTlsOptions::default()),
        Err(TlsSetupError::NoRoots)
    ));
}

/// Reads one CRLF-terminated line (bounded in time).
async fn read_line<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> String {
    let mut line = String::new();
    bounded("a line", reader.read_line(&mut line))
        .await
        .unwrap();
    line
}

/// 4. A server that injects a response behind its `+OK` to STLS fails the
/// client before the handshake starts.
#[tokio::test]
async fn stls_response_injection_is_detected_by_the_client() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let fake = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut tcp = BufReader::new(tcp);
        tcp.get_mut().write_all(b"+OK fake POP3\r\n").await.unwrap();
        assert_eq!(read_line(&mut tcp).await, "CAPA\r\n");
        tcp.get_mut()
            .write_all(b"+OK Capability list follows\r\nUSER\r\nSTLS\r\nPIPELINING\r\n.\r\n")
            .await
            .unwrap();
        assert_eq!(read_line(&mut tcp).await, "STLS\r\n");
        tcp.get_mut()
            .write_all(b"+OK Begin TLS\r\n+OK injected\r\n")
            .await
            .unwrap();
        // The client must close without starting a handshake.
        let mut rest = Vec::new();
        bounded("the client to close", tcp.read_to_end(&mut rest))
            .await
            .unwrap();
        rest
    });

    let cert = tls::self_signed(&["localhost", "127.0.0.1"]).unwrap();
    let ca = TempPem::new(&cert.cert_pem);
    let config =
        tls::client_config(&ClientTlsOptions::with_ca_files(vec![ca.path.clone()])).unwrap();
    let mut options = ConnectOptions::new("127.0.0.1", port, Security::StartTls, config);
    options.timeouts.command = STEP;
    let err = bounded("connect", Pop3Client::connect(options))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Pop3Error::Protocol(pop3_proto::Error::StlsInjection { .. })
        ),
        "{err:?}"
    );
    let rest = bounded("the fake server", fake).await.unwrap();
    assert!(
        rest.is_empty(),
        "the client sent {} octets after the injection (a TLS ClientHello?)",
        rest.len()
    );
}

/// 5. A client that pipelines a command behind STLS gets the `+OK` and then
/// the connection is closed; the command is never answered.
#[tokio::test]
async fn stls_command_injection_is_refused_by_the_server() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start(Mode::StartTls, maildrop, fast_options()).await;
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    tcp.set_nodelay(true).unwrap();
    let mut tcp = BufReader::new(tcp);
    let greeting = read_line(&mut tcp).await;
    assert!(greeting.starts_with("+OK"), "{greeting:?}");
    tcp.get_mut()
        .write_all(b"STLS\r\nUSER mallory\r\n")
        .await
        .unwrap();
    let mut rest = Vec::new();
    bounded("the server to close", tcp.read_to_end(&mut rest))
        .await
        .unwrap();
    let rest = String::from_utf8(rest).unwrap();
    assert!(rest.starts_with("+OK"), "{rest:?}");
    assert_eq!(
        rest.matches("\r\n").count(),
        1,
        "only the +OK to STLS: {rest:?}"
    );

    let done = server.next_done().await;
    assert!(
        matches!(
            done,
            Err(ServeError::Protocol(
                pop3_proto::Error::StlsInjection { .. }
            ))
        ),
        "{done:?}"
    );
    assert_eq!(
        server
            .maildrop
            .opened
            .load(std::sync::atomic::Ordering::SeqCst),
        0
    );
}

/// 6. A second session for a logged-in user gets `-ERR [IN-USE]`; after the
/// first one quits, it can log in.
#[tokio::test]
async fn maildrop_lock() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start(Mode::Implicit, maildrop, fast_options()).await;
    let mut first = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::Tls)),
    )
    .await
    .unwrap();
    first.login(USER, &secret(PASSWORD)).await.unwrap();
    assert!(server.locks.is_locked(USER));

    let mut second = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::Tls)),
    )
    .await
    .unwrap();
    let err = second.login(USER, &secret(PASSWORD)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Pop3Error::Refused {
                command: "PASS",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(refused_code(&err), Some(ResponseCode::InUse), "{err:?}");

    first.delete(msg(1)).await.unwrap();
    first.quit().await.unwrap();
    let summary = server.next_done().await.unwrap();
    assert_eq!(summary.deleted, 1);
    assert!(!server.locks.is_locked(USER));

    second.login(USER, &secret(PASSWORD)).await.unwrap();
    assert_eq!(second.stat().await.unwrap().count, 13);
    second.quit().await.unwrap();
    assert!(server.next_done().await.is_ok());
}

/// 7. An idle client is logged out without any deletion.
#[tokio::test]
async fn autologout_deletes_nothing() {
    let (maildrop, _) = alice_with_testdata();
    let mut options = fast_options();
    options.idle_timeout = Duration::from_millis(300);
    let mut server = TestServer::start(Mode::Implicit, maildrop, options).await;
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::Tls)),
    )
    .await
    .unwrap();
    client.login(USER, &secret(PASSWORD)).await.unwrap();
    client.delete(msg(1)).await.unwrap();
    client.delete(msg(2)).await.unwrap();
    let idle = Instant::now();

    let summary = server.next_done().await.unwrap();
    let waited = idle.elapsed();
    assert!(summary.autologout, "{summary:?}");
    assert_eq!(summary.deleted, 0);
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
        "logged out after {waited:?}"
    );
    assert!(server.maildrop.commits().is_empty());
    assert_eq!(server.maildrop.uids(USER).len(), 14);
    assert!(!server.locks.is_locked(USER));

    // The client finds the connection gone.
    let err = bounded("NOOP", client.noop()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Pop3Error::Closed | Pop3Error::Io(_) | Pop3Error::Protocol(_)
        ),
        "{err:?}"
    );
}

/// 8. Failed logins are answered after a doubling delay; the third ends the
/// connection.
#[tokio::test]
async fn failed_login_delay_and_limit() {
    let (maildrop, _) = alice_with_testdata();
    let mut options = fast_options();
    options.login_failure_delay = Duration::from_millis(100);
    options.max_login_failure_delay = Duration::from_secs(5);
    let mut server = TestServer::start(Mode::Plain, maildrop, options).await;
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::Plain)),
    )
    .await
    .unwrap();

    let start = Instant::now();
    for _ in 0..2 {
        let err = client.login(USER, &secret("guess")).await.unwrap_err();
        assert_eq!(refused_code(&err), Some(ResponseCode::Auth), "{err:?}");
    }
    let two = start.elapsed();
    assert!(
        two >= Duration::from_millis(300),
        "two failures took {two:?}"
    );
    assert!(two < Duration::from_secs(3), "two failures took {two:?}");

    // The third failure is answered (after 400 ms more), then the server hangs up.
    let err = client.login(USER, &secret("guess")).await.unwrap_err();
    assert_eq!(refused_code(&err), Some(ResponseCode::Auth), "{err:?}");
    assert!(start.elapsed() >= Duration::from_millis(700));
    let done = server.next_done().await;
    assert!(
        matches!(
            done,
            Err(ServeError::Protocol(pop3_proto::Error::TooManyFailedLogins))
        ),
        "{done:?}"
    );
    let err = bounded("NOOP", client.noop()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Pop3Error::Closed | Pop3Error::Io(_) | Pop3Error::Protocol(_) | Pop3Error::Send(_)
        ),
        "{err:?}"
    );
    assert_eq!(
        server
            .maildrop
            .opened
            .load(std::sync::atomic::Ordering::SeqCst),
        0
    );
}

/// 9. A client that stops reading in the middle of a 64 MiB message does not
/// make the server read the message into memory.
#[tokio::test]
async fn backpressure_on_a_huge_message() {
    const SIZE: usize = 64 * 1024 * 1024;
    let line = {
        let mut l = vec![b'x'; 62];
        l.extend_from_slice(b"\r\n");
        l
    };
    let huge: Vec<u8> = line.iter().copied().cycle().take(SIZE).collect();
    let maildrop = MemMaildrop::new();
    maildrop.add_user(USER, PASSWORD, vec![("huge".into(), Bytes::from(huge))]);
    let mut options = fast_options();
    options.idle_timeout = Duration::from_secs(30);
    let mut server = TestServer::start(Mode::Plain, maildrop, options).await;

    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let mut tcp = BufReader::new(tcp);
    assert!(read_line(&mut tcp).await.starts_with("+OK"));
    tcp.get_mut()
        .write_all(format!("USER {USER}\r\nPASS {PASSWORD}\r\n").as_bytes())
        .await
        .unwrap();
    assert!(read_line(&mut tcp).await.starts_with("+OK"));
    let login = read_line(&mut tcp).await;
    assert!(login.starts_with("+OK"), "{login:?}");
    tcp.get_mut().write_all(b"RETR 1\r\n").await.unwrap();
    let head = read_line(&mut tcp).await;
    assert_eq!(head, format!("+OK {SIZE} octets\r\n"));

    tokio::time::sleep(Duration::from_secs(1)).await;
    let stalled = server.maildrop.bytes_read();
    assert!(stalled > 0, "the server never started sending");
    assert!(
        stalled < 16 * 1024 * 1024,
        "the server read {stalled} octets of the message for a client that stopped reading"
    );

    // Reading resumes the stream; the data is intact.
    let mut body = vec![0u8; 4 * 1024 * 1024];
    bounded("more of the body", tcp.read_exact(&mut body))
        .await
        .unwrap();
    assert!(body.chunks(64).all(|c| c == &line[..]), "body corrupted");
    bounded("the server to catch up", async {
        while server.maildrop.bytes_read() <= stalled {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;

    // The client hangs up in the middle: the connection ends at once.
    let hang_up = Instant::now();
    drop(tcp);
    let done = server.next_done().await;
    assert!(matches!(done, Err(ServeError::Io(_))), "{done:?}");
    assert!(hang_up.elapsed() < Duration::from_secs(5));
    assert!(server.maildrop.bytes_read() < SIZE as u64);
    assert!(server.maildrop.commits().is_empty());
}

/// 10. `Framed` with the client codec against the server driver, in memory.
#[tokio::test]
async fn framed_client_codec_against_the_server() {
    let (maildrop, messages) = alice_with_testdata();
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    let server = tokio::spawn(async move {
        let options = fast_options();
        serve_connection(
            MailStream::Plain(server_io),
            &TlsMode::None,
            &maildrop,
            &Locks::default(),
            &options,
        )
        .await
    });

    let mut framed = Framed::new(client_io, Pop3ClientCodec::new(ClientConfig::default()));
    async fn next(framed: &mut Framed<tokio::io::DuplexStream, Pop3ClientCodec>) -> Event {
        match bounded("an event", framed.next())
            .await
            .expect("stream ended")
            .unwrap()
        {
            ClientItem::Event(event) => event,
            other => panic!("{other:?}"),
        }
    }
    async fn send(framed: &mut Framed<tokio::io::DuplexStream, Pop3ClientCodec>, c: Command) {
        bounded("send", framed.send(c)).await.unwrap();
    }
    async fn ok(framed: &mut Framed<tokio::io::DuplexStream, Pop3ClientCodec>) -> Positive {
        match next(framed).await {
            Event::Response {
                response: Response::Ok(p),
                ..
            } => p,
            other => panic!("{other:?}"),
        }
    }

    assert!(matches!(
        next(&mut framed).await,
        Event::Greeting(Response::Ok(_))
    ));
    send(&mut framed, Command::Capa).await;
    match ok(&mut framed).await {
        Positive::Capabilities { capabilities, .. } => {
            assert!(capabilities.contains(&Capability::User));
            assert!(capabilities.contains(&Capability::Pipelining));
            assert!(!capabilities.contains(&Capability::Stls));
        }
        other => panic!("{other:?}"),
    }
    send(&mut framed, Command::User(Text::try_from(USER).unwrap())).await;
    ok(&mut framed).await;
    send(&mut framed, Command::Pass(secret(PASSWORD))).await;
    ok(&mut framed).await;

    // The dot-stuffing message (one chunk) and the 2 MB one (several).
    for n in [2u32, 9] {
        send(&mut framed, Command::Retr(msg(n))).await;
        let head = next(&mut framed).await;
        let Event::Response {
            id,
            response: Response::Ok(Positive::Message(_)),
        } = head
        else {
            panic!("{head:?}");
        };
        let mut body = Vec::new();
        let mut chunks = 0;
        loop {
            match next(&mut framed).await {
                Event::BodyChunk { id: got, data } => {
                    assert_eq!(got, id);
                    body.extend_from_slice(&data);
                    chunks += 1;
                }
                Event::BodyEnd { id: got } => {
                    assert_eq!(got, id);
                    break;
                }
                other => panic!("{other:?}"),
            }
        }
        let want = wire_form(&messages[n as usize - 1].1);
        assert_bytes_eq(&format!("RETR {n}"), &body, &want);
        if want.len() > 1024 * 1024 {
            assert!(chunks > 1, "a {} octet body came in one chunk", want.len());
        }
    }

    // Pipelined: DELE and QUIT in one flush.
    framed.feed(Command::Dele(msg(1))).await.unwrap();
    framed.feed(Command::Quit).await.unwrap();
    bounded("flush", SinkExt::<Command>::flush(&mut framed))
        .await
        .unwrap();
    ok(&mut framed).await;
    ok(&mut framed).await;
    assert!(bounded("EOF", framed.next()).await.is_none());

    let summary = bounded("the server", server).await.unwrap().unwrap();
    assert_eq!(summary.deleted, 1);
    assert_eq!(summary.retrieved, 2);
}

/// `Framed` with the server codec, driven by hand, against the async client.
#[tokio::test]
async fn framed_server_codec_against_the_client() {
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    let body = Bytes::from_static(b"Subject: hi\n\n.dot line\nbye\n");
    let server_body = body.clone();
    let server = tokio::spawn(async move {
        let mut framed = Framed::new(server_io, Pop3ServerCodec::new(SessionConfig::default()));
        // The greeting was queued at once.
        let greeting = framed.codec_mut().take_output().expect("a greeting");
        framed.write_buffer_mut().extend_from_slice(&greeting);
        SinkExt::<ServerAction>::flush(&mut framed).await.unwrap();
        let mut deleted = Vec::new();
        let mut flushes = 0;
        while let Some(item) = bounded("a session event", framed.next()).await {
            let action = match item.unwrap() {
                // Answers the session gave by itself (CAPA, USER, DELE).
                ServerItem::Output => {
                    flushes += 1;
                    ServerAction::Flush
                }
                ServerItem::Event(SessionEvent::Authenticate(c)) => {
                    let ok = matches!(&c, pop3_proto::Credentials::Password { password, .. }
                        if password.expose() == PASSWORD.as_bytes());
                    if ok {
                        ServerAction::Login(Ok(vec![MessageInfo {
                            size: wire_form(&server_body).len() as u64,
                            uid: UniqueId::new("m1").unwrap(),
                        }]))
                    } else {
                        ServerAction::Login(Err(pop3_proto::LoginFailure::BadCredentials))
                    }
                }
                ServerItem::Event(SessionEvent::Retrieve { .. }) => {
                    framed
                        .feed(ServerAction::Body(server_body.slice(..10)))
                        .await
                        .unwrap();
                    framed
                        .feed(ServerAction::Body(server_body.slice(10..)))
                        .await
                        .unwrap();
                    ServerAction::EndBody
                }
                ServerItem::Event(SessionEvent::Commit { deleted: d }) => {
                    deleted = d;
                    ServerAction::Committed(Ok(()))
                }
                other => panic!("{other:?}"),
            };
            bounded("send", framed.send(action)).await.unwrap();
        }
        assert!(framed.codec().session().is_closed());
        assert!(flushes >= 3, "{flushes} self-answered replies");
        deleted
    });

    let config = tls::client_config(&{
        let mut o = ClientTlsOptions::default();
        o.accept_invalid_certs = true;
        o
    })
    .unwrap();
    let mut options = ConnectOptions::new("127.0.0.1", 110, Security::Plain, config);
    options.timeouts.command = STEP;
    options.timeouts.greeting = STEP;
    let mut client = bounded(
        "greeting",
        Pop3Client::from_stream(MailStream::Plain(client_io), &options),
    )
    .await
    .unwrap();
    let caps = bounded("CAPA", client.capabilities()).await.unwrap();
    assert!(caps.contains(&Capability::User));
    bounded("login", client.login(USER, &secret(PASSWORD)))
        .await
        .unwrap();
    let mut out = Vec::new();
    bounded("RETR", client.retrieve(msg(1), &mut out))
        .await
        .unwrap();
    assert_bytes_eq("RETR", &out, &wire_form(&body));
    bounded("DELE", client.delete(msg(1))).await.unwrap();
    bounded("QUIT", client.quit()).await.unwrap();
    let deleted = bounded("the server", server).await.unwrap();
    assert_eq!(deleted.len(), 1);
}

/// Too many bad commands: each is answered with `-ERR`, the last one too,
/// and then the server hangs up.
#[tokio::test]
async fn too_many_bad_commands() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start(Mode::Plain, maildrop, fast_options()).await;
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let mut tcp = BufReader::new(tcp);
    assert!(read_line(&mut tcp).await.starts_with("+OK"));
    let limit = pop3_proto::Limits::default().max_bad_commands;
    for i in 1..limit {
        tcp.get_mut().write_all(b"BOGUS\r\n").await.unwrap();
        let answer = read_line(&mut tcp).await;
        assert!(answer.starts_with("-ERR"), "bad command {i}: {answer:?}");
    }
    tcp.get_mut().write_all(b"BOGUS\r\n").await.unwrap();
    let mut rest = Vec::new();
    bounded("the server to close", tcp.read_to_end(&mut rest))
        .await
        .unwrap();
    let rest = String::from_utf8(rest).unwrap();
    let done = server.next_done().await;
    assert!(
        matches!(
            done,
            Err(ServeError::Protocol(pop3_proto::Error::TooManyBadCommands))
        ),
        "{done:?}"
    );
    assert!(
        rest.starts_with("-ERR"),
        "the last bad command was not answered: {rest:?}"
    );
}

/// A client asking for STLS from a server that does not offer it fails
/// instead of going on in plaintext.
#[tokio::test]
async fn stls_not_offered_is_an_error() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start(Mode::Plain, maildrop, fast_options()).await;
    let err = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::StartTls)),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Pop3Error::Unsupported("STLS")), "{err:?}");
    assert!(server.next_done().await.is_ok());
}

/// `Framed` with the client codec: an AUTH whose initial response is too long
/// for the command line is deferred to the server's first (empty) challenge.
/// The session writes it by itself while decoding, so the codec hands out
/// `ClientItem::Output` and the application sends `Flush`.
#[tokio::test]
async fn framed_client_codec_deferred_initial_response() {
    let maildrop = MemMaildrop::new();
    maildrop.add_user(USER, PASSWORD, Vec::new());
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    let server = tokio::spawn(async move {
        let mut options = fast_options();
        options
            .session
            .mechanisms
            .push(pop3_proto::Mechanism::new(b"XOAUTH2").unwrap());
        serve_connection(
            MailStream::Plain(server_io),
            &TlsMode::None,
            &maildrop,
            &Locks::default(),
            &options,
        )
        .await
    });
    let mut framed = Framed::new(client_io, Pop3ClientCodec::new(ClientConfig::default()));
    let greeting = bounded("greeting", framed.next()).await.unwrap().unwrap();
    assert!(matches!(
        greeting,
        ClientItem::Event(Event::Greeting(Response::Ok(_)))
    ));
    let token = "t".repeat(600);
    let ir = format!("user={USER}\x01auth=Bearer {token}\x01\x01");
    bounded(
        "send",
        framed.send(Command::Auth {
            mechanism: pop3_proto::Mechanism::new(b"XOAUTH2").unwrap(),
            initial_response: Some(Secret::from(ir)),
        }),
    )
    .await
    .unwrap();
    // The session answers the empty challenge with the deferred response by
    // itself; the server then refuses the token (the maildrop takes passwords only).
    // First the session hands out the answer it wrote by itself.
    let item = bounded("the deferred response", framed.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item, ClientItem::Output);
    bounded("flush", framed.send(Flush)).await.unwrap();
    let answer = bounded("the AUTH answer", framed.next())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(
            answer,
            ClientItem::Event(Event::Response {
                response: Response::Err(_),
                ..
            })
        ),
        "{answer:?}"
    );
    drop(framed);
    let _ = bounded("the server", server).await.unwrap();
}
