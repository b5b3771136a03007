//! proptest: generated commands round-trip and decode the same in any
//! chunking; arbitrary input never panics.

use super::*;

fn tag() -> impl Strategy<Value = Tag> {
    "[A-Za-z0-9.]{1,8}".prop_map(|s| Tag::try_from(s.as_str()).unwrap())
}

fn atom_s() -> impl Strategy<Value = Atom> {
    "[A-Za-z][A-Za-z0-9.-]{0,10}".prop_map(|s| atom(&s))
}

fn ext_atom() -> impl Strategy<Value = Atom> {
    "X[A-Za-z0-9-]{1,8}".prop_map(|s| atom(&s))
}

fn bytes_no_nul() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[A-Za-z0-9]{1,12}".prop_map(String::into_bytes),
        "[ -~]{0,20}".prop_map(String::into_bytes),
        proptest::collection::vec(1u8..=255, 0..40),
        Just(b"NIL".to_vec()),
        Just(b"line\r\nbreak".to_vec()),
    ]
}

fn astring() -> BoxedStrategy<AString> {
    bytes_no_nul()
        .prop_map(|b| AString::new(b).unwrap())
        .boxed()
}

fn istring() -> BoxedStrategy<IString> {
    bytes_no_nul()
        .prop_map(|b| IString::new(b).unwrap())
        .boxed()
}

fn nstring() -> BoxedStrategy<NString> {
    proptest::option::of(istring()).prop_map(NString).boxed()
}

fn flag() -> BoxedStrategy<Flag> {
    prop_oneof![
        Just(Flag::Seen),
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Draft),
        Just(Flag::Recent),
        Just(Flag::Wildcard),
        "[$A-Za-z][A-Za-z0-9]{0,8}".prop_map(|s| Flag::keyword(&s).unwrap()),
        "Z[a-z]{0,6}".prop_map(|s| Flag::Extension(atom(&s))),
    ]
    .boxed()
}

fn seq_set() -> BoxedStrategy<SequenceSet> {
    let num = prop_oneof![
        (1u32..=u32::MAX).prop_map(|n| SeqNumber::new(n).unwrap()),
        Just(SeqNumber::Largest)
    ];
    proptest::collection::vec((num.clone(), num), 1..5)
        .prop_map(|v| {
            SequenceSet::new(
                v.into_iter()
                    .map(|(start, end)| SeqRange { start, end })
                    .collect(),
            )
            .unwrap()
        })
        .boxed()
}

fn sequence() -> BoxedStrategy<Sequence> {
    prop_oneof![4 => seq_set().prop_map(Sequence::Set), 1 => Just(Sequence::Saved)].boxed()
}

fn date() -> impl Strategy<Value = Date> {
    (1900u16..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

fn date_time() -> BoxedStrategy<DateTime> {
    (date(), 0u8..24, 0u8..60, 0u8..60, -720i16..=720)
        .prop_map(|(date, hour, minute, second, off)| DateTime {
            date,
            hour,
            minute,
            second,
            offset_minutes: off,
        })
        .boxed()
}

fn search_key() -> BoxedStrategy<SearchKey> {
    use SearchKey as K;
    let leaf = prop_oneof![
        Just(K::All),
        Just(K::Answered),
        Just(K::Deleted),
        Just(K::Draft),
        Just(K::Flagged),
        Just(K::New),
        Just(K::Old),
        Just(K::Recent),
        Just(K::Seen),
        Just(K::Unanswered),
        Just(K::Undeleted),
        Just(K::Undraft),
        Just(K::Unflagged),
        Just(K::Unseen),
        astring().prop_map(K::Bcc),
        astring().prop_map(K::Body),
        astring().prop_map(K::Cc),
        astring().prop_map(K::From),
        astring().prop_map(K::Subject),
        astring().prop_map(K::Text),
        astring().prop_map(K::To),
        (astring(), astring()).prop_map(|(a, b)| K::Header(a, b)),
        date().prop_map(K::Before),
        date().prop_map(K::On),
        date().prop_map(K::SentBefore),
        date().prop_map(K::SentOn),
        date().prop_map(K::SentSince),
        date().prop_map(K::Since),
        flag().prop_map(K::Keyword),
        flag().prop_map(K::Unkeyword),
        (0u64..=i64::MAX as u64).prop_map(K::Larger),
        any::<u32>().prop_map(|n| K::Smaller(n.into())),
        sequence().prop_map(K::Uid),
        sequence().prop_map(K::Sequence),
        (
            proptest::option::of((
                astring(),
                prop_oneof![Just(atom("priv")), Just(atom("shared")), Just(atom("all"))]
            )),
            0u64..=i64::MAX as u64
        )
            .prop_map(|(entry, mod_seq)| K::ModSeq { entry, mod_seq }),
        (1u32..).prop_map(K::Older),
        (1u32..).prop_map(K::Younger),
        atom_s().prop_map(K::EmailId),
        atom_s().prop_map(K::ThreadId),
        astring().prop_map(K::XGmRaw),
        astring().prop_map(K::XGmLabels),
        (0u64..=i64::MAX as u64).prop_map(K::XGmMsgId),
        (0u64..=i64::MAX as u64).prop_map(K::XGmThrId),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|k| K::Not(Box::new(k))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| K::Or(Box::new(a), Box::new(b))),
            proptest::collection::vec(inner, 1..4).prop_map(K::And),
        ]
    })
    .boxed()
}

