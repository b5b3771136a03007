//! Resource limits with secure defaults, shared by the codec and both sessions.

/// Every bound the POP3 codec and sessions enforce on peer input.
///
/// The defaults are safe for a public-facing server or a client talking to an
/// untrusted server; each field says its unit, its default and where the number
/// comes from. Raise a limit only when a peer you trust needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Longest command line, in octets including CRLF. Default 255:
    /// RFC 2449 §4 raises RFC 1939's 47 to 255 and servers must accept that much.
    pub max_command_line: usize,
    /// Longest first line of a response (and the greeting), in octets including
    /// CRLF. Default 512, RFC 2449 §4.
    pub max_response_line: usize,
    /// Longest line of a multi-line listing (LIST, UIDL, CAPA, LANG), in octets
    /// including CRLF. Default 1024; RFC 2449 §5 caps a capability line at 512,
    /// this leaves room for servers that exceed it.
    pub max_listing_line: usize,
    /// Most entries accepted in one multi-line listing. Default 4,000,000.
    ///
    /// This bounds the count, not the size: a listing line may be up to
    /// [`max_listing_line`](Self::max_listing_line) octets, so 4,000,000
    /// lines can be 4 GB on the wire. What a listing holds in memory is
    /// bounded by [`max_listing_bytes`](Self::max_listing_bytes).
    pub max_listing_entries: usize,
    /// Most memory one decoded multi-line listing (LIST, UIDL, CAPA, LANG,
    /// AUTH) may hold, in octets. Default 128 MiB.
    ///
    /// Counted as the listing holds it: for each entry its own in-memory
    /// size (`size_of` the entry type, 48 octets for a
    /// [`UniqueIdListing`](crate::UniqueIdListing) on 64-bit targets) plus
    /// the octets of text it owns. The allocator's rounding and the
    /// vector's spare capacity come on top (up to about twice the entry
    /// part while the vector grows). The default admits a very large real
    /// maildrop: 1,000,000 messages whose unique-ids all have the 70 octets
    /// RFC 1939 §7 allows count 118 MB. A hostile server that sends 4,000,000
    /// 250-octet unique-ids (1.2 GB decoded) is stopped at 128 MiB.
    pub max_listing_bytes: usize,
    /// Longest SASL line (a `+ ` challenge or a client's base64 answer), in octets
    /// including CRLF. Default 65,536: RFC 5034 §4 exempts these lines from the
    /// 255/512 limits, and OAuth bearer tokens run to several kilobytes.
    pub max_sasl_line: usize,
    /// Most challenge/answer rounds in one AUTH exchange. Default 8; PLAIN needs
    /// 1, LOGIN 2, SCRAM 3. Policy (each round is bounded by `max_sasl_line`
    /// and nothing accumulates): replays lift it.
    pub max_sasl_steps: u32,
    /// Bodies (RETR, TOP) no larger than this many octets are delivered as one
    /// chunk; larger ones stream in chunks of at most about this size, so memory
    /// stays bounded whatever the message size. Default 1 MiB.
    pub body_chunk_threshold: usize,
    /// Receive buffer size above which `wants_input()` turns false, in octets.
    /// Default 64 KiB. Bodies are drained as they arrive, so this bounds what an
    /// application buffers for a peer that pipelines faster than it is answered.
    pub input_buffer: usize,
    /// Most commands a client keeps in flight (PIPELINING). Default 256.
    pub max_pending_commands: usize,
    /// Bad commands (unknown, malformed, wrong state, and AUTH exchanges the
    /// client cancelled with `*`) a server session answers with `-ERR`
    /// before it gives up and closes the connection. Default 10. Server
    /// policy, not protocol: replays of other servers' captures lift it.
    pub max_bad_commands: u32,
    /// Failed authentication attempts (credentials refused) before a server
    /// session closes the connection. Default 3. An AUTH the client cancelled
    /// is not one (it counts toward `max_bad_commands`). Server policy:
    /// replays lift it.
    pub max_failed_logins: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_command_line: 255,
            max_response_line: 512,
            max_listing_line: 1024,
            max_listing_entries: 4_000_000,
            max_listing_bytes: 128 * 1024 * 1024,
            max_sasl_line: 64 * 1024,
            max_sasl_steps: 8,
            body_chunk_threshold: 1024 * 1024,
            input_buffer: 64 * 1024,
            max_pending_commands: 256,
            max_bad_commands: 10,
            max_failed_logins: 3,
        }
    }
}
