//! The client's server-certificate verifier: rustls' webpki chain checks,
//! then the certificates of the CA files trusted as themselves, then the
//! public-key pins.
//!
//! Why the second step: `openssl req -x509` (OpenSSL 3) marks the
//! self-signed certificate it makes `CA:TRUE`, and webpki refuses a CA
//! certificate as a server's own (`CaUsedAsEndEntity`) even when it is the
//! trust anchor itself. curl, Python's `ssl`, fetchmail and mbsync accept a
//! server whose certificate is exactly the one given as trusted, and so do
//! we: when the chain check fails and the server's certificate is byte for
//! byte one of the `--ca` certificates, it is trusted as that server's
//! certificate, whatever its basic constraints say. Its names and validity
//! dates are still checked, and the handshake signature proves the server
//! holds its key. Any other certificate is refused as webpki refused it.
//!
//! Pins (as curl's `--pinnedpubkey`) only ever take trust away: with pins
//! set, a server whose key matches none is refused even if its chain is
//! valid. A matching pin does not replace the chain check, except with
//! `accept_invalid_certs`, where (as with `curl -k --pinnedpubkey`) the pin
//! is the only check.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

use super::PublicKeyPin;
use super::explain;
use super::x509::CertSummary;

/// See the module documentation.
#[derive(Debug)]
pub(crate) struct MailVerifier {
    /// The chain check; `None` accepts any chain (`accept_invalid_certs`).
    pub(crate) chain: Option<Arc<WebPkiServerVerifier>>,
    /// The certificates of the CA files, trusted as a server's own.
    pub(crate) own: Vec<CertificateDer<'static>>,
    /// Pins; empty means no pinning.
    pub(crate) pins: Vec<PublicKeyPin>,
    /// For the handshake signatures.
    pub(crate) algorithms: WebPkiSupportedAlgorithms,
}

impl MailVerifier {
    /// The checks for a server certificate that is one of the CA files'
    /// certificates: name and validity dates, no chain.
    fn verify_own(
        end_entity: &CertificateDer<'_>,
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<(), rustls::Error> {
        let parsed = ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_name(&parsed, server_name)?;
        // webpki keeps the validity to itself; our reader gives it.
        let Some(cert) = CertSummary::parse(end_entity.as_ref()) else {
            return Err(CertificateError::BadEncoding.into());
        };
        let time = now.as_secs();
        let (not_before, not_after) = (unix(cert.not_before), unix(cert.not_after));
        if time < not_before.as_secs() {
            return Err(CertificateError::NotValidYetContext {
                time: now,
                not_before,
            }
            .into());
        }
        if time > not_after.as_secs() {
            return Err(CertificateError::ExpiredContext {
                time: now,
                not_after,
            }
            .into());
        }
        Ok(())
    }
}

/// Unix seconds before 1970 count as 1970 (the check stays conservative:
/// `now` is never before it).
fn unix(seconds: i64) -> UnixTime {
    UnixTime::since_unix_epoch(std::time::Duration::from_secs(
        u64::try_from(seconds).unwrap_or(0),
    ))
}

impl ServerCertVerifier for MailVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(chain) = &self.chain
            && let Err(error) =
                chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            let own = self.own.iter().any(|c| c.as_ref() == end_entity.as_ref());
            let error = if own {
                Self::verify_own(end_entity, server_name, now).err()
            } else {
                Some(error)
            };
            if let Some(error) = error {
                return Err(explain::refuse(error, end_entity, server_name));
            }
        }
        if !self.pins.is_empty() {
            let actual = PublicKeyPin::of_certificate(end_entity)
                .map_err(|e| explain::refuse(e, end_entity, server_name))?;
            if !self.pins.contains(&actual) {
                return Err(explain::pin_mismatch(actual));
            }
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
