//! The contract of `view::ViewReader`: for any input, any chunking and any
//! settings, its events, with each view replaced by the owned response it
//! stands for, are the events of `ResponseDecoder::decode` (see
//! `common::agree_with_views`). So a view is never made of a line the full
//! parser refuses or reads only with a quirk.
//!
//! Checked on every server capture, on the lines of `defects.rs` and
//! `responses.rs`, on generated responses (proptest) (`agreement`), and on
//! hand-written lines at the edge of the canonical grammar the views read
//! (`edges`). Each check also counts the views, so none of them can pass by
//! views never firing. `reader` tests the reader's buffer: what a view
//! borrows, zero-copy input, input split anywhere, limits.

use std::cell::Cell;

use imap_proto::codec::{FramerConfig, Side};
use imap_proto::parse::Strictness;
use imap_proto::response::{
    Condition, Continue, Data, FetchItem, Response, ResponseEvent, StatusText, Tagged, Text,
};
use imap_proto::view::{FetchItemView, ResponseView, ViewEvent};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[path = "../common/mod.rs"]
mod common;

mod agreement;
mod edges;
mod reader;

use common::lines::{
    DEFECTS_IN_BODY_STRUCTURES, DEFECTS_IN_FETCH_RESPONSES, DEFECTS_IN_FLAG_LISTS,
    DEFECTS_IN_SPACING_AND_LISTS, DEFECTS_IN_STATUS_RESPONSES, GRAMMAR_CORNERS_SERVERS_REACH,
    LINES_OF_WIDELY_DEPLOYED_SERVERS, OTHER_SERVERS, RFC_EXAMPLES, UNDECODABLE_LINE,
};
use common::{Setup, agree_with_views, agree_with_views_in, both_ways, strategies};

/// Read sizes every fixed input is fed in: octet by octet, small odd
/// pieces, a typical socket read, and all at once.
const READS: [usize; 4] = [1, 7, 4096, usize::MAX];

/// The settings the fixed inputs are also checked under (besides the
/// default): strict, UTF-8 in force, bare LF allowed, and a small stream
/// threshold (FETCH literals come out in pieces).
fn setups() -> Vec<(&'static str, Setup)> {
    let strict = Setup {
        strictness: Strictness::Strict,
        ..Setup::default()
    };
    let utf8 = Setup {
        utf8: true,
        ..Setup::default()
    };
    let mut bare_lf = Setup::default();
    bare_lf.config.allow_bare_lf = true;
    let mut streamed = Setup::default();
    streamed.config.limits.literal_stream_threshold = 4;
    vec![
        ("default", Setup::default()),
        ("strict", strict),
        ("utf8", utf8),
        ("bare LF", bare_lf),
        ("streamed", streamed),
    ]
}

/// Checks `input` under every setup and read size; returns the views of
/// the default setup read whole.
fn agree_everywhere(input: &[u8]) -> usize {
    let mut views = 0;
    for (name, setup) in setups() {
        for read in READS {
            let n = agree_with_views_in(&setup, input, read);
            if name == "default" && read == usize::MAX {
                views = n;
            }
        }
    }
    views
}

fn crlf(line: &[u8]) -> Vec<u8> {
    let mut v = line.to_vec();
    v.extend_from_slice(b"\r\n");
    v
}

// ------------------------------------------------------------ edge cases

/// Whether a line is read as a view (by the default decoder).
const VIEW: bool = true;
/// Whether a line goes to the full parser (a quirk, an error, or a form the
/// views leave to it). A line moved to views must be canonical and agree.
const FULL: bool = false;

/// Checks each line (CRLF added) under every setup and read size, and that
/// the default decoder makes a view of it exactly when the table says so.
fn edge_cases(cases: &[(bool, &[u8])]) {
    let mut wrong = Vec::new();
    for (view, line) in cases {
        let views = agree_everywhere(&crlf(line));
        if views != usize::from(*view) {
            wrong.push(format!("b\"{}\": {views} views", line.escape_ascii()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
