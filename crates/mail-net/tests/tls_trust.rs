//! Which server certificates the client trusts, over real TLS on 127.0.0.1:
//! self-signed `CA:TRUE` certificates as `openssl req -x509` makes them,
//! a root → intermediate → leaf chain, expired and not-yet-valid ones, wrong
//! names, public-key pins, and the sentences a refusal is explained with.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use mail_net::pop3::{Pop3Client, Pop3Error, Security};
use mail_net::tls::{self, CertificateRefused, ClientTlsOptions, PublicKeyPin, Refusal};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

mod common;
use common::{MemMaildrop, Mode, TempPem, TestServer, fast_options};

/// Upper bound for one handshake.
const STEP: Duration = Duration::from_secs(10);

/// A certificate with its key.
struct Made {
    der: CertificateDer<'static>,
    pem: String,
    key: KeyPair,
    params: CertificateParams,
}

impl Made {
    fn key_der(&self) -> PrivateKeyDer<'static> {
        PrivatePkcs8KeyDer::from(self.key.serialize_der()).into()
    }

    fn pin(&self) -> PublicKeyPin {
        PublicKeyPin::of_certificate(&self.der).expect("a readable certificate")
    }

    /// This certificate in a temporary PEM file.
    fn ca_file(&self) -> TempPem {
        TempPem::new(&self.pem)
    }
}

/// Parameters for these names with a common name and a validity that
/// includes today.
fn params(cn: &str, names: &[&str], ca: bool) -> CertificateParams {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let mut params = CertificateParams::new(names).expect("names");
    params.distinguished_name.push(DnType::CommonName, cn);
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2090, 1, 1);
    if ca {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    }
    params
}

fn self_signed(params: CertificateParams) -> Made {
    let key = KeyPair::generate().expect("a key");
    let cert = params.self_signed(&key).expect("self-signed");
    Made {
        der: cert.der().clone(),
        pem: cert.pem(),
        key,
        params,
    }
}

fn signed_by(params: CertificateParams, issuer: &Made) -> Made {
    let key = KeyPair::generate().expect("a key");
    let issuer = Issuer::from_params(&issuer.params, &issuer.key);
    let cert = params.signed_by(&key, &issuer).expect("signed");
    Made {
        der: cert.der().clone(),
        pem: cert.pem(),
        key,
        params,
    }
}

/// What `openssl req -x509 -newkey ... -subj /CN=localhost -addext
/// subjectAltName=DNS:localhost,IP:127.0.0.1` makes: self-signed, CA:TRUE.
fn openssl_style(names: &[&str]) -> Made {
    self_signed(params(names[0], names, true))
}

fn ca_options(files: &[&TempPem]) -> ClientTlsOptions {
    ClientTlsOptions::with_ca_files(files.iter().map(|f| f.path.clone()).collect())
}

/// A handshake with a server on 127.0.0.1 presenting `server`, the client
/// asking for `name`. Ok once application data went both ways.
async fn handshake(
    server: Arc<rustls::ServerConfig>,
    options: &ClientTlsOptions,
    name: &str,
) -> io::Result<()> {
    let config = tls::client_config(options).expect("a client configuration");
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let acceptor = tls::TlsAcceptor::from(server);
    let serving = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await?;
        let mut tls = acceptor.accept(tcp).await?;
        tls.write_all(b"+").await?;
        tls.shutdown().await
    });
    let client = async {
        let tcp = TcpStream::connect(addr).await?;
        let connector = tls::TlsConnector::from(config);
        let server_name = tls::server_name(name).expect("a server name");
        let mut tls = connector.connect(server_name, tcp).await?;
        let mut byte = [0; 1];
        tls.read_exact(&mut byte).await?;
        Ok(())
    };
    let result = tokio::time::timeout(STEP, client)
        .await
        .unwrap_or_else(|_| panic!("the handshake with {name} timed out"));
    // The server side ends either way (a refused handshake closes it).
    let _ = tokio::time::timeout(STEP, serving).await;
    result
}

fn serving(chain: &[&Made], key: &Made) -> Arc<rustls::ServerConfig> {
    let chain = chain.iter().map(|m| m.der.clone()).collect();
    tls::server_config(chain, key.key_der()).expect("a server configuration")
}

/// The refusal a failed handshake carries (it must carry one).
fn refusal(result: io::Result<()>) -> CertificateRefused {
    let err = result.expect_err("the handshake must fail");
    CertificateRefused::find(&err)
        .unwrap_or_else(|| panic!("no explained refusal in {err:?}"))
        .clone()
}

