//! Fuzzes typed IMAP values through the encoders and back: values built
//! from arbitrary octets with the public constructors (strings, atoms,
//! tags, flags, sequence sets, mailbox names), placed in commands and
//! responses that carry them, encoded with every combination of the peer's
//! capabilities (LITERAL+, LITERAL-, UTF-8), then decoded again.
//!
//! Checks: a constructor either refuses a value or the value survives the
//! trip unchanged (`decode(encode(x)) == x`); mailbox names survive the
//! modified UTF-7 and UTF-8 wire forms; nothing panics.

#![no_main]

use bytes::Bytes;
use imap_proto::Limits;
use imap_proto::command::{
    Command, CommandBody, EncodeOptions, Sequence, StoreAction, StoreFlags, StoreTarget, encode,
    mailbox_arg, mailbox_name, to_bytes,
};
use imap_proto::parse::Strictness;
use imap_proto::response::{self, Data, Response, StatusText, Tagged};
use imap_proto::types::{
    AString, Atom, Flag, IString, MailboxEncoding, MailboxName, NString, Secret, SequenceSet, Tag,
};
use libfuzzer_sys::fuzz_target;

/// Splits the input into length-prefixed pieces.
struct Pieces<'a>(&'a [u8]);

impl<'a> Pieces<'a> {
    fn next(&mut self) -> &'a [u8] {
        let Some((&n, rest)) = self.0.split_first() else {
            return &[];
        };
        let n = usize::from(n).min(rest.len());
        let (piece, rest) = rest.split_at(n);
        self.0 = rest;
        piece
    }
}

fn command_round_trip(cmd: &Command, options: EncodeOptions) {
    let wire = Bytes::from(to_bytes(&encode(cmd, options)));
    match Command::parse_bytes(&wire, 0, &Limits::default(), Strictness::Lenient) {
        Ok(again) => assert_eq!(&again, cmd, "command round trip through {wire:?}"),
        Err(e) => panic!("{cmd:?} encoded as {wire:?} does not parse: {e:?}"),
    }
}

fn response_round_trip(resp: &Response, options: response::EncodeOptions) {
    let mut wire = Vec::new();
    resp.encode_with(options, &mut wire);
    let wire = Bytes::from(wire);
    let parsed = Response::parse_bytes_utf8(
        &wire,
        0,
        &Limits::default(),
        Strictness::Lenient,
        options.utf8_accept,
    );
    match parsed {
        Ok((again, _)) => assert_eq!(&again, resp, "response round trip through {wire:?}"),
        Err(e) => panic!("{resp:?} encoded as {wire:?} does not parse: {e}"),
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&caps, rest)) = input.split_first() else {
        return;
    };
    let mut p = Pieces(rest);
    let command_options = EncodeOptions {
        literal_plus: caps & 1 != 0,
        literal_minus: caps & 2 != 0,
        utf8_accept: caps & 4 != 0,
    };
    let response_options = if caps & 4 != 0 {
        response::EncodeOptions::utf8()
    } else {
        response::EncodeOptions::default()
    };
    let encoding = if caps & 4 != 0 {
        MailboxEncoding::Utf8
    } else {
        MailboxEncoding::ModifiedUtf7
    };
    let tag =
        Tag::new(Bytes::copy_from_slice(p.next())).unwrap_or_else(|_| Tag::try_from("A1").unwrap());

    // Strings: any octets but NUL, in any form the encoder picks.
    if let (Ok(user), Ok(pass)) = (
        AString::new(Bytes::copy_from_slice(p.next())),
        AString::new(Bytes::copy_from_slice(p.next())),
    ) {
        let login = Command {
            tag: tag.clone(),
            body: CommandBody::Login {
                username: user,
                password: Secret::new(pass),
            },
        };
        command_round_trip(&login, command_options);
    }

    // Mailbox names: Unicode text through modified UTF-7 or UTF-8.
    let text = String::from_utf8_lossy(p.next()).into_owned();
    if let Ok(name) = MailboxName::new(text) {
        let arg = mailbox_arg(&name, encoding);
        assert_eq!(mailbox_name(&arg, encoding).as_ref(), Ok(&name), "{arg:?}");
        let select = Command {
            tag: tag.clone(),
            body: CommandBody::Select {
                mailbox: arg,
                params: Vec::new(),
            },
        };
        command_round_trip(&select, command_options);
    }

    // Flags and sequence sets in a STORE, and the same flags in responses.
    let flags: Vec<Flag> = p
        .next()
        .split(|&b| b == b' ')
        .filter_map(|w| Flag::parse(w).ok())
        .filter(|f| *f != Flag::Wildcard)
        .collect();
    if let Ok(set) = SequenceSet::parse(p.next(), 64) {
        let store = Command {
            tag: tag.clone(),
            body: CommandBody::Store {
                uid: caps & 8 != 0,
                set: Sequence::Set(set),
                unchanged_since: None,
                flags: StoreFlags {
                    action: StoreAction::Add,
                    silent: caps & 16 != 0,
                    target: StoreTarget::Flags(flags.clone()),
                },
            },
        };
        command_round_trip(&store, command_options);
    }
    response_round_trip(&Response::Untagged(Data::Flags(flags)), response_options);

    // Atoms and text in a tagged status.
    if let Ok(atom) = Atom::new(Bytes::copy_from_slice(p.next())) {
        let enable = Command {
            tag: tag.clone(),
            body: CommandBody::Enable(vec![atom]),
        };
        command_round_trip(&enable, command_options);
    }
    if let Ok(text) = response::Text::new(Bytes::copy_from_slice(p.next())) {
        let done = Response::Tagged(Tagged {
            tag,
            condition: response::Condition::No,
            text: StatusText::new(text),
        });
        response_round_trip(&done, response_options);
    }

    // An nstring where the grammar has one: an ENVELOPE subject.
    if let Ok(subject) = IString::new(Bytes::copy_from_slice(p.next())) {
        let envelope = response::Envelope {
            subject: NString(Some(subject)),
            ..Default::default()
        };
        let fetch = Response::Untagged(Data::Fetch {
            seq: 1,
            items: vec![response::FetchItem::Envelope(Box::new(envelope))],
        });
        response_round_trip(&fetch, response_options);
    }
});
