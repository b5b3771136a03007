//! Whole POP3 sessions over loopback: implicit TLS with every test message
//! byte for byte, and the STLS upgrade with each way of logging in.

use super::*;

/// POP3S: a whole session over implicit TLS, every test message byte for byte.
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

/// STLS: the upgrade, capabilities asked again without STLS, and logins
/// with USER/PASS and SASL PLAIN over the upgraded connection; APOP on the
/// implicit-TLS port only (the STLS port's plaintext greeting carries no
/// timestamp).
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

    // No APOP timestamp in the plaintext greeting: nobody is invited to send
    // a digest in the clear.
    let client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::StartTls)),
    )
    .await
    .unwrap();
    assert_eq!(client.session().greeting().unwrap().apop_timestamp(), None);
    client.quit().await.unwrap();
    assert!(server.next_done().await.is_ok());

    // APOP with the greeting's timestamp, over implicit TLS.
    let (maildrop, _) = alice_with_testdata();
    let mut options = fast_options();
    options.session.apop_timestamp = Some("<4242.1700000000@mailwire.test>".into());
    let mut server = TestServer::start(Mode::Implicit, maildrop, options).await;
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::Tls)),
    )
    .await
    .unwrap();
    let ts = client
        .session()
        .greeting()
        .unwrap()
        .apop_timestamp()
        .unwrap();
    let ts = String::from_utf8(ts.to_vec()).unwrap();
    assert!(
        ts.starts_with("<4242.1700000000.") && ts.ends_with("@mailwire.test>"),
        "{ts}"
    );
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