fn keys() -> impl Strategy<Value = Vec<SearchKey>> {
    proptest::collection::vec(search_key(), 1..4)
}

fn fetch_attr() -> BoxedStrategy<FetchAttr> {
    use FetchAttr as F;
    let partial = proptest::option::of((any::<u32>(), 1u32..).prop_map(|(o, l)| Partial {
        origin: o.into(),
        length: Some(l.into()),
    }));
    let part = proptest::collection::vec(1u32..100, 0..4);
    let text = prop_oneof![
        Just(SectionText::Full),
        Just(SectionText::Header),
        Just(SectionText::Text),
        proptest::collection::vec(astring(), 1..3).prop_map(SectionText::HeaderFields),
        proptest::collection::vec(astring(), 1..3).prop_map(SectionText::HeaderFieldsNot),
    ];
    let section = (
        proptest::collection::vec(1u32..100, 0..3),
        text,
        any::<bool>(),
    )
        .prop_map(|(part, text, mime)| {
            let text = if mime && !part.is_empty() {
                SectionText::Mime
            } else {
                text
            };
            Section { part, text }
        });
    prop_oneof![
        Just(F::Envelope),
        Just(F::Flags),
        Just(F::InternalDate),
        Just(F::Rfc822),
        Just(F::Rfc822Header),
        Just(F::Rfc822Size),
        Just(F::Rfc822Text),
        Just(F::Body),
        Just(F::BodyStructure),
        Just(F::Uid),
        Just(F::ModSeq),
        Just(F::EmailId),
        Just(F::ThreadId),
        Just(F::SaveDate),
        Just(F::XGmMsgId),
        Just(F::XGmThrId),
        Just(F::XGmLabels),
        (any::<bool>(), section, partial.clone()).prop_map(|(peek, section, partial)| {
            F::BodySection {
                peek,
                section,
                partial,
            }
        }),
        (any::<bool>(), part.clone(), partial).prop_map(|(peek, part, partial)| F::Binary {
            peek,
            part,
            partial
        }),
        part.prop_map(F::BinarySize),
        (
            ext_atom(),
            proptest::option::of(Just(RawArgs::new("(FUZZY)").unwrap()))
        )
            .prop_map(|(name, args)| F::Other { name, args }),
    ]
    .boxed()
}

fn status_attr() -> BoxedStrategy<StatusAttr> {
    use StatusAttr as S;
    prop_oneof![
        Just(S::Messages),
        Just(S::Recent),
        Just(S::UidNext),
        Just(S::UidValidity),
        Just(S::Unseen),
        Just(S::Deleted),
        Just(S::Size),
        Just(S::HighestModSeq),
        Just(S::AppendLimit),
        Just(S::MailboxId),
        ext_atom().prop_map(S::Other),
    ]
    .boxed()
}

fn pattern() -> impl Strategy<Value = ListPattern> {
    prop_oneof![
        "[A-Za-z%*/]{1,8}".prop_map(|s| ListPattern::new(s).unwrap()),
        istring().prop_map(ListPattern),
    ]
}

fn search_return() -> impl Strategy<Value = SearchReturn> {
    prop_oneof![
        Just(SearchReturn::Min),
        Just(SearchReturn::Max),
        Just(SearchReturn::All),
        Just(SearchReturn::Count),
        Just(SearchReturn::Save),
        ext_atom().prop_map(SearchReturn::Other),
    ]
}

