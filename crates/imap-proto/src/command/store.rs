//! STORE's flag action (RFC 3501 §6.4.6): `FLAGS`, `+FLAGS`, `-FLAGS`, each
//! with `.SILENT`; and Gmail's `X-GM-LABELS` (X-GM-EXT-1).

use crate::encode::Writer;
use crate::parse::{Cursor, PResult, values};
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

/// A Gmail label (X-GM-EXT-1): a system label (`\\Inbox`, `\\Important`)
/// or a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GmLabel {
    /// `\\Name`.
    System(crate::types::Atom),
    /// A label name.
    Name(crate::types::AString),
}

impl GmLabel {
    pub(crate) fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        if c.eat(b'\\') {
            return Ok(Self::System(values::atom(c)?));
        }
        Ok(Self::Name(c.astring()?))
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        match self {
            Self::System(a) => {
                e.raw(b"\\").raw(a.as_bytes());
            }
            Self::Name(n) => {
                e.astring(n);
            }
        }
    }
}

/// What a STORE changes: flags, or Gmail labels (`X-GM-LABELS`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StoreTarget {
    /// `FLAGS`.
    Flags(Vec<Flag>),
    /// `X-GM-LABELS`.
    GmLabels(Vec<GmLabel>),
}

/// What a STORE does to the flags.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoreFlags {
    /// Replace, add or remove.
    pub action: StoreAction,
    /// `.SILENT`: no untagged FETCH in reply.
    pub silent: bool,
    /// The flags or labels (may be empty).
    pub target: StoreTarget,
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
        let (labels, silent) = if c.eat_keyword(b"FLAGS.SILENT") {
            (false, true)
        } else if c.eat_keyword(b"FLAGS") {
            (false, false)
        } else if c.eat_keyword(b"X-GM-LABELS.SILENT") {
            (true, true)
        } else {
            c.expect_keyword(b"X-GM-LABELS", "FLAGS, FLAGS.SILENT or X-GM-LABELS")?;
            (true, false)
        };
        c.sp()?;
        let target = if labels {
            StoreTarget::GmLabels(items(c, GmLabel::parse)?)
        } else {
            StoreTarget::Flags(items(c, values::flag)?)
        };
        Ok(Self {
            action,
            silent,
            target,
        })
    }

    pub(crate) fn write(&self, e: &mut Writer<'_>) {
        e.raw(match self.action {
            StoreAction::Replace => b"",
            StoreAction::Add => b"+",
            StoreAction::Remove => b"-",
        });
        let name: &[u8] = match (&self.target, self.silent) {
            (StoreTarget::Flags(_), false) => b"FLAGS ",
            (StoreTarget::Flags(_), true) => b"FLAGS.SILENT ",
            (StoreTarget::GmLabels(_), false) => b"X-GM-LABELS ",
            (StoreTarget::GmLabels(_), true) => b"X-GM-LABELS.SILENT ",
        };
        e.raw(name);
        match &self.target {
            StoreTarget::Flags(f) => {
                e.flags(f);
            }
            StoreTarget::GmLabels(l) => {
                e.list(l, |e, l| l.write(e));
            }
        }
    }
}

/// A parenthesized list, or items separated by spaces to the line end.
fn items<T>(
    c: &mut Cursor<'_>,
    mut item: impl FnMut(&mut Cursor<'_>) -> PResult<T>,
) -> PResult<Vec<T>> {
    if c.peek() == Some(b'(') {
        return c.list(item);
    }
    let mut v = vec![item(c)?];
    while !c.at_line_end() {
        if v.len() >= c.limits().max_items {
            return Err(c.error("fewer items"));
        }
        c.sp()?;
        v.push(item(c)?);
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::encode::written;
    use crate::parse::read_all;

    #[test]
    fn store_table() {
        let cases: &[(&str, &str)] = &[
            ("flags ()", "FLAGS ()"),
            ("+flags.silent \\seen", "+FLAGS.SILENT (\\Seen)"),
            ("-FLAGS (\\Deleted $Junk)", "-FLAGS (\\Deleted $Junk)"),
            ("+X-GM-LABELS (\\Inbox foo)", "+X-GM-LABELS (\\Inbox foo)"),
        ];
        for (input, canonical) in cases {
            let s = read_all(input, StoreFlags::parse).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(written(|e| s.write(e)), *canonical);
        }
        for bad in [
            "flags",
            "*flags ()",
            "flags (a",
            "flags.loud ()",
            "flags (a b",
        ] {
            assert!(read_all(bad, StoreFlags::parse).is_err(), "{bad:?}");
        }
    }
}
