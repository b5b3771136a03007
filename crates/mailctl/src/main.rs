//! `mailctl`: the mailwire command-line tool. POP3 client commands, a POP3
//! server over a Maildir, the demo, and a capture replayer. The commands
//! live in [`cmd`], one module per protocol or verb.

mod cmd;
mod maildir;
mod output;
mod target;

use std::process::ExitCode;

use clap::Parser;

/// Secure mail retrieval toolkit: POP3 and IMAP over TLS.
#[derive(Debug, Parser)]
#[command(name = "mailctl", version, about)]
struct Cli {
    #[command(subcommand)]
    command: cmd::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cmd::run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            // The one place every failure is printed: what a peer said in
            // it is escaped there.
            output::report_error(&e);
            ExitCode::from(2)
        }
    }
}
