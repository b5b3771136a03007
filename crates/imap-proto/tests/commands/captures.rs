//! Every real client capture decoded message by message and
//! round-tripped, replaying the server's decisions.

use super::common::captures;
use super::*;

/// Server lines, to replay its decisions.
struct Server<'a> {
    lines: Vec<&'a [u8]>,
    pos: usize,
}

impl<'a> Server<'a> {
    fn new(s2c: &'a [u8]) -> Self {
        Self {
            lines: s2c.split(|&b| b == b'\n').collect(),
            pos: 0,
        }
    }

    /// Reads the server's lines up to the tagged response for `tag`; counts
    /// the continuation requests on the way and returns the tagged line.
    fn until_tagged(&mut self, tag: &[u8]) -> (usize, Option<&'a [u8]>) {
        let mut plus = 0;
        while self.pos < self.lines.len() {
            let l = self.lines[self.pos];
            self.pos += 1;
            if l.starts_with(b"+") {
                plus += 1;
            } else if l.starts_with(tag) && l.get(tag.len()) == Some(&b' ') {
                return (plus, Some(l));
            }
        }
        (plus, None)
    }

    /// Whether the server accepted the literal announced by `tag`: a `+`
    /// comes before the tagged response.
    fn accepts(&self, tag: &[u8]) -> bool {
        for l in &self.lines[self.pos..] {
            if l.starts_with(b"+") {
                return true;
            }
            if l.starts_with(tag) && l.get(tag.len()) == Some(&b' ') {
                return false;
            }
        }
        true
    }

    fn skip_plus(&mut self) {
        while self.pos < self.lines.len() {
            let l = self.lines[self.pos];
            self.pos += 1;
            if l.starts_with(b"+") {
                return;
            }
        }
    }
}

/// Decodes a capture the way a server would, following the server's own
/// answers: literal decisions, AUTHENTICATE data lines (one per `+`) and
/// IDLE's DONE. Returns the commands and the errors (with the server's
/// tagged answer).
fn replay(
    c2s: &[u8],
    s2c: &[u8],
    chunk: usize,
) -> (Vec<Command>, Vec<(CommandError, String)>, usize) {
    let mut d = decoder();
    let mut srv = Server::new(s2c);
    let mut buf = BytesMut::new();
    let mut cmds = Vec::new();
    let mut errors = Vec::new();
    let mut auth_lines_left = 0usize;
    let mut other = 0;
    let mut input = c2s.chunks(chunk.max(1));
    loop {
        let Some(ev) = d.decode(&mut buf) else {
            match input.next() {
                Some(p) => {
                    buf.extend_from_slice(p);
                    continue;
                }
                None => break,
            }
        };
        match ev {
            CommandEvent::Announcement(a) => {
                if srv.accepts(a.tag()) {
                    srv.skip_plus();
                    d.accept_literal().unwrap();
                } else {
                    d.reject_literal().unwrap();
                }
            }
            CommandEvent::Command(c) => {
                match &c.body {
                    CommandBody::Authenticate { .. } => {
                        let (plus, _) = srv.until_tagged(c.tag.as_bytes());
                        auth_lines_left = plus;
                        if plus > 0 {
                            d.expect(Expect::AuthLine);
                        }
                    }
                    CommandBody::Idle => d.expect(Expect::Done),
                    _ => {
                        srv.until_tagged(c.tag.as_bytes());
                    }
                }
                cmds.push(c);
            }
            CommandEvent::AuthLine(_) => {
                other += 1;
                auth_lines_left -= 1;
                if auth_lines_left == 0 {
                    d.expect(Expect::Command);
                }
            }
            CommandEvent::Done => other += 1,
            CommandEvent::Error(e) => {
                let answer = match &e.tag {
                    Some(t) => srv
                        .until_tagged(t.as_bytes())
                        .1
                        .map(|l| String::from_utf8_lossy(l).into_owned())
                        .unwrap_or_default(),
                    None => String::new(),
                };
                errors.push((e, answer));
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(
        buf.is_empty(),
        "left over: {:?}",
        String::from_utf8_lossy(&buf)
    );
    (cmds, errors, other)
}

fn plaintext(name: &str, c2s: &[u8]) -> Vec<u8> {
    if !name.contains("starttls") {
        return c2s.to_vec();
    }
    let pos = c2s
        .windows(11)
        .position(|w| w.eq_ignore_ascii_case(b" STARTTLS\r\n"))
        .unwrap();
    c2s[..pos + 11].to_vec()
}

#[test]
fn every_capture_decodes_message_by_message_and_round_trips() {
    let mut total = 0;
    for (name, c2s, s2c) in captures() {
        let c2s = plaintext(&name, &c2s);
        let (cmds, errors, _) = replay(&c2s, &s2c, c2s.len());
        if name == "imaplib-errors" {
            // The deliberately malformed commands, and only those, fail;
            // the server answered each with BAD.
            let tags: Vec<String> = errors
                .iter()
                .map(|(e, answer)| {
                    assert!(answer.contains(" BAD "), "{name}: {e:?} answered {answer}");
                    e.tag.as_ref().unwrap().to_string()
                })
                .collect();
            assert_eq!(tags, ["MFEH10", "MFEH11", "MFEH12", "MFEH16", "MFEH20"]);
        } else {
            assert!(errors.is_empty(), "{name}: {errors:?}");
        }
        assert!(!cmds.is_empty(), "{name}");
        for c in &cmds {
            assert_round_trip(c);
        }
        // Any chunking decodes the same.
        for chunk in [1, 7, 4096] {
            let (again, errs, _) = replay(&c2s, &s2c, chunk);
            assert_eq!(again, cmds, "{name} in chunks of {chunk}");
            assert_eq!(errs.len(), errors.len());
        }
        total += cmds.len();
    }
    assert!(total > 300, "{total}");
}

#[test]
fn captures_recognise_auth_lines_and_done() {
    for (name, c2s, s2c) in captures() {
        let expected = match name.as_str() {
            "curl-auth-login" => 1,
            "curl-auth-cram-md5" | "imaplib-authenticate-cram-md5" => 1,
            "imaplib-authenticate-plain" => 1,
            "imaplib-idle" => 1,
            _ => continue,
        };
        let (_, _, other) = replay(&c2s, &s2c, c2s.len());
        assert_eq!(other, expected, "{name}");
    }
}
