//! Public-key pins as curl writes them (`--pinnedpubkey sha256//BASE64`):
//! the SHA-256 of the DER SubjectPublicKeyInfo of the server's certificate,
//! in standard base64 with padding. The value for a certificate is what
//! `openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform
//! der | openssl dgst -sha256 -binary | base64` prints.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::TlsSetupError;

/// The only hash curl and we accept.
const PREFIX: &str = "sha256//";
/// SHA-256 output length.
const LEN: usize = 32;

/// One public-key pin: the SHA-256 of a SubjectPublicKeyInfo.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKeyPin([u8; LEN]);

impl PublicKeyPin {
    /// The pin of a DER SubjectPublicKeyInfo (tag and length included).
    pub fn of_spki(spki: &[u8]) -> Self {
        let digest = ring::digest::digest(&ring::digest::SHA256, spki);
        let mut hash = [0; LEN];
        hash.copy_from_slice(digest.as_ref());
        Self(hash)
    }

    /// The pin of a certificate's public key.
    pub fn of_certificate(
        cert: &rustls::pki_types::CertificateDer<'_>,
    ) -> Result<Self, rustls::Error> {
        let parsed = rustls::server::ParsedCertificate::try_from(cert)?;
        Ok(Self::of_spki(parsed.subject_public_key_info().as_ref()))
    }

    /// Reads `sha256//BASE64`.
    pub fn parse(text: &str) -> Result<Self, TlsSetupError> {
        let refuse = |reason: &'static str| TlsSetupError::Pin {
            pin: text.to_owned(),
            reason,
        };
        let encoded = text
            .trim()
            .strip_prefix(PREFIX)
            .ok_or_else(|| refuse("a pin starts with sha256// (the only hash supported)"))?;
        let bytes = STANDARD
            .decode(encoded)
            .map_err(|_| refuse("not standard base64 with padding (44 characters ending in =)"))?;
        let hash = <[u8; LEN]>::try_from(bytes.as_slice())
            .map_err(|_| refuse("not a SHA-256 hash (32 bytes, 44 base64 characters)"))?;
        Ok(Self(hash))
    }

    /// Reads one pin or several joined with `;`, as curl's
    /// `--pinnedpubkey` takes them (empty entries are skipped).
    pub fn parse_list(text: &str) -> Result<Vec<Self>, TlsSetupError> {
        text.split(';')
            .filter(|part| !part.trim().is_empty())
            .map(Self::parse)
            .collect()
    }
}

impl FromStr for PublicKeyPin {
    type Err = TlsSetupError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for PublicKeyPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}", STANDARD.encode(self.0))
    }
}

impl fmt::Debug for PublicKeyPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKeyPin({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 of the empty string, in base64.
    const EMPTY: &str = "sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    #[test]
    fn parse_and_show() {
        let pin = PublicKeyPin::parse(EMPTY).expect("valid");
        assert_eq!(pin, PublicKeyPin::of_spki(b""));
        assert_eq!(pin.to_string(), EMPTY);
        assert_eq!(format!("{pin:?}"), format!("PublicKeyPin({EMPTY})"));
        assert_eq!(EMPTY.parse::<PublicKeyPin>().ok(), Some(pin));
    }

    #[test]
    fn several_joined_with_semicolons() {
        let other = PublicKeyPin::of_spki(b"x").to_string();
        let list = PublicKeyPin::parse_list(&format!("{EMPTY};{other};")).expect("valid");
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].to_string(), other);
    }

    #[test]
    fn malformed_pins_are_refused_with_a_reason() {
        let cases = [
            (
                "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                "starts with sha256//",
            ),
            (
                "sha1//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                "starts with sha256//",
            ),
            (
                "sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
                "base64",
            ),
            (
                "sha256//47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=",
                "base64",
            ),
            ("sha256//AAAA", "32 bytes"),
            ("sha256//", "32 bytes"),
        ];
        for (text, reason) in cases {
            let err = PublicKeyPin::parse(text).expect_err(text).to_string();
            assert!(err.contains(reason), "{text}: {err}");
            assert!(err.contains(text), "{text}: {err}");
        }
        assert!(PublicKeyPin::parse_list(&format!("{EMPTY};sha256//AAAA")).is_err());
    }
}
