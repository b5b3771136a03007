//! The first of the views' two passes over a nested value: one tight loop
//! over the octets that records every list, string, number, atom and NIL
//! on the tape, checking only the canonical spacing. The grammar is then
//! checked on the tokens (the second pass, in `fetch.rs`), which is far
//! cheaper than checking it octet by octet.

use super::lex::{Kind, Tape, quoted_end};
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
        // Quotes and parentheses, the commonest starts, by compare; the
        // rest by class (fewer instructions than the table alone).
        let start = match b {
            b'"' => Start::Quote,
            b'(' => Start::Open,
            b')' => Start::Close,
            _ => START[usize::from(b)],
        };
        match start {
            Start::Invalid => return None,
            Start::Open => {
                if depth >= max_depth {
                    return None;
                }
                open[depth] = tape.open(p) as u32;
                depth += 1;
                p += 1;
                // `( ` is not canonical: a space starts no token.
                continue;
            }
            Start::Close => {
                depth = depth.checked_sub(1)?;
                // ` )` is not canonical (a list was opened: `p > 0`).
                if line[p - 1] == b' ' {
                    return None;
                }
                tape.close(open[depth] as usize);
                p += 1;
                if depth == 0 {
                    return Some(p);
                }
                // After `)`: `)`, `(` (touching lists), or one space.
                match *line.get(p)? {
                    b' ' => p += 1,
                    b')' | b'(' => {}
                    _ => return None,
                }
                continue;
            }
            Start::Quote => {
                let (end, escaped) = quoted_end(line, p + 1)?;
                let kind = if escaped { Kind::StrEscaped } else { Kind::Str };
                tape.push(kind, p + 1, end);
                p = end + 1;
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
            // Any other atom (a `NIL` not followed by a space or `)` fails
            // the separator check below).
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
                tape.push(Kind::Atom, start, p);
            }
        }
        // After a string, number, atom or NIL: `)`, or one space (a
        // second space starts no token; ` )` is refused at the `)`).
        match *line.get(p)? {
            b' ' => p += 1,
            b')' => {}
            _ => return None,
        }
    }
}
