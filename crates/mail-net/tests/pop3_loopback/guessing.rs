//! Password guessing over many connections: failures count per address and
//! per user name across connections, and the real user still gets in.

use std::net::SocketAddr;

use super::*;
use mail_net::guard::{FailureDelays, GuardConfig, Guards};

/// A plaintext connection from `source` (any 127.0.0.0/8 address is
/// loopback) that has read its greeting.
async fn connect_from(source: &str, server: SocketAddr) -> BufReader<TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    let tcp = bounded("connect", socket.connect(server)).await.unwrap();
    let mut tcp = BufReader::new(tcp);
    let greeting = read_line(&mut tcp).await;
    assert!(greeting.starts_with("+OK"), "{greeting:?}");
    tcp
}

/// USER/PASS on a raw connection; the answer to PASS.
async fn try_password(tcp: &mut BufReader<TcpStream>, user: &str, password: &str) -> String {
    tcp.write_all(format!("USER {user}\r\nPASS {password}\r\n").as_bytes())
        .await
        .unwrap();
    let user_answer = read_line(tcp).await;
    assert!(user_answer.starts_with("+OK"), "{user_answer:?}");
    read_line(tcp).await
}

fn delays(first_ms: u64, max_ms: u64, decay_ms: u64) -> FailureDelays {
    let ms = Duration::from_millis;
    FailureDelays::new(ms(first_ms), ms(max_ms), ms(decay_ms))
}

/// Ten wrong passwords sent at once on ten connections from one address
/// that has already failed once are checked one slot apart (100 ms): the
/// ten take at least a second. Counted per connection, as before, they
/// took one delay (100 ms) in all.
#[tokio::test]
async fn parallel_guessing_from_one_address_is_spaced() {
    let (maildrop, _) = alice_with_testdata();
    let mut config: GuardConfig = fast_guards();
    config.failures.per_address = delays(100, 5_000, 60_000);
    config.failures.per_user = delays(1, 1, 60_000);
    let mut server = TestServer::start_guarded(
        Mode::Plain,
        maildrop,
        plaintext_options(),
        Guards::new(config),
    )
    .await;

    let mut first = connect_from("127.0.0.1", server.addr).await;
    let answer = try_password(&mut first, USER, "guess-0").await;
    assert!(answer.starts_with("-ERR [AUTH]"), "{answer:?}");

    let mut conns = Vec::new();
    for _ in 0..10 {
        conns.push(connect_from("127.0.0.1", server.addr).await);
    }
    let start = Instant::now();
    let guesses = conns.into_iter().enumerate().map(|(i, mut tcp)| {
        tokio::spawn(async move {
            let answer = try_password(&mut tcp, USER, &format!("guess-{}", i + 1)).await;
            (answer, tcp)
        })
    });
    let answers = bounded("the guesses", futures_util::future::join_all(guesses)).await;
    let took = start.elapsed();
    for answer in &answers {
        let (line, _) = answer.as_ref().unwrap();
        assert!(line.starts_with("-ERR [AUTH]"), "{line:?}");
    }
    assert!(
        took >= Duration::from_millis(950),
        "10 parallel guesses took only {took:?}"
    );
    assert!(took < Duration::from_secs(8), "{took:?}");
    let key = server.guards.client_key("127.0.0.1".parse().unwrap());
    assert!(server.guards.failures().address_level(key) >= 5);
    drop(answers);
    drop(first);
    for _ in 0..11 {
        let _ = server.next_done().await;
    }
}

/// An attacker guessing alice's password from one address slows its own
/// address a lot and alice's name a little: alice, from another address,
/// gets in at once but for the capped per-user delay, and with no delay
/// once the attack has been quiet for the decay time.
#[tokio::test]
async fn the_real_user_gets_in_during_and_after_an_attack() {
    let (maildrop, _) = alice_with_testdata();
    let mut config: GuardConfig = fast_guards();
    config.failures.per_address = delays(50, 5_000, 60_000);
    config.failures.per_user = delays(300, 300, 500);
    let mut server = TestServer::start_guarded(
        Mode::Plain,
        maildrop,
        plaintext_options(),
        Guards::new(config),
    )
    .await;

    // The attack: two connections of two guesses each.
    for round in 0..2 {
        let mut attacker = connect_from("127.0.0.1", server.addr).await;
        for guess in 0..2 {
            let answer = try_password(&mut attacker, USER, &format!("g{round}{guess}")).await;
            assert!(answer.starts_with("-ERR [AUTH]"), "{answer:?}");
        }
        drop(attacker);
        assert!(server.next_done().await.is_ok());
    }
    let attacker = server.guards.client_key("127.0.0.1".parse().unwrap());
    assert_eq!(server.guards.failures().address_level(attacker), 4);

    // Alice, from her own address, right after: the per-user delay (300 ms)
    // and no more, although her name just failed four times.
    let mut alice = connect_from("127.0.0.2", server.addr).await;
    let start = Instant::now();
    let answer = try_password(&mut alice, USER, PASSWORD).await;
    let took = start.elapsed();
    assert!(answer.starts_with("+OK Logged in"), "{answer:?}");
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(2),
        "{took:?}"
    );
    alice.write_all(b"QUIT\r\n").await.unwrap();
    assert!(read_line(&mut alice).await.starts_with("+OK"));
    assert!(server.next_done().await.is_ok());

    // The attacker's own address still waits its (much longer) delay.
    assert!(server.guards.failures().address_level(attacker) > 0);

    // Once the name has been quiet for its decay time, no delay at all.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let mut alice = connect_from("127.0.0.2", server.addr).await;
    let start = Instant::now();
    let answer = try_password(&mut alice, USER, PASSWORD).await;
    let took = start.elapsed();
    assert!(answer.starts_with("+OK Logged in"), "{answer:?}");
    assert!(took < Duration::from_millis(250), "{took:?}");
    alice.write_all(b"QUIT\r\n").await.unwrap();
    assert!(read_line(&mut alice).await.starts_with("+OK"));
    assert!(server.next_done().await.is_ok());
}

