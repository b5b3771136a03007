//! A wrapper for credentials (passwords, SASL data) whose `Debug` output
//! never shows the value. imap-proto's `Secret` has the same shape; here the
//! value is octets unless said otherwise.

use std::fmt;

use bytes::Bytes;

/// A value that must not appear in logs (a password, SASL data): `Debug`
/// prints `Secret(<redacted>)`, not even the length.
///
/// The value is not wiped on drop: it is usually shared `Bytes` (the receive
/// buffer a command was cut from, or a clone on its way to the socket), so
/// clearing one handle would not clear the octets, and the transport's
/// buffers hold copies anyway. Keep secrets out of logs; keep process memory
/// safe by other means.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret<T = Bytes>(T);

impl<T> Secret<T> {
    /// Wraps `value`.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value, for the code that must send or check it.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl Secret {
    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(Bytes::from(s))
    }
}

impl From<Vec<u8>> for Secret {
    fn from(v: Vec<u8>) -> Self {
        Self(Bytes::from(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value_and_its_length() {
        let s: Secret = Secret::from("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(&s.expose()[..], b"hunter2");
        assert_eq!(s.into_inner(), Bytes::from_static(b"hunter2"));
    }
}
