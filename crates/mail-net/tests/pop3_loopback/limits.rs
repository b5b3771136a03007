//! Connection limits over loopback: per address, unauthenticated in total,
//! and sessions per user; refusals that cost no task and no handshake.

use super::*;
use mail_net::guard::{GuardConfig, Guards, Refusal};

fn limits(per_address: usize, unauthenticated: usize, per_user: usize) -> GuardConfig {
    let mut config = fast_guards();
    config.limits.per_address = per_address;
    config.limits.unauthenticated = unauthenticated;
    config.limits.per_user = per_user;
    config
}

/// A raw connection that has read its greeting.
async fn greeted(server: &TestServer) -> (BufReader<TcpStream>, String) {
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let mut tcp = BufReader::new(tcp);
    let greeting = read_line(&mut tcp).await;
    (tcp, greeting)
}

/// Everything the server sends until it closes (bounded).
async fn until_closed(tcp: &mut BufReader<TcpStream>) -> String {
    let mut rest = Vec::new();
    bounded("the server to close", tcp.read_to_end(&mut rest))
        .await
        .unwrap();
    String::from_utf8_lossy(&rest).into_owned()
}

/// The N+1th connection from one address gets one `-ERR [SYS/TEMP]` line
/// saying why, and is closed; once one closes, there is room again.
#[tokio::test]
async fn per_address_limit_refuses_with_a_clear_line() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start_guarded(
        Mode::StartTls,
        maildrop,
        fast_options(),
        Guards::new(limits(3, 100, 10)),
    )
    .await;
    let mut open = Vec::new();
    for _ in 0..3 {
        let (tcp, greeting) = greeted(&server).await;
        assert!(greeting.starts_with("+OK"), "{greeting:?}");
        open.push(tcp);
    }
    let (mut fourth, refusal) = greeted(&server).await;
    assert_eq!(
        refusal,
        "-ERR [SYS/TEMP] Too many connections from your address, try again later.\r\n"
    );
    assert_eq!(until_closed(&mut fourth).await, "");
    assert!(matches!(
        server.next_done().await,
        Err(ServeError::Refused(Refusal::TooManyFromAddress))
    ));

    // One leaves: the next is welcome.
    let mut first = open.remove(0);
    first.write_all(b"QUIT\r\n").await.unwrap();
    until_closed(&mut first).await;
    assert!(server.next_done().await.is_ok());
    let (_fifth, greeting) = greeted(&server).await;
    assert!(greeting.starts_with("+OK"), "{greeting:?}");
}

/// On the implicit-TLS port a refused connection is closed without a word
/// and without a handshake.
#[tokio::test]
async fn per_address_limit_on_pop3s_closes_silently() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start_guarded(
        Mode::Implicit,
        maildrop,
        fast_options(),
        Guards::new(limits(1, 100, 10)),
    )
    .await;
    let client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::Tls)),
    )
    .await
    .unwrap();
    let mut second = TcpStream::connect(server.addr).await.unwrap();
    // A ClientHello would be answered by a ServerHello; here only the close.
    second
        .write_all(&[0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00])
        .await
        .unwrap();
    let mut rest = Vec::new();
    let _ = bounded("the server to close", second.read_to_end(&mut rest)).await;
    assert!(rest.is_empty(), "{rest:?}");
    assert!(matches!(
        server.next_done().await,
        Err(ServeError::Refused(Refusal::TooManyFromAddress))
    ));
    client.quit().await.unwrap();
    assert!(server.next_done().await.is_ok());
}

/// The total of connections not logged in is capped; a login frees a place.
#[tokio::test]
async fn unauthenticated_total_is_capped() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start_guarded(
        Mode::StartTls,
        maildrop,
        fast_options(),
        Guards::new(limits(100, 2, 10)),
    )
    .await;
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::StartTls)),
    )
    .await
    .unwrap();
    let (_second, greeting) = greeted(&server).await;
    assert!(greeting.starts_with("+OK"), "{greeting:?}");
    let (mut third, refusal) = greeted(&server).await;
    assert_eq!(
        refusal,
        "-ERR [SYS/TEMP] Too many connections, try again later.\r\n"
    );
    until_closed(&mut third).await;
    assert!(matches!(
        server.next_done().await,
        Err(ServeError::Refused(Refusal::TooManyUnauthenticated))
    ));
    assert_eq!(server.guards.limiter().unauthenticated(), 2);

    client.login(USER, &secret(PASSWORD)).await.unwrap();
    assert_eq!(server.guards.limiter().unauthenticated(), 1);
    let (_fourth, greeting) = greeted(&server).await;
    assert!(greeting.starts_with("+OK"), "{greeting:?}");
    client.quit().await.unwrap();
}

/// A user's sessions are capped: over the cap, the login is refused with
/// `-ERR [IN-USE]` and the words "too many sessions"; a session that ends
/// gives its place back. (POP3's maildrop lock would refuse the second
/// session too, but later and in other words: the cap is checked first.)
#[tokio::test]
async fn per_user_session_limit() {
    let (maildrop, _) = alice_with_testdata();
    let mut server = TestServer::start_guarded(
        Mode::Implicit,
        maildrop,
        fast_options(),
        Guards::new(limits(100, 100, 1)),
    )
    .await;
    let connect = || Pop3Client::connect(server.connect_options(Security::Tls));
    let mut first = bounded("connect", connect()).await.unwrap();
    first.login(USER, &secret(PASSWORD)).await.unwrap();
    assert_eq!(server.guards.limiter().sessions_of(USER), 1);

    let mut second = bounded("connect", connect()).await.unwrap();
    let err = second.login(USER, &secret(PASSWORD)).await.unwrap_err();
    assert_eq!(refused_code(&err), Some(ResponseCode::InUse), "{err:?}");
    assert!(
        err.to_string().to_lowercase().contains("too many sessions"),
        "{err}"
    );
    assert_eq!(server.guards.limiter().sessions_of(USER), 1);
    // The refused login left the second connection unauthenticated.
    assert_eq!(server.guards.limiter().unauthenticated(), 1);

    first.quit().await.unwrap();
    assert!(server.next_done().await.is_ok());
    second.login(USER, &secret(PASSWORD)).await.unwrap();
    second.quit().await.unwrap();
    assert!(server.next_done().await.is_ok());
    assert_eq!(server.guards.limiter().sessions_of(USER), 0);
    assert_eq!(server.guards.limiter().unauthenticated(), 0);
}
