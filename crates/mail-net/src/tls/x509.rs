//! A small, bounded reader of the few X.509 fields the verifier and its
//! messages need: issuer and subject (raw, and the subject's common name),
//! the validity dates, the subject public key info, the subjectAltNames and
//! whether the certificate is a CA (RFC 5280 §4.1, §4.2.1.6, §4.2.1.9).
//!
//! It decides nothing about trust: chains, names and signatures are checked
//! by rustls-webpki. A certificate it cannot read only makes a message less
//! precise. It walks a fixed shape without recursion, never reads past the
//! input, and keeps at most [`MAX_NAMES`] names.

use std::net::IpAddr;

/// At most this many subjectAltNames are kept for messages.
pub(crate) const MAX_NAMES: usize = 16;

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
const BOOLEAN: u8 = 0x01;
const OCTET_STRING: u8 = 0x04;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;
/// `[0] EXPLICIT Version` in TBSCertificate.
const VERSION: u8 = 0xa0;
/// `[3] EXPLICIT Extensions` in TBSCertificate.
const EXTENSIONS: u8 = 0xa3;
/// GeneralName `[2] dNSName` and `[7] iPAddress` (implicit, primitive).
const DNS_NAME: u8 = 0x82;
const IP_ADDRESS: u8 = 0x87;

/// id-ce-subjectAltName, 2.5.29.17 (content octets of the OID).
const OID_SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
/// id-ce-basicConstraints, 2.5.29.19.
const OID_BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
/// id-at-commonName, 2.5.4.3.
const OID_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];

/// What the messages and the directly trusted path read from a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CertSummary<'a> {
    /// The issuer Name, its content octets.
    pub(crate) issuer: &'a [u8],
    /// The subject Name, its content octets.
    pub(crate) subject: &'a [u8],
    /// notBefore, seconds since the Unix epoch.
    pub(crate) not_before: i64,
    /// notAfter, seconds since the Unix epoch.
    pub(crate) not_after: i64,
    /// The whole SubjectPublicKeyInfo, tag and length included.
    pub(crate) spki: &'a [u8],
    /// dNSName and iPAddress entries of the subjectAltName, in order.
    pub(crate) names: Vec<String>,
    /// basicConstraints cA is TRUE.
    pub(crate) is_ca: bool,
}

impl<'a> CertSummary<'a> {
    /// Reads a DER certificate; `None` when it is not of the expected shape.
    pub(crate) fn parse(der: &'a [u8]) -> Option<Self> {
        let (cert, _) = expect(der, SEQUENCE)?;
        let (tbs, _) = expect(cert, SEQUENCE)?;
        let mut rest = tbs;
        if rest.first() == Some(&VERSION) {
            rest = tlv(rest)?.2;
        }
        let (_serial, _, rest) = tlv(rest)?;
        let (_signature, rest) = expect(rest, SEQUENCE)?;
        let (issuer, rest) = expect(rest, SEQUENCE)?;
        let (validity, rest) = expect(rest, SEQUENCE)?;
        let (subject, after_subject) = expect(rest, SEQUENCE)?;
        let (_, after_spki) = expect(after_subject, SEQUENCE)?;
        let spki = after_subject.get(..after_subject.len() - after_spki.len())?;

        let (not_before, validity) = time(validity)?;
        let (not_after, _) = time(validity)?;

        let mut summary = Self {
            issuer,
            subject,
            not_before,
            not_after,
            spki,
            names: Vec::new(),
            is_ca: false,
        };
        // The optional unique identifiers ([1], [2]) come before [3].
        let mut rest = after_spki;
        while let Some((tag, value, next)) = tlv(rest) {
            if tag == EXTENSIONS {
                summary.read_extensions(value);
            }
            rest = next;
        }
        Some(summary)
    }

