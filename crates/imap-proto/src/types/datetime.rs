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
        let rest = c.rest();
        let month = rest
            .get(..3)
            .and_then(|m| {
                MONTHS
                    .iter()
                    .position(|name| m.eq_ignore_ascii_case(&name[..]))
            })
            .ok_or_else(|| c.error("a month name (Jan ... Dec)"))?;
        c.advance(3);
        c.expect(b'-', "- after the month")?;
        let year = digits(c, 4, "a 4-digit year")?;
        let (Ok(year), Ok(month), Ok(day)) = (
            u16::try_from(year),
            u8::try_from(month + 1),
            u8::try_from(day),
        ) else {
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
        if hour > 23 || minute > 59 || second > 60 || zone % 100 > 59 {
            return Err(c.error("a valid time"));
        }
        let offset =
            i16::try_from(zone / 100 * 60 + zone % 100).map_err(|_| c.error("a valid zone"))?;
        Ok(Self {
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
}
