//! proptest: generated responses round-trip; arbitrary and mutated
//! input never panics; streams decode the same in any chunking.

use super::*;

/// Encodes `r`, decodes it strictly, and checks it is the same.
fn check_generated(r: Response) -> Result<(), proptest::test_runner::TestCaseError> {
    let enc = r.to_bytes();
    let (again, quirks) = parse_with(&enc, Strictness::Strict).map_err(|e| {
        proptest::test_runner::TestCaseError::fail(format!(
            "{:?}: {e}",
            String::from_utf8_lossy(&enc)
        ))
    })?;
    proptest::prop_assert_eq!(&again, &r, "{:?}", String::from_utf8_lossy(&enc));
    proptest::prop_assert!(quirks.is_empty());
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    #[test]
    fn generated_responses_round_trip(r in strategies::response()) {
        let enc = r.to_bytes();
        let (again, quirks) = parse_with(&enc, Strictness::Strict)
            .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(&enc)));
        proptest::prop_assert_eq!(&again, &r, "{:?}", String::from_utf8_lossy(&enc));
        proptest::prop_assert!(quirks.is_empty());
    }

    #[test]
    fn generated_fetch_responses_round_trip(
        seq in 1u32..,
        items in proptest::collection::vec(strategies::fetch_item(), 1..6),
    ) {
        let r = Response::Untagged(Data::Fetch { seq, items });
        // UTF-8 connections (quoted strings may carry UTF-8) read the same.
        let mut enc = Vec::new();
        r.encode_with(EncodeOptions::utf8(), &mut enc);
        let (again, _) = parse_with(&enc, Strictness::Strict)
            .map_err(proptest::test_runner::TestCaseError::fail)?;
        proptest::prop_assert_eq!(&again, &r);
        check_generated(r)?;
    }

    #[test]
    fn generated_body_structures_round_trip(b in strategies::body()) {
        check_generated(Response::Untagged(Data::Fetch {
            seq: 1,
            items: vec![FetchItem::BodyStructure(Box::new(b))],
        }))?;
    }

    #[test]
    fn generated_untagged_data_round_trips(d in strategies::data()) {
        check_generated(Response::Untagged(d))?;
    }

    #[test]
    fn generated_status_responses_round_trip(t in strategies::status_text()) {
        check_generated(Response::Untagged(Data::No(t.clone())))?;
        check_generated(Response::Tagged(Tagged {
            tag: imap_proto::types::Tag::try_from("a1").unwrap(),
            condition: Condition::Bad,
            text: t,
        }))?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
        let _ = parse_with(&bytes, Strictness::Lenient);
        let _ = decode_stream(&[&bytes[..bytes.len() - bytes.iter().rev().take_while(|&&b| b != b'\n').count()]]);
    }

    #[test]
    fn mutated_responses_never_panic_and_what_decodes_round_trips(
        r in strategies::response(),
        at in proptest::prelude::any::<proptest::sample::Index>(),
        byte in proptest::prelude::any::<u8>(),
        cut in proptest::prelude::any::<bool>(),
    ) {
        let mut enc = r.to_bytes();
        let i = at.index(enc.len());
        if cut {
            enc.remove(i);
        } else {
            enc[i] = byte;
        }
        if let Ok((decoded, _)) = parse_with(&enc, Strictness::Lenient) {
            // Whatever decodes, even with quirks, encodes canonically and
            // decodes to the same value.
            let again = decoded.to_bytes();
            let (back, _) = parse_with(&again, Strictness::Lenient)
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{:?} -> {:?}: {e}", String::from_utf8_lossy(&enc), String::from_utf8_lossy(&again))))?;
            proptest::prop_assert_eq!(back, decoded, "{:?}", String::from_utf8_lossy(&enc));
        }
    }

    #[test]
    fn generated_streams_decode_the_same_in_any_chunking(
        rs in proptest::collection::vec(strategies::response(), 1..6),
        cuts in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 0..8),
    ) {
        let mut stream = Vec::new();
        for r in &rs {
            r.encode(&mut stream);
        }
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
        at.push(0);
        at.push(stream.len());
        at.sort_unstable();
        let chunks: Vec<&[u8]> = at.windows(2).map(|w| &stream[w[0]..w[1]]).collect();
        let events = decode_stream(&chunks);
        let decoded: Vec<Response> = events
            .into_iter()
            .map(|e| match e {
                ResponseEvent::Response { response, .. } => response,
                other => panic!("{other:?}"),
            })
            .collect();
        proptest::prop_assert_eq!(decoded, rs);
    }
}
