//! The server's guards over loopback: the maildrop lock, autologout,
//! failed-login delays, backpressure on a huge message, and too many bad
//! commands.

use super::*;
use mail_net::guard::{FailureDelays, Guards};

/// A second session for a logged-in user gets `-ERR [IN-USE]`; after the
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

/// An idle client is logged out without any deletion.
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

/// After a failed login, the next attempt waits a doubling delay before its
/// credentials are checked; the third failure ends the connection.
#[tokio::test]
async fn failed_login_delay_and_limit() {
    let (maildrop, _) = alice_with_testdata();
    let mut config = fast_guards();
    config.failures.per_address = FailureDelays::new(
        Duration::from_millis(100),
        Duration::from_secs(5),
        Duration::from_secs(60),
    );
    let mut server = TestServer::start_guarded(
        Mode::Plain,
        maildrop,
        plaintext_options(),
        Guards::new(config),
    )
    .await;
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
    // The first is checked at once, the second after 100 ms.
    let two = start.elapsed();
    assert!(
        two >= Duration::from_millis(100),
        "two failures took {two:?}"
    );
    assert!(two < Duration::from_secs(3), "two failures took {two:?}");

    // The third is checked after 200 ms more and answered, then the server
    // hangs up.
    let err = client.login(USER, &secret("guess")).await.unwrap_err();
    assert_eq!(refused_code(&err), Some(ResponseCode::Auth), "{err:?}");
    assert!(start.elapsed() >= Duration::from_millis(300));
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

/// A client that stops reading in the middle of a 64 MiB message does not
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
    let mut options = plaintext_options();
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
