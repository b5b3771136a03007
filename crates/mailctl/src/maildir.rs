//! A Maildir store for `mailctl serve`: `DIR/USER/{cur,new,tmp}`, built only
//! on mail-net's public `Maildrop` / `Mailbox` traits.
//!
//! Deletions are crash safe: nothing is touched until QUIT is processed in
//! the TRANSACTION state, and then only the marked files are unlinked and the
//! directories fsynced before `+OK` goes out.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use md5::{Digest as _, Md5};
use pop3_proto::{Credentials, LoginFailure, MessageInfo, Secret, UniqueId};

/// Users and their maildirs under one root.
#[derive(Debug)]
pub(crate) struct MaildirStore {
    root: PathBuf,
    users: HashMap<String, Secret>,
}

impl MaildirStore {
    pub(crate) fn new(root: PathBuf, users: HashMap<String, Secret>) -> Self {
        Self { root, users }
    }
}

/// One user's maildir, open for a session.
#[derive(Debug)]
pub(crate) struct MaildirMailbox {
    files: Vec<PathBuf>,
    infos: Vec<MessageInfo>,
    dirs: Vec<PathBuf>,
}

impl mail_net::pop3::Maildrop for MaildirStore {
    type Mailbox = MaildirMailbox;

    async fn authenticate(&self, credentials: &Credentials) -> Result<String, LoginFailure> {
        let user = credentials.user().to_string();
        let Some(password) = self.users.get(&user) else {
            return Err(LoginFailure::BadCredentials);
        };
        let ok = match credentials {
            Credentials::Password {
                password: given, ..
            } => pop3_proto::apop::constant_time_eq(given.expose(), password.expose()),
            Credentials::Apop {
                digest, timestamp, ..
            } => pop3_proto::apop::verify(timestamp, password.expose(), digest),
            _ => false,
        };
        if ok {
            Ok(user)
        } else {
            Err(LoginFailure::BadCredentials)
        }
    }

    async fn open(&self, user: &str) -> io::Result<MaildirMailbox> {
        let root = self.root.join(user);
        tokio::task::spawn_blocking(move || open_maildir(&root))
            .await
            .map_err(io::Error::other)?
    }
}

impl mail_net::pop3::Mailbox for MaildirMailbox {
    type Message = tokio::fs::File;

    fn messages(&self) -> Vec<MessageInfo> {
        self.infos.clone()
    }

    async fn read(&mut self, index: usize) -> io::Result<tokio::fs::File> {
        let path = self
            .files
            .get(index)
            .ok_or_else(|| io::Error::other("no such message"))?;
        tokio::fs::File::open(path).await
    }

    async fn commit(&mut self, deleted: &[usize]) -> io::Result<()> {
        let files: Vec<PathBuf> = deleted
            .iter()
            .filter_map(|&i| self.files.get(i).cloned())
            .collect();
        let dirs = self.dirs.clone();
        tokio::task::spawn_blocking(move || {
            for file in &files {
                match std::fs::remove_file(file) {
                    Ok(()) => {}
                    // Already gone (another client deleted it): fine.
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
            for dir in &dirs {
                std::fs::File::open(dir)?.sync_all()?;
            }
            Ok(())
        })
        .await
        .map_err(io::Error::other)?
    }
}

/// Creates `cur`, `new`, `tmp` under `dir` if missing.
pub(crate) fn ensure_maildir(dir: &Path) -> io::Result<()> {
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    Ok(())
}

/// Snapshot of a maildir: messages in `new` and `cur`, oldest name first.
fn open_maildir(root: &Path) -> io::Result<MaildirMailbox> {
    ensure_maildir(root)?;
    let mut files = Vec::new();
    for sub in ["new", "cur"] {
        for entry in std::fs::read_dir(root.join(sub))? {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || !entry.file_type()?.is_file() {
                continue;
            }
            files.push(entry.path());
        }
    }
    // Maildir names start with the delivery time: this is arrival order.
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    let mut infos = Vec::with_capacity(files.len());
    for file in &files {
        infos.push(MessageInfo {
            size: wire_size(file)?,
            uid: unique_id(file),
        });
    }
    Ok(MaildirMailbox {
        files,
        infos,
        dirs: vec![root.join("new"), root.join("cur")],
    })
}

/// The size a message has on the wire (RFC 1939 §11: "the exact size ... as
/// transmitted", before dot-stuffing): see [`pop3_proto::codec::wire_form`].
fn wire_size(path: &Path) -> io::Result<u64> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = pop3_proto::codec::WireSize::new();
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(size.finish());
        }
        size.update(&buf[..n]);
    }
}

/// The UIDL id: the Maildir base name (without `:2,flags`) when it is valid
/// for UIDL (printable ASCII, at most 70 octets, RFC 1939 §7), else its MD5.
fn unique_id(path: &Path) -> UniqueId {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = name.split(':').next().unwrap_or_default();
    if base.len() <= 70
        && let Ok(uid) = UniqueId::new(base.as_bytes().to_vec())
    {
        return uid;
    }
    let digest = pop3_proto::ApopDigest(Md5::digest(base.as_bytes()).into()).to_hex();
    UniqueId::new(digest.into_bytes()).unwrap_or_else(|_| unreachable!("hex digits are printable"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_size_counts_crlf() {
        let dir = std::env::temp_dir().join(format!("mailctl-ws-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (content, want) in [
            (&b"a\nb\n"[..], 6u64),
            (b"a\r\nb", 6),
            (b"", 0),
            (b"x\r", 4),
            (b"a\rb\n", 5),
        ] {
            let p = dir.join("m");
            std::fs::write(&p, content).unwrap();
            assert_eq!(wire_size(&p).unwrap(), want, "{content:?}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unique_ids_are_valid() {
        assert_eq!(
            unique_id(Path::new("/m/new/1700.M1P2.host:2,S")).as_str(),
            "1700.M1P2.host"
        );
        assert_eq!(
            unique_id(Path::new(&format!("/m/new/{}", "x".repeat(100))))
                .as_str()
                .len(),
            32
        );
    }
}
