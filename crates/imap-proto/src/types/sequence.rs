//! Sequence sets: message sequence numbers and UIDs as ranges (RFC 3501 §9
//! `sequence-set`), never expanded into memory.

use std::fmt;
use std::num::NonZeroU32;
use std::ops::RangeInclusive;

use crate::error::ValueError;

/// One end of a range: a number (1 or more) or `*`, the largest number in
/// use (the last message, or the largest UID).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SeqNumber {
    /// A number, 1 to 2^32-1.
    Value(NonZeroU32),
    /// `*`.
    Largest,
}

impl SeqNumber {
    /// A number; `None` for 0.
    pub fn new(n: u32) -> Option<Self> {
        NonZeroU32::new(n).map(Self::Value)
    }

    /// The number `*` stands for when the largest number in use is `largest`.
    pub fn resolve(self, largest: u32) -> u32 {
        match self {
            Self::Value(n) => n.get(),
            Self::Largest => largest,
        }
    }
}

impl fmt::Display for SeqNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Value(n) => n.fmt(f),
            Self::Largest => f.write_str("*"),
        }
    }
}

/// `n` or `a:b`. The ends may come in either order (`5:2` is `2:5`, RFC 9051
/// §9 `seq-range`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeqRange {
    /// The first end, as written.
    pub start: SeqNumber,
    /// The second end, as written; equal to `start` for a single number.
    pub end: SeqNumber,
}

impl SeqRange {
    /// A single number or `*`.
    pub fn single(n: SeqNumber) -> Self {
        Self { start: n, end: n }
    }

    /// The numbers covered when the largest in use is `largest`, lowest
    /// first; `None` when it covers nothing (a range with `*` in an empty
    /// mailbox, `largest == 0`).
    pub fn resolve(&self, largest: u32) -> Option<RangeInclusive<u32>> {
        let has_star = self.start == SeqNumber::Largest || self.end == SeqNumber::Largest;
        if has_star && largest == 0 {
            return None;
        }
        let (a, b) = (self.start.resolve(largest), self.end.resolve(largest));
        Some(a.min(b)..=a.max(b))
    }
}

impl fmt::Display for SeqRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            self.start.fmt(f)
        } else {
            write!(f, "{}:{}", self.start, self.end)
        }
    }
}

/// A non-empty `sequence-set`, kept as the ranges written: `1:4,7,9:*` is
/// three ranges whatever the numbers, so `1:4294967295` costs the same as
/// `1`. Equality is on the written form.
///
/// The SEARCHRES marker `$` (RFC 5182) is not a sequence set; the grammar
/// keeps it apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SequenceSet(Vec<SeqRange>);

impl SequenceSet {
    /// A set of these ranges (at least one).
    pub fn new(ranges: Vec<SeqRange>) -> Result<Self, ValueError> {
        if ranges.is_empty() {
            return Err(ValueError::Empty {
                what: "sequence set",
            });
        }
        Ok(Self(ranges))
    }

    /// One number (or `*`).
    pub fn single(n: SeqNumber) -> Self {
        Self(vec![SeqRange::single(n)])
    }

    /// One range.
    pub fn range(start: SeqNumber, end: SeqNumber) -> Self {
        Self(vec![SeqRange { start, end }])
    }

    /// `1:*`: every message.
    pub fn all() -> Self {
        Self::range(SeqNumber::Value(NonZeroU32::MIN), SeqNumber::Largest)
    }

    /// Reads a set as written on the wire (`1,3:5,7:*`), with at most
    /// `max_items` ranges. Numbers have no leading zeros and fit in 32
    /// bits (`nz-number`).
    pub fn parse(wire: &[u8], max_items: usize) -> Result<Self, ValueError> {
        const WHAT: &str = "sequence set";
        let mut ranges = Vec::new();
        let mut i = 0;
        let number = |i: &mut usize| -> Result<SeqNumber, ValueError> {
            if wire.get(*i) == Some(&b'*') {
                *i += 1;
                return Ok(SeqNumber::Largest);
            }
            let start = *i;
            let mut n: u32 = 0;
            while let Some(d) = wire.get(*i).filter(|d| d.is_ascii_digit()) {
                if *i == start && *d == b'0' {
                    return Err(ValueError::Syntax {
                        what: WHAT,
                        index: *i,
                    });
                }
                n = n
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(u32::from(d - b'0')))
                    .ok_or(ValueError::NumberOutOfRange { what: WHAT })?;
                *i += 1;
            }
            SeqNumber::new(n).ok_or(ValueError::Syntax {
                what: WHAT,
                index: start,
            })
        };
        loop {
            let start = number(&mut i)?;
            let end = if wire.get(i) == Some(&b':') {
                i += 1;
                number(&mut i)?
            } else {
                start
            };
            if ranges.len() == max_items {
                return Err(ValueError::TooManyItems {
                    what: WHAT,
                    limit: max_items,
                });
            }
            ranges.push(SeqRange { start, end });
            match wire.get(i) {
                None => return Ok(Self(ranges)),
                Some(b',') => i += 1,
                Some(_) => {
                    return Err(ValueError::Syntax {
                        what: WHAT,
                        index: i,
                    });
                }
            }
        }
    }

    /// The ranges, as written.
    pub fn ranges(&self) -> &[SeqRange] {
        &self.0
    }

    /// Whether `n` is in the set when the largest number in use is
    /// `largest` (the message count, or the largest UID). Costs one step per
    /// range, whatever the numbers.
    pub fn contains(&self, n: u32, largest: u32) -> bool {
        self.0
            .iter()
            .any(|r| r.resolve(largest).is_some_and(|range| range.contains(&n)))
    }

    /// The set as sorted, disjoint, non-adjacent ranges when the largest
    /// number in use is `largest`. Costs O(k log k) for k ranges, whatever
    /// the numbers.
    pub fn normalize(&self, largest: u32) -> Vec<RangeInclusive<u32>> {
        let mut v: Vec<RangeInclusive<u32>> =
            self.0.iter().filter_map(|r| r.resolve(largest)).collect();
        v.sort_unstable_by_key(|r| *r.start());
        let mut out: Vec<RangeInclusive<u32>> = Vec::with_capacity(v.len());
        for r in v {
            match out.last_mut() {
                Some(last) if u64::from(*r.start()) <= u64::from(*last.end()) + 1 => {
                    if r.end() > last.end() {
                        *last = *last.start()..=*r.end();
                    }
                }
                _ => out.push(r),
            }
        }
        out
    }

    /// How many distinct numbers the set holds when the largest in use is
    /// `largest` (counted from the ranges, not by listing them).
    pub fn count(&self, largest: u32) -> u64 {
        self.normalize(largest)
            .iter()
            .map(|r| u64::from(*r.end()) - u64::from(*r.start()) + 1)
            .sum()
    }
}

