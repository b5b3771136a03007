//! The receive buffers the framer works on: an owned `BytesMut`, or a shared
//! `Bytes` handed over by a transport without copying; and [`Input`], a
//! reader's own buffer that holds one or the other.

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

/// A reader's input: an owned buffer for partial messages, and a shared
/// chunk handed over whole while the owned buffer is empty (the zero-copy
/// path). At most one of the two holds octets, so the framer sees one
/// buffer whose front does not move when the shared chunk is absorbed.
#[derive(Debug, Default)]
pub(crate) struct Input {
    /// Partial messages, and whatever arrived as slices.
    pub(crate) owned: BytesMut,
    /// A whole chunk received as `Bytes` while `owned` was empty.
    pub(crate) shared: Bytes,
}

impl Input {
    /// Appends a copy of `data`.
    #[inline]
    pub(crate) fn push_slice(&mut self, data: &[u8]) {
        self.absorb_shared();
        self.owned.extend_from_slice(data);
    }

    /// Appends `data`, kept without a copy when nothing else is pending.
    #[inline]
    pub(crate) fn push_bytes(&mut self, data: Bytes) {
        if self.owned.is_empty() && self.shared.is_empty() {
            self.shared = data;
        } else {
            self.absorb_shared();
            self.owned.extend_from_slice(&data);
        }
    }

    /// Moves what is left of the shared chunk into the owned buffer (one
    /// copy of the partial message it ends with).
    #[inline]
    fn absorb_shared(&mut self) {
        if !self.shared.is_empty() {
            self.owned.extend_from_slice(&self.shared);
            self.shared.clear();
        }
    }

    /// Octets held.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.owned.len() + self.shared.len()
    }
}
