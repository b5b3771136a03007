//! proptest strategies for the response types: what the round-trip
//! properties of `responses.rs` and the view properties of `views.rs`
//! generate. Every value is in the canonical grammar (encodes to a line
//! the strict parser accepts).

use bytes::Bytes;
use imap_proto::response::*;
use imap_proto::types::{
    AString, Atom, Date, DateTime, Flag, IString, MailboxName, NString, Section, SectionText,
    SequenceSet, Tag,
};
use proptest::collection::vec;
use proptest::prelude::*;

pub(crate) fn istring() -> impl Strategy<Value = IString> {
    prop_oneof![
        "[a-zA-Z0-9 ._-]{0,12}".prop_map(|s| IString::try_from(s.as_str()).unwrap()),
        vec(1u8..=255, 0..24).prop_map(|v| IString::new(Bytes::from(v)).unwrap()),
    ]
}

pub(crate) fn nstring() -> impl Strategy<Value = NString> {
    proptest::option::of(istring()).prop_map(NString)
}

pub(crate) fn astring() -> impl Strategy<Value = AString> {
    istring().prop_map(AString)
}

pub(crate) fn text() -> impl Strategy<Value = Text> {
    "([a-zA-Z0-9.,()] ?){0,10}".prop_map(|s| Text::try_from(s.as_str()).unwrap())
}

fn nz() -> impl Strategy<Value = u32> {
    1u32..
}

fn n64() -> impl Strategy<Value = u64> {
    0..=i64::MAX as u64
}

pub(crate) fn seqset() -> impl Strategy<Value = SequenceSet> {
    vec(
        (
            nz(),
            proptest::option::of(prop_oneof![
                nz().prop_map(|n| n.to_string()),
                Just("*".to_owned())
            ]),
        ),
        1..4,
    )
    .prop_map(|v| {
        let s: Vec<String> = v
            .into_iter()
            .map(|(a, b)| match b {
                Some(b) => format!("{a}:{b}"),
                None => a.to_string(),
            })
            .collect();
        SequenceSet::parse(s.join(",").as_bytes(), 100).unwrap()
    })
}

pub(crate) fn flag(wildcard: bool) -> impl Strategy<Value = Flag> {
    let mut v = vec![
        Flag::Seen,
        Flag::Answered,
        Flag::Flagged,
        Flag::Deleted,
        Flag::Draft,
        Flag::Recent,
    ];
    if wildcard {
        v.push(Flag::Wildcard);
    }
    prop_oneof![
        proptest::sample::select(v),
        "\\$?[A-Za-z][A-Za-z0-9_]{0,8}".prop_map(|s| Flag::keyword(&s).unwrap()),
        "X[A-Za-z]{1,6}".prop_map(|s| Flag::Extension(Atom::try_from(s.as_str()).unwrap())),
    ]
}

pub(crate) fn capability() -> impl Strategy<Value = Capability> {
    prop_oneof![
        proptest::sample::select(vec![
            "IMAP4rev1",
            "IMAP4rev2",
            "IDLE",
            "LITERAL+",
            "AUTH=PLAIN",
            "THREAD=REFS",
            "COMPRESS=DEFLATE",
            "QUOTA=RES-STORAGE",
            "APPENDLIMIT=1000",
            "APPENDLIMIT",
            "X-GM-EXT-1",
            "CONDSTORE",
            "SORT=DISPLAY",
            "UTF8=ACCEPT",
            "STATUS=SIZE",
        ])
        .prop_map(|s| Capability::from_atom(Atom::try_from(s).unwrap())),
        "X-[A-Z]{1,6}".prop_map(|s| Capability::from_atom(Atom::try_from(s.as_str()).unwrap())),
    ]
}

pub(crate) fn objectid() -> impl Strategy<Value = ObjectId> {
    "[A-Za-z0-9_-]{1,20}".prop_map(|s| ObjectId::new(Bytes::from(s)).unwrap())
}

/// The response codes that are a name alone.
pub(crate) fn simple_codes() -> Vec<Code> {
    vec![
        Code::Alert,
        Code::CompressionActive,
        Code::UseAttr,
        Code::NotSaved,
        Code::Parse,
        Code::ReadOnly,
        Code::ReadWrite,
        Code::TryCreate,
        Code::UidNotSticky,
        Code::NoModSeq,
        Code::Closed,
        Code::AuthenticationFailed,
        Code::OverQuota,
        Code::AlreadyExists,
        Code::NonExistent,
        Code::TooBig,
        Code::UnknownCte,
        Code::HasChildren,
        Code::Cannot,
    ]
}

