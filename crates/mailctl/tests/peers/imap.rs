//! The imap-proto codec against a real IMAP server (Dovecot): a scripted
//! session over plaintext IMAP on 127.0.0.1 whose every command is our
//! encoder's output (the script is parsed by our command decoder, then
//! encoded, waiting for `+` before synchronizing literals), and whose every
//! server octet goes through our response decoder.
//!
//! Checked: every response decodes with no quirk (Dovecot follows the
//! grammar) and round-trips; the commands succeed; the messages come back
//! byte for byte (BODY[], and an APPEND read back); names outside ASCII
//! survive modified UTF-7. The transcript is kept for `mailctl inspect imap`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use imap_proto::codec::LiteralMode;
use imap_proto::command::{Command, EncodeOptions, Fragment, encode, encode_done};
use imap_proto::parse::Strictness;
use imap_proto::response::{
    BodyStructure, Capability, Condition, Data, FetchItem, Response, StreamedItem,
};
use imap_proto::types::{MailboxEncoding, MailboxName};
use imap_proto::{Limits, ResponseDecoder, ResponseEvent};

use super::imap_clients::imap_form;
use super::messages::Message;

/// How long any one response may take.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(10);

/// A FETCH item, or the data of a streamed one (kept whole here: test
/// messages are small).
#[derive(Debug)]
pub(crate) enum Item {
    Item(FetchItem),
    Streamed(StreamedItem, Vec<u8>),
}

/// What a command got back.
#[derive(Debug, Default)]
pub(crate) struct Answer {
    pub(crate) untagged: Vec<Data>,
    pub(crate) fetches: Vec<(u32, Vec<Item>)>,
    pub(crate) continuations: usize,
}

impl Answer {
    /// The FETCH items of message `seq`.
    fn items(&self, seq: u32) -> impl Iterator<Item = &Item> {
        self.fetches
            .iter()
            .filter(move |(s, _)| *s == seq)
            .flat_map(|(_, items)| items)
    }
}

/// One IMAP connection driven through the codec, with both directions
/// recorded.
pub(crate) struct Session {
    stream: TcpStream,
    decoder: ResponseDecoder,
    buf: BytesMut,
    /// Octets we sent.
    pub(crate) client_log: Vec<u8>,
    /// Octets the server sent.
    pub(crate) server_log: Vec<u8>,
    next_tag: u32,
    options: EncodeOptions,
    /// A FETCH response in progress (streamed literal pieces).
    partial: Option<(u32, Vec<Item>)>,
    streaming: Option<(StreamedItem, Vec<u8>)>,
}

impl Session {
    /// Connects and reads the greeting.
    pub(crate) fn connect(port: u16) -> (Self, Response) {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to Dovecot's IMAP");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("set a read timeout");
        let mut config = imap_proto::codec::FramerConfig::new(imap_proto::codec::Side::Client);
        // Small enough that message bodies stream: both paths get used.
        config.limits.literal_stream_threshold = 2048;
        let mut session = Self {
            stream,
            decoder: ResponseDecoder::with_config(config, Strictness::Lenient),
            buf: BytesMut::new(),
            client_log: Vec::new(),
            server_log: Vec::new(),
            next_tag: 1,
            options: EncodeOptions::default(),
            partial: None,
            streaming: None,
        };
        let greeting = session.next_response();
        (session, greeting)
    }

    /// LITERAL+ and friends, as the server advertised them.
    pub(crate) fn set_options(&mut self, options: EncodeOptions) {
        self.options = options;
    }

    /// The next complete response (FETCH responses with streamed literals
    /// are put together as `Data::Fetch` with the data in `streamed`).
    fn next_event(&mut self) -> ResponseEvent {
        let deadline = Instant::now() + RESPONSE_TIMEOUT;
        loop {
            if let Some(event) = self.decoder.decode(&mut self.buf) {
                return event;
            }
            assert!(
                Instant::now() < deadline,
                "no response from Dovecot in time"
            );
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("Dovecot closed the connection"),
                Ok(n) => {
                    self.server_log.extend_from_slice(&chunk[..n]);
                    self.buf.extend_from_slice(&chunk[..n]);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("reading from Dovecot: {e}"),
            }
        }
    }

