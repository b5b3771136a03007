//! STORE's flag action (RFC 3501 §6.4.6): `FLAGS`, `+FLAGS`, `-FLAGS`, each
//! with `.SILENT`.

use super::encode::Encoder;
use super::parse;
use crate::parse::{Cursor, PResult};
use crate::types::Flag;

/// Replace, add or remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreAction {
    /// `FLAGS`: replace.
    Replace,
    /// `+FLAGS`: add.
    Add,
    /// `-FLAGS`: remove.
    Remove,
}

/// What a STORE does to the flags.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoreFlags {
    /// Replace, add or remove.
    pub action: StoreAction,
    /// `.SILENT`: no untagged FETCH in reply.
    pub silent: bool,
    /// The flags (may be empty).
    pub flags: Vec<Flag>,
}

impl StoreFlags {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        let action = if c.eat(b'+') {
            StoreAction::Add
        } else if c.eat(b'-') {
            StoreAction::Remove
        } else {
            StoreAction::Replace
        };
        let silent = if c.eat_keyword(b"FLAGS.SILENT") {
            true
        } else {
            c.expect_keyword(b"FLAGS", "FLAGS or FLAGS.SILENT")?;
            false
        };
        c.sp()?;
        let flags = if c.peek() == Some(b'(') {
            c.list(parse::flag)?
        } else {
            let mut v = vec![parse::flag(c)?];
            while !c.at_line_end() {
                c.sp()?;
                v.push(parse::flag(c)?);
            }
            v
        };
        Ok(Self {
            action,
            silent,
            flags,
        })
    }

    pub(crate) fn write(&self, e: &mut Encoder) {
        e.raw(match self.action {
            StoreAction::Replace => b"",
            StoreAction::Add => b"+",
            StoreAction::Remove => b"-",
        });
        e.raw(if self.silent {
            b"FLAGS.SILENT "
        } else {
            b"FLAGS "
        });
        e.flags(&self.flags);
    }
}
