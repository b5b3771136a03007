//! `cargo xtask bench [ARGS...]`: the criterion benches, extra arguments passed
//! through to `cargo bench`.

use anyhow::Result;

use crate::util;

pub(crate) fn run(args: &[String]) -> Result<()> {
    util::run(
        util::cargo()
            .args(["bench", "-p", "mailwire-benches"])
            .args(args),
    )
}
