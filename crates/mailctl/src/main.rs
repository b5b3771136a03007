//! `mailctl`: the mailwire command-line tool. Runs the embedded demo and
//! replays captured sessions; client commands and a server follow.

mod demo;
mod describe;
mod inspect;
mod sample;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Secure mail retrieval toolkit: POP3 and IMAP over TLS.
#[derive(Debug, Parser)]
#[command(name = "mailctl", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Top,
}

#[derive(Debug, Subcommand)]
enum Top {
    /// Run a POP3 client session against a POP3 server session in memory
    /// over a sample maildrop, and show the exchange.
    Demo,
    /// Replay a captured session through the client and server state machines.
    Inspect {
        #[command(subcommand)]
        protocol: InspectProtocol,
    },
}

#[derive(Debug, Subcommand)]
enum InspectProtocol {
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Top::Demo => demo::run(&mut std::io::stdout().lock()),
        Top::Inspect {
            protocol:
                InspectProtocol::Pop3 {
                    client,
                    server,
                    json,
                },
        } => inspect::pop3(&client, &server, json, &mut std::io::stdout().lock()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mailctl: {e:#}");
            ExitCode::from(2)
        }
    }
}
