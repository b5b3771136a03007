//! Writes downloaded messages into a Maildir, durably, a batch at a time,
//! on threads of its own.
//!
//! # The order of things, and what a crash leaves
//!
//! A message counts as fetched (its unique-id in the state file) and may be
//! deleted on the server (DELE, then QUIT) only once it is durable in the
//! Maildir. Each batch goes through these steps; a crash (of the program or
//! of the machine) at each point leaves, at worst, a duplicate, never a loss:
//!
//! 1. Each message is written to `tmp/` as it arrives. A crash here leaves
//!    partial or unsynced files in `tmp/` (which Maildir readers ignore and
//!    cleaners remove); nothing is recorded or deleted: the next run fetches
//!    the batch again.
//! 2. Every file of the batch is fsynced (several `fsync` calls in flight
//!    at once, so the filesystem commits them together). A crash: as in 1.
//! 3. Every file is renamed into `new/`. A crash: some messages in `new/`,
//!    durable, not recorded: the next run fetches them again (a duplicate).
//! 4. `new/` is fsynced once: the renames are durable. A crash before it
//!    ends: each message is in `tmp/` or in `new/`, whole; not recorded: a
//!    duplicate at worst.
//! 5. The batch's unique-ids are appended to the state file in one write
//!    and fsynced. A crash before the fsync: the messages are in `new/` and
//!    not (or not all) recorded: duplicates at worst. A torn last line is
//!    ignored and cut off by the next run ([`load_state`]).
//! 6. Only now is the batch reported durable, and only then does `fetch`
//!    send DELE for it. A crash before QUIT is processed deletes nothing on
//!    the server (RFC 1939 §6: no UPDATE state without QUIT).
//!
//! # Batch size
//!
//! An fsync costs about one journal commit (4 ms on the development
//! machine's ext4); several in flight share one. A batch ends at
//! [`BATCH_MESSAGES`] messages, [`BATCH_OCTETS`] octets or [`BATCH_AGE`],
//! whichever comes first: 64 messages make the fsyncs a few hundredths of
//! the writes' cost; 16 MiB bounds the dirty data one commit waits for
//! (and so the last batch's wait once the download is over); one second
//! bounds how much a crash on a slow link re-downloads. The batches are
//! committed on a thread of their own while the next one is written.
//!
//! # Threads
//!
//! The fetch loop hands the bodies over in [`Piece`]s of up to
//! [`PIECE_OCTETS`] through a bounded channel (at most [`PIECES_QUEUED`]
//! waiting: 4 MiB) to the writer thread, which converts line endings and
//! writes with `std::fs`, one `write` per piece: no trip through the
//! runtime's blocking pool per write. The writer hands each full batch to
//! the committer thread (at most one waiting), which reports durable
//! batches back.

use std::collections::HashSet;
use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use bytes::Bytes;
use pop3_proto::MessageNumber;
use tokio::sync::mpsc;

use super::line_endings::LineEndings;
use crate::output::shown;

/// A batch ends at this many messages.
pub(crate) const BATCH_MESSAGES: usize = 64;
/// ... or this many octets written.
pub(crate) const BATCH_OCTETS: u64 = 16 << 20;
/// ... or when its first message is this old.
pub(crate) const BATCH_AGE: Duration = Duration::from_secs(1);
/// Most fsync calls in flight at once.
const SYNC_THREADS: usize = 8;
/// A piece is sent to the writer once it holds this many octets.
pub(crate) const PIECE_OCTETS: usize = 256 << 10;
/// Pieces waiting for the writer, at most.
const PIECES_QUEUED: usize = 16;

/// Part of the stream of messages, for the writer.
#[derive(Debug, Default)]
struct Piece {
    /// A new message starts with this piece.
    begin: Option<(MessageNumber, String)>,
    /// Body octets, CRLF line endings (as received).
    data: Vec<Bytes>,
    /// The message ends with this piece.
    end: bool,
}