#[tokio::test]
async fn a_ca_true_self_signed_certificate_in_ca_is_trusted_as_the_servers() {
    let cert = openssl_style(&["localhost", "127.0.0.1"]);
    let ca = cert.ca_file();
    let server = serving(&[&cert], &cert);
    for name in ["localhost", "127.0.0.1"] {
        handshake(server.clone(), &ca_options(&[&ca]), name)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }

    // rustls' own verifier refuses it: the reason for ours.
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.der.clone()).expect("a root");
    let plain = rustls::ClientConfig::builder_with_provider(tls::provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let acceptor = tls::TlsAcceptor::from(server);
    let serve = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.expect("accept");
        let _ = acceptor.accept(tcp).await;
    });
    let tcp = TcpStream::connect(addr).await.expect("connect");
    let err = tokio::time::timeout(
        STEP,
        tls::TlsConnector::from(Arc::new(plain))
            .connect(tls::server_name("localhost").expect("name"), tcp),
    )
    .await
    .expect("in time")
    .expect_err("webpki alone refuses a CA certificate as the server's");
    assert!(err.to_string().contains("CaUsedAsEndEntity"), "{err}");
    let _ = tokio::time::timeout(STEP, serve).await;
}

#[tokio::test]
async fn a_different_self_signed_certificate_is_refused() {
    let cert = openssl_style(&["localhost", "127.0.0.1"]);
    let other = openssl_style(&["localhost", "127.0.0.1"]);
    let ca = other.ca_file();
    let refused =
        refusal(handshake(serving(&[&cert], &cert), &ca_options(&[&ca]), "localhost").await);
    assert_eq!(refused.refusal, Refusal::SelfSignedUntrusted);
    assert_eq!(
        refused.to_string(),
        "the certificate is self-signed and not in --ca \
         (rustls: invalid peer certificate: Other(OtherError(CaUsedAsEndEntity)))"
    );

    // A self-signed certificate that is no CA (as rcgen makes by default).
    let plain = tls::self_signed(&["localhost"]).expect("a certificate");
    let refused = refusal(handshake(plain.config, &ca_options(&[&ca]), "localhost").await);
    assert_eq!(refused.refusal, Refusal::SelfSignedUntrusted);
    assert_eq!(
        refused.to_string(),
        "the certificate is self-signed and not in --ca \
         (rustls: invalid peer certificate: UnknownIssuer)"
    );

    // The same subject and key but another certificate is still another one.
    let mut same_key = params("localhost", &["localhost", "127.0.0.1"], true);
    same_key.not_after = rcgen::date_time_ymd(2089, 1, 1);
    let twin_cert = same_key.self_signed(&cert.key).expect("cert");
    let twin = TempPem::new(&twin_cert.pem());
    let result = handshake(serving(&[&cert], &cert), &ca_options(&[&twin]), "localhost").await;
    let refused = refusal(result);
    assert_eq!(refused.refusal, Refusal::SelfSignedUntrusted, "{refused}");
}

