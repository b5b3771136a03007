//! Deadlines that traffic cannot extend: the login deadline against a
//! client trickling bytes, the handshake deadline against a silent client
//! and half a ClientHello (implicit TLS and after STLS).

use super::*;
use mail_net::guard::{Expired, GuardConfig, Guards};

/// Guards with short deadlines: the handshake 300 ms, the login 600 ms.
fn short_deadlines() -> GuardConfig {
    let mut config = fast_guards();
    config.handshake_timeout = Duration::from_millis(300);
    config.login_timeout = Duration::from_millis(600);
    config
}

/// Waits for the server to close `tcp`; returns what it sent meanwhile and
/// how long the close took from `since`. The bound (3 s) is far below the
/// idle timeout (10 s), so a server without the deadline fails here.
async fn closed_within<R: AsyncReadExt + Unpin>(
    tcp: &mut R,
    since: Instant,
) -> (Vec<u8>, Duration) {
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(3), tcp.read_to_end(&mut rest))
        .await
        .expect("the server kept the connection open past its deadline")
        .ok();
    (rest, since.elapsed())
}

/// One byte every 100 ms (each well within the idle timeout) does not keep
/// a connection that has not logged in past the login deadline.
#[tokio::test]
async fn trickled_bytes_are_cut_at_the_login_deadline() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start_guarded(
        Mode::StartTls,
        maildrop,
        fast_options(),
        Guards::new(short_deadlines()),
    )
    .await;
    let start = Instant::now();
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let (mut reader, mut writer) = tcp.into_split();
    let trickle = tokio::spawn(async move {
        for &b in b"NOOP\r\n".iter().cycle().take(100) {
            if writer.write_all(&[b]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let (sent, took) = closed_within(&mut reader, start).await;
    trickle.abort();
    let sent = String::from_utf8_lossy(&sent);
    assert!(sent.starts_with("+OK"), "{sent:?}");
    assert!(
        sent.contains("\r\n+OK\r\n"),
        "the NOOPs were answered: {sent:?}"
    );
    assert!(
        took >= Duration::from_millis(550) && took < Duration::from_secs(2),
        "closed after {took:?}"
    );
    let done = server.next_done().await;
    assert!(
        matches!(done, Err(ServeError::Deadline(Expired::Login))),
        "{done:?}"
    );
}

/// A client that connects to the implicit-TLS port and says nothing, and
/// one that sends half a ClientHello, are cut at the handshake deadline.
#[tokio::test]
async fn silent_and_half_handshakes_are_cut_on_pop3s() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start_guarded(
        Mode::Implicit,
        maildrop,
        fast_options(),
        Guards::new(short_deadlines()),
    )
    .await;
    // A TLS handshake record announcing 512 octets, of which 4 arrive.
    let half_hello: &[u8] = &[0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc];
    for first in [&b""[..], half_hello] {
        let start = Instant::now();
        let mut tcp = TcpStream::connect(server.addr).await.unwrap();
        tcp.write_all(first).await.unwrap();
        let (sent, took) = closed_within(&mut tcp, start).await;
        assert!(sent.is_empty(), "{sent:?}");
        assert!(
            took >= Duration::from_millis(250) && took < Duration::from_secs(2),
            "closed after {took:?}"
        );
        let done = server.next_done().await;
        assert!(
            matches!(done, Err(ServeError::Deadline(Expired::Handshake))),
            "{done:?}"
        );
    }
}

/// After STLS, half a ClientHello is cut at the handshake deadline too.
#[tokio::test]
async fn half_handshake_after_stls_is_cut() {
    let (maildrop, _) = alice_with_testdata();
    let mut config = short_deadlines();
    config.login_timeout = Duration::from_secs(5);
    let mut server = TestServer::start_guarded(
        Mode::StartTls,
        maildrop,
        fast_options(),
        Guards::new(config),
    )
    .await;
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let mut tcp = BufReader::new(tcp);
    assert!(read_line(&mut tcp).await.starts_with("+OK"));
    tcp.write_all(b"STLS\r\n").await.unwrap();
    assert!(read_line(&mut tcp).await.starts_with("+OK"));
    let start = Instant::now();
    tcp.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
        .await
        .unwrap();
    let (sent, took) = closed_within(&mut tcp, start).await;
    assert!(sent.is_empty(), "{sent:?}");
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(2),
        "closed after {took:?}"
    );
    let done = server.next_done().await;
    assert!(
        matches!(done, Err(ServeError::Deadline(Expired::Handshake))),
        "{done:?}"
    );
}

/// Logged in, only the idle timeout applies: a session outlives the login
/// deadline.
#[tokio::test]
async fn the_login_deadline_ends_at_login() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start_guarded(
        Mode::Implicit,
        maildrop,
        fast_options(),
        Guards::new(short_deadlines()),
    )
    .await;
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::Tls)),
    )
    .await
    .unwrap();
    client.login(USER, &secret(PASSWORD)).await.unwrap();
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        client.noop().await.unwrap();
    }
    client.quit().await.unwrap();
    assert_eq!(
        server.next_done().await.unwrap().user.as_deref(),
        Some(USER)
    );
}
