//! The receive buffers the decoders work on: an owned `BytesMut`, or a shared
//! `Bytes` handed over by a transport without copying.

use bytes::{Buf, Bytes, BytesMut};

mod sealed {
    pub trait Sealed {}
    impl Sealed for bytes::BytesMut {}
    impl Sealed for bytes::Bytes {}
}

/// A buffer of received octets that decoders take frames off the front of.
///
/// Implemented for [`BytesMut`] (a receive buffer the caller reads into) and
/// [`Bytes`] (a chunk the caller already holds: frames and body pieces are
/// then handed out as slices of it, without a copy).
pub trait ReceiveBuffer: sealed::Sealed {
    /// The octets not yet taken.
    fn octets(&self) -> &[u8];
    /// Takes the first `n` octets as shared `Bytes`.
    fn take(&mut self, n: usize) -> Bytes;
    /// Drops the first `n` octets.
    fn skip(&mut self, n: usize);
}

impl ReceiveBuffer for BytesMut {
    #[inline]
    fn octets(&self) -> &[u8] {
        self
    }

    #[inline]
    fn take(&mut self, n: usize) -> Bytes {
        self.split_to(n).freeze()
    }

    #[inline]
    fn skip(&mut self, n: usize) {
        self.advance(n);
    }
}

impl ReceiveBuffer for Bytes {
    #[inline]
    fn octets(&self) -> &[u8] {
        self
    }

    #[inline]
    fn take(&mut self, n: usize) -> Bytes {
        self.split_to(n)
    }

    #[inline]
    fn skip(&mut self, n: usize) {
        self.advance(n);
    }
}

/// A session's input: an owned buffer for partial frames, and a shared chunk
/// handed over whole while the owned buffer is empty (the zero-copy path).
/// At most one of the two holds octets.
#[derive(Debug, Default)]
pub(crate) struct Input {
    /// Partial frames, and whatever arrived as slices.
    pub(crate) owned: BytesMut,
    /// A whole chunk received as `Bytes` while `owned` was empty.
    pub(crate) shared: Bytes,
}

impl Input {
    /// Appends a copy of `data`.
    pub(crate) fn push_slice(&mut self, data: &[u8]) {
        self.absorb_shared();
        self.owned.extend_from_slice(data);
    }

    /// Appends `data`, keeping it without a copy when nothing else is pending.
    pub(crate) fn push_bytes(&mut self, data: Bytes) {
        if self.owned.is_empty() && self.shared.is_empty() {
            self.shared = data;
        } else {
            self.absorb_shared();
            self.owned.extend_from_slice(&data);
        }
    }

    fn absorb_shared(&mut self) {
        if !self.shared.is_empty() {
            self.owned.extend_from_slice(&self.shared);
            self.shared.clear();
        }
    }

    /// Octets pending.
    pub(crate) fn len(&self) -> usize {
        self.owned.len() + self.shared.len()
    }

    /// Whether nothing is pending.
    pub(crate) fn is_empty(&self) -> bool {
        self.owned.is_empty() && self.shared.is_empty()
    }

    /// Drops everything pending.
    pub(crate) fn clear(&mut self) {
        self.owned.clear();
        self.shared.clear();
    }

    /// The first pending octets (for error messages).
    pub(crate) fn peek(&self) -> &[u8] {
        if self.owned.is_empty() {
            &self.shared
        } else {
            &self.owned
        }
    }
}
