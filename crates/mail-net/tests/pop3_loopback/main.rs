//! POP3 end to end over loopback: the async client against the server driver,
//! with implicit TLS and STLS, certificate checks, STLS injection in both
//! directions, plaintext logins refused before STLS, locking, autologout,
//! login and handshake deadlines, connection limits, failed-login delays
//! across connections, backpressure, the `Framed` codecs, and pipelined
//! RETR and DELE.

#[path = "../common/mod.rs"]
mod common;
mod deadlines;
mod framed;
mod guards;
mod guessing;
mod limits;
mod pipeline;
mod security;
mod sessions;

use std::time::{Duration, Instant};

use bytes::Bytes;
use common::{
    MemMaildrop, Mode, STEP, TempPem, TestServer, bounded, expected_top, fast_guards, fast_options,
    memory_guard, plaintext_options, testdata_messages, wire_form,
};
use futures_util::{SinkExt, StreamExt};
use mail_net::MailStream;
use mail_net::pop3::{
    ClientItem, ConnectOptions, Flush, Locks, Pop3Client, Pop3ClientCodec, Pop3Error,
    Pop3ServerCodec, Security, ServeError, ServerAction, ServerItem, TlsMode, serve_connection,
};
use mail_net::tls::{self, ClientTlsOptions, TlsSetupError};
use pop3_proto::{
    Capability, ClientConfig, Command, Event, MessageInfo, MessageNumber, Positive, Response,
    ResponseCode, Secret, SessionConfig, SessionEvent, Text, UniqueId,
};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::Framed;

const USER: &str = "alice";
const PASSWORD: &str = "wonderland";

fn msg(n: u32) -> MessageNumber {
    MessageNumber::new(n).unwrap()
}

fn secret(s: &str) -> Secret {
    Secret::from(s)
}

/// Options for a plaintext client of a fake server on 127.0.0.1 (the TLS
/// configuration is never used): short connect and greeting timeouts, and
/// `command` for each answer (longer where bodies are carried).
fn plain_options(port: u16, command: Duration) -> ConnectOptions {
    let mut tls_options = ClientTlsOptions::default();
    tls_options.accept_invalid_certs = true;
    let config = tls::client_config(&tls_options).unwrap();
    let mut options = ConnectOptions::new("127.0.0.1", port, Security::Plain, config);
    options.timeouts.connect = STEP;
    options.timeouts.greeting = STEP;
    options.timeouts.command = command;
    options
}

/// Asserts two byte strings are equal, reporting the first difference
/// instead of dumping megabytes.
fn assert_bytes_eq(what: &str, got: &[u8], want: &[u8]) {
    if got == want {
        return;
    }
    let at = got
        .iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    let show = |b: &[u8]| {
        String::from_utf8_lossy(&b[at.saturating_sub(20)..(at + 20).min(b.len())]).into_owned()
    };
    panic!(
        "{what}: {} octets received, {} expected; first difference at {at}: got {:?}, want {:?}",
        got.len(),
        want.len(),
        show(got),
        show(want)
    );
}

fn alice_with_testdata() -> (MemMaildrop, Vec<(String, Bytes)>) {
    let messages = testdata_messages();
    let maildrop = MemMaildrop::new();
    maildrop.add_user(USER, PASSWORD, messages.clone());
    (maildrop, messages)
}

fn refused_code(e: &Pop3Error) -> Option<ResponseCode> {
    match e {
        Pop3Error::Refused { status, .. } => status.code.clone(),
        _ => None,
    }
}

/// Reads one CRLF-terminated line (bounded in time).
async fn read_line<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> String {
    let mut line = String::new();
    bounded("a line", reader.read_line(&mut line))
        .await
        .unwrap();
    line
}
