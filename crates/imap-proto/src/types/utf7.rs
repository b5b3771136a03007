//! Modified UTF-7, the mailbox name encoding of IMAP4rev1 (RFC 3501 §5.1.3).
//!
//! Printable ASCII (0x20 to 0x7E) stands for itself, except `&`, written
//! `&-`; every other character is written as UTF-16 in a base64 variant
//! (`,` instead of `/`, no padding) between `&` and `-`.
//!
//! [`encode`] writes the one canonical form; [`decode`] accepts exactly the
//! canonical forms (RFC 3501: no encoded printable ASCII, no null shifts,
//! no adjacent encoded runs, zero padding bits), so
//! `encode(decode(x)?) == x` for every accepted `x`, and
//! `decode(encode(s)) == s` for every string.

use crate::error::ValueError;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

fn value(b: u8) -> Option<u32> {
    let v = match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        b',' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

fn is_direct(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}')
}

/// Encodes a name in modified UTF-7.
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let mut units: Vec<u16> = Vec::new();
    for c in name.chars() {
        if is_direct(c) {
            flush(&mut units, &mut out);
            out.push(c);
            if c == '&' {
                out.push('-');
            }
        } else {
            let mut buf = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut units, &mut out);
    out
}

fn flush(units: &mut Vec<u16>, out: &mut String) {
    if units.is_empty() {
        return;
    }
    out.push('&');
    let mut acc: u32 = 0;
    let mut bits = 0;
    for u in units.drain(..) {
        acc = (acc << 16) | u32::from(u);
        bits += 16;
        while bits >= 6 {
            bits -= 6;
            out.push(char::from(ALPHABET[((acc >> bits) & 0x3f) as usize]));
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((acc << (6 - bits)) & 0x3f) as usize]));
    }
    out.push('-');
}

/// Decodes a modified UTF-7 name; refuses anything but the canonical form.
pub fn decode(wire: &[u8]) -> Result<String, ValueError> {
    let bad = |index| ValueError::InvalidModifiedUtf7 { index };
    // Most names are printable ASCII without `&`: the same text.
    // (A fold without early exit: the compiler vectorizes it.)
    if wire.iter().fold(true, |ok, &b| {
        ok & ((0x20..=0x7e).contains(&b) & (b != b'&'))
    }) {
        return Ok(std::str::from_utf8(wire).unwrap_or_default().to_owned());
    }
    let mut out = String::with_capacity(wire.len());
    let mut i = 0;
    // Index just after the `-` of the last encoded run (for adjacent runs).
    let mut run_end = usize::MAX;
    while let Some(&b) = wire.get(i) {
        if !(0x20..=0x7e).contains(&b) {
            return Err(bad(i));
        }
        if b != b'&' {
            out.push(char::from(b));
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        if wire.get(i) == Some(&b'-') {
            out.push('&');
            i += 1;
            continue;
        }
        if start == run_end {
            // `-&`: a null shift between two encoded runs.
            return Err(bad(start));
        }
        let mut acc: u32 = 0;
        let mut bits = 0;
        let mut units: Vec<u16> = Vec::new();
        loop {
            match wire.get(i) {
                Some(&b'-') => break,
                Some(&c) => {
                    let v = value(c).ok_or(bad(i))?;
                    acc = (acc << 6) | v;
                    bits += 6;
                    if bits >= 16 {
                        bits -= 16;
                        units.push(((acc >> bits) & 0xffff) as u16);
                        acc &= (1 << bits) - 1;
                    }
                    i += 1;
                }
                None => return Err(bad(i)),
            }
        }
        // Leftover bits must be padding: fewer than 6, all zero; and the run
        // must hold at least one character.
        if units.is_empty() || bits >= 6 || acc != 0 {
            return Err(bad(i));
        }
        for c in char::decode_utf16(units.iter().copied()) {
            let c = c.map_err(|_| bad(start))?;
            if is_direct(c) {
                return Err(bad(start));
            }
            out.push(c);
        }
        i += 1;
        run_end = i;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_examples_and_more() {
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("INBOX", "INBOX"),
            ("&", "&-"),
            ("a&b", "a&-b"),
            // RFC 3501 §5.1.3.
            ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
            ("Entwürfe", "Entw&APw-rfe"),
            ("Gelöschte Elemente", "Gel&APY-schte Elemente"),
            ("😀", "&2D3eAA-"),
            ("\u{0}", "&AAA-"),
            ("tab\there", "tab&AAk-here"),
            ("ÄÖÜ", "&AMQA1gDc-"),
            ("Отправленные", "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-"),
        ];
        for (text, wire) in cases {
            assert_eq!(encode(text), *wire, "{text:?}");
            assert_eq!(decode(wire.as_bytes()).as_deref(), Ok(*text), "{wire:?}");
        }
    }

    #[test]
    fn non_canonical_forms_are_refused() {
        for (wire, index) in [
            (&b"&"[..], 1),                // unterminated
            (b"&U,BTFw", 7),               // unterminated run
            (b"&AGE-", 0),                 // encoded printable ASCII 'a'
            (b"&U,BTFw-&ZeVnLIqe-", 8),    // adjacent runs (null shift)
            (b"&U,BTF-", 6),               // leftover bits that are not padding
            (b"&U,BTFx-", 7),              // non-zero padding bits
            (b"&Jjo!-", 4),                // not base64
            (b"caf\xc3\xa9", 3),           // raw 8-bit
            (b"a\tb", 1),                  // raw control character
            (b"&2D0-", 0),                 // unpaired surrogate
            (b"&-&-x&AAA-&-", usize::MAX), // valid: "&&x\0&"
        ] {
            if index == usize::MAX {
                assert_eq!(decode(wire).as_deref(), Ok("&&x\0&"));
                continue;
            }
            assert_eq!(
                decode(wire),
                Err(ValueError::InvalidModifiedUtf7 { index }),
                "{:?}",
                String::from_utf8_lossy(wire)
            );
        }
    }
}