    /// Reads events until one whole response is there.
    fn next_response(&mut self) -> Response {
        loop {
            match self.next_event() {
                ResponseEvent::Response { response, quirks } => {
                    assert!(
                        quirks.is_empty(),
                        "Dovecot's response needed quirks {quirks:?}: {response:?}"
                    );
                    check_round_trip(&response);
                    return response;
                }
                ResponseEvent::Error(e) => panic!(
                    "a Dovecot response does not decode: {e}\n--- server so far ---\n{}",
                    String::from_utf8_lossy(&self.server_log)
                ),
                ResponseEvent::FetchStart {
                    seq,
                    items,
                    literal,
                    quirks,
                } => {
                    assert!(quirks.is_empty(), "quirks {quirks:?}");
                    self.partial = Some((seq, items.into_iter().map(Item::Item).collect()));
                    self.streaming = Some((literal.item, Vec::new()));
                }
                ResponseEvent::LiteralChunk(chunk) => {
                    let (_, data) = self.streaming.as_mut().expect("a streamed literal");
                    data.extend_from_slice(&chunk);
                }
                ResponseEvent::LiteralEnd => {
                    let (item, data) = self.streaming.take().expect("a streamed literal");
                    let (_, items) = self.partial.as_mut().expect("a FETCH in progress");
                    items.push(Item::Streamed(item, data));
                }
                ResponseEvent::FetchRest {
                    items,
                    literal,
                    quirks,
                } => {
                    assert!(quirks.is_empty(), "quirks {quirks:?}");
                    let (_, done) = self.partial.as_mut().expect("a FETCH in progress");
                    done.extend(items.into_iter().map(Item::Item));
                    match literal {
                        Some(l) => self.streaming = Some((l.item, Vec::new())),
                        None => {
                            let (seq, items) = self.partial.take().expect("a FETCH");
                            // Handed out as an untagged FETCH with no items:
                            // `run` collects the streamed ones separately.
                            self.partial = Some((seq, items));
                            return Response::Untagged(Data::Fetch {
                                seq,
                                items: Vec::new(),
                            });
                        }
                    }
                }
                other => panic!("unexpected event {other:?}"),
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.client_log.extend_from_slice(bytes);
        self.stream.write_all(bytes).expect("write to Dovecot");
    }

    /// Sends `script` (one command without its tag, as text: parsed by our
    /// command decoder, then encoded) and reads up to its completion, which
    /// must be `expect`.
    pub(crate) fn run(&mut self, script: &str, expect: Condition) -> Answer {
        let tag = format!("M{:03}", self.next_tag);
        self.next_tag += 1;
        let text = Bytes::from(format!("{tag} {script}\r\n"));
        let command = Command::parse_bytes(&text, 0, &Limits::default(), Strictness::Strict)
            .unwrap_or_else(|e| panic!("our decoder refuses {script:?}: {e:?}"));
        self.run_command(&command, &tag, expect)
    }

    /// Sends `command` and reads up to its completion.
    pub(crate) fn run_command(
        &mut self,
        command: &Command,
        tag: &str,
        expect: Condition,
    ) -> Answer {
        let mut answer = Answer::default();
        for fragment in encode(command, self.options) {
            match fragment {
                Fragment::Line(line) => self.send(&line),
                Fragment::Literal { data, mode } => {
                    if mode == LiteralMode::Sync {
                        // Wait for the go-ahead; anything else first is
                        // untagged data or a refusal.
                        loop {
                            match self.next_response() {
                                Response::Continue(_) => break,
                                Response::Untagged(d) => answer.untagged.push(d),
                                other => panic!("literal refused: {other:?}"),
                            }
                        }
                        answer.continuations += 1;
                    }
                    self.send(&data);
                }
            }
        }
        if matches!(command.body, imap_proto::command::CommandBody::Idle) {
            match self.next_response() {
                Response::Continue(_) => answer.continuations += 1,
                other => panic!("IDLE not accepted: {other:?}"),
            }
            self.send(&encode_done());
        }
        loop {
            match self.next_response() {
                Response::Tagged(t) => {
                    assert_eq!(t.tag.as_str(), tag, "tag of the completion");
                    assert_eq!(
                        t.condition,
                        expect,
                        "{tag}: {:?}\n--- server ---\n{}",
                        t.text,
                        String::from_utf8_lossy(&self.server_log)
                    );
                    return answer;
                }
                Response::Untagged(Data::Fetch { seq, items }) => {
                    let mut all: Vec<Item> = items.into_iter().map(Item::Item).collect();
                    if let Some((s, streamed)) = self.partial.take() {
                        assert_eq!(s, seq);
                        all.extend(streamed);
                    }
                    answer.fetches.push((seq, all));
                }
                Response::Untagged(d) => answer.untagged.push(d),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}

/// Encodes `response` and parses it again: equal.
fn check_round_trip(response: &Response) {
    let wire = Bytes::from(response.to_bytes());
    let (again, _) = Response::parse_bytes(&wire, 0, &Limits::default(), Strictness::Strict)
        .unwrap_or_else(|e| panic!("{response:?} re-encoded as {wire:?} does not parse: {e}"));
    assert_eq!(&again, response, "round trip through {wire:?}");
}

/// The message data of a FETCH answer for message `seq` (BODY[] or
/// RFC822, streamed or not).
fn body_of(answer: &Answer, seq: u32) -> Vec<u8> {
    answer
        .items(seq)
        .find_map(|item| match item {
            Item::Item(FetchItem::BodySection { data, .. }) => {
                Some(data.as_bytes().unwrap_or_default().to_vec())
            }
            Item::Streamed(StreamedItem::BodySection { .. }, data) => Some(data.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no BODY[] for message {seq}: {answer:?}"))
}

/// The whole scripted session; returns it for the transcript.
pub(crate) fn codec_session(port: u16, messages: &[Message]) -> Session {
    let (mut s, greeting) = Session::connect(port);
    assert!(
        matches!(&greeting, Response::Untagged(Data::Ok(_))),
        "greeting {greeting:?}"
    );

    let caps = s.run("CAPABILITY", Condition::Ok);
    let caps = caps
        .untagged
        .iter()
        .find_map(|d| match d {
            Data::Capability(c) => Some(c.clone()),
            _ => None,
        })
        .expect("CAPABILITY data");
    s.set_options(EncodeOptions {
        literal_plus: caps.contains(&Capability::LiteralPlus),
        ..Default::default()
    });

    s.run("LOGIN alice dovecot-peer-secret", Condition::Ok);
    s.run("ENABLE CONDSTORE", Condition::Ok);
    s.run("NAMESPACE", Condition::Ok);
    s.run(
        "ID (\"name\" \"mailwire\" \"version\" \"0.1\")",
        Condition::Ok,
    );

    // A name outside ASCII goes out as modified UTF-7 and comes back.
    let drafts = MailboxName::new("Entwürfe").expect("a mailbox name");
    let wire = String::from_utf8(drafts.to_wire(MailboxEncoding::ModifiedUtf7)).expect("ASCII");
    assert_eq!(wire, "Entw&APw-rfe");
    s.run(&format!("CREATE \"{wire}\""), Condition::Ok);
    s.run("CREATE Archive", Condition::Ok);
    s.run("CREATE \"Archive/2023\"", Condition::Ok);
    let list = s.run("LIST \"\" \"*\"", Condition::Ok);
    let names: Vec<MailboxName> = list
        .untagged
        .iter()
        .filter_map(|d| match d {
            Data::List(item) => match &item.mailbox {
                imap_proto::response::Mailbox::Name(name) => Some(name.clone()),
                raw => panic!("a name that is not canonical modified UTF-7: {raw:?}"),
            },
            _ => None,
        })
        .collect();
    assert!(names.contains(&drafts), "LIST shows {names:?}");
    assert!(
        names.contains(&MailboxName::inbox()),
        "LIST shows {names:?}"
    );
    s.run(
        "LIST (SUBSCRIBED) \"\" \"*\" RETURN (CHILDREN STATUS (MESSAGES UIDNEXT))",
        Condition::Ok,
    );
    s.run(
        "STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ)",
        Condition::Ok,
    );

    let select = s.run("SELECT INBOX (CONDSTORE)", Condition::Ok);
    let exists = select
        .untagged
        .iter()
        .find_map(|d| match d {
            Data::Exists(n) => Some(*n),
            _ => None,
        })
        .expect("EXISTS");
    assert_eq!(exists as usize, messages.len());

    // Metadata of every message, then every message whole.
    let meta = s.run(
        "FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE MODSEQ)",
        Condition::Ok,
    );
    let bodies = s.run("FETCH 1:* BODY.PEEK[]", Condition::Ok);
    for (i, message) in messages.iter().enumerate() {
        let seq = i as u32 + 1;
        let expected = imap_form(&message.file);
        let got = body_of(&bodies, seq);
        assert!(
            got == expected,
            "{}: BODY[] differs from the message{}",
            message.name,
            super::messages::difference(&got, &expected).unwrap_or_default()
        );
        let multipart = String::from_utf8_lossy(&message.file)
            .lines()
            .take_while(|l| !l.is_empty())
            .any(|l| {
                let l = l.to_ascii_lowercase();
                l.starts_with("content-type:") && l.contains("multipart/")
            });
        let structure = meta
            .items(seq)
            .find_map(|i| match i {
                Item::Item(FetchItem::BodyStructure(b)) => Some(b),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{}: no BODYSTRUCTURE", message.name));
        // A header with a multipart type on a folded line is still found:
        // only check the messages whose type is on one line.
        if multipart {
            assert!(
                matches!(**structure, BodyStructure::Multi { .. }),
                "{}: multipart message, structure {structure:?}",
                message.name
            );
        }
        let size = meta
            .items(seq)
            .find_map(|i| match i {
                Item::Item(FetchItem::Rfc822Size(n)) => Some(*n),
                _ => None,
            })
            .expect("RFC822.SIZE");
        assert_eq!(
            size,
            got.len() as u64,
            "{}: RFC822.SIZE and BODY[] disagree",
            message.name
        );
    }

    // Parts, partial fetches, BINARY.
    s.run(
        "FETCH 1:3 (BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)] BODY.PEEK[TEXT]<0.100> BODY.PEEK[1.MIME] BINARY.SIZE[1])",
        Condition::Ok,
    );
    s.run("FETCH 2 (BINARY.PEEK[1] BODY.PEEK[1])", Condition::Ok);
    // The message with a NUL: BINARY[] carries it in a literal8.
    if let Some(i) = messages.iter().position(|m| m.file.contains(&0)) {
        let seq = i + 1;
        let binary = s.run(&format!("FETCH {seq} BINARY.PEEK[1]"), Condition::Ok);
        let data = binary
            .items(seq as u32)
            .find_map(|item| match item {
                Item::Item(FetchItem::Binary { data, .. }) => data.clone().map(|d| d.to_vec()),
                Item::Streamed(StreamedItem::Binary { .. }, data) => Some(data.clone()),
                _ => None,
            })
            .expect("BINARY[1] data");
        assert!(data.contains(&0), "NUL arrives in BINARY[1]");
        assert!(
            s.server_log.windows(2).any(|w| w == b"~{"),
            "sent as literal8"
        );
    }

    // Flags, searches, sorting, threads.
    s.run("STORE 1:3 +FLAGS (\\Flagged $Forwarded)", Condition::Ok);
    s.run("UID STORE 1:* +FLAGS.SILENT (\\Seen)", Condition::Ok);
    let search = s.run("SEARCH ALL", Condition::Ok);
    assert!(
        search
            .untagged
            .iter()
            .any(|d| matches!(d, Data::Search { .. })),
        "SEARCH data: {search:?}"
    );
    s.run(
        "UID SEARCH RETURN (MIN MAX COUNT ALL) FLAGGED",
        Condition::Ok,
    );
    s.run(
        "SEARCH CHARSET UTF-8 OR SUBJECT \"a\" FROM \"b\" SINCE 1-Jan-2000",
        Condition::Ok,
    );
    s.run("SORT (REVERSE ARRIVAL SUBJECT) UTF-8 ALL", Condition::Ok);
    s.run("THREAD REFERENCES UTF-8 ALL", Condition::Ok);

    // APPEND (a synchronizing literal unless LITERAL+), read back by UID.
    let appended = &messages[0];
    let data = imap_form(&appended.file);
    let text = Bytes::from(
        [
            format!(
                "M{:03} APPEND \"{wire}\" (\\Draft $Mailwire) \"26-Nov-2026 10:00:00 +0100\" {{{}}}\r\n",
                s.next_tag,
                data.len()
            )
            .into_bytes(),
            data.clone(),
            b"\r\n".to_vec(),
        ]
        .concat(),
    );
    let tag = format!("M{:03}", s.next_tag);
    s.next_tag += 1;
    let append = Command::parse_bytes(&text, 0, &Limits::default(), Strictness::Strict)
        .expect("our decoder reads the APPEND");
    s.run_command(&append, &tag, Condition::Ok);
    s.run(&format!("SELECT \"{wire}\""), Condition::Ok);
    let back = s.run("FETCH 1 (FLAGS BODY.PEEK[])", Condition::Ok);
    assert_eq!(body_of(&back, 1), data, "the appended message reads back");

    // Copies and moves report UIDPLUS codes.
    s.run("SELECT INBOX", Condition::Ok);
    s.run("COPY 1:2 Archive", Condition::Ok);
    s.run("MOVE 3 \"Archive/2023\"", Condition::Ok);
    s.run("STORE 4 +FLAGS (\\Deleted)", Condition::Ok);
    s.run("UID EXPUNGE 1:*", Condition::Ok);
    s.run("IDLE", Condition::Ok);
    s.run("NOOP", Condition::Ok);
    s.run("FETCH 999 FLAGS", Condition::Bad);
    s.run("SELECT Nonexistent", Condition::No);
    s.run("LOGOUT", Condition::Ok);
    let copyuid = s.server_log.windows(7).filter(|w| w == b"COPYUID").count();
    assert!(copyuid >= 2, "COPYUID codes in the transcript");
    s
}
