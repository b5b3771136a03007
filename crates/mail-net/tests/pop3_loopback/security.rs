//! Security over loopback: certificate checks, STLS injection in both
//! directions, STLS that the server does not offer, plaintext logins
//! refused before STLS, and answers sent before anything was asked.

use super::*;

/// Certificate checks: an untrusted certificate fails the handshake; the
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

/// One step of a [`scripted_server`]: the line it waits for from the client
/// (`None`: none), then the octets it sends.
type Step = (Option<&'static str>, &'static [u8]);

/// A fake server on 127.0.0.1 that plays `script` to its one client, then
/// returns everything the client sent after the script, until it closed.
async fn scripted_server(script: &'static [Step]) -> (u16, tokio::task::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let fake = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut tcp = BufReader::new(tcp);
        for (expect, send) in script {
            if let Some(expect) = expect {
                assert_eq!(read_line(&mut tcp).await, *expect);
            }
            tcp.get_mut().write_all(send).await.unwrap();
        }
        let mut rest = Vec::new();
        bounded("the client to close", tcp.read_to_end(&mut rest))
            .await
            .unwrap();
        rest
    });
    (port, fake)
}

/// A server that injects a response behind its `+OK` to STLS fails the
/// client before the handshake starts.
#[tokio::test]
async fn stls_response_injection_is_detected_by_the_client() {
    // The client must close without starting a handshake.
    let (port, fake) = scripted_server(&[
        (None, b"+OK fake POP3\r\n"),
        (
            Some("CAPA\r\n"),
            b"+OK Capability list follows\r\nUSER\r\nSTLS\r\nPIPELINING\r\n.\r\n",
        ),
        (Some("STLS\r\n"), b"+OK Begin TLS\r\n+OK injected\r\n"),
    ])
    .await;

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

/// A client that pipelines a command behind STLS gets the `+OK` and then
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

/// Reads the CAPA answer from a raw connection: the capability lines.
async fn raw_capa<R: tokio::io::AsyncBufRead + tokio::io::AsyncWrite + Unpin>(
    conn: &mut R,
) -> Vec<String> {
    conn.write_all(b"CAPA\r\n").await.unwrap();
    let status = read_line(conn).await;
    assert!(status.starts_with("+OK"), "{status:?}");
    let mut caps = Vec::new();
    loop {
        let line = read_line(conn).await;
        let line = line.trim_end().to_owned();
        if line == "." {
            return caps;
        }
        caps.push(line);
    }
}

/// On the STLS port, by default: no APOP timestamp, CAPA without USER and
/// SASL, and USER / PASS / APOP / AUTH refused with `-ERR [AUTH]` before
/// any credentials reach the maildrop; after STLS the logins are offered
/// and work.
#[tokio::test]
async fn plaintext_logins_are_refused_before_stls() {
    let (maildrop, _) = alice_with_testdata();
    let mut options = fast_options();
    options.session.apop_timestamp = Some("<4242.1700000000@mailwire.test>".into());
    let mut server = TestServer::start(Mode::StartTls, maildrop, options).await;

    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let mut tcp = BufReader::new(tcp);
    let greeting = read_line(&mut tcp).await;
    assert!(greeting.starts_with("+OK"), "{greeting:?}");
    assert!(
        !greeting.contains('<'),
        "APOP offered in plaintext: {greeting:?}"
    );
    let caps = raw_capa(&mut tcp).await;
    assert!(caps.iter().any(|c| c == "STLS"), "{caps:?}");
    assert!(
        !caps.iter().any(|c| c == "USER" || c.starts_with("SASL")),
        "{caps:?}"
    );
    for command in [
        format!("USER {USER}"),
        format!("PASS {PASSWORD}"),
        format!("APOP {USER} c4c9334bac560ecc979e58001b3e22fb"),
        "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=".to_owned(),
    ] {
        tcp.write_all(format!("{command}\r\n").as_bytes())
            .await
            .unwrap();
        let answer = read_line(&mut tcp).await;
        assert!(
            answer.starts_with("-ERR [AUTH] ") && answer.contains("STLS"),
            "{command}: {answer:?}"
        );
    }
    tcp.write_all(b"QUIT\r\n").await.unwrap();
    assert!(read_line(&mut tcp).await.starts_with("+OK"));
    let done = server.next_done().await.unwrap();
    assert_eq!(done.user, None);
    assert_eq!(
        server
            .maildrop
            .opened
            .load(std::sync::atomic::Ordering::SeqCst),
        0
    );

    // After STLS, CAPA lists the logins and USER/PASS works.
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::StartTls)),
    )
    .await
    .unwrap();
    let caps = client.session().capabilities().expect("CAPA over TLS");
    assert!(caps.contains(&Capability::User), "{caps:?}");
    assert!(
        caps.iter().any(|c| matches!(c, Capability::Sasl(_))),
        "{caps:?}"
    );
    client.login(USER, &secret(PASSWORD)).await.unwrap();
    client.quit().await.unwrap();
    assert_eq!(
        server.next_done().await.unwrap().user.as_deref(),
        Some(USER)
    );
}

