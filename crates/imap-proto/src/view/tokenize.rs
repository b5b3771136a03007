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

/// What a token starting with an octet is.
#[derive(Clone, Copy)]
enum Start {
    Invalid,
    Open,
    Close,
    Quote,
    Digit,
    /// `N` / `n`: perhaps `NIL`.
    N,
    /// An atom (or a flag, from its `\`).
    Atom,
}

/// [`Start`] of each octet: one load and a jump per token.
const START: [Start; 256] = {
    let mut table = [Start::Invalid; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'(' => Start::Open,
            b')' => Start::Close,
            b'"' => Start::Quote,
            b'0'..=b'9' => Start::Digit,
            b'N' | b'n' => Start::N,
            b'\\' => Start::Atom,
            c if crate::types::is_atom_char(c) => Start::Atom,
            _ => Start::Invalid,
        };
        b += 1;
    }
    table
};

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
    let mut p = at;
    // Every token takes at least one octet: no growth inside the loop.
    tape.toks.reserve(line.len().saturating_sub(at));
    loop {
        let b = *line.get(p)?;
        match START[usize::from(b)] {
            Start::Invalid => return None,
            Start::Open => {
                if depth >= max_depth {
                    return None;
                }
                open[depth] = tape.open(p) as u32;
                depth += 1;
                p += 1;
                // `( ` is not canonical; `()` is an empty list.
                match line.get(p)? {
                    b' ' => return None,
                    b')' => continue,
                    _ => continue,
                }
            }
            Start::Close => {
                depth = depth.checked_sub(1)?;
                tape.close(open[depth] as usize);
                p += 1;
                if depth == 0 {
                    return Some(p);
                }
                // After `)`: `)`, `(` (touching lists), or one space.
                match line.get(p)? {
                    b')' | b'(' => continue,
                    b' ' => {
                        p += 1;
                        if matches!(line.get(p)?, b' ' | b')') {
                            return None;
                        }
                        continue;
                    }
                    _ => return None,
                }
            }
            Start::Quote => {
                let start = p + 1;
                let mut i = start;
                let mut escaped = false;
                loop {
                    i += quote_or_backslash(line.get(i..)?)?;
                    if line[i] == b'"' {
                        break;
                    }
                    // Only `\"` and `\\` are escapes (RFC 3501 §9).
                    if !matches!(line.get(i + 1), Some(b'"' | b'\\')) {
                        return None;
                    }
                    escaped = true;
                    i += 2;
                }
                let kind = if escaped { Kind::StrEscaped } else { Kind::Str };
                tape.push(kind, start, i);
                p = i + 1;
            }
            Start::Digit => {
                let start = p;
                p += line[p..]
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .unwrap_or(line.len() - p);
                tape.push(Kind::Number, start, p);
            }
            // `NIL`, the most common atom, without a scan.
            Start::N
                if line
                    .get(p..p + 3)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"NIL"))
                    && matches!(line.get(p + 3), Some(b' ' | b')')) =>
            {
                tape.push(Kind::Nil, p, p + 3);
                p += 3;
            }
            Start::N | Start::Atom => {
                let start = p;
                // A flag's `\`, then atom characters.
                if b == b'\\' {
                    p += 1;
                }
                let atoms = line[p..]
                    .iter()
                    .position(|&c| !is_atom_char(c))
                    .unwrap_or(line.len() - p);
                if atoms == 0 {
                    return None;
                }
                p += atoms;
                let kind = if p - start == 3
                    && (b | 0x20) == b'n'
                    && line[start..p].eq_ignore_ascii_case(b"NIL")
                {
                    Kind::Nil
                } else {
                    Kind::Atom
                };
                tape.push(kind, start, p);
            }
        }
        // After a string, number, atom or NIL: `)` or one space and more.
        match line.get(p)? {
            b')' => {}
            b' ' => {
                p += 1;
                if matches!(line.get(p)?, b' ' | b')') {
                    return None;
                }
            }
            _ => return None,
        }
    }
}