    fn read_extensions(&mut self, explicit: &'a [u8]) {
        let Some((mut list, _)) = expect(explicit, SEQUENCE) else {
            return;
        };
        while let Some((extension, next)) = expect(list, SEQUENCE) {
            list = next;
            let Some((oid, mut rest)) = expect(extension, OID) else {
                continue;
            };
            if rest.first() == Some(&BOOLEAN) {
                rest = tlv(rest).map_or(&[][..], |t| t.2);
            }
            let Some((value, _)) = expect(rest, OCTET_STRING) else {
                continue;
            };
            if oid == OID_SUBJECT_ALT_NAME {
                self.read_alt_names(value);
            } else if oid == OID_BASIC_CONSTRAINTS {
                self.is_ca = expect(value, SEQUENCE)
                    .and_then(|(inner, _)| expect(inner, BOOLEAN))
                    .is_some_and(|(flag, _)| flag.iter().any(|b| *b != 0));
            }
        }
    }

    fn read_alt_names(&mut self, value: &[u8]) {
        let Some((mut names, _)) = expect(value, SEQUENCE) else {
            return;
        };
        while let Some((tag, name, next)) = tlv(names) {
            names = next;
            if self.names.len() >= MAX_NAMES {
                break;
            }
            match tag {
                DNS_NAME => self.names.push(String::from_utf8_lossy(name).into_owned()),
                IP_ADDRESS => {
                    let ip = <[u8; 4]>::try_from(name)
                        .map(IpAddr::from)
                        .or_else(|_| <[u8; 16]>::try_from(name).map(IpAddr::from));
                    if let Ok(ip) = ip {
                        self.names.push(ip.to_string());
                    }
                }
                _ => {}
            }
        }
    }

    /// issuer == subject: the certificate names itself as its issuer.
    pub(crate) fn is_self_issued(&self) -> bool {
        self.issuer == self.subject
    }

    /// The subject's commonName, if it has one that is text.
    pub(crate) fn subject_cn(&self) -> Option<String> {
        common_name(self.subject)
    }

    /// The issuer's commonName, if it has one that is text.
    pub(crate) fn issuer_cn(&self) -> Option<String> {
        common_name(self.issuer)
    }
}

/// The last commonName of a Name's RDNSequence (the most specific one).
fn common_name(name: &[u8]) -> Option<String> {
    let mut found = None;
    let mut rdns = name;
    while let Some((set, next)) = expect(rdns, SET) {
        rdns = next;
        let mut attributes = set;
        while let Some((attribute, next)) = expect(attributes, SEQUENCE) {
            attributes = next;
            let Some((oid, rest)) = expect(attribute, OID) else {
                continue;
            };
            if oid != OID_COMMON_NAME {
                continue;
            }
            // UTF8String, PrintableString, TeletexString, IA5String are
            // read as text; BMPString and others are not shown.
            if let Some((tag, value, _)) = tlv(rest)
                && matches!(tag, 0x0c | 0x13 | 0x14 | 0x16)
            {
                found = Some(String::from_utf8_lossy(value).into_owned());
            }
        }
    }
    found
}

/// One TLV: its tag, its content and what follows. Only single-octet tags
/// and definite lengths of up to four octets (DER, and certificates are far
/// smaller than 4 GiB).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let (octets, rest) = rest.split_at_checked(count)?;
        let len = octets
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, rest)
    };
    let (value, rest) = rest.split_at_checked(len)?;
    Some((tag, value, rest))
}

/// The next TLV when it has this tag.
fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (found, value, rest) = tlv(input)?;
    (found == tag).then_some((value, rest))
}