pub(crate) fn code() -> impl Strategy<Value = Code> {
    prop_oneof![
        proptest::sample::select({
            let mut codes = simple_codes();
            codes.push(Code::Metadata(MetadataCode::TooMany));
            codes
        }),
        any::<u32>().prop_map(Code::UidNext),
        any::<u32>().prop_map(Code::UidValidity),
        any::<u32>().prop_map(Code::Unseen),
        n64().prop_map(Code::HighestModSeq),
        any::<u32>().prop_map(|n| Code::Metadata(MetadataCode::MaxSize(n))),
        seqset().prop_map(Code::Modified),
        (any::<u32>(), seqset())
            .prop_map(|(uidvalidity, uids)| Code::AppendUid { uidvalidity, uids }),
        (any::<u32>(), seqset(), seqset()).prop_map(|(uidvalidity, source, dest)| {
            Code::CopyUid {
                uidvalidity,
                source,
                dest,
            }
        }),
        vec(flag(true), 0..5).prop_map(Code::PermanentFlags),
        vec(capability(), 0..5).prop_map(Code::Capability),
        vec(astring(), 0..3).prop_map(Code::BadCharset),
        objectid().prop_map(Code::MailboxId),
        // Unknown names (known names with other text are quirks, which
        // strict round trips refuse: `responses.rs` tests them leniently).
        (
            "X-[A-Z]{1,6}",
            proptest::option::of("[a-z0-9][a-z0-9 ()]{0,8}")
        )
            .prop_filter_map("not a code's text", |(n, v)| {
                let value = v.and_then(|v| CodeText::new(v).ok());
                Code::other(Atom::try_from(n.as_str()).unwrap(), value).ok()
            }),
    ]
}

pub(crate) fn status_text() -> impl Strategy<Value = StatusText> {
    (proptest::option::of(code()), text()).prop_map(|(code, text)| StatusText { code, text })
}

pub(crate) fn mailbox() -> impl Strategy<Value = Mailbox> {
    prop_oneof![
        Just(Mailbox::Name(MailboxName::inbox())),
        "[^\u{0}]{0,10}".prop_map(|s| Mailbox::Name(MailboxName::new(s).unwrap())),
    ]
}

pub(crate) fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Nil),
        n64().prop_map(Value::Number),
        istring().prop_map(Value::String),
        "[A-Z][A-Z0-9.:]{0,5}"
            .prop_filter("NIL", |s| s != "NIL")
            .prop_map(|s| Value::Atom(Token::new(Bytes::from(s)).unwrap())),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| vec(inner, 0..4).prop_map(Value::List))
}

pub(crate) fn datetime() -> impl Strategy<Value = DateTime> {
    (
        1970u16..2100,
        1u8..=12,
        1u8..=28,
        0u8..24,
        0u8..60,
        0u8..60,
        -720i16..=840,
    )
        .prop_map(
            |(y, mo, d, hour, minute, second, offset_minutes)| DateTime {
                date: Date::new(y, mo, d).unwrap(),
                hour,
                minute,
                second,
                offset_minutes,
            },
        )
}

pub(crate) fn address() -> impl Strategy<Value = Address> {
    (nstring(), nstring(), nstring(), nstring()).prop_map(|(name, adl, mailbox, host)| Address {
        name,
        adl,
        mailbox,
        host,
    })
}

pub(crate) fn envelope() -> impl Strategy<Value = Envelope> {
    let addrs = || vec(address(), 0..3);
    (
        (nstring(), nstring(), addrs(), addrs(), addrs()),
        (addrs(), addrs(), addrs(), nstring(), nstring()),
    )
        .prop_map(
            |((date, subject, from, sender, reply_to), (to, cc, bcc, in_reply_to, message_id))| {
                Envelope {
                    date,
                    subject,
                    from,
                    sender,
                    reply_to,
                    to,
                    cc,
                    bcc,
                    in_reply_to,
                    message_id,
                }
            },
        )
}

fn params() -> impl Strategy<Value = Vec<(IString, IString)>> {
    vec((istring(), istring()), 0..3)
}

