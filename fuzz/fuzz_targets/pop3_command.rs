//! Server-side framing and parsing: arbitrary bytes in arbitrary chunks into
//! `CommandDecoder`, alternating command and SASL lines; every decoded command
//! must survive an encode / parse round trip.

#![no_main]

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use mailwire_fuzz::Chunks;
use pop3_proto::{Command, Limits, SaslResponse, parse_command};
use pop3_proto::{CommandDecoder, CommandEvent, Expect};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    // Bit 5 of the first byte (lower-case ASCII): accept bare-LF line endings.
    let allow_bare_lf = data.first().is_some_and(|b| b & 0x20 != 0);
    let mut decoder = CommandDecoder::new(limits.clone(), allow_bare_lf);
    let mut buf = BytesMut::new();
    let mut fed = 0usize;
    for (control, chunk) in Chunks::new(data) {
        buf.extend_from_slice(chunk);
        fed += chunk.len();
        // The high bit of the chunk's first byte: the lines decoded after this
        // chunk are SASL answers.
        let (kind, max) = if control & 0x80 != 0 {
            (Expect::SaslResponse, limits.max_sasl_line)
        } else {
            (Expect::Command, limits.max_command_line)
        };
        while let Some(frame) = decoder.decode(&mut buf, kind) {
            assert!(
                frame.offset + frame.line.len() as u64 <= fed as u64,
                "frame beyond the input"
            );
            match frame.message {
                Ok(CommandEvent::Command(command)) => round_trip_command(&command),
                Ok(CommandEvent::SaslResponse(response)) => round_trip_sasl(&response),
                Ok(_) | Err(_) => {}
            }
        }
        // Nothing is lost or duplicated, and an incomplete line is bounded by
        // the line limit, whatever the input.
        assert_eq!(
            decoder.offset() + buf.len() as u64,
            fed as u64,
            "octets lost"
        );
        assert!(buf.len() <= fed, "receive buffer grew beyond the input");
        assert!(
            buf.len() < max,
            "incomplete line of {} octets kept",
            buf.len()
        );
    }
});

fn round_trip_command(command: &Command) {
    if command.validate().is_err() {
        return;
    }
    let mut out = BytesMut::new();
    command.encode(&mut out);
    let line = strip_crlf(out.freeze());
    let again = parse_command(&line)
        .unwrap_or_else(|e| panic!("{command:?} encodes to {line:?}, which fails to parse: {e}"));
    assert_eq!(&again, command, "round trip through {line:?}");
}

fn round_trip_sasl(response: &SaslResponse) {
    let mut out = BytesMut::new();
    response.encode(&mut out);
    let line = strip_crlf(out.freeze());
    let again = SaslResponse::parse(&line)
        .unwrap_or_else(|e| panic!("{response:?} encodes to {line:?}, which fails to parse: {e}"));
    assert_eq!(&again, response, "round trip through {line:?}");
}

fn strip_crlf(line: Bytes) -> Bytes {
    assert!(
        line.ends_with(b"\r\n"),
        "encoding does not end with CRLF: {line:?}"
    );
    let line = line.slice(..line.len() - 2);
    assert!(
        !line.iter().any(|&b| b == b'\r' || b == b'\n'),
        "line break inside an encoded line: {line:?}"
    );
    line
}