/// A UTCTime or GeneralizedTime in the forms RFC 5280 §4.1.2.5 allows
/// (YYMMDDHHMMSSZ, YYYYMMDDHHMMSSZ), as Unix seconds.
fn time(input: &[u8]) -> Option<(i64, &[u8])> {
    let (tag, value, rest) = tlv(input)?;
    let (year, digits) = match (tag, value.len()) {
        (UTC_TIME, 13) => {
            let yy = number(value.get(..2)?)?;
            // RFC 5280 §4.1.2.5.1: 50..99 are 19YY, 00..49 are 20YY.
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &value[2..])
        }
        (GENERALIZED_TIME, 15) => (number(value.get(..4)?)?, &value[4..]),
        _ => return None,
    };
    if digits.last() != Some(&b'Z') {
        return None;
    }
    let field = |i: usize| number(digits.get(i..i + 2)?);
    let (month, day) = (field(0)?, field(2)?);
    let (hour, minute, second) = (field(4)?, field(6)?, field(8)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    // A leap second (60) is allowed by the grammar; count it as the next.
    if second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((days * 86_400 + hour * 3_600 + minute * 60 + second, rest))
}

fn number(digits: &[u8]) -> Option<i64> {
    digits.iter().try_fold(0i64, |acc, d| {
        d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Unix seconds as `2024-05-01 12:00:00 UTC`.
pub(crate) fn format_time(seconds: i64) -> String {
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3_600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(format_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_time(4_102_444_799), "2099-12-31 23:59:59 UTC");
        for days in [-800_000, -1, 0, 59, 60, 365, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn times_in_both_forms() {
        let utc = b"\x17\x0d491231235959Z";
        assert_eq!(time(utc).map(|t| t.0), Some(2_524_607_999));
        let utc_1950 = b"\x17\x0d500101000000Z";
        assert_eq!(time(utc_1950).map(|t| t.0), Some(-631_152_000));
        let generalized = b"\x18\x0f20500101000000Z";
        assert_eq!(time(generalized).map(|t| t.0), Some(2_524_608_000));
        for bad in [
            &b"\x17\x0d491231235959X"[..],
            b"\x17\x0b4912312359Z",
            b"\x18\x0d491231235959Z",
            b"\x17\x0d491331235959Z",
            b"\x17\x0d4912312359a9Z",
            b"\x17\x0e491231235959",
        ] {
            assert_eq!(time(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn lengths_are_bounded() {
        assert_eq!(tlv(b""), None);
        assert_eq!(tlv(b"\x30"), None);
        assert_eq!(tlv(b"\x30\x02\x01"), None);
        assert_eq!(tlv(b"\x30\x85\x01\x00\x00\x00\x00"), None);
        assert_eq!(tlv(b"\x30\x80"), None);
        assert_eq!(tlv(b"\x1f\x01\x00"), None);
        assert_eq!(
            tlv(b"\x04\x81\x01\xaa\xbb"),
            Some((0x04, &b"\xaa"[..], &b"\xbb"[..]))
        );
    }

    #[test]
    fn a_generated_certificate() {
        let mut params =
            rcgen::CertificateParams::new(vec!["mail.example.com".into(), "10.1.2.3".into()])
                .expect("params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Example Mail");
        params.not_before = rcgen::date_time_ymd(2021, 2, 3);
        params.not_after = rcgen::date_time_ymd(2051, 4, 5);
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = params.self_signed(&key).expect("cert");
        let summary = CertSummary::parse(cert.der()).expect("readable");
        assert_eq!(summary.names, ["mail.example.com", "10.1.2.3"]);
        assert_eq!(summary.subject_cn().as_deref(), Some("Example Mail"));
        assert_eq!(summary.issuer_cn().as_deref(), Some("Example Mail"));
        assert!(summary.is_self_issued());
        assert!(summary.is_ca);
        assert_eq!(format_time(summary.not_before), "2021-02-03 00:00:00 UTC");
        assert_eq!(format_time(summary.not_after), "2051-04-05 00:00:00 UTC");
        let parsed = rustls::server::ParsedCertificate::try_from(cert.der()).expect("webpki");
        assert_eq!(summary.spki, parsed.subject_public_key_info().as_ref());

        // Every strict prefix is refused, none read past its end.
        let der = cert.der().as_ref();
        for end in 0..der.len() {
            assert_eq!(CertSummary::parse(&der[..end]), None, "prefix {end}");
        }
    }
}