fn append_message() -> BoxedStrategy<AppendMessage> {
    (
        proptest::option::of(proptest::collection::vec(flag(), 0..3)),
        proptest::option::of(date_time()),
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..64),
            "U[ -~]{0,10}".prop_map(String::into_bytes),
        ],
        any::<bool>(),
    )
        .prop_map(|(flags, date, data, binary)| {
            let binary = binary || data.contains(&0);
            let utf8 = binary && data.first() == Some(&b'U');
            let literal = LiteralData {
                data: data.into(),
                binary,
                utf8,
            };
            let data = if !binary && literal.data.first() == Some(&b'U') {
                AppendData::Catenate(vec![
                    CatPart::Url(a("/INBOX;UIDVALIDITY=1/;UID=2")),
                    CatPart::Text(literal),
                ])
            } else {
                AppendData::Literal(literal)
            };
            AppendMessage { flags, date, data }
        })
        .boxed()
}

fn body() -> BoxedStrategy<CommandBody> {
    use CommandBody as C;
    let uid = any::<bool>;
    let returns = || proptest::option::of(proptest::collection::vec(search_return(), 0..3));
    let simple = prop_oneof![
        Just(C::Capability),
        Just(C::Noop),
        Just(C::Logout),
        Just(C::StartTls),
        Just(C::Namespace),
        Just(C::Idle),
        Just(C::Check),
        Just(C::Close),
        Just(C::Unselect),
        Just(C::Expunge),
        (
            atom_s(),
            proptest::option::of(prop_oneof![
                Just(SaslInitial::Empty),
                "[A-Za-z0-9+/]{1,20}={0,2}".prop_map(|s| SaslInitial::Data(Secret::new(atom(&s)))),
            ])
        )
            .prop_map(|(mechanism, initial)| C::Authenticate { mechanism, initial }),
        (astring(), astring()).prop_map(|(username, p)| C::Login {
            username,
            password: Secret::new(p)
        }),
        proptest::collection::vec(atom_s(), 1..4).prop_map(C::Enable),
        astring().prop_map(C::Delete),
        (astring(), astring()).prop_map(|(from, to)| C::Rename { from, to }),
        astring().prop_map(C::Subscribe),
        astring().prop_map(C::Unsubscribe),
        astring().prop_map(C::GetQuota),
        astring().prop_map(C::GetQuotaRoot),
        ext_atom().prop_map(C::Compress),
        (
            ext_atom(),
            proptest::option::of(
                "[!-~][ -~]{0,20}"
                    .prop_filter_map("no literal at the end", |s| RawArgs::new(s).ok())
            )
        )
            .prop_map(|(name, args)| C::Other { name, args }),
    ];
    let mailbox_cmds = prop_oneof![
        (
            astring(),
            any::<bool>(),
            proptest::collection::vec(
                prop_oneof![
                    Just(SelectParam::Condstore),
                    (
                        ext_atom(),
                        proptest::option::of(prop_oneof![
                            Just(RawArgs::new("(\"UID Responses\")").unwrap()),
                            Just(RawArgs::new("1:5").unwrap()),
                        ])
                    )
                        .prop_map(|(name, value)| SelectParam::Other { name, value }),
                    (
                        1u32..,
                        0u64..=i64::MAX as u64,
                        proptest::option::of(seq_set()),
                        proptest::option::of((seq_set(), seq_set()))
                    )
                        .prop_map(
                            |(uid_validity, mod_seq, known_uids, seq_match)| SelectParam::Qresync {
                                uid_validity,
                                mod_seq,
                                known_uids,
                                seq_match
                            }
                        ),
                ],
                0..3
            )
        )
            .prop_map(|(mailbox, select, params)| if select {
                C::Select { mailbox, params }
            } else {
                C::Examine { mailbox, params }
            }),
        (
            astring(),
            proptest::option::of(proptest::collection::vec(flag(), 0..3))
        )
            .prop_map(|(mailbox, special_use)| C::Create {
                mailbox,
                special_use
            }),
        (
            proptest::option::of(proptest::collection::vec(
                prop_oneof![
                    Just(ListSelect::Subscribed),
                    Just(ListSelect::Remote),
                    Just(ListSelect::RecursiveMatch),
                    Just(ListSelect::SpecialUse),
                    ext_atom().prop_map(ListSelect::Other),
                ],
                0..3
            )),
            astring(),
            proptest::collection::vec(pattern(), 1..3),
            proptest::option::of(proptest::collection::vec(
                prop_oneof![
                    Just(ListReturn::Subscribed),
                    Just(ListReturn::Children),
                    Just(ListReturn::SpecialUse),
                    proptest::collection::vec(status_attr(), 1..3).prop_map(ListReturn::Status),
                    ext_atom().prop_map(ListReturn::Other),
                ],
                0..3
            )),
        )
            .prop_map(|(selection, reference, patterns, returns)| C::List {
                selection,
                reference,
                patterns,
                returns
            }),
        (astring(), pattern()).prop_map(|(reference, pattern)| C::Lsub { reference, pattern }),
        (astring(), proptest::collection::vec(status_attr(), 1..4))
            .prop_map(|(mailbox, items)| C::Status { mailbox, items }),
        (astring(), proptest::collection::vec(append_message(), 1..3))
            .prop_map(|(mailbox, messages)| C::Append { mailbox, messages }),
        (
            astring(),
            proptest::collection::vec((atom_s(), 0u64..=i64::MAX as u64), 0..3)
        )
            .prop_map(|(root, limits)| C::SetQuota { root, limits }),
        (
            proptest::collection::vec(
                prop_oneof![
                    any::<u32>().prop_map(MetadataOption::MaxSize),
                    prop_oneof![Just(None), Just(Some(0u8)), Just(Some(1u8))]
                        .prop_map(MetadataOption::Depth),
                ],
                0..2
            ),
            astring(),
            proptest::collection::vec(astring(), 1..3)
        )
            .prop_map(|(options, mailbox, entries)| C::GetMetadata {
                options,
                mailbox,
                entries
            }),
        (
            astring(),
            proptest::collection::vec((astring(), nstring()), 1..3)
        )
            .prop_map(|(mailbox, entries)| C::SetMetadata { mailbox, entries }),
        proptest::option::of(proptest::collection::vec((istring(), nstring()), 0..3))
            .prop_map(C::Id),
    ];
    let message_cmds = prop_oneof![
        sequence().prop_map(C::UidExpunge),
        (uid(), returns(), proptest::option::of(astring()), keys()).prop_map(
            |(uid, returns, charset, criteria)| C::Search {
                uid,
                returns,
                charset,
                criteria
            }
        ),
        (
            uid(),
            sequence(),
            prop_oneof![
                Just(FetchItems::All),
                Just(FetchItems::Fast),
                Just(FetchItems::Full),
                proptest::collection::vec(fetch_attr(), 1..4).prop_map(FetchItems::Attrs),
            ],
            proptest::collection::vec(
                prop_oneof![
                    (0u64..=i64::MAX as u64).prop_map(FetchModifier::ChangedSince),
                    Just(FetchModifier::Vanished),
                ],
                0..3
            )
        )
            .prop_map(|(uid, set, items, modifiers)| C::Fetch {
                uid,
                set,
                items,
                modifiers
            }),
        (
            uid(),
            sequence(),
            proptest::option::of(0u64..=i64::MAX as u64),
            prop_oneof![
                Just(StoreAction::Replace),
                Just(StoreAction::Add),
                Just(StoreAction::Remove)
            ],
            any::<bool>(),
            prop_oneof![
                proptest::collection::vec(flag(), 0..4).prop_map(StoreTarget::Flags),
                proptest::collection::vec(
                    prop_oneof![
                        atom_s().prop_map(GmLabel::System),
                        astring().prop_map(GmLabel::Name),
                    ],
                    0..3
                )
                .prop_map(StoreTarget::GmLabels),
            ]
        )
            .prop_map(
                |(uid, set, unchanged_since, action, silent, target)| C::Store {
                    uid,
                    set,
                    unchanged_since,
                    flags: StoreFlags {
                        action,
                        silent,
                        target
                    }
                }
            ),
        (uid(), sequence(), astring(), any::<bool>()).prop_map(|(uid, set, mailbox, copy)| {
            if copy {
                C::Copy { uid, set, mailbox }
            } else {
                C::Move { uid, set, mailbox }
            }
        }),
        (
            uid(),
            returns(),
            proptest::collection::vec(
                (
                    any::<bool>(),
                    prop_oneof![
                        Just(SortKey::Arrival),
                        Just(SortKey::Cc),
                        Just(SortKey::Date),
                        Just(SortKey::From),
                        Just(SortKey::Size),
                        Just(SortKey::Subject),
                        Just(SortKey::To),
                        Just(SortKey::DisplayFrom),
                        Just(SortKey::DisplayTo),
                        ext_atom().prop_map(SortKey::Other),
                    ]
                ),
                1..3
            ),
            astring(),
            keys()
        )
            .prop_map(|(uid, returns, criteria, charset, search)| C::Sort {
                uid,
                returns,
                criteria: criteria
                    .into_iter()
                    .map(|(reverse, key)| SortCriterion { reverse, key })
                    .collect(),
                charset,
                search,
            }),
        (
            uid(),
            prop_oneof![
                Just(ThreadAlgorithm::OrderedSubject),
                Just(ThreadAlgorithm::References),
                ext_atom().prop_map(ThreadAlgorithm::Other),
            ],
            astring(),
            keys()
        )
            .prop_map(|(uid, algorithm, charset, search)| C::Thread {
                uid,
                algorithm,
                charset,
                search
            }),
    ];
    prop_oneof![simple.boxed(), mailbox_cmds.boxed(), message_cmds.boxed()].boxed()
}