impl fmt::Display for SequenceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            r.fmt(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str) -> SequenceSet {
        SequenceSet::parse(s.as_bytes(), 100).unwrap()
    }

    #[test]
    fn parse_and_write() {
        for s in ["1", "*", "1:*", "*:1", "1,3:5,7", "4294967295", "5:3,1"] {
            assert_eq!(set(s).to_string(), s);
        }
        // `n:n` is the single number `n`.
        assert_eq!(set("2:2"), set("2"));
        let bad: &[(&str, ValueError)] = &[
            (
                "",
                ValueError::Syntax {
                    what: "sequence set",
                    index: 0,
                },
            ),
            (
                "0",
                ValueError::Syntax {
                    what: "sequence set",
                    index: 0,
                },
            ),
            (
                "01",
                ValueError::Syntax {
                    what: "sequence set",
                    index: 0,
                },
            ),
            (
                "1,",
                ValueError::Syntax {
                    what: "sequence set",
                    index: 2,
                },
            ),
            (
                ",1",
                ValueError::Syntax {
                    what: "sequence set",
                    index: 0,
                },
            ),
            (
                "1:",
                ValueError::Syntax {
                    what: "sequence set",
                    index: 2,
                },
            ),
            (
                "1::2",
                ValueError::Syntax {
                    what: "sequence set",
                    index: 2,
                },
            ),
            (
                "1 2",
                ValueError::Syntax {
                    what: "sequence set",
                    index: 1,
                },
            ),
            (
                "**",
                ValueError::Syntax {
                    what: "sequence set",
                    index: 1,
                },
            ),
            (
                "4294967296",
                ValueError::NumberOutOfRange {
                    what: "sequence set",
                },
            ),
            (
                "99999999999999999999",
                ValueError::NumberOutOfRange {
                    what: "sequence set",
                },
            ),
            (
                "$",
                ValueError::Syntax {
                    what: "sequence set",
                    index: 0,
                },
            ),
        ];
        for (input, err) in bad {
            assert_eq!(
                SequenceSet::parse(input.as_bytes(), 100).as_ref(),
                Err(err),
                "{input:?}"
            );
        }
        assert_eq!(
            SequenceSet::parse(b"1,2,3", 2),
            Err(ValueError::TooManyItems {
                what: "sequence set",
                limit: 2
            })
        );
        assert!(SequenceSet::new(vec![]).is_err());
    }

    #[test]
    fn membership_without_expansion() {
        let s = set("1:4294967295");
        assert!(s.contains(4_000_000_000, 10));
        assert_eq!(s.count(10), 4_294_967_295);
        let s = set("5:*,2");
        assert!(s.contains(2, 10) && s.contains(7, 10) && s.contains(10, 10));
        assert!(!s.contains(3, 10) && !s.contains(11, 10) && !s.contains(0, 10));
        // `*` below the start: 5:* with largest 3 is 3:5.
        assert!(set("5:*").contains(4, 3));
        // An empty mailbox: `*` covers nothing.
        assert!(!set("1:*").contains(1, 0));
        assert!(set("1:*,1").contains(1, 0));
        assert!(SequenceSet::all().contains(1, 1));
    }

    #[test]
    fn normalize_merges() {
        assert_eq!(
            set("7:9,1:3,4,10,12:*,20").normalize(15),
            vec![1..=4, 7..=10, 12..=15, 20..=20]
        );
        assert_eq!(set("1:3,4:6,6:9").normalize(9), vec![1..=9]);
        assert_eq!(set("*").normalize(0), vec![]);
        assert_eq!(
            set("4294967295,1:4294967294").normalize(1),
            vec![1..=4_294_967_295]
        );
        assert_eq!(set("3:1,2").count(100), 3);
    }
}
