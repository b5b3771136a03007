//! Pipelined RETR and DELE (RFC 2449 §6.6): several in flight when the
//! server offers PIPELINING, each answer to its command in order, and one
//! at a time when it does not.

use super::*;

use mail_net::pop3::{DEFAULT_PIPELINE_WINDOW, MAX_PIPELINE_WINDOW, Reply};

/// Drains a pipeline of RETRs: each message's body, or its refusal.
async fn bodies(
    pipeline: &mut mail_net::pop3::Pipeline<'_, TcpStream>,
) -> Vec<(u32, Result<Vec<u8>, String>)> {
    let mut out: Vec<(u32, Result<Vec<u8>, String>)> = Vec::new();
    while let Some(reply) = bounded("a pipelined answer", pipeline.next())
        .await
        .unwrap()
    {
        match reply {
            Reply::BodyStart { msg } => out.push((msg.get(), Ok(Vec::new()))),
            Reply::BodyChunk { msg, data } => {
                let last = out.last_mut().unwrap();
                assert_eq!(last.0, msg.get());
                last.1.as_mut().unwrap().extend_from_slice(&data);
            }
            Reply::BodyEnd { msg, size } => {
                let last = out.last().unwrap();
                assert_eq!(last.0, msg.get());
                assert_eq!(last.1.as_ref().unwrap().len() as u64, size);
            }
            Reply::Refused { msg, status, .. } => {
                out.push((msg.get(), Err(status.text.to_str_lossy().into_owned())));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    out
}

/// Against our server (which offers PIPELINING): every test message byte for
/// byte, in order, through a window smaller than the count; then every one
/// deleted with pipelined DELEs, committed at QUIT.
#[tokio::test]
async fn pipelined_retr_and_dele_carry_every_message() {
    let (maildrop, messages) = alice_with_testdata();
    let mut server = TestServer::start(Mode::Implicit, maildrop, fast_options()).await;
    let mut client = bounded(
        "connect",
        Pop3Client::connect(server.connect_options(Security::Tls)),
    )
    .await
    .unwrap();
    client.login(USER, &secret(PASSWORD)).await.unwrap();
    client.capabilities().await.unwrap();
    let numbers: Vec<MessageNumber> = (1..=messages.len() as u32).map(msg).collect();

    let mut pipeline = client.pipeline(4);
    assert_eq!(pipeline.window(), 4);
    let mut queued = numbers.iter();
    let mut got = Vec::new();
    loop {
        while pipeline.has_room() {
            let Some(&n) = queued.next() else { break };
            pipeline.retrieve(n);
        }
        assert!(pipeline.outstanding() <= 4);
        let Some(reply) = bounded("RETR", pipeline.next()).await.unwrap() else {
            break;
        };
        match reply {
            Reply::BodyStart { msg } => got.push((msg, Vec::new())),
            Reply::BodyChunk { data, .. } => got.last_mut().unwrap().1.extend_from_slice(&data),
            Reply::BodyEnd { msg, size } => {
                assert_eq!(got.last().unwrap().0, msg);
                assert_eq!(got.last().unwrap().1.len() as u64, size);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    drop(pipeline);
    assert_eq!(got.len(), messages.len());
    for (i, (n, body)) in got.iter().enumerate() {
        assert_eq!(*n, numbers[i]);
        assert_bytes_eq(&messages[i].0, body, &wire_form(&messages[i].1));
    }

    bounded(
        "DELE",
        client.delete_many(&numbers, DEFAULT_PIPELINE_WINDOW),
    )
    .await
    .unwrap();
    // The client is in step again: a plain command after the pipeline.
    assert_eq!(client.stat().await.unwrap().count, 0);
    client.quit().await.unwrap();
    let summary = server.next_done().await.unwrap();
    assert_eq!(summary.deleted, messages.len());
    assert_eq!(
        server.maildrop.commits(),
        vec![(USER.to_owned(), (0..messages.len()).collect())]
    );
}

/// What a scripted server saw.
#[derive(Debug, Default)]
struct Seen {
    /// Command lines, in order.
    lines: Vec<String>,
    /// The most commands it held unanswered at once.
    most_in_flight: usize,
}

/// A scripted POP3 server on 127.0.0.1 (plaintext): CAPA lists PIPELINING
/// when `pipelining`; message n is `Subject: n` (message 2 does not exist).
/// With `batch` > 1 it reads that many RETR or DELE lines before answering
/// any of them (a client that does not pipeline would hang, and fail on
/// its timeout); it notes how many commands arrived before it answered.
async fn scripted(pipelining: bool, batch: usize) -> (u16, tokio::task::JoinHandle<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let (read, mut write) = tcp.into_split();
        let mut read = BufReader::new(read);
        let mut seen = Seen::default();
        write.write_all(b"+OK scripted\r\n").await.unwrap();
        let mut held: Vec<String> = Vec::new();
        loop {
            let line = read_line(&mut read).await;
            if line.is_empty() {
                return seen;
            }
            let line = line.trim_end().to_owned();
            seen.lines.push(line.clone());
            let verb = line
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            if matches!(verb.as_str(), "RETR" | "DELE") {
                held.push(line);
                // Commands already here beyond this one (pipelined).
                let more = read.buffer().iter().filter(|&&b| b == b'\n').count();
                seen.most_in_flight = seen.most_in_flight.max(held.len() + more);
                if held.len() < batch {
                    continue;
                }
                for command in std::mem::take(&mut held) {
                    let arg = command.split(' ').nth(1).unwrap_or_default().to_owned();
                    let answer = match (command.starts_with("RETR"), arg.as_str()) {
                        (_, "2") => "-ERR no such message\r\n".to_owned(),
                        (true, n) => {
                            format!("+OK message follows\r\nSubject: {n}\r\n\r\n.body\r\n.\r\n")
                        }
                        (false, _) => "+OK marked\r\n".to_owned(),
                    };
                    write.write_all(answer.as_bytes()).await.unwrap();
                }
                continue;
            }
            let answer = match verb.as_str() {
                "CAPA" if pipelining => "+OK\r\nUSER\r\nUIDL\r\nPIPELINING\r\n.\r\n",
                "CAPA" => "+OK\r\nUSER\r\nUIDL\r\n.\r\n",
                "QUIT" => {
                    write.write_all(b"+OK bye\r\n").await.unwrap();
                    return seen;
                }
                _ => "+OK\r\n",
            };
            write.write_all(answer.as_bytes()).await.unwrap();
        }
    });
    (port, task)
}

fn want_bodies(numbers: &[u32]) -> Vec<(u32, Result<Vec<u8>, String>)> {
    numbers
        .iter()
        .map(|&n| {
            let body = if n == 2 {
                Err("no such message".to_owned())
            } else {
                Ok(format!("Subject: {n}\r\n\r\nbody\r\n").into_bytes())
            };
            (n, body)
        })
        .collect()
}

/// With PIPELINING the RETRs go out together: the server answers none of
/// three before it has all three. A refusal in the middle leaves the others
/// to their own answers. DELEs likewise.
#[tokio::test]
async fn with_pipelining_commands_are_in_flight_together() {
    let (port, server) = scripted(true, 3).await;
    let mut client = bounded(
        "connect",
        Pop3Client::connect(plain_options(port, Duration::from_secs(3))),
    )
    .await
    .unwrap();
    client.login(USER, &secret(PASSWORD)).await.unwrap();
    client.capabilities().await.unwrap();
    // The window asked for is kept within 1..=MAX_PIPELINE_WINDOW.
    assert_eq!(client.pipeline(0).window(), 1);
    assert_eq!(client.pipeline(1_000).window(), MAX_PIPELINE_WINDOW);
    let mut pipeline = client.pipeline(8);
    for n in [1, 2, 3] {
        pipeline.retrieve(msg(n));
    }
    assert_eq!(bodies(&mut pipeline).await, want_bodies(&[1, 2, 3]));
    drop(pipeline);
    let err = bounded("DELE", client.delete_many(&[msg(1), msg(2), msg(3)], 8))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Pop3Error::Refused {
                command: "DELE",
                ..
            }
        ),
        "{err}"
    );
    client.quit().await.unwrap();
    let seen = bounded("the server", server).await.unwrap();
    assert!(seen.most_in_flight >= 3, "{seen:?}");
    assert_eq!(
        seen.lines[seen.lines.len() - 4..],
        ["DELE 1", "DELE 2", "DELE 3", "QUIT"]
    );
}

/// Without PIPELINING (or before any CAPA answer) the window is one
/// command: the same calls work, one command at a time.
#[tokio::test]
async fn without_pipelining_one_command_at_a_time() {
    for ask_capa in [true, false] {
        let (port, server) = scripted(false, 1).await;
        let mut client = bounded(
            "connect",
            Pop3Client::connect(plain_options(port, Duration::from_secs(3))),
        )
        .await
        .unwrap();
        client.login(USER, &secret(PASSWORD)).await.unwrap();
        if ask_capa {
            client.capabilities().await.unwrap();
        }
        let mut pipeline = client.pipeline(DEFAULT_PIPELINE_WINDOW);
        assert_eq!(pipeline.window(), 1);
        for n in [1, 2, 3, 4] {
            pipeline.retrieve(msg(n));
        }
        assert_eq!(bodies(&mut pipeline).await, want_bodies(&[1, 2, 3, 4]));
        drop(pipeline);
        bounded("DELE", client.delete_many(&[msg(3), msg(4)], 8))
            .await
            .unwrap();
        client.quit().await.unwrap();
        let seen = bounded("the server", server).await.unwrap();
        assert_eq!(seen.most_in_flight, 1, "{seen:?}");
    }
}
