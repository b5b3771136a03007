//! APOP (RFC 1939 §7) and CRAM-MD5 (RFC 2195) digests.

use md5::{Digest as _, Md5};

use crate::command::ApopDigest;

/// The APOP digest: MD5 of the greeting's timestamp (with its angle brackets)
/// followed by the shared secret.
///
/// ```
/// // The example of RFC 1939 §7.
/// let d = pop3_proto::apop::digest(b"<1896.697170952@dbc.mtview.ca.us>", b"tanstaaf");
/// assert_eq!(d.to_hex(), "c4c9334bac560ecc979e58001b3e22fb");
/// ```
pub fn digest(timestamp: &[u8], secret: &[u8]) -> ApopDigest {
    let mut h = Md5::new();
    h.update(timestamp);
    h.update(secret);
    ApopDigest(h.finalize().into())
}

/// Checks an APOP digest a client sent, in constant time.
pub fn verify(timestamp: &[u8], secret: &[u8], candidate: &ApopDigest) -> bool {
    constant_time_eq(&digest(timestamp, secret).0, &candidate.0)
}

/// HMAC-MD5 (RFC 2104), as CRAM-MD5 uses it.
pub fn hmac_md5(key: &[u8], message: &[u8]) -> [u8; 16] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..16].copy_from_slice(&Md5::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Md5::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Md5::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// Compares two byte strings without an early exit.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1939_apop_example() {
        let d = digest(b"<1896.697170952@dbc.mtview.ca.us>", b"tanstaaf");
        assert_eq!(d.to_hex(), "c4c9334bac560ecc979e58001b3e22fb");
        assert!(verify(
            b"<1896.697170952@dbc.mtview.ca.us>",
            b"tanstaaf",
            &d
        ));
        assert!(!verify(
            b"<1896.697170952@dbc.mtview.ca.us>",
            b"tanstaaF",
            &d
        ));
    }

    #[test]
    fn rfc2195_cram_md5_example() {
        let mac = hmac_md5(
            b"tanstaaftanstaaf",
            b"<1896.697170952@postoffice.reston.mci.net>",
        );
        assert_eq!(ApopDigest(mac).to_hex(), "b913a602c7eda7a495b4e6e7334d3890");
    }
}
