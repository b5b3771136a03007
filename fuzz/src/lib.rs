//! Helpers shared by the fuzz targets: input chunking and the byte tables that
//! turn fuzz input into response shapes and client scripts.
//!
//! The tables are part of the input format of the committed seeds: `cargo
//! xtask fuzz-seeds` writes the same indices (see `xtask/src/fuzz_seeds.rs`).
//! Append to them; do not reorder.

use pop3_proto::{Limits, ResponseShape};

/// Chunk sizes, picked by the low four bits of a chunk's first byte. Small
/// sizes split lines, dots and CRLFs; the last one hands over everything left.
const CHUNK_SIZES: [usize; 16] = [
    1,
    1,
    2,
    3,
    4,
    5,
    7,
    8,
    13,
    16,
    31,
    64,
    100,
    256,
    1024,
    usize::MAX,
];

/// Splits fuzz input into chunks whose sizes come from the input itself.
///
/// Each chunk's first byte chooses its size and is also returned as a
/// control byte (targets use its high bits for other choices); the byte
/// stays part of the chunk, so a capture used as a seed is fed unchanged.
#[derive(Debug, Clone)]
pub struct Chunks<'a> {
    rest: &'a [u8],
}

impl<'a> Chunks<'a> {
    /// Chunks of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self { rest: data }
    }
}

impl<'a> Iterator for Chunks<'a> {
    /// The control byte and the chunk (never empty).
    type Item = (u8, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let &control = self.rest.first()?;
        let size = CHUNK_SIZES[usize::from(control & 0x0f)].min(self.rest.len());
        let (chunk, rest) = self.rest.split_at(size);
        self.rest = rest;
        Some((control, chunk))
    }
}

/// Every response shape, indexed by a byte modulo the length.
pub const SHAPES: [ResponseShape; 11] = [
    ResponseShape::Status,
    ResponseShape::Greeting,
    ResponseShape::Stat,
    ResponseShape::Scan,
    ResponseShape::ScanListing,
    ResponseShape::UniqueId,
    ResponseShape::UniqueIdListing,
    ResponseShape::Capabilities,
    ResponseShape::Languages,
    ResponseShape::Message,
    ResponseShape::Sasl,
];

/// The shape for a byte.
pub fn shape(b: u8) -> ResponseShape {
    SHAPES[usize::from(b) % SHAPES.len()]
}

/// Splits `data` into its script header and the rest, for the targets that
/// need a script: the first byte's low six bits are the header's length (at
/// most what is there), its top two bits pick a body chunk threshold (see
/// [`limits`]).
pub fn split_header(data: &[u8]) -> (Limits, &[u8], &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return (Limits::default(), &[], &[]);
    };
    let (header, rest) = rest.split_at(usize::from(first & 0x3f).min(rest.len()));
    (limits(first >> 6), header, rest)
}

/// Default limits, with the body chunk threshold lowered for `choice` 1 to 3
/// so that small inputs exercise streamed bodies too.
pub fn limits(choice: u8) -> Limits {
    let mut limits = Limits::default();
    match choice & 3 {
        1 => limits.body_chunk_threshold = 1024,
        2 => limits.body_chunk_threshold = 64,
        3 => limits.body_chunk_threshold = 1,
        _ => {}
    }
    limits
}
