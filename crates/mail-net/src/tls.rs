//! TLS configuration: client roots (platform store, webpki roots, extra CA
//! files, or an explicit opt-in to accept any certificate), public-key pins,
//! and server certificates (PEM files, or a generated self-signed pair for
//! development).
//!
//! A certificate in a CA file that is exactly the certificate the server
//! presents is trusted as that server's certificate, whatever its basic
//! constraints say (`openssl req -x509` makes such certificates `CA:TRUE`);
//! see [`ClientTlsOptions::ca_files`]. A refused certificate fails the
//! handshake with a [`CertificateRefused`] that says why in words (pass a
//! handshake's `io::Error` through [`explain_handshake_error`] to show it).

mod explain;
mod pin;
mod verify;
mod x509;

use std::path::Path;
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

pub use explain::{CertificateRefused, Refusal, explain_handshake_error};
pub use pin::PublicKeyPin;
pub use rustls::{ClientConfig as RustlsClientConfig, ServerConfig as RustlsServerConfig};
pub use tokio_rustls::{TlsAcceptor, TlsConnector};

/// What can go wrong setting up TLS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsSetupError {
    /// A PEM file could not be read or parsed.
    #[error("{path}: {reason}")]
    Pem {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// No trusted roots at all.
    #[error("no trusted root certificates: give --ca FILE or allow the platform / webpki roots")]
    NoRoots,
    /// rustls refused the configuration.
    #[error("TLS configuration refused")]
    Rustls(#[from] rustls::Error),
    /// Certificate generation failed.
    #[cfg(feature = "self-signed")]
    #[error("certificate generation failed")]
    Generate(#[from] rcgen::Error),
    /// A public-key pin is malformed.
    #[error("invalid pin {pin:?}: {reason}")]
    Pin {
        /// The pin as given.
        pin: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// rustls could not build the certificate verifier.
    #[error("certificate verifier refused")]
    Verifier(#[from] rustls::client::VerifierBuilderError),
}

/// The crypto provider: ring (the one rcgen uses too, so only one backend is built).
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Where a client's trust comes from.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ClientTlsOptions {
    /// Trust the operating system's root store.
    pub platform_roots: bool,
    /// Trust the Mozilla roots compiled in (webpki-roots).
    pub webpki_roots: bool,
    /// Extra CA certificates (PEM files). A certificate here that is
    /// exactly the one the server presents is also trusted as that
    /// server's own, even when it is marked `CA:TRUE` (a self-signed
    /// certificate made by `openssl req -x509`); its names and validity
    /// dates are still checked.
    pub ca_files: Vec<std::path::PathBuf>,
    /// Accept any certificate, including self-signed and expired ones (the
    /// handshake signature is still checked, and so are [`Self::pins`]).
    /// Only for test servers.
    pub accept_invalid_certs: bool,
    /// Public-key pins: when not empty, a server whose key matches none of
    /// them is refused even if its chain is valid. A matching pin does not
    /// replace the chain check (as with curl's `--pinnedpubkey`), except
    /// with [`Self::accept_invalid_certs`], where the pin is the only check.
    pub pins: Vec<PublicKeyPin>,
}

impl ClientTlsOptions {
    /// Platform and webpki roots, no extra CA, certificates verified.
    pub fn system() -> Self {
        Self {
            platform_roots: true,
            webpki_roots: true,
            ..Self::default()
        }
    }

    /// Only the CA certificates in these PEM files.
    pub fn with_ca_files(files: Vec<std::path::PathBuf>) -> Self {
        Self {
            ca_files: files,
            ..Self::default()
        }
    }
}

/// Reads every certificate in a PEM file.
pub fn load_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
    let err = |reason: String| TlsSetupError::Pem {
        path: path.display().to_string(),
        reason,
    };
    let certs: Vec<_> = CertificateDer::pem_file_iter(path)
        .map_err(|e| err(e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| err(e.to_string()))?;
    if certs.is_empty() {
        return Err(err("no certificate in file".into()));
    }
    Ok(certs)
}

/// Reads the private key in a PEM file.
pub fn load_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsSetupError> {
    PrivateKeyDer::from_pem_file(path).map_err(|e| TlsSetupError::Pem {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// A rustls client configuration from these options.
pub fn client_config(
    options: &ClientTlsOptions,
) -> Result<Arc<rustls::ClientConfig>, TlsSetupError> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?;
    let (chain, own) = if options.accept_invalid_certs {
        (None, Vec::new())
    } else {
        let (roots, own) = roots(options)?;
        let chain =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider()).build()?;
        (Some(chain), own)
    };
    let verifier = verify::MailVerifier {
        chain,
        own,
        pins: options.pins.clone(),
        algorithms: provider().signature_verification_algorithms,
    };
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The trusted roots, and the CA files' certificates (also trusted as a
/// server's own certificate).
fn roots(
    options: &ClientTlsOptions,
) -> Result<(RootCertStore, Vec<CertificateDer<'static>>), TlsSetupError> {
    let mut roots = RootCertStore::empty();
    let mut own = Vec::new();
    if options.webpki_roots {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    if options.platform_roots {
        // Unreadable platform certificates are skipped, as browsers do.
        for cert in rustls_native_certs::load_native_certs().certs {
            let _ = roots.add(cert);
        }
    }
    for file in &options.ca_files {
        for cert in load_certs(file)? {
            roots.add(cert.clone())?;
            own.push(cert);
        }
    }
    if roots.is_empty() {
        return Err(TlsSetupError::NoRoots);
    }
    Ok((roots, own))
}

/// A rustls server configuration from a certificate chain and key.
pub fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<rustls::ServerConfig>, TlsSetupError> {
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    Ok(Arc::new(config))
}

/// A rustls server configuration from PEM files.
pub fn server_config_from_pem(
    cert: &Path,
    key: &Path,
) -> Result<Arc<rustls::ServerConfig>, TlsSetupError> {
    server_config(load_certs(cert)?, load_key(key)?)
}

/// A generated self-signed certificate, for development and tests.
#[cfg(feature = "self-signed")]
#[derive(Debug, Clone)]
pub struct SelfSigned {
    /// The certificate, PEM (give it to clients as their CA file).
    pub cert_pem: String,
    /// The private key, PEM.
    pub key_pem: String,
    /// The certificate, DER.
    pub cert_der: CertificateDer<'static>,
    /// The server configuration using it.
    pub config: Arc<rustls::ServerConfig>,
}

/// Generates a self-signed certificate for these host names (and IP
/// addresses, given as text).
#[cfg(feature = "self-signed")]
pub fn self_signed(names: &[&str]) -> Result<SelfSigned, TlsSetupError> {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let rcgen::CertifiedKey { cert, signing_key } = rcgen::generate_simple_self_signed(names)?;
    let cert_der = cert.der().clone();
    let key_der =
        PrivateKeyDer::try_from(signing_key.serialize_der()).map_err(|e| TlsSetupError::Pem {
            path: "<generated>".into(),
            reason: e.to_string(),
        })?;
    let config = server_config(vec![cert_der.clone()], key_der)?;
    Ok(SelfSigned {
        cert_pem: cert.pem(),
        key_pem: signing_key.serialize_pem(),
        cert_der,
        config,
    })
}

/// The server name to verify for `host` (a DNS name or an IP address).
pub fn server_name(host: &str) -> Result<ServerName<'static>, TlsSetupError> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(host.to_owned()).map_err(|e| TlsSetupError::Pem {
        path: host.to_owned(),
        reason: format!("invalid server name: {e}"),
    })
}