/// A message made durable in `new/` and recorded in the state file.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    /// Its number in this session.
    pub(crate) msg: MessageNumber,
    /// Its unique-id.
    pub(crate) uid: String,
    /// Its file in `new/`.
    pub(crate) path: PathBuf,
    /// Octets received (CRLF line endings).
    pub(crate) size: u64,
}

/// Where and how to store.
#[derive(Debug, Clone)]
pub(crate) struct StoreConfig {
    /// The Maildir (its `tmp/`, `new/`, `cur/` exist).
    pub(crate) maildir: PathBuf,
    /// The state file of unique-ids fetched.
    pub(crate) state: PathBuf,
    /// Store LF line endings (else CRLF as received).
    pub(crate) to_lf: bool,
}

/// The writer and committer threads, seen from the fetch loop.
#[derive(Debug)]
pub(crate) struct Store {
    pieces: Option<mpsc::Sender<Piece>>,
    durable: mpsc::UnboundedReceiver<Vec<Stored>>,
    writer: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    /// The piece being filled.
    piece: Piece,
    piece_octets: usize,
}

impl Store {
    /// Starts the threads.
    pub(crate) fn start(config: StoreConfig) -> Self {
        let (pieces, pieces_rx) = mpsc::channel(PIECES_QUEUED);
        let (durable_tx, durable) = mpsc::unbounded_channel();
        // One blocking task for the whole download (not one per write).
        let writer =
            tokio::task::spawn_blocking(move || write_loop(pieces_rx, &config, durable_tx));
        Self {
            pieces: Some(pieces),
            durable,
            writer: Some(writer),
            piece: Piece::default(),
            piece_octets: 0,
        }
    }

    /// A message begins.
    pub(crate) fn begin(&mut self, msg: MessageNumber, uid: String) {
        self.piece.begin = Some((msg, uid));
    }

    /// Body octets of the current message.
    pub(crate) async fn chunk(&mut self, data: Bytes) -> anyhow::Result<()> {
        self.piece_octets += data.len();
        self.piece.data.push(data);
        if self.piece_octets >= PIECE_OCTETS {
            self.send().await?;
        }
        Ok(())
    }

    /// The current message is complete.
    pub(crate) async fn end(&mut self) -> anyhow::Result<()> {
        self.piece.end = true;
        self.send().await
    }

    async fn send(&mut self) -> anyhow::Result<()> {
        let piece = std::mem::take(&mut self.piece);
        self.piece_octets = 0;
        let sent = match &self.pieces {
            Some(pieces) => pieces.send(piece).await.is_ok(),
            None => false,
        };
        if !sent {
            // The writer stopped: its error says why.
            return Err(self.writer_error().await);
        }
        Ok(())
    }

    async fn writer_error(&mut self) -> anyhow::Error {
        self.pieces = None;
        match self.writer.take() {
            Some(writer) => match writer.await {
                Ok(Err(e)) => e,
                Ok(Ok(())) => anyhow::anyhow!("the Maildir writer stopped early"),
                Err(e) => anyhow::anyhow!("the Maildir writer failed: {e}"),
            },
            None => anyhow::anyhow!("the Maildir writer stopped"),
        }
    }

    /// A batch made durable since the last call, if any (does not wait).
    pub(crate) fn try_durable(&mut self) -> Option<Vec<Stored>> {
        self.durable.try_recv().ok()
    }

    /// No more messages: the last batch is committed. Then
    /// [`durable`](Self::durable) hands out the batches still due.
    pub(crate) fn close(&mut self) {
        self.pieces = None;
    }

    /// The next durable batch after [`close`](Self::close), waiting for
    /// it; `None` once all are out and the threads ended well.
    pub(crate) async fn durable(&mut self) -> anyhow::Result<Option<Vec<Stored>>> {
        if let Some(batch) = self.durable.recv().await {
            return Ok(Some(batch));
        }
        match self.writer.take() {
            Some(writer) => {
                writer.await.context("the Maildir writer failed")??;
                Ok(None)
            }
            None => Ok(None),
        }
    }
}

/// A message being written to `tmp/`.
#[derive(Debug)]
struct Open {
    msg: MessageNumber,
    uid: String,
    name: String,
    tmp: PathBuf,
    file: File,
    lines: LineEndings,
    received: u64,
    written: u64,
}

