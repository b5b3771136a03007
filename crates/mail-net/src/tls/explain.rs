//! Why a server's certificate was refused, in words a person understands,
//! with the names and dates read from the certificate, followed by what
//! rustls said.
//!
//! The verifier hands rustls a [`CertificateRefused`] inside
//! `rustls::Error::InvalidCertificate(CertificateError::Other(..))` (so
//! rustls sends the peer a bad-certificate alert). rustls shows that error
//! in its debug form, so the connect path passes the handshake's
//! `io::Error` through [`explain_handshake_error`], which puts the refusal
//! itself in the `io::Error`; [`CertificateRefused::find`] gets the typed
//! value back from either form.

use std::fmt;
use std::io;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, OtherError};

use super::PublicKeyPin;
use super::x509::{CertSummary, format_time};

/// What was wrong with the server's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The certificate is for other names than the one connected to.
    WrongName,
    /// The certificate (or one in its chain) expired.
    Expired,
    /// The certificate (or one in its chain) is not valid yet.
    NotYetValid,
    /// A self-signed certificate that is not one of the trusted CA files.
    SelfSignedUntrusted,
    /// No chain to a trusted CA.
    UnknownIssuer,
    /// A CA certificate presented as the server's own, and not trusted as
    /// that exact certificate.
    CaAsServerCertificate,
    /// A signature in the chain does not verify.
    BadSignature,
    /// The server's public key matches none of the pins.
    PinMismatch,
    /// Anything else rustls refused.
    Other,
}

/// A server certificate refused by the client, with the reason in words
/// (the `Display`) and what rustls said.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CertificateRefused {
    /// What was wrong.
    pub refusal: Refusal,
    /// The sentence, without the rustls detail.
    pub message: String,
    /// What rustls said, when the refusal came from its checks.
    pub detail: Option<rustls::Error>,
}

impl fmt::Display for CertificateRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match &self.detail {
            Some(detail) => write!(f, " (rustls: {detail})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for CertificateRefused {}

impl CertificateRefused {
    /// The refusal inside a rustls error, if the verifier made one.
    pub fn from_rustls(error: &rustls::Error) -> Option<&Self> {
        match error {
            rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(inner))) => {
                inner.downcast_ref::<Self>()
            }
            _ => None,
        }
    }

    /// The refusal inside a failed handshake's `io::Error`, as tokio-rustls
    /// reports it or as [`explain_handshake_error`] left it, if the verifier
    /// made one.
    pub fn find(error: &io::Error) -> Option<&Self> {
        let inner = error.get_ref()?;
        inner.downcast_ref::<Self>().or_else(|| {
            inner
                .downcast_ref::<rustls::Error>()
                .and_then(Self::from_rustls)
        })
    }

    /// This refusal as the error a verifier returns to rustls.
    pub(crate) fn into_rustls(self) -> rustls::Error {
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(self))))
    }
}

/// A failed handshake's error, with a refused certificate's explanation as
/// the error itself (its `Display` is the sentence, then what rustls said);
/// any other error is returned as it is.
///
/// tokio-rustls reports a refused certificate as an `io::Error` holding the
/// `rustls::Error`, whose `Display` shows our refusal in its debug form.
pub fn explain_handshake_error(error: io::Error) -> io::Error {
    match CertificateRefused::find(&error) {
        Some(refused) => io::Error::new(error.kind(), refused.clone()),
        None => error,
    }
}

/// The verifier's refusal of `end_entity` for `error`, explained.
pub(crate) fn refuse(
    error: rustls::Error,
    end_entity: &CertificateDer<'_>,
    server_name: &ServerName<'_>,
) -> rustls::Error {
    let cert = CertSummary::parse(end_entity.as_ref());
    let (refusal, message) = explain(&error, cert.as_ref(), server_name);
    CertificateRefused {
        refusal,
        message,
        detail: Some(error),
    }
    .into_rustls()
}

/// None of the pins matched the server's key.
pub(crate) fn pin_mismatch(actual: PublicKeyPin) -> rustls::Error {
    CertificateRefused {
        refusal: Refusal::PinMismatch,
        message: format!(
            "the server's public key matches none of the --pin values (its pin is {actual})"
        ),
        detail: None,
    }
    .into_rustls()
}