fn dsp_ext() -> impl Strategy<Value = Option<DispositionExt>> {
    let loc = proptest::option::of((nstring(), vec(value(), 0..3)).prop_map(
        |(location, extensions)| LocationExt {
            location,
            extensions,
        },
    ));
    let lang = proptest::option::of(
        (vec(istring(), 0..3), loc).prop_map(|(language, loc)| LanguageExt { language, loc }),
    );
    let disp = proptest::option::of(
        (istring(), params()).prop_map(|(kind, params)| Disposition { kind, params }),
    );
    proptest::option::of(
        (disp, lang).prop_map(|(disposition, lang)| DispositionExt { disposition, lang }),
    )
}

/// A body size or line count as the grammar has it (32 bits; larger
/// ones are a quirk, see `quirk_large_body_numbers`).
fn body_num() -> impl Strategy<Value = u64> {
    0..=u64::from(u32::MAX)
}

fn fields() -> impl Strategy<Value = BasicFields> {
    (params(), nstring(), nstring(), istring(), body_num()).prop_map(
        |(params, id, description, encoding, size)| BasicFields {
            params,
            id,
            description,
            encoding,
            size,
        },
    )
}

pub(crate) fn body() -> impl Strategy<Value = BodyStructure> {
    let single_ext = proptest::option::of(
        (nstring(), dsp_ext()).prop_map(|(md5, dsp)| SinglePartExt { md5, dsp }),
    );
    let leaf = (
        prop_oneof![
            (
                proptest::sample::select(vec!["APPLICATION", "image", "Audio", "video"]),
                istring()
            )
                .prop_map(|(t, subtype)| SingleKind::Basic {
                    media_type: IString::try_from(t).unwrap(),
                    subtype
                }),
            (istring(), body_num())
                .prop_map(|(subtype, lines)| SingleKind::Text { subtype, lines }),
        ],
        fields(),
        single_ext,
    )
        .prop_map(|(kind, fields, ext)| BodyStructure::Single(SinglePart { kind, fields, ext }));
    leaf.prop_recursive(4, 16, 3, |inner| {
        prop_oneof![
            (
                vec(inner.clone(), 1..3),
                istring(),
                proptest::option::of(
                    (params(), dsp_ext()).prop_map(|(params, dsp)| MultiPartExt { params, dsp })
                ),
            )
                .prop_map(|(parts, subtype, ext)| BodyStructure::Multi {
                    parts,
                    subtype,
                    ext
                }),
            (
                envelope(),
                inner,
                fields(),
                body_num(),
                proptest::sample::select(vec!["RFC822", "global"])
            )
                .prop_map(|(envelope, body, fields, lines, st)| {
                    BodyStructure::Single(SinglePart {
                        kind: SingleKind::Message {
                            subtype: IString::try_from(st).unwrap(),
                            envelope: Some(Box::new(envelope)),
                            body: Some(Box::new(body)),
                            lines,
                        },
                        fields,
                        ext: None,
                    })
                }),
        ]
    })
}

fn section() -> impl Strategy<Value = Section> {
    (
        vec(nz(), 0..3),
        prop_oneof![
            Just(SectionText::Full),
            Just(SectionText::Header),
            Just(SectionText::Text),
            vec(
                "[A-Za-z-]{1,8}".prop_map(|s| AString::try_from(s.as_str()).unwrap()),
                1..3
            )
            .prop_map(SectionText::HeaderFields),
        ],
    )
        .prop_map(|(part, text)| {
            let text = if part.is_empty() {
                text
            } else if text == SectionText::Full {
                SectionText::Mime
            } else {
                text
            };
            let text = if part.is_empty() && text == SectionText::Mime {
                SectionText::Full
            } else {
                text
            };
            Section { part, text }
        })
}

