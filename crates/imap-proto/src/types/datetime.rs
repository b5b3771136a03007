//! IMAP `date-time` (`"17-Jul-1996 02:44:25 -0700"`, INTERNALDATE and APPEND)
//! and `date` (`1-Feb-1994`, SEARCH), kept as their fields: no time zone
//! database, no clock.

use crate::parse::{Cursor, PResult};

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year (4 digits).
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day, 1 to 31.
    pub day: u8,
}

/// A date and time with its UTC offset, as IMAP writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// The date.
    pub date: Date,
    /// Hour, 0 to 23.
    pub hour: u8,
    /// Minute.
    pub minute: u8,
    /// Second (60 allowed for a leap second).
    pub second: u8,
    /// Offset from UTC in minutes (`-0700` is -420).
    pub offset_minutes: i16,
}

/// The number (1 to 12) of the month named `name` (`Jan` ... `Dec`, any
/// case).
#[inline]
fn month_number(name: &[u8]) -> Option<u8> {
    let &[a, b, c] = name else {
        return None;
    };
    // `| 0x20` lowercases letters, and makes no letter of anything else.
    let lower = |m: [u8; 3]| m.map(|x| x | 0x20);
    let index = MONTHS.iter().position(|m| lower(**m) == lower([a, b, c]))?;
    Some(index as u8 + 1)
}

fn digits(c: &mut Cursor<'_>, n: usize, expected: &'static str) -> PResult<u32> {
    let rest = c.rest();
    if rest.len() < n || !rest[..n].iter().all(u8::is_ascii_digit) {
        return Err(c.error(expected));
    }
    let v = rest[..n]
        .iter()
        .fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'));
    c.advance(n);
    Ok(v)
}

impl Date {
    /// A date, checked (days per month, leap years).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Self { year, month, day })
    }

    /// Reads `d-Mon-yyyy` (day of 1 or 2 digits; a leading space is allowed
    /// where `date-time` pads it).
    pub fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        c.eat(b' ');
        let two = c.rest().get(1).is_some_and(u8::is_ascii_digit);
        let day = digits(c, if two { 2 } else { 1 }, "a day")?;
        c.expect(b'-', "- after the day")?;
        let month = c
            .rest()
            .get(..3)
            .and_then(month_number)
            .ok_or_else(|| c.error("a month name (Jan ... Dec)"))?;
        c.advance(3);
        c.expect(b'-', "- after the month")?;
        let year = digits(c, 4, "a 4-digit year")?;
        let (Ok(year), Ok(day)) = (u16::try_from(year), u8::try_from(day)) else {
            return Err(c.error("a valid date"));
        };
        Date::new(year, month, day).ok_or_else(|| c.error("a valid date"))
    }

    /// Writes `d-Mon-yyyy`.
    pub fn write(&self, out: &mut Vec<u8>) {
        let month = MONTHS[usize::from(self.month.clamp(1, 12) - 1)];
        out.extend_from_slice(
            format!(
                "{}-{}-{:04}",
                self.day,
                String::from_utf8_lossy(month),
                self.year
            )
            .as_bytes(),
        );
    }
}

impl DateTime {
    /// Reads a quoted `date-time`.
    pub fn parse(c: &mut Cursor<'_>) -> PResult<Self> {
        // The fixed-width form servers and clients write, at once.
        if let Some(&[b'"', ref content @ .., b'"']) = c.rest().get(..28)
            && let Some(dt) = Self::parse_fixed(content)
        {
            c.advance(28);
            return Ok(dt);
        }
        c.expect(b'"', "a quoted date-time")?;
        let date = Date::parse(c)?;
        c.expect(b' ', "a space after the date")?;
        let hour = digits(c, 2, "hours")?;
        c.expect(b':', ":")?;
        let minute = digits(c, 2, "minutes")?;
        c.expect(b':', ":")?;
        let second = digits(c, 2, "seconds")?;
        c.expect(b' ', "a space before the zone")?;
        let sign: i16 = if c.eat(b'+') {
            1
        } else if c.eat(b'-') {
            -1
        } else {
            return Err(c.error("+ or - before the zone"));
        };
        let zone = digits(c, 4, "a 4-digit zone")?;
        c.expect(b'"', "\" closing the date-time")?;
        Self::from_fields(date, [hour, minute, second], sign, zone)
            .ok_or_else(|| c.error("a valid time"))
    }

