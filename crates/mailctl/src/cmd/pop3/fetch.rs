//! `mailctl pop3 URL fetch --to MAILDIR`: download into a Maildir, tracked
//! by UIDL, deleting on the server only what was safely written.
//!
//! The RETRs are pipelined when the server offers PIPELINING (RFC 2449
//! §6.6); the bodies go to a writer thread ([`store`]) that makes them
//! durable a batch at a time; DELE goes out for a batch only once it is
//! durable and recorded (see [`store`] for what a crash leaves).

mod line_endings;
mod plan;
mod store;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mail_net::pop3::{DEFAULT_PIPELINE_WINDOW, Pipeline, Pop3Client, Reply};
use serde_json::json;
use tokio::net::TcpStream;

use self::plan::plan;
use self::store::{Store, StoreConfig, Stored, load_state};
use crate::maildir::ensure_maildir;
use crate::output::{self, interactive, shown};
use crate::target::Target;

/// What `fetch` was asked to do.
#[derive(Debug)]
pub(crate) struct FetchOptions {
    pub(crate) maildir: PathBuf,
    pub(crate) delete: bool,
    pub(crate) new_only: bool,
    pub(crate) keep_crlf: bool,
    pub(crate) json: bool,
}

/// The file that records which unique-ids were fetched from an account.
fn state_file(maildir: &Path, target: &Target) -> PathBuf {
    let label: String = target
        .label()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    maildir.join(format!(".mailctl-uidl-{label}"))
}

/// Counts for the closing line.
#[derive(Debug, Default)]
struct Tally {
    fetched: usize,
    deleted: usize,
    octets: u64,
}

/// Downloads every (or every new) message.
pub(crate) async fn fetch(
    client: &mut Pop3Client,
    target: &Target,
    opts: &FetchOptions,
) -> anyhow::Result<()> {
    ensure_maildir(&opts.maildir).with_context(|| format!("creating {}", shown(&opts.maildir)))?;
    let state = state_file(&opts.maildir, target);
    let seen = load_state(&state)?;
    // Whether RETRs may be pipelined: the capabilities may differ after
    // login (RFC 2449 §5), and with implicit TLS none were asked yet.
    client.capabilities().await.context("CAPA")?;
    let uids = client.uidl().await.context("UIDL")?;
    let sizes = client.list().await.context("LIST")?;
    let todo = plan(&uids, &sizes, &seen, opts.new_only);
    let skipped = uids.len() - todo.len();
    drop((uids, sizes, seen));
    let total: u64 = todo.iter().map(|t| t.size).sum();
    let bar = if interactive() {
        ProgressBar::new(total)
    } else {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden())
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {wide_bar} {msg} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut store = Store::start(StoreConfig {
        maildir: opts.maildir.clone(),
        state,
        to_lf: !opts.keep_crlf,
    });
    let mut pipeline = client.pipeline(DEFAULT_PIPELINE_WINDOW);
    // RETRs queued, and bodies begun.
    let mut next = 0;
    let mut started = 0;
    let mut tally = Tally::default();
    let mut received = 0u64;
    let mut closed = false;
    loop {
        while pipeline.has_room() && next < todo.len() {
            pipeline.retrieve(todo[next].msg);
            next += 1;
        }
        while let Some(batch) = store.try_durable() {
            on_durable(batch, &mut pipeline, opts, &mut tally);
        }
        if pipeline.outstanding() == 0 {
            // Every RETR answered (and every DELE so far): wait for the
            // last batches, whose DELEs come next.
            if !closed {
                store.close();
                closed = true;
            }
            match store.durable().await? {
                Some(batch) => {
                    on_durable(batch, &mut pipeline, opts, &mut tally);
                    continue;
                }
                None => break,
            }
        }
        let Some(reply) = pipeline.next().await? else {
            continue;
        };
        match reply {
            Reply::BodyStart { msg } => {
                bar.set_message(format!("message {msg}"));
                // RETR answers come in the order the RETRs were queued.
                let uid = todo
                    .get(started)
                    .filter(|w| w.msg == msg)
                    .map(|w| w.uid.clone())
                    .context("an answer out of order")?;
                started += 1;
                store.begin(msg, uid);
            }
            Reply::BodyChunk { data, .. } => {
                received += data.len() as u64;
                bar.set_position(received);
                store.chunk(data).await?;
            }
            Reply::BodyEnd { .. } => store.end().await?,
            Reply::Deleted { .. } => tally.deleted += 1,
            Reply::Refused {
                command,
                msg,
                status,
            } => {
                let error = mail_net::pop3::Pop3Error::Refused { command, status };
                let doing = if command == "DELE" {
                    "deleting"
                } else {
                    "retrieving"
                };
                return Err(anyhow::Error::new(error).context(format!("{doing} message {msg}")));
            }
            other => anyhow::bail!("unexpected answer: {other:?}"),
        }
    }
    bar.finish_and_clear();
    if opts.json {
        writeln!(
            output::stdout(),
            "{}",
            json!({"fetched": tally.fetched, "skipped": skipped, "deleted_on_quit": tally.deleted})
        )?;
    } else {
        writeln!(
            output::stderr(),
            "fetched {} message(s) ({} octets) into {}; {skipped} already there{}",
            tally.fetched,
            tally.octets,
            shown(&opts.maildir),
            if opts.delete {
                format!("; {} deleted on the server at QUIT", tally.deleted)
            } else {
                String::new()
            }
        )?;
    }
    Ok(())
}

/// A batch is durable and recorded: now it may be deleted on the server.
fn on_durable(
    batch: Vec<Stored>,
    pipeline: &mut Pipeline<'_, TcpStream>,
    opts: &FetchOptions,
    tally: &mut Tally,
) {
    for stored in batch {
        tally.fetched += 1;
        tally.octets += stored.size;
        if opts.delete {
            pipeline.delete(stored.msg);
        }
        if opts.json {
            // A closed stdout shows in the closing summary's write.
            let _ = writeln!(
                output::stdout(),
                "{}",
                json!({"msg": stored.msg.get(), "uid": stored.uid, "size": stored.size, "file": shown(&stored.path)})
            );
        }
    }
}
