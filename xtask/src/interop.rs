//! `cargo xtask interop`: interoperability tests against real software we
//! did not write (crates/mailctl/tests/peers.rs), on 127.0.0.1 only: our
//! `Pop3Client` against a private Dovecot; curl, Python's poplib and
//! fetchmail against both Dovecot and `mailctl serve`; the imap-proto codec
//! in a scripted session with Dovecot's IMAP server; curl, imaplib and
//! mbsync against it through a recording proxy whose captures must pass
//! `mailctl inspect imap`.
//!
//! `MAILWIRE_REQUIRE_PEERS=1` turns a missing peer from a skip into a
//! failure: install them first (Debian: `apt-get install dovecot-pop3d
//! dovecot-imapd dovecot-core fetchmail isync curl python3`). The Dovecot
//! tests need root.

use anyhow::Result;

use crate::util;

pub(crate) fn run(args: &[String]) -> Result<()> {
    // Anything given is passed to the test binary (a test name filter, `--nocapture`).
    let mut cmd = util::cargo();
    cmd.env("MAILWIRE_REQUIRE_PEERS", "1")
        .args(["test", "-p", "mailctl", "--test", "peers", "--"])
        .args(args);
    util::run(&mut cmd)
}
