//! Interoperability with real software we did not write, on 127.0.0.1 only:
//!
//! - our `Pop3Client` (mail-net) against a private Dovecot, over POP3S and
//!   STLS;
//! - the imap-proto codec in a scripted IMAP session with the same Dovecot
//!   (every command our encoder's, every response through our decoder),
//!   and the transcript through `mailctl inspect imap --strict`;
//! - real clients (curl, Python's poplib, fetchmail) against `mailctl serve`,
//!   and the same clients against Dovecot as the reference: a client check
//!   that passes against Dovecot and fails against `mailctl serve` is a bug
//!   in our server.
//!
//! Every message of `testdata/messages` must arrive intact. A peer
//! that is not installed skips its test (`skipping: X not installed`), or
//! fails it with `MAILWIRE_REQUIRE_PEERS=1` (CI). Until `mailctl serve`
//! exists its tests skip.

#[path = "peers/mod.rs"]
mod support;

use support::Tls;
use support::clients;
use support::dovecot::Dovecot;
use support::messages;
use support::process::find_peer;
use support::serve::Serve;

/// The imap-proto codec in a scripted session with Dovecot's IMAP server;
/// the transcript then goes through `mailctl inspect imap` (strict).
#[test]
fn imap_codec_against_dovecot() {
    let messages = messages::all();
    let Some(dovecot) = Dovecot::start_imap(&messages) else {
        return;
    };
    let port = dovecot.imap_port().expect("IMAP enabled");
    let session = support::imap::codec_session(port, &messages);
    support::imap_clients::inspect("scripted codec", &session.client_log, &session.server_log);
}

/// Real IMAP clients against Dovecot through a recording proxy: every
/// message arrives intact, and each recorded session passes `mailctl
/// inspect imap` (our decoders on real client and server bytes).
macro_rules! imap_client_against_dovecot {
    ($name:ident, $program:literal, $check:expr) => {
        #[test]
        fn $name() {
            let Some(program) = find_peer($program) else {
                return;
            };
            let messages = messages::all();
            let Some(dovecot) = Dovecot::start_imap(&messages) else {
                return;
            };
            let port = dovecot.imap_port().expect("IMAP enabled");
            $check(&program, port, dovecot.endpoint(), &messages);
        }
    };
}

imap_client_against_dovecot!(
    curl_imap_against_dovecot,
    "curl",
    |p: &std::path::Path, port, _: &support::Endpoint, m: &[messages::Message]| {
        support::imap_clients::curl(p, port, m)
    }
);
imap_client_against_dovecot!(
    imaplib_against_dovecot,
    "python3",
    support::imap_clients::imaplib
);
imap_client_against_dovecot!(
    mbsync_against_dovecot,
    "mbsync",
    support::imap_clients::mbsync
);
imap_client_against_dovecot!(
    fetchmail_imap_against_dovecot,
    "fetchmail",
    support::imap_clients::fetchmail_plain
);
imap_client_against_dovecot!(
    fetchmail_imap_starttls_against_dovecot,
    "fetchmail",
    support::imap_clients::fetchmail_starttls
);

/// `mailctl pop3 --ca cert.pem` and `--pin` against a Dovecot whose
/// certificate was made by `openssl req -x509` (self-signed, CA:TRUE).
#[test]
fn mailctl_ca_and_pins_against_dovecot_with_an_openssl_certificate() {
    let Some(openssl) = find_peer("openssl") else {
        return;
    };
    let messages = messages::all();
    let Some(dovecot) = Dovecot::start_with_openssl_cert(&messages, &openssl) else {
        return;
    };
    support::trust::mailctl_ca_and_pins(&openssl, dovecot.endpoint(), &messages);
}

#[test]
fn pop3client_against_dovecot_pop3s() {
    let messages = messages::all();
    let Some(dovecot) = Dovecot::start(&messages) else {
        return;
    };
    clients::pop3client(dovecot.endpoint(), Tls::Implicit, &messages);
}

#[test]
fn pop3client_against_dovecot_stls() {
    let messages = messages::all();
    let Some(dovecot) = Dovecot::start(&messages) else {
        return;
    };
    clients::pop3client(dovecot.endpoint(), Tls::Stls, &messages);
}

/// A client check against both servers: `$module::dovecot` and
/// `$module::mailctl_serve`.
macro_rules! client_against_both_servers {
    ($module:ident, $program:literal, $check:path, $tls:expr) => {
        mod $module {
            use super::*;

            #[test]
            fn dovecot() {
                let Some(program) = find_peer($program) else {
                    return;
                };
                let messages = messages::all();
                let Some(server) = Dovecot::start(&messages) else {
                    return;
                };
                $check(&program, server.endpoint(), $tls, &messages);
            }

            #[test]
            fn mailctl_serve() {
                let Some(program) = find_peer($program) else {
                    return;
                };
                let messages = messages::all();
                let Some(server) = Serve::start(&messages) else {
                    return;
                };
                $check(&program, server.endpoint(), $tls, &messages);
            }
        }
    };
}

client_against_both_servers!(curl_pop3s, "curl", clients::curl, Tls::Implicit);
client_against_both_servers!(curl_stls, "curl", clients::curl, Tls::Stls);
client_against_both_servers!(poplib_pop3s, "python3", clients::python, Tls::Implicit);
client_against_both_servers!(poplib_stls, "python3", clients::python, Tls::Stls);
client_against_both_servers!(
    fetchmail_pop3s,
    "fetchmail",
    clients::fetchmail,
    Tls::Implicit
);
client_against_both_servers!(fetchmail_stls, "fetchmail", clients::fetchmail, Tls::Stls);
client_against_both_servers!(
    fetchmail_stripcr_pop3s,
    "fetchmail",
    clients::fetchmail_stripcr,
    Tls::Implicit
);
