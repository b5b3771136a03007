//! Sans-IO IMAP codec and session state machines (IMAP4rev1, RFC 3501, and
//! IMAP4rev2, RFC 9051).
//!
//! Not written yet: this crate holds the workspace slot that the IMAP codec
//! fills. See `DESIGN.md` for the shape it will take (the same sans-IO
//! contract as `pop3-proto`).

#![forbid(unsafe_code)]
