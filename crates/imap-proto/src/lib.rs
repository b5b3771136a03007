//! Sans-IO IMAP codec (IMAP4rev1, RFC 3501, and IMAP4rev2, RFC 9051).
//!
//! Work in progress.

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod codec;
mod error;
mod limits;
pub mod types;

pub use error::{DecodeError, DecodeErrorKind, Snippet, UsageError, ValueError};
pub use limits::Limits;