/// A message written to `tmp/`, not yet synced.
#[derive(Debug)]
struct Written {
    msg: MessageNumber,
    uid: String,
    tmp: PathBuf,
    /// Its name in `new/`.
    name: String,
    file: File,
    received: u64,
}

#[derive(Debug, Default)]
struct Batch {
    messages: Vec<Written>,
    octets: u64,
    started: Option<Instant>,
}

impl Batch {
    fn full(&self) -> bool {
        self.messages.len() >= BATCH_MESSAGES
            || self.octets >= BATCH_OCTETS
            || self.started.is_some_and(|t| t.elapsed() >= BATCH_AGE)
    }
}

/// The writer thread: pieces to files in `tmp/`, full batches to the
/// committer. When the fetch loop stops (done, or failed), what is complete
/// is still committed, and a partial message's file removed.
fn write_loop(
    mut pieces: mpsc::Receiver<Piece>,
    config: &StoreConfig,
    durable: mpsc::UnboundedSender<Vec<Stored>>,
) -> anyhow::Result<()> {
    let (batches, batches_rx) = std_mpsc::sync_channel::<Batch>(1);
    let new_dir = config.maildir.join("new");
    let state = config.state.clone();
    let committer = std::thread::Builder::new()
        .name("maildir-commit".into())
        .spawn(move || commit_loop(&batches_rx, &new_dir, &state, &durable))
        .context("starting the Maildir committer")?;
    let tmp_dir = config.maildir.join("tmp");
    let mut batch = Batch::default();
    let mut open: Option<Open> = None;
    let mut buf = Vec::with_capacity(PIECE_OCTETS + 64 * 1024);
    let result = (|| -> anyhow::Result<()> {
        while let Some(piece) = pieces.blocking_recv() {
            if let Some((msg, uid)) = piece.begin {
                if open.is_some() {
                    bail!("message {msg} began before the last one ended");
                }
                open = Some(Open::create(&tmp_dir, msg, uid, config.to_lf)?);
            }
            let Some(current) = open.as_mut() else {
                bail!("message data outside a message");
            };
            buf.clear();
            for data in &piece.data {
                current.received += data.len() as u64;
                current.lines.convert(data, &mut buf);
            }
            if piece.end {
                current.lines.finish(&mut buf);
            }
            current.write(&buf)?;
            if piece.end
                && let Some(done) = open.take()
            {
                batch.started.get_or_insert_with(Instant::now);
                batch.octets += done.written;
                batch.messages.push(done.written());
                if batch.full() && batches.send(std::mem::take(&mut batch)).is_err() {
                    bail!("the Maildir committer stopped");
                }
            }
        }
        Ok(())
    })();
    if let Some(partial) = open {
        drop(partial.file);
        let _ = std::fs::remove_file(&partial.tmp);
    }
    if !batch.messages.is_empty() {
        let _ = batches.send(batch);
    }
    drop(batches);
    let committed = committer
        .join()
        .map_err(|_| anyhow::anyhow!("the Maildir committer panicked"))?;
    // The committer's error explains a writer's "committer stopped".
    committed.and(result)
}

impl Open {
    fn create(
        tmp_dir: &Path,
        msg: MessageNumber,
        uid: String,
        to_lf: bool,
    ) -> anyhow::Result<Self> {
        let name = unique_name();
        let tmp = tmp_dir.join(&name);
        let file = File::create(&tmp).with_context(|| format!("creating {}", shown(&tmp)))?;
        Ok(Self {
            msg,
            uid,
            name,
            tmp,
            file,
            lines: LineEndings::new(to_lf),
            received: 0,
            written: 0,
        })
    }

    fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.file
            .write_all(data)
            .with_context(|| format!("writing {}", shown(&self.tmp)))?;
        self.written += data.len() as u64;
        Ok(())
    }

    /// Its Maildir name in `new/` carries the sizes as Dovecot writes them:
    /// `S=` the file's size, `W=` the size with CRLF line endings (RFC822.SIZE).
    fn written(self) -> Written {
        let name = if self.written == self.received {
            format!("{},S={}", self.name, self.written)
        } else {
            format!("{},S={},W={}", self.name, self.written, self.received)
        };
        Written {
            msg: self.msg,
            uid: self.uid,
            tmp: self.tmp,
            name,
            file: self.file,
            received: self.received,
        }
    }
}

