//! The subcommands, one module per protocol or verb: `pop3` (the POP3
//! client commands), `inspect` (capture replay, one submodule per
//! protocol), `serve` (the POP3 server) and `demo`. Each module's `mod.rs`
//! holds its clap arguments and its dispatch; what they print goes through
//! [`crate::output`], URLs through [`crate::target`].
//!
//! An IMAP client command set goes in `cmd/imap/` beside `cmd/pop3/`, with
//! its variant in [`Command`].

pub(crate) mod demo;
pub(crate) mod inspect;
pub(crate) mod pop3;
pub(crate) mod serve;

use std::process::ExitCode;

/// The top-level subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
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
        args: pop3::ClientArgs,
        #[command(subcommand)]
        command: pop3::ClientCommand,
    },
    /// Serve Maildirs over POP3S (and POP3 with STLS).
    Serve(Box<serve::ServeArgs>),
    /// Replay a captured session through the client and server state machines.
    Inspect {
        #[command(subcommand)]
        protocol: inspect::Protocol,
    },
}

/// Runs one command; the exit code on success.
pub(crate) fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Demo { in_memory: true } => demo::memory::run(&mut crate::output::stdout()),
        Command::Demo { in_memory: false } => block_on(demo::run(&mut crate::output::stdout())),
        Command::Pop3 { args, command } => block_on_one_thread(pop3::run(args, command)),
        Command::Serve(args) => block_on(serve::run(*args, async {
            let _ = tokio::signal::ctrl_c().await;
        })),
        Command::Inspect { protocol } => inspect::run(protocol),
    }
}

/// Runs a client command on a runtime of one thread (plus its blocking
/// pool): one connection needs no more, and its reads are then woken where
/// they run, not from another thread (a futex call each). Exit 0 when it
/// succeeds.
fn block_on_one_thread(
    command: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(command)?;
    Ok(ExitCode::SUCCESS)
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