pub(crate) fn fetch_item() -> impl Strategy<Value = FetchItem> {
    prop_oneof![
        nz().prop_map(FetchItem::Uid),
        vec(flag(false), 0..4).prop_map(FetchItem::Flags),
        datetime().prop_map(FetchItem::InternalDate),
        n64().prop_map(FetchItem::Rfc822Size),
        nstring().prop_map(FetchItem::Rfc822),
        nstring().prop_map(FetchItem::Rfc822Header),
        envelope().prop_map(|e| FetchItem::Envelope(Box::new(e))),
        body().prop_map(|b| FetchItem::BodyStructure(Box::new(b))),
        body().prop_map(|b| FetchItem::Body(Box::new(b))),
        (section(), proptest::option::of(n64()), nstring()).prop_map(|(section, origin, data)| {
            FetchItem::BodySection {
                section,
                origin,
                data,
            }
        }),
        (
            vec(nz(), 0..3),
            proptest::option::of(n64()),
            proptest::option::of(vec(any::<u8>(), 0..20))
        )
            .prop_map(|(part, origin, data)| FetchItem::Binary {
                part,
                origin,
                data: data.map(Bytes::from)
            }),
        (vec(nz(), 0..3), n64()).prop_map(|(part, size)| FetchItem::BinarySize { part, size }),
        n64().prop_map(FetchItem::ModSeq),
        objectid().prop_map(FetchItem::EmailId),
        proptest::option::of(objectid()).prop_map(FetchItem::ThreadId),
        proptest::option::of(datetime()).prop_map(FetchItem::SaveDate),
        n64().prop_map(FetchItem::GmMsgId),
        n64().prop_map(FetchItem::GmThrId),
        vec(
            prop_oneof![
                "[A-Z][a-z]{1,6}"
                    .prop_map(|s| GmLabel::System(Atom::try_from(s.as_str()).unwrap())),
                astring().prop_map(GmLabel::Label),
            ],
            0..3
        )
        .prop_map(FetchItem::GmLabels),
        ("X-[A-Z]{1,6}", value()).prop_map(|(n, value)| FetchItem::Other {
            name: Token::new(Bytes::from(n)).unwrap(),
            value
        }),
    ]
}

pub(crate) fn list_item() -> impl Strategy<Value = ListItem> {
    (
        vec(
            prop_oneof![
                proptest::sample::select(vec![
                    MailboxAttr::NoSelect,
                    MailboxAttr::HasChildren,
                    MailboxAttr::HasNoChildren,
                    MailboxAttr::Sent,
                    MailboxAttr::Trash,
                    MailboxAttr::Subscribed,
                    MailboxAttr::NonExistent,
                ]),
                "X[a-z]{1,6}"
                    .prop_map(|s| MailboxAttr::from_atom(Atom::try_from(s.as_str()).unwrap())),
            ],
            0..4,
        ),
        proptest::option::of(proptest::sample::select(vec![b'/', b'.', b'"', b'\\'])),
        mailbox(),
        vec(
            prop_oneof![
                vec(istring(), 1..3).prop_map(ListExtItem::ChildInfo),
                mailbox().prop_map(ListExtItem::OldName),
                ("X-[A-Z]{1,5}", value()).prop_map(|(t, value)| ListExtItem::Other {
                    tag: AString::try_from(t.as_str()).unwrap(),
                    value
                }),
            ],
            0..3,
        ),
    )
        .prop_map(|(attributes, delimiter, mailbox, extended)| ListItem {
            attributes,
            delimiter,
            mailbox,
            extended,
        })
}

fn status_item() -> impl Strategy<Value = StatusItem> {
    prop_oneof![
        any::<u32>().prop_map(StatusItem::Messages),
        any::<u32>().prop_map(StatusItem::Recent),
        any::<u32>().prop_map(StatusItem::UidNext),
        any::<u32>().prop_map(StatusItem::UidValidity),
        any::<u32>().prop_map(StatusItem::Unseen),
        any::<u32>().prop_map(StatusItem::Deleted),
        n64().prop_map(StatusItem::Size),
        n64().prop_map(StatusItem::HighestModSeq),
        proptest::option::of(n64()).prop_map(StatusItem::AppendLimit),
        objectid().prop_map(StatusItem::MailboxId),
        ("X-[A-Z]{1,5}", value()).prop_map(|(n, value)| StatusItem::Other {
            name: Atom::try_from(n.as_str()).unwrap(),
            value
        }),
    ]
}

fn esearch() -> impl Strategy<Value = ESearch> {
    (
        proptest::option::of(istring()),
        any::<bool>(),
        vec(
            prop_oneof![
                nz().prop_map(ESearchItem::Min),
                nz().prop_map(ESearchItem::Max),
                any::<u32>().prop_map(ESearchItem::Count),
                seqset().prop_map(ESearchItem::All),
                n64().prop_map(ESearchItem::ModSeq),
                ("X-[A-Z]{1,5}", value()).prop_map(|(n, value)| ESearchItem::Other {
                    name: Atom::try_from(n.as_str()).unwrap(),
                    value
                }),
            ],
            0..4,
        ),
    )
        .prop_map(|(tag, uid, items)| ESearch { tag, uid, items })
}