/// The committer thread: each batch through steps 2 to 6 of the module
/// documentation.
fn commit_loop(
    batches: &std_mpsc::Receiver<Batch>,
    new_dir: &Path,
    state: &Path,
    durable: &mpsc::UnboundedSender<Vec<Stored>>,
) -> anyhow::Result<()> {
    for batch in batches {
        let stored = commit(batch, new_dir, state)?;
        // The fetch loop may be gone (it failed): the batch is durable and
        // recorded all the same.
        let _ = durable.send(stored);
    }
    Ok(())
}

fn commit(batch: Batch, new_dir: &Path, state: &Path) -> anyhow::Result<Vec<Stored>> {
    // Step 2: every file durable, the fsyncs in flight together.
    sync_files(&batch.messages)?;
    // Step 3: visible in new/.
    let mut stored = Vec::with_capacity(batch.messages.len());
    for m in batch.messages {
        drop(m.file);
        let path = new_dir.join(&m.name);
        std::fs::rename(&m.tmp, &path)
            .with_context(|| format!("moving {} into new/", shown(&m.tmp)))?;
        stored.push(Stored {
            msg: m.msg,
            uid: m.uid,
            path,
            size: m.received,
        });
    }
    // Step 4: the renames durable.
    File::open(new_dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("fsync {}", shown(new_dir)))?;
    // Step 5: recorded, in one write and one fsync.
    record(state, stored.iter().map(|s| s.uid.as_str()))
        .with_context(|| format!("recording in {}", shown(state)))?;
    Ok(stored)
}

/// fsync every file, up to [`SYNC_THREADS`] calls in flight: the
/// filesystem commits concurrent fsyncs together (one journal commit for
/// many files instead of one each).
fn sync_files(messages: &[Written]) -> anyhow::Result<()> {
    let threads = SYNC_THREADS.min(messages.len());
    if threads <= 1 {
        for m in messages {
            m.file
                .sync_all()
                .with_context(|| format!("fsync {}", shown(&m.tmp)))?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || -> anyhow::Result<()> {
                    for m in messages.iter().skip(t).step_by(threads) {
                        m.file
                            .sync_all()
                            .with_context(|| format!("fsync {}", shown(&m.tmp)))?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join()
                .map_err(|_| anyhow::anyhow!("an fsync thread panicked"))?
        })
    })
}

