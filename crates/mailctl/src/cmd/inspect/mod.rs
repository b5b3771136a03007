//! `mailctl inspect pop3|imap`: replays a captured session, one protocol per
//! module, and prints every decoded message (text or JSON, see
//! [`crate::output`]).

mod imap;
mod pop3;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

/// The protocol of the capture, and its options.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Protocol {
    /// A POP3 session: every byte the client sent, and every byte the server sent.
    Pop3 {
        /// File with the bytes the client sent (e.g. Wireshark "follow TCP
        /// stream", one direction, saved raw).
        #[arg(long = "client", value_name = "C2S_FILE")]
        client: PathBuf,
        /// File with the bytes the server sent.
        #[arg(long = "server", value_name = "S2C_FILE")]
        server: PathBuf,
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
    },
    /// An IMAP session: each direction decoded message by message.
    Imap {
        /// File with the bytes the client sent.
        #[arg(long = "client", value_name = "C2S_FILE")]
        client: PathBuf,
        /// File with the bytes the server sent.
        #[arg(long = "server", value_name = "S2C_FILE")]
        server: PathBuf,
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
        /// Report the quirks real peers commit as failures.
        #[arg(long)]
        strict: bool,
    },
}

/// Runs `inspect` on stdout.
pub(crate) fn run(protocol: Protocol) -> anyhow::Result<ExitCode> {
    let out = &mut crate::output::stdout();
    match protocol {
        Protocol::Pop3 {
            client,
            server,
            json,
        } => pop3::pop3(&client, &server, json, out),
        Protocol::Imap {
            client,
            server,
            json,
            strict,
        } => imap::imap(&client, &server, json, strict, out),
    }
}

/// Reads a capture: the client's bytes and the server's bytes.
fn read_capture(client: &Path, server: &Path) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let c2s = std::fs::read(client).with_context(|| format!("reading {}", client.display()))?;
    let s2c = std::fs::read(server).with_context(|| format!("reading {}", server.display()))?;
    Ok((c2s, s2c))
}
