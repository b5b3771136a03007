//! `cargo xtask interop`: interoperability tests against real servers and
//! clients (a placeholder until the POP3 transport exists).

use anyhow::{Result, bail};

pub(crate) fn run(args: &[String]) -> Result<()> {
    if let Some(arg) = args.first() {
        bail!("unexpected argument `{arg}` (usage: cargo xtask interop)");
    }
    println!(
        "interop: nothing to run yet. Interop tests against real Dovecot, curl and fetchmail \
         arrive with the POP3 transport (mail-net)."
    );
    Ok(())
}
