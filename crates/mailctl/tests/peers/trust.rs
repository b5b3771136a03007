//! `mailctl pop3 --ca` and `--pin` against a Dovecot whose certificate was
//! made by `openssl req -x509` (self-signed, `CA:TRUE` with OpenSSL 3): the
//! certificate given with `--ca` is trusted as the server's own, a matching
//! pin connects, a wrong one is refused with a sentence that says so.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use mail_net::tls::{PublicKeyPin, load_certs};

use super::messages::Message;
use super::process::{Finished, run};
use super::{Endpoint, Tls};

/// Longest one `mailctl pop3 ... stat` may run.
const LIMIT: Duration = Duration::from_secs(40);

/// The pin of `cert` as curl's documentation computes it, with openssl.
fn openssl_pin(openssl: &Path, cert: &Path) -> String {
    let o = openssl.display();
    let c = cert.display();
    let script = format!(
        "{o} x509 -in '{c}' -pubkey -noout | {o} pkey -pubin -outform der \
         | {o} dgst -sha256 -binary | {o} base64 -A"
    );
    let done = run(Command::new("sh").args(["-c", &script]), LIMIT);
    assert!(
        done.status.success(),
        "the pin pipeline: {}",
        done.describe()
    );
    format!("sha256//{}", String::from_utf8_lossy(&done.stdout).trim())
}

fn stat(ep: &Endpoint, tls: Tls, extra: &[&str]) -> Finished {
    let scheme = match tls {
        Tls::Implicit => "pop3s",
        Tls::Stls => "pop3",
    };
    let password = ep.scratch.join("password");
    std::fs::write(&password, ep.password).expect("write the password file");
    let url = format!("{scheme}://{}@127.0.0.1:{}", ep.user, ep.port(tls));
    run(
        Command::new(env!("CARGO_BIN_EXE_mailctl"))
            .args(["pop3", &url, "stat", "--password-file"])
            .arg(&password)
            .args(extra),
        LIMIT,
    )
}

fn succeeds(done: &Finished, count: usize, what: &str) {
    assert!(done.status.success(), "{what}: {}", done.describe());
    let out = String::from_utf8_lossy(&done.stdout);
    assert!(
        out.starts_with(&format!("{count} messages, ")),
        "{what}: {out}"
    );
}

fn fails_with(done: &Finished, sentence: &str, what: &str) {
    assert!(
        !done.status.success(),
        "{what} must fail: {}",
        done.describe()
    );
    let err = String::from_utf8_lossy(&done.stderr);
    assert!(
        err.contains(sentence),
        "{what}: expected {sentence:?} in:\n{err}"
    );
    // The sentence as such, not rustls' debug form of it.
    assert!(!err.contains("CertificateRefused"), "{what}: {err}");
    assert!(!err.contains('\x1b'), "{what}: {err:?}");
}

/// The checks; `ep` is a Dovecot started with `openssl req -x509`'s certificate.
pub(crate) fn mailctl_ca_and_pins(openssl: &Path, ep: &Endpoint, messages: &[Message]) {
    let n = messages.len();
    // The case this is about: OpenSSL 3 marks the certificate CA:TRUE.
    let text = run(
        Command::new(openssl)
            .args(["x509", "-noout", "-text", "-in"])
            .arg(&ep.ca),
        LIMIT,
    );
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("CA:TRUE"),
        "openssl req -x509 made no CA:TRUE certificate:\n{text}"
    );

    let ca = ep.ca.to_str().expect("a UTF-8 path");
    for tls in [Tls::Implicit, Tls::Stls] {
        succeeds(&stat(ep, tls, &["--ca", ca]), n, &format!("--ca ({tls:?})"));
    }

    // Our pin is openssl's.
    let pin = openssl_pin(openssl, &ep.ca);
    let cert = load_certs(&ep.ca).expect("cert.pem").remove(0);
    let ours = PublicKeyPin::of_certificate(&cert).expect("a certificate");
    assert_eq!(ours.to_string(), pin, "our pin of cert.pem");

    let wrong = PublicKeyPin::of_spki(b"another key").to_string();
    succeeds(
        &stat(ep, Tls::Implicit, &["--ca", ca, "--pin", &pin]),
        n,
        "--ca with the matching --pin",
    );
    succeeds(
        &stat(
            ep,
            Tls::Implicit,
            &["--ca", ca, "--pin", &format!("{wrong};{pin}")],
        ),
        n,
        "--ca with pins joined by ;",
    );
    succeeds(
        &stat(ep, Tls::Stls, &["--ca", ca, "--pin", &wrong, "--pin", &pin]),
        n,
        "--ca with --pin twice (STLS)",
    );
    succeeds(
        &stat(ep, Tls::Implicit, &["--insecure", "--pin", &pin]),
        n,
        "--insecure with the matching --pin",
    );

    let refused =
        format!("the server's public key matches none of the --pin values (its pin is {pin})");
    fails_with(
        &stat(ep, Tls::Implicit, &["--ca", ca, "--pin", &wrong]),
        &refused,
        "a wrong --pin",
    );
    fails_with(
        &stat(ep, Tls::Implicit, &["--insecure", "--pin", &wrong]),
        &refused,
        "--insecure with a wrong --pin",
    );
    fails_with(
        &stat(ep, Tls::Implicit, &[]),
        "the certificate is self-signed and not in --ca",
        "no --ca",
    );
    fails_with(
        &stat(
            ep,
            Tls::Implicit,
            &["--ca", ca, "--pin", "sha256//not-base64"],
        ),
        "invalid pin \"sha256//not-base64\"",
        "a malformed --pin",
    );
}
