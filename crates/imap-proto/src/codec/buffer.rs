//! The receive buffers the framer works on: an owned `BytesMut`, or a shared
//! `Bytes` handed over by a transport without copying.

use bytes::{Buf, Bytes, BytesMut};

mod sealed {
    pub trait Sealed {}
    impl Sealed for bytes::BytesMut {}
    impl Sealed for bytes::Bytes {}
}

/// A buffer of received octets that the framer takes frames off the front of.
///
/// Implemented for [`BytesMut`] (a receive buffer the caller reads into) and
/// [`Bytes`] (a chunk the caller already holds: frames and literal pieces are
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