/// `allow_plaintext_logins` brings back USER/PASS, SASL and APOP before
/// STLS.
#[tokio::test]
async fn plaintext_logins_when_allowed() {
    let (maildrop, _) = alice_with_testdata();
    let mut options = plaintext_options();
    options.session.apop_timestamp = Some("<4242.1700000000@mailwire.test>".into());
    let mut server = TestServer::start(Mode::StartTls, maildrop, options).await;
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let mut tcp = BufReader::new(tcp);
    let greeting = read_line(&mut tcp).await;
    assert!(
        greeting.contains("<4242.1700000000.") && greeting.contains("@mailwire.test>"),
        "{greeting:?}"
    );
    let caps = raw_capa(&mut tcp).await;
    for want in ["USER", "STLS"] {
        assert!(caps.iter().any(|c| c == want), "{caps:?}");
    }
    assert!(caps.iter().any(|c| c.starts_with("SASL")), "{caps:?}");
    tcp.write_all(format!("USER {USER}\r\nPASS {PASSWORD}\r\nQUIT\r\n").as_bytes())
        .await
        .unwrap();
    assert!(read_line(&mut tcp).await.starts_with("+OK"));
    let login = read_line(&mut tcp).await;
    assert!(login.starts_with("+OK Logged in"), "{login:?}");
    assert!(read_line(&mut tcp).await.starts_with("+OK"));
    assert_eq!(
        server.next_done().await.unwrap().user.as_deref(),
        Some(USER)
    );
}

/// Each greeting carries its own APOP timestamp (RFC 1939 §7), so a digest
/// seen on one connection is refused on the next.
#[tokio::test]
async fn an_apop_digest_cannot_be_replayed() {
    let (maildrop, _) = alice_with_testdata();
    let mut options = plaintext_options();
    options.session.apop_timestamp = Some("<4242.1700000000@mailwire.test>".into());
    let mut server = TestServer::start(Mode::Plain, maildrop, options).await;
    let timestamp = |greeting: &str| {
        let start = greeting.find('<').expect("a timestamp");
        let end = greeting.find('>').expect("a timestamp");
        greeting[start..=end].to_owned()
    };

    let mut first = BufReader::new(TcpStream::connect(server.addr).await.unwrap());
    let ts = timestamp(&read_line(&mut first).await);
    let digest = pop3_proto::apop::digest(ts.as_bytes(), PASSWORD.as_bytes()).to_hex();
    first
        .write_all(format!("APOP {USER} {digest}\r\nQUIT\r\n").as_bytes())
        .await
        .unwrap();
    let login = read_line(&mut first).await;
    assert!(login.starts_with("+OK Logged in"), "{login:?}");
    assert!(read_line(&mut first).await.starts_with("+OK"));
    assert!(server.next_done().await.is_ok());

    let mut replay = BufReader::new(TcpStream::connect(server.addr).await.unwrap());
    let next = timestamp(&read_line(&mut replay).await);
    assert_ne!(ts, next, "the same timestamp in two greetings");
    replay
        .write_all(format!("APOP {USER} {digest}\r\n").as_bytes())
        .await
        .unwrap();
    let answer = read_line(&mut replay).await;
    assert!(answer.starts_with("-ERR [AUTH]"), "replayed: {answer:?}");
}

/// A greeting followed by a forged `+OK`: the client must not take it for
/// the answer to USER (and send the password before USER was answered).
#[tokio::test]
async fn an_answer_sent_with_the_greeting_is_refused() {
    const FORGED: &[u8] = b"+OK hi\r\n+OK\r\n";
    let (port, fake) = scripted_server(&[(None, FORGED)]).await;
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    // Both lines are in the socket before the client reads: what a fast
    // attacker gets, made certain.
    let mut peek = [0u8; 64];
    bounded("the fake greeting", async {
        while tcp.peek(&mut peek).await.unwrap() < FORGED.len() {
            tokio::task::yield_now().await;
        }
    })
    .await;
    let mut client = bounded(
        "greeting",
        Pop3Client::from_stream(MailStream::Plain(tcp), &plain_options(port, STEP)),
    )
    .await
    .unwrap();
    let err = bounded("login", client.login(USER, &secret(PASSWORD)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Pop3Error::Protocol(pop3_proto::Error::Unsolicited { line }) if line == "+OK"
        ),
        "{err:?}"
    );
    drop(client);
    let got = bounded("the fake server", fake).await.unwrap();
    assert!(
        got.is_empty(),
        "the client sent {:?} after the forged answer",
        String::from_utf8_lossy(&got)
    );
}

/// A `+OK` right behind the first SASL challenge would log the client in
/// before it sent its credentials.
#[tokio::test]
async fn a_sasl_success_sent_with_the_challenge_is_refused() {
    let (port, fake) = scripted_server(&[
        (None, b"+OK fake POP3\r\n"),
        (
            Some("AUTH LOGIN\r\n"),
            b"+ VXNlcm5hbWU6\r\n+OK logged in\r\n",
        ),
    ])
    .await;
    let mut client = bounded("connect", Pop3Client::connect(plain_options(port, STEP)))
        .await
        .unwrap();
    let err = bounded(
        "AUTH",
        client.authenticate(Box::new(pop3_proto::sasl::Login::new(
            USER,
            secret(PASSWORD),
        ))),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            &err,
            Pop3Error::Protocol(pop3_proto::Error::Unsolicited { .. })
        ),
        "{err:?}"
    );
    drop(client);
    let rest = bounded("the fake server", fake).await.unwrap();
    assert!(
        rest.is_empty(),
        "the client went on with {:?}",
        String::from_utf8_lossy(&rest)
    );
}
