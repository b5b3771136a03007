//! A wrapper for credentials (LOGIN passwords, SASL data) whose `Debug`
//! output never shows the value. pop3-proto's `Secret` has the same shape.

use std::fmt;

/// A value that must not appear in logs (a password, SASL data): `Debug`
/// prints `Secret(<redacted>)`, not even the length.
///
/// The value is not wiped on drop: it is usually shared `Bytes` (the receive
/// buffer a command was cut from, or a clone on its way to the socket), so
/// clearing one handle would not clear the octets, and the transport's
/// buffers hold copies anyway. Keep secrets out of logs; keep process memory
/// safe by other means.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret<T>(T);

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(*s.expose(), "hunter2");
        assert_eq!(s.into_inner(), "hunter2");
    }
}
