//! Resource limits with secure defaults, shared by the framer, the parsers and
//! (later) both sessions.

/// Every bound the IMAP codec enforces on peer input.
///
/// The defaults are safe for a public-facing server or for a client talking
/// to an untrusted server: memory held for one message is bounded by
/// [`max_message_size`](Self::max_message_size), and literals larger than
/// [`literal_stream_threshold`](Self::literal_stream_threshold) pass through
/// in chunks, so even a 1 GiB message needs no more than the threshold.
/// Each field says its unit, its default and the reason for the number.
/// Raise a limit only when a peer you trust needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Longest command line a server accepts, in octets including CRLF. A
    /// command with literals has several lines; each is checked on its own.
    /// Default 64 KiB: RFC 7162 §4 asks servers to accept at least 8192
    /// octets, and long UID sets from clients that do not compress them
    /// (`UID STORE 1,3,5,...`) run to tens of kilobytes.
    pub max_command_line: usize,
    /// Longest response line a client accepts, in octets including CRLF.
    /// Default 1 MiB: an untagged `SEARCH`, `SORT` or `THREAD` response lists
    /// every matching number on one line (about 7 octets each), so 64 KiB
    /// would already fail for 10,000 matches.
    pub max_response_line: usize,
    /// Largest literal accepted at all, in octets, whether it is held or
    /// streamed. Default 4 GiB: literal lengths are `number64` in RFC 9051 and
    /// real messages reach hundreds of megabytes; streaming keeps memory
    /// bounded whatever this is. A server should set its APPENDLIMIT (RFC
    /// 7889) here. A length that does not even fit in 64 bits is always an
    /// error, never a wrap.
    pub max_literal_size: u64,
    /// Literals of at most this many octets are kept inside the frame (one
    /// `Bytes`, zero copy); larger ones are delivered as a start / chunks / end
    /// sequence. Default 1 MiB, the same as POP3's body threshold: most
    /// messages fit, so they arrive in one piece, and memory per connection
    /// stays near this number for larger ones.
    pub literal_stream_threshold: u64,
    /// Most octets of one message held in memory at once: its lines and the
    /// literals kept inside the frame (streamed literals do not count).
    /// Default 32 MiB: a FETCH response with many header and body sections
    /// below the stream threshold fits; an endless message does not.
    pub max_message_size: usize,
    /// Most literals in one message. Default 1,000: a MULTIAPPEND of many
    /// messages or a METADATA SET of many entries fits; a flood of `{0}`
    /// literals that keeps a message open forever does not.
    pub max_literals: usize,
    /// Deepest nesting of parenthesized lists (body structures, search
    /// keys, THREAD trees) the parser follows. Default 64: RFC 3501 sets no
    /// bound, real body structures rarely pass 10, and at least 32 must be
    /// supported. The parser recurses at most this deep, so this is also its
    /// stack bound.
    pub max_depth: usize,
    /// Most items in one list or set (a sequence set's ranges, the numbers of
    /// a SEARCH response, the flags of a FLAGS list, ...). Default 1,000,000:
    /// a SEARCH over a mailbox of a million messages fits; the line limit
    /// bounds it first in practice.
    pub max_items: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_command_line: 64 * 1024,
            max_response_line: 1024 * 1024,
            max_literal_size: 4 * 1024 * 1024 * 1024,
            literal_stream_threshold: 1024 * 1024,
            max_message_size: 32 * 1024 * 1024,
            max_literals: 1000,
            max_depth: 64,
            max_items: 1_000_000,
        }
    }
}

impl Limits {
    /// The line limit that applies to what the peer sends: command lines when
    /// this is a server, response lines when this is a client.
    pub fn max_line(&self, side: crate::codec::Side) -> usize {
        match side {
            crate::codec::Side::Server => self.max_command_line,
            crate::codec::Side::Client => self.max_response_line,
        }
    }
}
