//! The first of the views' two passes over a nested value: one tight loop
//! over the octets that records every list, string, number, atom and NIL
//! on the tape, checking only the canonical spacing. The grammar is then
//! checked on the tokens (the second pass, in `fetch.rs`), which is far
//! cheaper than checking it octet by octet.

use super::lex::{Kind, Tape, quote_or_backslash};
use crate::types::is_atom_char;

/// Deepest nesting the tokenizer takes; deeper values go to the full
/// parser.
const MAX_DEPTH: usize = 24;

/// Tokenizes the parenthesized value that starts at `line[at]`, through
/// its closing `)`, onto `tape`; returns the position after it. `None`
/// when the value is not in canonical form (one space between items,
/// none after `(` or before `)`; lists and parts may touch), nests deeper
/// than [`MAX_DEPTH`] or `max_depth`, or holds a literal or an octet no
/// token starts with.
pub(crate) fn tokenize_list(
    line: &[u8],
    at: usize,
    tape: &mut Tape,
    max_depth: usize,
) -> Option<usize> {
    let max_depth = MAX_DEPTH.min(max_depth);
    let mut open = [0u32; MAX_DEPTH];
    let mut depth = 0;
    // Every token takes at least one octet: no growth inside the loop.
    tape.toks.reserve(line.len().saturating_sub(at));
    let mut rest = line.get(at..)?;
    // Where `rest` starts in the line.
    let pos = |rest: &[u8]| line.len() - rest.len();
    loop {
        let (&b, after) = rest.split_first()?;
        match b {
            b'(' => {
                if depth >= max_depth {
                    return None;
                }
                open[depth] = tape.open(pos(rest)) as u32;
                depth += 1;
                rest = after;
                // `( ` is not canonical; `()` is an empty list.
                if rest.first()? == &b' ' {
                    return None;
                }
                continue;
            }
            b')' => {
                depth = depth.checked_sub(1)?;
                tape.close(open[depth] as usize);
                rest = after;
                if depth == 0 {
                    return Some(pos(rest));
                }
                // After `)`: `)`, `(` (touching lists), or one space.
                match rest {
                    [b')' | b'(', ..] => continue,
                    [b' ', next, ..] if *next != b' ' && *next != b')' => {
                        rest = &rest[1..];
                        continue;
                    }
                    _ => return None,
                }
            }
            b'"' => {
                let start = pos(after);
                let mut s = after;
                let mut escaped = false;
                loop {
                    s = &s[quote_or_backslash(s)?..];
                    match s {
                        [b'"', ..] => break,
                        // Only `\"` and `\\` are escapes (RFC 3501 §9).
                        [b'\\', b'"' | b'\\', tail @ ..] => {
                            escaped = true;
                            s = tail;
                        }
                        _ => return None,
                    }
                }
                let end = pos(s);
                let kind = if escaped { Kind::StrEscaped } else { Kind::Str };
                tape.push(kind, start, end);
                rest = &s[1..];
            }
            b'0'..=b'9' => {
                let n = rest
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                let start = pos(rest);
                tape.push(Kind::Number, start, start + n);
                rest = &rest[n..];
            }
            // `NIL`, the most common atom, without a scan.
            b'N' | b'n' if matches!(rest, [_, b'I' | b'i', b'L' | b'l', b' ' | b')', ..]) => {
                let start = pos(rest);
                tape.push(Kind::Nil, start, start + 3);
                rest = &rest[3..];
            }
            _ => {
                let start = pos(rest);
                // A flag's `\`, then atom characters.
                let flag = usize::from(b == b'\\');
                let atoms = rest[flag..]
                    .iter()
                    .position(|&c| !is_atom_char(c))
                    .unwrap_or(rest.len() - flag);
                if atoms == 0 {
                    return None;
                }
                let len = flag + atoms;
                let kind = if len == 3 && rest[..3].eq_ignore_ascii_case(b"NIL") {
                    Kind::Nil
                } else {
                    Kind::Atom
                };
                tape.push(kind, start, start + len);
                rest = &rest[len..];
            }
        }
        // After a string, number, atom or NIL: `)` or one space and more.
        match rest {
            [b')', ..] => {}
            [b' ', next, ..] if *next != b' ' && *next != b')' => rest = &rest[1..],
            _ => return None,
        }
    }
}