/// An attacker with an account of her own (mallory) must not wipe her
/// address's failures by logging in to it between guesses at alice's
/// password: a success clears only failures of the name that succeeded.
/// Before, each mallory login reset the address, so guesses from it paid
/// no address delay at all (measured against `mailctl serve`: 6 guesses/s
/// instead of one per capped delay).
#[tokio::test]
async fn logging_in_to_another_account_does_not_clear_the_address() {
    let (maildrop, _) = alice_with_testdata();
    maildrop.add_user("mallory", "own-password", Vec::new());
    let mut config: GuardConfig = fast_guards();
    config.failures.per_address = delays(400, 5_000, 60_000);
    config.failures.per_user = delays(1, 1, 60_000);
    let mut server = TestServer::start_guarded(
        Mode::Plain,
        maildrop,
        plaintext_options(),
        Guards::new(config),
    )
    .await;
    let attacker = server.guards.client_key("127.0.0.1".parse().unwrap());

    let mut tcp = connect_from("127.0.0.1", server.addr).await;
    let answer = try_password(&mut tcp, USER, "guess-1").await;
    assert!(answer.starts_with("-ERR [AUTH]"), "{answer:?}");
    drop(tcp);
    assert!(server.next_done().await.is_ok());
    assert_eq!(server.guards.failures().address_level(attacker), 1);

    // Mallory's own login, from the same address, succeeds...
    let mut own = connect_from("127.0.0.1", server.addr).await;
    let answer = try_password(&mut own, "mallory", "own-password").await;
    assert!(answer.starts_with("+OK Logged in"), "{answer:?}");
    own.write_all(b"QUIT\r\n").await.unwrap();
    assert!(read_line(&mut own).await.starts_with("+OK"));
    assert!(server.next_done().await.is_ok());

    // ...but the address keeps its failure, and the next guess its delay.
    assert_eq!(server.guards.failures().address_level(attacker), 1);
    let mut tcp = connect_from("127.0.0.1", server.addr).await;
    let start = Instant::now();
    let answer = try_password(&mut tcp, USER, "guess-2").await;
    let took = start.elapsed();
    assert!(answer.starts_with("-ERR [AUTH]"), "{answer:?}");
    assert!(
        took >= Duration::from_millis(100),
        "no address delay: {took:?}"
    );
    drop(tcp);
    assert!(server.next_done().await.is_ok());
}

/// The real user who mistyped her password and then got it right starts
/// afresh: her address's failures were all hers.
#[tokio::test]
async fn the_user_who_mistyped_is_cleared_by_her_own_login() {
    let (maildrop, _) = alice_with_testdata();
    let mut config: GuardConfig = fast_guards();
    config.failures.per_address = delays(100, 5_000, 60_000);
    config.failures.per_user = delays(1, 1, 60_000);
    let mut server = TestServer::start_guarded(
        Mode::Plain,
        maildrop,
        plaintext_options(),
        Guards::new(config),
    )
    .await;
    let alice = server.guards.client_key("127.0.0.1".parse().unwrap());

    let mut tcp = connect_from("127.0.0.1", server.addr).await;
    let answer = try_password(&mut tcp, USER, "typo").await;
    assert!(answer.starts_with("-ERR [AUTH]"), "{answer:?}");
    let answer = try_password(&mut tcp, USER, PASSWORD).await;
    assert!(answer.starts_with("+OK Logged in"), "{answer:?}");
    tcp.write_all(b"QUIT\r\n").await.unwrap();
    assert!(read_line(&mut tcp).await.starts_with("+OK"));
    assert!(server.next_done().await.is_ok());
    assert_eq!(server.guards.failures().address_level(alice), 0);
}
