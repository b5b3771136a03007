//! A private Dovecot's configuration: POP3S and POP3 (and IMAP when asked)
//! on 127.0.0.1, a passwd-file user whose mail runs as `nobody`. Shared by
//! the interoperability tests (`peers/dovecot.rs`) and `cargo xtask bench
//! download` (included there with `#[path]`), so both run the same server.

use std::path::Path;

/// Uid and gid of `nobody` (whom the mail processes run as: Dovecot refuses
/// mail access as root, and a passwd-file user with uid 0 is invalid).
pub(crate) fn nobody() -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.len() > 3 && fields[0] == "nobody")
                .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
                .flatten()
        })
        .unwrap_or((65534, 65534))
}

/// Gives `path` and everything under it to `uid:gid`.
pub(crate) fn chown_tree(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid))
        .unwrap_or_else(|e| panic!("chown {}: {e}", path.display()));
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("read a directory") {
            chown_tree(&entry.expect("directory entry").path(), uid, gid);
        }
    }
}

/// `dovecot.conf` for a server whose files live in `dir` (`cert.pem`,
/// `key.pem`, `passwd`; logs and state too), with Maildirs under
/// `maildir_root/USER`, listening on 127.0.0.1: POP3S on `pop3s`, POP3 with
/// STLS on `pop3`, plaintext IMAP on `imap` when given.
pub(crate) fn config(
    dir: &Path,
    maildir_root: &Path,
    pop3s: u16,
    pop3: u16,
    imap: Option<u16>,
) -> String {
    let d = dir.display();
    let mail = maildir_root.display();
    let (protocols, imap_service) = match imap {
        Some(port) => (
            "pop3 imap",
            format!(
                "service imap-login {{\n  inet_listener imap {{\n    port = {port}\n  }}\n  \
                 inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
                 namespace inbox {{\n  inbox = yes\n  separator = /\n}}\n"
            ),
        ),
        None => ("pop3", String::new()),
    };
    // Runs as root (the master must bind and switch users): the login
    // processes run as the Debian package's `dovenull`, internal services as
    // `dovecot`, and mail access as `nobody` (from the passwd-file).
    format!(
        "\
protocols = {protocols}
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
info_log_path = {d}/dovecot.log
auth_verbose = yes
ssl = yes
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
default_internal_user = dovecot
default_login_user = dovenull
auth_mechanisms = plain
mail_location = maildir:{mail}/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {d}/passwd
}}
service pop3-login {{
  inet_listener pop3s {{
    port = {pop3s}
    ssl = yes
  }}
  inet_listener pop3 {{
    port = {pop3}
  }}
}}
{imap_service}"
    )
}