#[tokio::test]
async fn the_handshake_signature_is_still_checked() {
    // A server that presents the trusted certificate without its key.
    #[derive(Debug)]
    struct Impostor(Arc<rustls::sign::CertifiedKey>);
    impl rustls::server::ResolvesServerCert for Impostor {
        fn resolve(
            &self,
            _: rustls::server::ClientHello<'_>,
        ) -> Option<Arc<rustls::sign::CertifiedKey>> {
            Some(self.0.clone())
        }
    }
    let cert = openssl_style(&["localhost"]);
    let ca = cert.ca_file();
    let thief = KeyPair::generate().expect("a key");
    let key = tls::provider()
        .key_provider
        .load_private_key(PrivatePkcs8KeyDer::from(thief.serialize_der()).into())
        .expect("a signing key");
    let certified = rustls::sign::CertifiedKey::new(vec![cert.der.clone()], key);
    let server = rustls::ServerConfig::builder_with_provider(tls::provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(Impostor(Arc::new(certified))));
    let err = handshake(Arc::new(server), &ca_options(&[&ca]), "localhost")
        .await
        .expect_err("a server without the key is refused");
    let inner = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>());
    assert!(
        matches!(
            inner,
            Some(rustls::Error::InvalidCertificate(
                rustls::CertificateError::BadSignature
            ))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_chain_to_a_root_in_ca_is_trusted() {
    let root = self_signed(params("Test Root CA", &[], true));
    let intermediate = signed_by(params("Test Intermediate CA", &[], true), &root);
    let leaf = signed_by(
        params("mail.example.com", &["localhost"], false),
        &intermediate,
    );
    let ca = root.ca_file();
    handshake(
        serving(&[&leaf, &intermediate], &leaf),
        &ca_options(&[&ca]),
        "localhost",
    )
    .await
    .expect("root -> intermediate -> leaf");

    // Without its intermediate the chain leads nowhere, and the message
    // names the issuer.
    let refused =
        refusal(handshake(serving(&[&leaf], &leaf), &ca_options(&[&ca]), "localhost").await);
    assert_eq!(refused.refusal, Refusal::UnknownIssuer);
    assert!(
        refused.message.starts_with(
            "the certificate was issued by Test Intermediate CA, which leads to no trusted CA"
        ),
        "{refused}"
    );

    // A CA certificate signed by the root, presented as the server's own.
    let ca_leaf = signed_by(params("localhost", &["localhost"], true), &root);
    let refused = refusal(
        handshake(
            serving(&[&ca_leaf], &ca_leaf),
            &ca_options(&[&ca]),
            "localhost",
        )
        .await,
    );
    assert_eq!(refused.refusal, Refusal::CaAsServerCertificate, "{refused}");
    assert!(
        refused.to_string().contains("CaUsedAsEndEntity"),
        "{refused}"
    );
    // Given as itself, it is trusted.
    let exact = ca_leaf.ca_file();
    handshake(
        serving(&[&ca_leaf], &ca_leaf),
        &ca_options(&[&ca, &exact]),
        "localhost",
    )
    .await
    .expect("the exact certificate in --ca");
}

#[tokio::test]
async fn expired_and_not_yet_valid_certificates_are_refused_with_their_dates() {
    let mut old = params("localhost", &["localhost"], true);
    old.not_before = rcgen::date_time_ymd(2019, 1, 1);
    old.not_after = rcgen::date_time_ymd(2020, 1, 1);
    let expired = self_signed(old);
    let ca = expired.ca_file();
    let refused = refusal(
        handshake(
            serving(&[&expired], &expired),
            &ca_options(&[&ca]),
            "localhost",
        )
        .await,
    );
    assert_eq!(refused.refusal, Refusal::Expired);
    assert!(
        refused.to_string().starts_with(
            "the certificate expired on 2020-01-01 00:00:00 UTC \
             (rustls: invalid peer certificate: certificate expired"
        ),
        "{refused}"
    );

    // The same through a chain (webpki's check, not ours).
    let root = self_signed(params("Test Root CA", &[], true));
    let mut old_leaf = params("localhost", &["localhost"], false);
    old_leaf.not_before = rcgen::date_time_ymd(2019, 1, 1);
    old_leaf.not_after = rcgen::date_time_ymd(2021, 6, 30);
    let leaf = signed_by(old_leaf, &root);
    let root_ca = root.ca_file();
    let refused = refusal(
        handshake(
            serving(&[&leaf], &leaf),
            &ca_options(&[&root_ca]),
            "localhost",
        )
        .await,
    );
    assert_eq!(refused.refusal, Refusal::Expired);
    assert!(
        refused
            .message
            .starts_with("the certificate expired on 2021-06-30 00:00:00 UTC"),
        "{refused}"
    );

    let mut future = params("localhost", &["localhost"], true);
    future.not_before = rcgen::date_time_ymd(2080, 1, 1);
    let early = self_signed(future);
    let ca = early.ca_file();
    let refused =
        refusal(handshake(serving(&[&early], &early), &ca_options(&[&ca]), "localhost").await);
    assert_eq!(refused.refusal, Refusal::NotYetValid);
    assert!(
        refused
            .message
            .starts_with("the certificate is valid only from 2080-01-01 00:00:00 UTC"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_wrong_name_is_refused_with_both_names() {
    // Trusted as itself (our check) ...
    let cert = openssl_style(&["other.example.org"]);
    let ca = cert.ca_file();
    let refused = refusal(
        handshake(
            serving(&[&cert], &cert),
            &ca_options(&[&ca]),
            "mail.example.com",
        )
        .await,
    );
    assert_eq!(refused.refusal, Refusal::WrongName);
    assert!(
        refused.to_string().starts_with(
            "the server's certificate is for other.example.org, not mail.example.com (rustls: "
        ),
        "{refused}"
    );
    // ... and through a chain (webpki's), also for an IP address.
    let root = self_signed(params("Test Root CA", &[], true));
    let leaf = signed_by(
        params("x", &["other.example.org", "10.0.0.1"], false),
        &root,
    );
    let root_ca = root.ca_file();
    let refused = refusal(
        handshake(
            serving(&[&leaf], &leaf),
            &ca_options(&[&root_ca]),
            "127.0.0.1",
        )
        .await,
    );
    assert_eq!(refused.refusal, Refusal::WrongName);
    assert!(
        refused.message.starts_with(
            "the server's certificate is for other.example.org, 10.0.0.1, not 127.0.0.1"
        ),
        "{refused}"
    );
}

#[tokio::test]
async fn pins_restrict_trust() {
    let cert = openssl_style(&["localhost"]);
    let ca = cert.ca_file();
    let server = serving(&[&cert], &cert);
    let other = openssl_style(&["localhost"]);
    let pinned = |pins: Vec<PublicKeyPin>| {
        let mut options = ca_options(&[&ca]);
        options.pins = pins;
        options
    };

    handshake(server.clone(), &pinned(vec![cert.pin()]), "localhost")
        .await
        .expect("the matching pin");
    let several =
        PublicKeyPin::parse_list(&format!("{};{}", other.pin(), cert.pin())).expect("pins");
    handshake(server.clone(), &pinned(several), "localhost")
        .await
        .expect("one of several pins matches");

    // A valid chain with a pin that does not match is refused.
    let refused = refusal(handshake(server.clone(), &pinned(vec![other.pin()]), "localhost").await);
    assert_eq!(refused.refusal, Refusal::PinMismatch);
    assert_eq!(
        refused.to_string(),
        format!(
            "the server's public key matches none of the --pin values (its pin is {})",
            cert.pin()
        )
    );

    // A matching pin does not replace the chain check ...
    let unrelated = other.ca_file();
    let mut options = ca_options(&[&unrelated]);
    options.pins = vec![cert.pin()];
    let refused = refusal(handshake(server.clone(), &options, "localhost").await);
    assert_eq!(refused.refusal, Refusal::SelfSignedUntrusted);

    // ... except with accept_invalid_certs, where it is the only check.
    let mut insecure = ClientTlsOptions::default();
    insecure.accept_invalid_certs = true;
    insecure.pins = vec![cert.pin()];
    handshake(server.clone(), &insecure, "wrong.example")
        .await
        .expect("insecure with the matching pin");
    insecure.pins = vec![other.pin()];
    let refused = refusal(handshake(server, &insecure, "localhost").await);
    assert_eq!(refused.refusal, Refusal::PinMismatch);
}

#[tokio::test]
async fn the_connect_path_shows_the_sentence() {
    let cert = openssl_style(&["localhost"]);
    let other = openssl_style(&["localhost"]);
    let ca = other.ca_file();
    let err = handshake(serving(&[&cert], &cert), &ca_options(&[&ca]), "localhost")
        .await
        .expect_err("refused");
    // tokio-rustls shows rustls' debug form of our refusal ...
    assert!(
        err.to_string().contains("OtherError(CertificateRefused"),
        "{err}"
    );
    let refused = refusal(Err(err));
    // ... explain_handshake_error the sentence.
    let shown = tls::explain_handshake_error(io::Error::new(
        io::ErrorKind::InvalidData,
        rustls::Error::InvalidCertificate(rustls::CertificateError::Other(rustls::OtherError(
            Arc::new(refused.clone()),
        ))),
    ));
    assert_eq!(shown.to_string(), refused.to_string());
    assert!(CertificateRefused::find(&shown).is_some());
    let other_error = io::Error::other("unrelated");
    assert_eq!(
        tls::explain_handshake_error(other_error).to_string(),
        "unrelated"
    );

    // Pop3Client's handshake error says it, with POP3S and STLS.
    for (mode, security) in [
        (Mode::Implicit, Security::Tls),
        (Mode::StartTls, Security::StartTls),
    ] {
        let server = TestServer::start(mode, MemMaildrop::new(), fast_options()).await;
        let mut options = server.connect_options(security);
        options.tls = Some(tls::client_config(&ca_options(&[&ca])).expect("config"));
        let err = tokio::time::timeout(STEP, Pop3Client::connect(options))
            .await
            .expect("in time")
            .expect_err("refused");
        let Pop3Error::Handshake { source, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(
            source.to_string(),
            "the certificate is self-signed and not in --ca \
             (rustls: invalid peer certificate: UnknownIssuer)"
        );
        let refused = CertificateRefused::find(source).expect("typed");
        assert_eq!(refused.refusal, Refusal::SelfSignedUntrusted);
    }
}