fn thread() -> impl Strategy<Value = Thread> {
    let leaf = vec(nz(), 1..3).prop_map(|members| Thread {
        members,
        children: vec![],
    });
    leaf.prop_recursive(4, 12, 3, |inner| {
        (vec(nz(), 0..3), vec(inner, 1..3))
            .prop_map(|(members, children)| Thread { members, children })
    })
}

fn namespace_desc() -> impl Strategy<Value = NamespaceDesc> {
    (
        istring(),
        proptest::option::of(proptest::sample::select(vec![b'/', b'.'])),
        vec((istring(), vec(istring(), 0..2)), 0..2),
    )
        .prop_map(|(prefix, delimiter, extensions)| NamespaceDesc {
            prefix,
            delimiter,
            extensions,
        })
}

pub(crate) fn data() -> impl Strategy<Value = Data> {
    prop_oneof![
        status_text().prop_map(Data::Ok),
        status_text().prop_map(Data::No),
        status_text().prop_map(Data::Bad),
        status_text().prop_map(Data::PreAuth),
        status_text().prop_map(Data::Bye),
        vec(capability(), 0..6).prop_map(Data::Capability),
        vec(capability(), 0..3).prop_map(Data::Enabled),
        vec(flag(false), 0..6).prop_map(Data::Flags),
        list_item().prop_map(Data::List),
        list_item().prop_map(Data::Lsub),
        (mailbox(), vec(status_item(), 0..5))
            .prop_map(|(mailbox, items)| Data::Status { mailbox, items }),
        (vec(nz(), 0..8), proptest::option::of(n64()))
            .prop_map(|(ids, modseq)| Data::Search { ids, modseq }),
        (vec(nz(), 0..8), proptest::option::of(n64()))
            .prop_map(|(ids, modseq)| Data::Sort { ids, modseq }),
        vec(thread(), 0..4).prop_map(Data::Thread),
        esearch().prop_map(Data::ESearch),
        any::<u32>().prop_map(Data::Exists),
        any::<u32>().prop_map(Data::Recent),
        any::<u32>().prop_map(Data::Expunge),
        (any::<bool>(), seqset()).prop_map(|(earlier, uids)| Data::Vanished { earlier, uids }),
        (any::<u32>(), vec(fetch_item(), 0..5)).prop_map(|(seq, items)| Data::Fetch { seq, items }),
        (
            vec(namespace_desc(), 0..2),
            vec(namespace_desc(), 0..2),
            vec(namespace_desc(), 0..2)
        )
            .prop_map(|(personal, other, shared)| Data::Namespace(Namespace {
                personal,
                other,
                shared
            })),
        vec((istring(), nstring()), 0..3).prop_map(Data::Id),
        (
            astring(),
            vec(
                ("[A-Z]{1,8}", n64(), n64()).prop_map(|(n, usage, limit)| QuotaResource {
                    name: Atom::try_from(n.as_str()).unwrap(),
                    usage,
                    limit
                }),
                0..3
            )
        )
            .prop_map(|(root, resources)| Data::Quota { root, resources }),
        (mailbox(), vec(astring(), 0..3))
            .prop_map(|(mailbox, roots)| Data::QuotaRoot { mailbox, roots }),
        (
            mailbox(),
            prop_oneof![
                vec(
                    (
                        astring(),
                        proptest::option::of(vec(any::<u8>(), 0..10).prop_map(Bytes::from))
                    ),
                    0..3
                )
                .prop_map(MetadataData::Values),
                vec(astring(), 1..3).prop_map(MetadataData::Keys),
            ]
        )
            .prop_map(|(mailbox, data)| Data::Metadata { mailbox, data }),
    ]
}

pub(crate) fn response() -> impl Strategy<Value = Response> {
    prop_oneof![
        (
            "[A-Za-z0-9.]{1,6}",
            proptest::sample::select(vec![Condition::Ok, Condition::No, Condition::Bad]),
            status_text()
        )
            .prop_map(|(tag, condition, text)| Response::Tagged(Tagged {
                tag: Tag::try_from(tag.as_str()).unwrap(),
                condition,
                text
            })),
        data().prop_map(Response::Untagged),
        (proptest::option::of(code()), "[a-z]{1,6} [a-z ]{0,10}").prop_map(|(code, t)| {
            Response::Continue(Continue::Text(StatusText {
                code,
                text: Text::try_from(t.as_str()).unwrap(),
            }))
        }),
        vec(any::<u8>(), 1..30)
            .prop_map(|d| Response::Continue(Continue::Base64(Base64::encode(&d)))),
    ]
}