/// Appends unique-ids to the state file, one a line, in one write, durably.
fn record<'a>(path: &Path, uids: impl Iterator<Item = &'a str>) -> std::io::Result<()> {
    let mut text = String::new();
    for uid in uids {
        text.push_str(uid);
        text.push('\n');
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

/// The unique-ids recorded in the state file. A last line without its
/// newline was torn by a crash during an append: it is ignored, and cut off
/// so that the next append starts on a line of its own (a torn id could
/// otherwise equal, or join with, another message's id).
pub(crate) fn load_state(path: &Path) -> anyhow::Result<HashSet<String>> {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashSet::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", shown(path))),
    };
    let whole = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    if whole < text.len() {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|f| f.set_len(whole as u64).and_then(|()| f.sync_all()));
        f.with_context(|| format!("cutting the torn last line of {}", shown(path)))?;
    }
    Ok(String::from_utf8_lossy(&text[..whole])
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

static DELIVERIES: AtomicU64 = AtomicU64::new(0);

/// A unique Maildir base name: `time.MmicrosPpidQn.host`.
fn unique_name() -> String {
    // The host name and the process id, looked up once.
    static HOST_PID: OnceLock<(String, u32)> = OnceLock::new();
    let (host, pid) = HOST_PID.get_or_init(|| {
        let host = std::fs::read_to_string("/etc/hostname")
            .map(|h| h.trim().replace(['/', ':', ','], "_"))
            .unwrap_or_default();
        let host = if host.is_empty() {
            "localhost".to_owned()
        } else {
            host
        };
        (host, std::process::id())
    });
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let n = DELIVERIES.fetch_add(1, Ordering::Relaxed);
    format!(
        "{}.M{}P{pid}Q{n}.{host}",
        now.as_secs(),
        now.subsec_micros()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "mailctl-store-{label}-{}-{}",
            std::process::id(),
            DELIVERIES.fetch_add(1, Ordering::Relaxed)
        ));
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        dir
    }

    fn msg(n: u32) -> MessageNumber {
        MessageNumber::new(n).unwrap()
    }

    #[test]
    fn torn_last_line_is_ignored_and_cut() {
        let dir = temp_dir("state");
        let path = dir.join("state");
        std::fs::write(&path, b"one\ntwo\ntw").unwrap();
        let seen = load_state(&path).unwrap();
        assert_eq!(seen, ["one".to_owned(), "two".to_owned()].into());
        assert_eq!(std::fs::read(&path).unwrap(), b"one\ntwo\n");
        record(&path, ["three"].into_iter()).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one\ntwo\nthree\n");
        std::fs::write(&path, b"torn").unwrap();
        assert!(load_state(&path).unwrap().is_empty());
        assert!(load_state(&dir.join("missing")).unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Messages in several batches (more than BATCH_MESSAGES) all end up in
    /// new/, converted, recorded, and reported durable once each.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn batches_are_stored_recorded_and_reported() {
        let dir = temp_dir("batches");
        let state = dir.join("state");
        let mut store = Store::start(StoreConfig {
            maildir: dir.clone(),
            state: state.clone(),
            to_lf: true,
        });
        let count = BATCH_MESSAGES as u32 * 2 + 3;
        for n in 1..=count {
            store.begin(msg(n), format!("uid-{n}"));
            store
                .chunk(Bytes::from(format!("Subject: {n}\r")))
                .await
                .unwrap();
            store
                .chunk(Bytes::from_static(b"\n\r\nbody\r\n"))
                .await
                .unwrap();
            store.end().await.unwrap();
        }
        store.close();
        let mut stored = Vec::new();
        while let Some(batch) = store.durable().await.unwrap() {
            stored.extend(batch);
        }
        assert_eq!(stored.len(), count as usize);
        let recorded = load_state(&state).unwrap();
        assert_eq!(recorded.len(), count as usize);
        for (i, s) in stored.iter().enumerate() {
            let n = i as u32 + 1;
            assert_eq!(s.msg, msg(n));
            assert!(recorded.contains(&s.uid));
            let want = format!("Subject: {n}\n\nbody\n");
            assert_eq!(std::fs::read(&s.path).unwrap(), want.as_bytes());
            let name = s.path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                name.ends_with(&format!(",S={},W={}", want.len(), s.size)),
                "{name}"
            );
        }
        assert_eq!(std::fs::read_dir(dir.join("tmp")).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The fetch loop stops in the middle of a message: the complete ones
    /// are committed and recorded, the partial one removed from tmp/.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_interrupted_download_keeps_what_is_complete() {
        let dir = temp_dir("abort");
        let state = dir.join("state");
        let mut store = Store::start(StoreConfig {
            maildir: dir.clone(),
            state: state.clone(),
            to_lf: false,
        });
        store.begin(msg(1), "whole".into());
        store.chunk(Bytes::from_static(b"a\r\n")).await.unwrap();
        store.end().await.unwrap();
        store.begin(msg(2), "partial".into());
        store
            .chunk(Bytes::from(vec![b'x'; PIECE_OCTETS]))
            .await
            .unwrap();
        // Dropped as when `fetch` returns an error.
        let writer = store.writer.take().unwrap();
        drop(store);
        writer.await.unwrap().unwrap();
        assert_eq!(load_state(&state).unwrap(), ["whole".to_owned()].into());
        assert_eq!(std::fs::read_dir(dir.join("new")).unwrap().count(), 1);
        assert_eq!(std::fs::read_dir(dir.join("tmp")).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