fn command() -> BoxedStrategy<Command> {
    (tag(), body())
        .prop_map(|(tag, body)| Command { tag, body })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_commands_round_trip(c in command()) {
        assert_round_trip(&c);
    }

    #[test]
    fn chunking_invariance(
        cmds in proptest::collection::vec(command(), 1..6),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
        plus in any::<bool>(),
    ) {
        let opts = EncodeOptions { literal_plus: plus, ..Default::default() };
        let mut stream = Vec::new();
        let mut idle_done = Vec::new();
        for c in &cmds {
            stream.extend_from_slice(&to_bytes(&encode(c, opts)));
            if c.body == CommandBody::Idle {
                stream.extend_from_slice(b"DONE\r\n");
                idle_done.push(());
            }
        }
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
        cuts.sort_unstable();
        let mut d = decoder();
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        let mut last = 0;
        for cut in cuts.into_iter().chain([stream.len()]) {
            buf.extend_from_slice(&stream[last..cut]);
            last = cut;
            drain(&mut d, &mut buf, &mut out);
        }
        let got: Vec<Command> = out.into_iter().filter_map(|e| match e {
            CommandEvent::Command(c) => Some(c),
            CommandEvent::Done => None,
            other => panic!("{other:?}"),
        }).collect();
        prop_assert_eq!(got, cmds);
    }
}

