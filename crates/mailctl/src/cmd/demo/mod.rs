//! `mailctl demo`: starts the server (`serve`, over a Maildir with a sample
//! maildrop) in this process on loopback ports with a generated certificate,
//! then runs a POP3S session and an STLS session against it with the real
//! client, and tells what happened.

pub(crate) mod memory;
mod sample;

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, ensure};
use mail_net::pop3::{ConnectOptions, Pop3Client, Security, TraceDirection, Tracer};
use mail_net::tls::{self, ClientTlsOptions};
use pop3_proto::sasl::Plain;
use pop3_proto::{MessageNumber, Secret};

use self::sample::{MESSAGES, wire_form};
use crate::cmd::serve::{self, OnDone, ServeArgs};

const USER: &str = "alice";
const PASSWORD: &str = "correct horse battery staple";

/// Lines printed by the tracer, shared with the printer.
type Lines = Arc<Mutex<Vec<String>>>;

fn tracer(lines: &Lines) -> Tracer {
    let lines = lines.clone();
    Box::new(move |dir, line| {
        let who = if dir == TraceDirection::Sent {
            "C:"
        } else {
            "S:"
        };
        if let Ok(mut l) = lines.lock() {
            l.push(format!("   {who} {line}"));
        }
    })
}

fn flush(out: &mut dyn Write, lines: &Lines) -> anyhow::Result<()> {
    let taken = std::mem::take(&mut *lines.lock().map_err(|_| anyhow::anyhow!("poisoned"))?);
    for line in taken {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn num(n: u32) -> anyhow::Result<MessageNumber> {
    MessageNumber::new(n).context("message numbers start at 1")
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the demo, printing to `out`.
pub(crate) async fn run(out: &mut dyn Write) -> anyhow::Result<()> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir =
        TempDir(std::env::temp_dir().join(format!("mailctl-demo-{}-{nanos}", std::process::id())));
    let maildir = dir.0.join("mail");
    let inbox = maildir.join(USER);
    crate::maildir::ensure_maildir(&inbox)?;
    for (uid, message) in MESSAGES {
        std::fs::write(inbox.join("new").join(uid), message)?;
    }
    let cert = dir.0.join("demo-ca.pem");
    let args = ServeArgs {
        maildir: maildir.clone(),
        users: vec![format!("{USER}:{PASSWORD}")],
        pop3s: Some("127.0.0.1:0".parse()?),
        pop3: Some("127.0.0.1:0".parse()?),
        cert: None,
        key: None,
        write_cert: Some(cert.clone()),
        hostnames: Vec::new(),
        guard: serve::GuardArgs::default(),
    };
    let server_log: Lines = Arc::default();
    let log = server_log.clone();
    let on_done: OnDone = Arc::new(move |peer, result| {
        let line = match result {
            Ok(s) => format!(
                "   server: connection from {peer} done: user {}, {} retrieved, {} deleted",
                s.user.as_deref().unwrap_or("-"),
                s.retrieved,
                s.deleted
            ),
            Err(e) => format!("   server: connection from {peer} failed: {e}"),
        };
        if let Ok(mut l) = log.lock() {
            l.push(line);
        }
    });
    let running = serve::start(&args, on_done).await?;
    let addr = |label: &str| {
        running
            .listeners
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, a)| *a)
    };
    let (pop3s, pop3) = (
        addr("pop3s").context("pop3s listener")?,
        addr("pop3").context("pop3 listener")?,
    );
    writeln!(
        out,
        "mailwire demo: `mailctl serve` runs in this process over a Maildir of {} sample messages,\n\
         with a freshly generated self-signed certificate:\n\
         \x20  POP3S (implicit TLS) on {pop3s}\n\
         \x20  POP3 + STLS          on {pop3}\n\
         The client (mail-net's Pop3Client) trusts that certificate and nothing else.\n\
         C: lines are what the client sent, S: what it received (passwords redacted).",
        MESSAGES.len()
    )?;
    let config = tls::client_config(&ClientTlsOptions::with_ca_files(vec![cert]))?;
    let lines: Lines = Arc::default();

    writeln!(out, "\n# Session 1: POP3S to {pop3s}, SASL PLAIN login")?;
    let options = ConnectOptions::new("127.0.0.1", pop3s.port(), Security::Tls, config.clone());
    let mut client = Pop3Client::connect_traced(options, Some(tracer(&lines))).await?;
    writeln!(out, "   TLS: {}", client.tls_summary().unwrap_or_default())?;
    client.capabilities().await?;
    client
        .authenticate(Box::new(Plain::new(USER, Secret::from(PASSWORD))))
        .await?;
    let stat = client.stat().await?;
    client.list().await?;
    client.uidl().await?;
    flush(out, &lines)?;
    ensure!(
        stat.count as usize == MESSAGES.len(),
        "STAT sees {} messages",
        stat.count
    );

    writeln!(
        out,
        "\n# RETR 2: its lines starting with '.' travel dot-stuffed; the client unstuffs them"
    )?;
    let mut body = Vec::new();
    client.retrieve(num(2)?, &mut body).await?;
    flush(out, &lines)?;
    ensure!(
        body == wire_form(MESSAGES[1].1),
        "message 2 arrived changed"
    );
    for line in String::from_utf8_lossy(&body)
        .lines()
        .filter(|l| l.starts_with('.'))
    {
        writeln!(out, "   | {line}")?;
    }
    writeln!(
        out,
        "   -> {} octets, identical to the stored message (with CRLF line endings)",
        body.len()
    )?;

    writeln!(
        out,
        "\n# Every message, verified byte for byte; then DELE 1 and QUIT (the server commits)"
    )?;
    for (i, (_, message)) in MESSAGES.iter().enumerate() {
        let mut body = Vec::new();
        client.retrieve(num(i as u32 + 1)?, &mut body).await?;
        ensure!(
            body == wire_form(message),
            "message {} arrived changed",
            i + 1
        );
    }
    lines
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .retain(|l| !l.contains("RETR") && !l.contains("octets") && !l.ends_with(" ."));
    writeln!(out, "   {} messages retrieved intact", MESSAGES.len())?;
    client.delete(num(1)?).await?;
    client.quit().await?;
    flush(out, &lines)?;
    let left = std::fs::read_dir(inbox.join("new"))?.count();
    writeln!(out, "   -> the Maildir now holds {left} messages")?;
    ensure!(left == MESSAGES.len() - 1, "the deletion was not committed");

    writeln!(
        out,
        "\n# Session 2: plaintext POP3 to {pop3}, upgraded with STLS before USER/PASS"
    )?;
    let options = ConnectOptions::new("127.0.0.1", pop3.port(), Security::StartTls, config);
    let mut client = Pop3Client::connect_traced(options, Some(tracer(&lines))).await?;
    flush(out, &lines)?;
    writeln!(
        out,
        "   (TLS from STLS on: {}; capabilities asked again over TLS)",
        client.tls_summary().unwrap_or_default()
    )?;
    client.login(USER, &Secret::from(PASSWORD)).await?;
    let stat = client.stat().await?;
    client.quit().await?;
    flush(out, &lines)?;
    ensure!(
        stat.count as usize == left,
        "the second session sees {} messages",
        stat.count
    );

    // Let the server report both connections.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    running.stop().await?;
    writeln!(out, "\n# Server side")?;
    flush(out, &server_log)?;
    writeln!(
        out,
        "\nSummary: two TLS sessions (implicit and STLS) against our own server; {} messages\n\
         retrieved and verified byte for byte, one deleted and committed at QUIT,\n\
         {left} left for the second session.",
        MESSAGES.len()
    )?;
    Ok(())
}
