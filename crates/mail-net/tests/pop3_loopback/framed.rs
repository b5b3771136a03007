//! The `Framed` codecs over loopback and in memory, against the other
//! side's driver or client.

use super::*;

/// `Framed` with the client codec against the server driver, in memory.
#[tokio::test]
async fn framed_client_codec_against_the_server() {
    let (maildrop, messages) = alice_with_testdata();
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    let server = tokio::spawn(async move {
        let options = plaintext_options();
        serve_connection(
            MailStream::Plain(server_io),
            &TlsMode::None,
            &maildrop,
            &Locks::default(),
            &options,
            memory_guard(),
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
        let mut config = SessionConfig::default();
        config.allow_plaintext_logins = true;
        let mut framed = Framed::new(server_io, Pop3ServerCodec::new(config));
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
        let mut options = plaintext_options();
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
            memory_guard(),
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