fn soup() -> impl Strategy<Value = Vec<u8>> {
    let tokens: Vec<&'static [u8]> = vec![
        b"A1 ",
        b"a2 ",
        b"SEARCH ",
        b"FETCH ",
        b"UID ",
        b"APPEND ",
        b"STORE ",
        b"LIST ",
        b"SELECT ",
        b"LOGIN ",
        b"NOT ",
        b"OR ",
        b"ALL",
        b"1:*",
        b"$",
        b"BODY[",
        b"]",
        b"<1.2>",
        b"HEADER.FIELDS ",
        b"(",
        b")",
        b"{3}\r\n",
        b"{2+}\r\n",
        b"~{2}\r\n",
        b"abc",
        b"\"q\"",
        b"\"",
        b"\\Seen",
        b"+FLAGS ",
        b"INBOX",
        b" ",
        b"  ",
        b"\r\n",
        b"\n",
        b"\0",
        b"\xff",
        b"CHARSET ",
        b"UTF8 (",
        b"CATENATE (",
        b"URL ",
        b"TEXT ",
        b"RETURN ",
        b"(CONDSTORE)",
        b"1-Jan-2000",
        b"\" 1-Jan-2000 00:00:00 +0000\"",
        b"IDLE",
        b"DONE",
        b"*",
    ];
    proptest::collection::vec(proptest::sample::select(tokens), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary input never panics, always makes progress, and decodes the
    /// same however it is split.
    #[test]
    fn arbitrary_input_decodes_the_same_in_any_chunks(input in soup(), chunk in 1usize..16) {
        let whole = decode_chunked(&input, input.len().max(1));
        let split = decode_chunked(&input, chunk);
        prop_assert_eq!(whole, split);
    }
}