    /// The content of a quoted `date-time` in its fixed-width form
    /// (RFC 3501 §9: `dd-Mon-yyyy hh:mm:ss +zzzz`, the day two digits or a
    /// space and one); `None` for anything else.
    #[inline]
    pub(crate) fn parse_fixed(content: &[u8]) -> Option<Self> {
        let &[
            d1,
            d2,
            b'-',
            m1,
            m2,
            m3,
            b'-',
            y1,
            y2,
            y3,
            y4,
            b' ',
            h1,
            h2,
            b':',
            n1,
            n2,
            b':',
            s1,
            s2,
            b' ',
            sign,
            z1,
            z2,
            z3,
            z4,
        ] = content
        else {
            return None;
        };
        let digit = |b: u8| b.is_ascii_digit().then(|| u32::from(b - b'0'));
        let two = |a: u8, b: u8| Some(digit(a)? * 10 + digit(b)?);
        let day = if d1 == b' ' { digit(d2)? } else { two(d1, d2)? };
        let month = month_number(&[m1, m2, m3])?;
        let year = two(y1, y2)? * 100 + two(y3, y4)?;
        let sign = match sign {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let date = Date::new(u16::try_from(year).ok()?, month, u8::try_from(day).ok()?)?;
        let time = [two(h1, h2)?, two(n1, n2)?, two(s1, s2)?];
        Self::from_fields(date, time, sign, two(z1, z2)? * 100 + two(z3, z4)?)
    }

    /// The date-time of these fields, checked: hours, minutes and seconds
    /// (60 for a leap second), and a zone `hhmm` with its sign.
    fn from_fields(
        date: Date,
        [hour, minute, second]: [u32; 3],
        sign: i16,
        zone: u32,
    ) -> Option<Self> {
        if hour > 23 || minute > 59 || second > 60 || zone % 100 > 59 {
            return None;
        }
        // At most 99 * 60 + 59 minutes: fits.
        let offset = i16::try_from(zone / 100 * 60 + zone % 100).ok()?;
        Some(Self {
            date,
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
            offset_minutes: sign * offset,
        })
    }

    /// Writes the quoted `date-time` (day padded with a space, RFC 3501 §9).
    pub fn write(&self, out: &mut Vec<u8>) {
        let month = MONTHS[usize::from(self.date.month.clamp(1, 12) - 1)];
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        out.extend_from_slice(
            format!(
                "\"{:>2}-{}-{:04} {:02}:{:02}:{:02} {sign}{:02}{:02}\"",
                self.date.day,
                String::from_utf8_lossy(month),
                self.date.year,
                self.hour,
                self.minute,
                self.second,
                off / 60,
                off % 60
            )
            .as_bytes(),
        );
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::Limits;
    use crate::parse::Strictness;

    fn parse(s: &str) -> PResult<DateTime> {
        let bytes = Bytes::copy_from_slice(s.as_bytes());
        let limits = Limits::default();
        DateTime::parse(&mut Cursor::over(&bytes, 0, &limits, Strictness::Strict))
    }

    #[test]
    fn date_times() {
        let dt = parse("\"17-Jul-1996 02:44:25 -0700\"").unwrap();
        assert_eq!(
            (dt.date.year, dt.date.month, dt.date.day, dt.offset_minutes),
            (1996, 7, 17, -420)
        );
        let mut out = Vec::new();
        dt.write(&mut out);
        assert_eq!(out, b"\"17-Jul-1996 02:44:25 -0700\"");
        let dt = parse("\" 1-Jan-2023 00:00:05 +0000\"").unwrap();
        let mut out = Vec::new();
        dt.write(&mut out);
        assert_eq!(out, b"\" 1-Jan-2023 00:00:05 +0000\"");
        assert!(parse("\"30-Feb-2023 00:00:00 +0000\"").is_err());
        assert!(parse("\"17-Foo-1996 02:44:25 -0700\"").is_err());
        assert!(parse("\"17-Jul-1996 25:44:25 -0700\"").is_err());
    }

    #[test]
    fn month_names_read_in_any_case() {
        for (i, name) in MONTHS.iter().enumerate() {
            let number = Some(i as u8 + 1);
            assert_eq!(month_number(&name[..]), number);
            assert_eq!(month_number(&name.to_ascii_uppercase()), number);
            assert_eq!(month_number(&name.to_ascii_lowercase()), number);
        }
        for bad in [&b"Jux"[..], b"J@N", b"Ja", b"Janu", b"", b"\xca\xc1\xce"] {
            assert_eq!(month_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_fixed_width_form_and_the_general_reader_agree() {
        // Read at once (fixed width) or field by field: the same value, and
        // the same refusals.
        let cases = [
            ("17-jul-1996 02:44:25 -0700", true),
            ("29-Feb-2024 23:59:60 +9959", true),
            ("07-Jul-1996 00:00:00 +0000", true),
            (" 7-Jul-1996 00:00:00 +0000", true),
            ("29-Feb-2023 00:00:00 +0000", false),
            ("17-Jul-1996 24:00:00 +0000", false),
            ("17-Jul-1996 00:60:00 +0000", false),
            ("17-Jul-1996 00:00:61 +0000", false),
            ("17-Jul-1996 00:00:00 +0060", false),
            ("17-Jul-1996 00:00:00 0000", false),
            ("17-Jux-1996 00:00:00 +0000", false),
        ];
        for (content, valid) in cases {
            let fixed = DateTime::parse_fixed(content.as_bytes());
            assert_eq!(fixed.is_some(), valid, "{content}");
            let general = parse(&format!("\"{content}\""));
            assert_eq!(general.ok(), fixed, "{content}");
        }
        // Forms only the field-by-field reader takes.
        assert!(DateTime::parse_fixed(b"7-Jul-1996 00:00:00 +0000").is_none());
        let dt = parse("\"7-Jul-1996 00:00:00 +0000\"").unwrap();
        assert_eq!(dt.date.day, 7);
    }
}
