//! `mailctl pop3 URL fetch --to MAILDIR`: download into a Maildir, tracked
//! by UIDL, deleting on the server only what was safely written.

mod plan;

use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mail_net::pop3::Pop3Client;
use serde_json::json;
use tokio::io::{AsyncWrite, AsyncWriteExt as _};

use crate::maildir::ensure_maildir;
use crate::output::{interactive, shown};
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

fn read_state(path: &Path) -> anyhow::Result<HashSet<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashSet::new()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Appends a unique-id to the state file, durably.
fn record(path: &Path, uid: &str) -> anyhow::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(f, "{uid}")?;
    f.sync_all()?;
    Ok(())
}

static DELIVERIES: AtomicU64 = AtomicU64::new(0);

/// A unique Maildir file name: `time.MmicrosPpidQn.host,S=size`.
fn unique_name(size: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().replace(['/', ':'], "_"))
        .unwrap_or_default();
    let host = if host.is_empty() {
        "localhost".to_owned()
    } else {
        host
    };
    let n = DELIVERIES.fetch_add(1, Ordering::Relaxed);
    format!(
        "{}.M{}P{}Q{n}.{host},S={size}",
        now.as_secs(),
        now.subsec_micros(),
        std::process::id()
    )
}

/// Downloads every (or every new) message.
pub(crate) async fn fetch(
    client: &mut Pop3Client,
    target: &Target,
    opts: &FetchOptions,
) -> anyhow::Result<()> {
    ensure_maildir(&opts.maildir).with_context(|| format!("creating {}", shown(&opts.maildir)))?;
    let state = state_file(&opts.maildir, target);
    let seen = read_state(&state)?;
    let uids = client.uidl().await.context("UIDL")?;
    let sizes = client.list().await.context("LIST")?;
    let todo = plan::plan(&uids, &sizes, &seen, opts.new_only);
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
    let mut fetched = 0usize;
    let mut deleted = 0usize;
    let mut done_bytes = 0u64;
    for plan::Wanted { msg, uid, size } in &todo {
        bar.set_message(format!("message {msg}"));
        let name = unique_name(*size);
        let tmp = opts.maildir.join("tmp").join(&name);
        let file = tokio::fs::File::create(&tmp)
            .await
            .with_context(|| format!("creating {}", shown(&tmp)))?;
        let mut writer = LineEndings::new(tokio::io::BufWriter::new(file), !opts.keep_crlf);
        let base = done_bytes;
        let written = client
            .retrieve_with_progress(*msg, &mut writer, &mut |n| bar.set_position(base + n))
            .await
            .with_context(|| format!("retrieving message {msg}"));
        let written = match written {
            Ok(n) => n,
            Err(e) => {
                let _ = tokio::fs::remove_file(&tmp).await;
                return Err(e);
            }
        };
        done_bytes += written;
        let mut file = writer.into_inner();
        file.flush().await?;
        let file = file.into_inner();
        // Durable before it becomes visible, and before the server may delete it.
        file.sync_all()
            .await
            .with_context(|| format!("fsync {}", shown(&tmp)))?;
        drop(file);
        let dest = opts.maildir.join("new").join(&name);
        tokio::fs::rename(&tmp, &dest).await?;
        std::fs::File::open(opts.maildir.join("new"))?.sync_all()?;
        record(&state, uid.as_str())?;
        fetched += 1;
        if opts.delete {
            client
                .delete(*msg)
                .await
                .with_context(|| format!("deleting message {msg}"))?;
            deleted += 1;
        }
        if opts.json {
            println!(
                "{}",
                json!({"msg": msg.get(), "uid": uid.as_str(), "size": written, "file": shown(&dest)})
            );
        }
    }
    bar.finish_and_clear();
    if opts.json {
        println!(
            "{}",
            json!({"fetched": fetched, "skipped": uids.len() - todo.len(), "deleted_on_quit": deleted})
        );
    } else {
        eprintln!(
            "fetched {fetched} message(s) ({done_bytes} octets) into {}; {} already there{}",
            shown(&opts.maildir),
            uids.len() - todo.len(),
            if opts.delete {
                format!("; {deleted} deleted on the server at QUIT")
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

/// An `AsyncWrite` that turns CRLF into LF (when asked), across chunk
/// boundaries; a bare CR is kept.
struct LineEndings<W> {
    inner: W,
    to_lf: bool,
    /// A CR seen at the end of the last chunk, not yet written.
    pending_cr: bool,
    /// Converted octets not yet accepted by `inner`.
    out: Vec<u8>,
}

impl<W: AsyncWrite + Unpin> LineEndings<W> {
    fn new(inner: W, to_lf: bool) -> Self {
        Self {
            inner,
            to_lf,
            pending_cr: false,
            out: Vec::new(),
        }
    }

    fn into_inner(self) -> W {
        self.inner
    }

    fn convert(&mut self, data: &[u8]) {
        for &b in data {
            if self.pending_cr {
                self.pending_cr = false;
                if b != b'\n' {
                    self.out.push(b'\r');
                }
            }
            if b == b'\r' {
                self.pending_cr = true;
            } else {
                self.out.push(b);
            }
        }
    }

    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        while !self.out.is_empty() {
            let n = std::task::ready!(Pin::new(&mut self.inner).poll_write(cx, &self.out))?;
            if n == 0 {
                return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()));
            }
            self.out.drain(..n);
        }
        Poll::Ready(Ok(()))
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for LineEndings<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_drain(cx))?;
        if this.to_lf {
            this.convert(buf);
        } else {
            this.out.extend_from_slice(buf);
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        if std::mem::take(&mut this.pending_cr) {
            this.out.push(b'\r');
        }
        std::task::ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn crlf_becomes_lf_across_writes() {
        let mut w = LineEndings::new(Vec::new(), true);
        for piece in [&b"a\r"[..], b"\nb\rc\r", b"\r\n", b"d\r"] {
            w.write_all(piece).await.unwrap();
        }
        w.shutdown().await.unwrap();
        assert_eq!(w.into_inner(), b"a\nb\rc\r\nd\r");
    }
}
