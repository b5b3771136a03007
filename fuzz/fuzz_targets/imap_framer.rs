//! Fuzzes the IMAP framer on both sides: arbitrary bytes in arbitrary
//! chunks, literal announcements accepted or refused by input bits.
//!
//! Checks: no panic, no endless loop; the framer never claims more octets
//! than it was fed; frames and literal chunks together never exceed the
//! input; the receive buffer stays bounded by the limits. (Chunking
//! invariance is a proptest in `crates/imap-proto/tests/framing.rs`.)

#![no_main]

use bytes::BytesMut;
use imap_proto::Limits;
use imap_proto::codec::{FrameEvent, Framer, FramerConfig, Side};
use libfuzzer_sys::fuzz_target;

/// Frames `data` cut at the sizes the control bytes give.
fn run(side: Side, control: &[u8], data: &[u8], small: bool) {
    let mut config = FramerConfig::new(side);
    if small {
        // Small limits reach the streaming and limit paths quickly.
        let mut limits = Limits::default();
        limits.literal_stream_threshold = 16;
        limits.max_command_line = 64;
        limits.max_response_line = 64;
        limits.max_message_size = 256;
        config.limits = limits;
    }
    let bound = config.limits.max_message_size
        + config
            .limits
            .max_command_line
            .max(config.limits.max_response_line)
        + 64 * 1024;
    let mut framer = Framer::new(config);
    let mut buf = BytesMut::new();
    let (mut fed, mut out) = (0usize, 0usize);
    let mut sizes = control.iter().cycle();
    let mut decisions = control.iter().rev().cycle();
    let mut rest = data;
    loop {
        while let Some(event) = framer.decode(&mut buf) {
            match &event {
                FrameEvent::Frame(f) => out += f.bytes().len(),
                FrameEvent::LiteralChunk(c) => out += c.len(),
                FrameEvent::Announcement(_) => {
                    let accept = decisions.next().is_none_or(|d| d & 1 == 0);
                    let result = if accept {
                        framer.accept_literal()
                    } else {
                        framer.reject_literal()
                    };
                    assert!(
                        result.is_ok(),
                        "a decision right after an announcement is valid"
                    );
                }
                _ => {}
            }
        }
        assert!(out <= fed, "{out} octets out of {fed} fed");
        assert!(framer.offset() <= fed as u64);
        assert!(buf.len() <= bound, "buffer {} above {bound}", buf.len());
        if rest.is_empty() {
            break;
        }
        let n = if control.is_empty() {
            rest.len()
        } else {
            usize::from(*sizes.next().unwrap_or(&1)).max(1)
        };
        let n = n.min(rest.len());
        buf.extend_from_slice(&rest[..n]);
        fed += n;
        rest = &rest[n..];
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&head, input)) = input.split_first() else {
        return;
    };
    let control_len = usize::from(head >> 3).min(input.len());
    let (control, data) = input.split_at(control_len);
    let side = if head & 1 == 0 {
        Side::Client
    } else {
        Side::Server
    };
    let small = head & 2 != 0;
    run(side, control, data, small);
});
