//! Command grammar tests, one test binary with a module per subject: RFC
//! examples (RFC 3501 §6 / §8, RFC 9051 §6 and the extension RFCs), the
//! commands widely used clients send, every real client capture decoded
//! message by message, and proptest round trips and chunking invariance.
//!
//! The lines they read are text fixtures under `tests/fixtures/`.

use bytes::{Bytes, BytesMut};
use imap_proto::codec::{FramerConfig, LiteralMode, Side};
use imap_proto::command::Fragment;
use imap_proto::command::{
    AppendData, AppendMessage, AuthLine, CatPart, CommandError, EncodeOptions, Expect, FetchAttr,
    FetchItems, FetchModifier, GmLabel, ListPattern, ListReturn, ListSelect, LiteralData,
    MetadataOption, RawArgs, SaslInitial, SearchKey, SearchReturn, SelectParam, Sequence,
    SortCriterion, SortKey, StatusAttr, StoreAction, StoreFlags, StoreTarget, ThreadAlgorithm,
    encode, to_bytes,
};
use imap_proto::parse::{Quirk, Strictness};
use imap_proto::types::{
    AString, Atom, Date, DateTime, Flag, IString, NString, Partial, Secret, Section, SectionText,
    SeqNumber, SeqRange, SequenceSet, Tag,
};
use imap_proto::{Command, CommandBody, CommandDecoder, CommandEvent};
use proptest::prelude::*;

fn decoder() -> CommandDecoder {
    CommandDecoder::new(FramerConfig::new(Side::Server), Strictness::Lenient)
}

/// Decodes a whole stream, accepting every literal, in chunks of `chunk`.
fn decode_chunked(input: &[u8], chunk: usize) -> Vec<CommandEvent> {
    let mut d = decoder();
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for piece in input.chunks(chunk.max(1)) {
        buf.extend_from_slice(piece);
        drain(&mut d, &mut buf, &mut out);
    }
    drain(&mut d, &mut buf, &mut out);
    out
}

fn drain(d: &mut CommandDecoder, buf: &mut BytesMut, out: &mut Vec<CommandEvent>) {
    while let Some(ev) = d.decode(buf) {
        if let CommandEvent::Announcement(_) = ev {
            d.accept_literal().unwrap();
            continue;
        }
        if let CommandEvent::Command(Command {
            body: CommandBody::Idle,
            ..
        }) = ev
        {
            d.expect(Expect::Done);
        }
        out.push(ev);
    }
}

fn commands(input: &[u8]) -> Vec<Command> {
    decode_chunked(input, input.len())
        .into_iter()
        .map(|e| match e {
            CommandEvent::Command(c) => c,
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(input)),
        })
        .collect()
}

fn one(input: &str) -> Command {
    let v = commands(input.as_bytes());
    assert_eq!(v.len(), 1, "{input:?}");
    let c = v.into_iter().next().unwrap();
    assert_round_trip(&c);
    c
}

const OPTIONS: [EncodeOptions; 4] = [
    EncodeOptions {
        literal_plus: false,
        literal_minus: false,
        utf8_accept: false,
    },
    EncodeOptions {
        literal_plus: true,
        literal_minus: false,
        utf8_accept: false,
    },
    EncodeOptions {
        literal_plus: false,
        literal_minus: true,
        utf8_accept: false,
    },
    EncodeOptions {
        literal_plus: false,
        literal_minus: false,
        utf8_accept: true,
    },
];

/// Each line fragment is one line; each literal follows the line that
/// announces it, in the mode announced.
fn assert_fragments(frags: &[Fragment], opts: EncodeOptions) {
    assert!(matches!(frags.last(), Some(Fragment::Line(_))));
    for (i, f) in frags.iter().enumerate() {
        match f {
            Fragment::Line(l) => {
                assert!(l.ends_with(b"\r\n"), "{l:?}");
                let crlfs = l.windows(2).filter(|w| w == b"\r\n").count();
                assert_eq!(crlfs, 1, "one line per fragment: {l:?}");
            }
            Fragment::Literal { data, mode } => {
                let Some(Fragment::Line(l)) = i.checked_sub(1).map(|j| &frags[j]) else {
                    panic!("a literal after a line")
                };
                let plus = if *mode == LiteralMode::NonSync {
                    "+"
                } else {
                    ""
                };
                let head = format!("{{{}{plus}}}\r\n", data.len());
                assert!(l.ends_with(head.as_bytes()), "{l:?} {head}");
                if !opts.literal_plus && !opts.literal_minus {
                    assert_eq!(*mode, LiteralMode::Sync);
                }
                if opts.literal_minus && !opts.literal_plus && data.len() > 4096 {
                    assert_eq!(*mode, LiteralMode::Sync);
                }
            }
        }
    }
}

fn assert_round_trip(c: &Command) {
    for opts in OPTIONS {
        let frags = encode(c, opts);
        assert_fragments(&frags, opts);
        let bytes = to_bytes(&frags);
        let back = commands(&bytes);
        assert_eq!(
            back,
            vec![c.clone()],
            "{:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

fn lit(s: &str) -> String {
    format!("{{{}}}\r\n{s}", s.len())
}

fn a(s: &str) -> AString {
    AString::try_from(s).unwrap()
}

fn atom(s: &str) -> Atom {
    Atom::try_from(s).unwrap()
}

fn set(s: &str) -> Sequence {
    Sequence::Set(SequenceSet::parse(s.as_bytes(), 100).unwrap())
}

#[path = "../common/mod.rs"]
mod common;

mod captures;
mod clients;
mod decoding;
mod props;
mod rfc;