fn explain(
    error: &rustls::Error,
    cert: Option<&CertSummary<'_>>,
    server_name: &ServerName<'_>,
) -> (Refusal, String) {
    let rustls::Error::InvalidCertificate(error) = error else {
        return (
            Refusal::Other,
            "the server's certificate was refused".into(),
        );
    };
    let expected = server_name.to_str();
    match error {
        // The names as we read them: rustls' `presented` are debug forms
        // (`DnsName("a.example")`), kept for its own detail.
        CertificateError::NotValidForNameContext { .. } | CertificateError::NotValidForName => {
            let names = cert.map(|c| c.names.clone()).unwrap_or_default();
            (Refusal::WrongName, wrong_name(&names, cert, &expected))
        }
        CertificateError::ExpiredContext { not_after, .. } => {
            (Refusal::Expired, expired(cert, Some(*not_after)))
        }
        CertificateError::Expired => (Refusal::Expired, expired(cert, None)),
        CertificateError::NotValidYetContext { not_before, .. } => {
            (Refusal::NotYetValid, not_yet_valid(cert, Some(*not_before)))
        }
        CertificateError::NotValidYet => (Refusal::NotYetValid, not_yet_valid(cert, None)),
        // webpki says UnknownIssuer for a self-signed certificate that is
        // no CA, and CaUsedAsEndEntity (an `Other`) for one that is.
        CertificateError::UnknownIssuer | CertificateError::Other(_)
            if cert.is_some_and(CertSummary::is_self_issued) =>
        {
            (
                Refusal::SelfSignedUntrusted,
                "the certificate is self-signed and not in --ca".into(),
            )
        }
        CertificateError::UnknownIssuer => match cert {
            Some(c) => (
                Refusal::UnknownIssuer,
                format!(
                    "the certificate was issued by {}, which leads to no trusted CA \
                     (give that CA with --ca, or the server lacks an intermediate certificate)",
                    c.issuer_cn()
                        .map_or("an unnamed issuer".into(), |cn| quote(&cn))
                ),
            ),
            None => (
                Refusal::UnknownIssuer,
                "the certificate leads to no trusted CA".into(),
            ),
        },
        CertificateError::BadSignature => (
            Refusal::BadSignature,
            "a signature in the server's certificate chain does not verify".into(),
        ),
        CertificateError::Other(_) if cert.is_some_and(|c| c.is_ca) => (
            Refusal::CaAsServerCertificate,
            "the server presents a CA certificate (CA:TRUE) as its own, and it is not \
             one of the --ca certificates (give exactly this certificate with --ca to trust it)"
                .into(),
        ),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => (
            Refusal::Other,
            "the certificate is not meant for TLS servers (its extended key usage)".into(),
        ),
        CertificateError::Revoked => (Refusal::Other, "the certificate was revoked".into()),
        CertificateError::BadEncoding => {
            (Refusal::Other, "the certificate is not valid DER".into())
        }
        CertificateError::UnsupportedSignatureAlgorithmContext { .. }
        | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => (
            Refusal::Other,
            "the certificate is signed with an algorithm this client does not accept".into(),
        ),
        _ => (
            Refusal::Other,
            "the server's certificate was refused".into(),
        ),
    }
}

fn wrong_name(names: &[String], cert: Option<&CertSummary<'_>>, expected: &str) -> String {
    let for_whom = if names.is_empty() {
        match cert.and_then(CertSummary::subject_cn) {
            // Clients stopped reading the CN long ago (RFC 6125 §6.4.4).
            Some(cn) => format!("only for CN {} (it has no subjectAltName)", quote(&cn)),
            None => "for no name at all".into(),
        }
    } else {
        let shown: Vec<String> = names.iter().map(|n| quote(n)).collect();
        format!("for {}", shown.join(", "))
    };
    format!(
        "the server's certificate is {for_whom}, not {}",
        quote(expected)
    )
}

fn expired(cert: Option<&CertSummary<'_>>, not_after: Option<UnixTime>) -> String {
    let own = cert.map(|c| c.not_after);
    match (not_after.and_then(seconds), own) {
        (Some(at), Some(own)) if at != own => format!(
            "a certificate in the server's chain (not the server's own) expired on {}",
            format_time(at)
        ),
        (Some(at), _) | (None, Some(at)) => {
            format!("the certificate expired on {}", format_time(at))
        }
        (None, None) => "the certificate expired".into(),
    }
}

fn not_yet_valid(cert: Option<&CertSummary<'_>>, not_before: Option<UnixTime>) -> String {
    let own = cert.map(|c| c.not_before);
    let whose = match (not_before.and_then(seconds), own) {
        (Some(at), Some(own)) if at != own => {
            format!(
                "a certificate in the server's chain is valid only from {}",
                format_time(at)
            )
        }
        (Some(at), _) | (None, Some(at)) => {
            format!("the certificate is valid only from {}", format_time(at))
        }
        (None, None) => "the certificate is not valid yet".into(),
    };
    format!("{whose}; check this computer's clock")
}

fn seconds(time: UnixTime) -> Option<i64> {
    i64::try_from(time.as_secs()).ok()
}

/// A name from the certificate or the caller, safe to print: control
/// characters (ESC included) are escaped, never sent to a terminal.
fn quote(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
