//! `mailctl`: the mailwire command-line tool. POP3 client commands, a POP3
//! server over a Maildir, the demo, and a capture replayer.

mod client;
mod demo;
mod demo_memory;
mod describe;
mod fetch;
mod inspect;
mod inspect_imap;
mod maildir;
mod report;
mod sample;
mod serve;
mod target;

use std::net::SocketAddr;
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
    /// Start the server on loopback with a sample maildrop and a generated
    /// certificate, and run a POP3S and an STLS session against it.
    Demo {
        /// Instead, wire a client session and a server session to each other
        /// in memory (no sockets, no TLS) and show every line.
        #[arg(long)]
        in_memory: bool,
    },
    /// POP3 client commands.
    Pop3 {
        #[command(flatten)]
        args: client::ClientArgs,
        #[command(subcommand)]
        command: client::ClientCommand,
    },
    /// Serve Maildirs over POP3S (and POP3 with STLS).
    Serve {
        /// Root directory: each user's Maildir is DIR/NAME/{cur,new,tmp}.
        #[arg(long, value_name = "DIR")]
        maildir: PathBuf,
        /// A user, NAME:PASSWORD (repeatable).
        #[arg(long = "user", value_name = "NAME:PASSWORD", required = true)]
        users: Vec<String>,
        /// POP3S (implicit TLS) address, e.g. 0.0.0.0:995 or 127.0.0.1:0.
        #[arg(long, value_name = "ADDR")]
        pop3s: Option<SocketAddr>,
        /// POP3 address (STLS offered), e.g. 0.0.0.0:110.
        #[arg(long, value_name = "ADDR")]
        pop3: Option<SocketAddr>,
        /// Certificate chain (PEM); without it a self-signed one is generated.
        #[arg(long, value_name = "PEM", requires = "key")]
        cert: Option<PathBuf>,
        /// Private key (PEM).
        #[arg(long, value_name = "PEM", requires = "cert")]
        key: Option<PathBuf>,
        /// Write the generated certificate here, for clients to trust.
        #[arg(long, value_name = "FILE")]
        write_cert: Option<PathBuf>,
        /// Extra host names for the generated certificate.
        #[arg(long = "hostname", value_name = "NAME")]
        hostnames: Vec<String>,
    },
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

/// Runs an async command on a multi-threaded runtime; exit 0 when it succeeds.
fn block_on(
    command: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(command)?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Top::Demo { in_memory: true } => demo_memory::run(&mut std::io::stdout().lock()),
        Top::Demo { in_memory: false } => block_on(demo::run(&mut std::io::stdout())),
        Top::Pop3 { args, command } => block_on(client::run(args, command)),
        Top::Serve {
            maildir,
            users,
            pop3s,
            pop3,
            cert,
            key,
            write_cert,
            hostnames,
        } => {
            let args = serve::ServeArgs {
                maildir,
                users,
                pop3s,
                pop3,
                cert,
                key,
                write_cert,
                hostnames,
            };
            block_on(serve::run(args, async {
                let _ = tokio::signal::ctrl_c().await;
            }))
        }
        Top::Inspect {
            protocol:
                InspectProtocol::Pop3 {
                    client,
                    server,
                    json,
                },
        } => inspect::pop3(&client, &server, json, &mut std::io::stdout().lock()),
        Top::Inspect {
            protocol:
                InspectProtocol::Imap {
                    client,
                    server,
                    json,
                    strict,
                },
        } => inspect_imap::imap(
            &client,
            &server,
            json,
            strict,
            &mut std::io::stdout().lock(),
        ),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mailctl: {e:#}");
            ExitCode::from(2)
        }
    }
}
