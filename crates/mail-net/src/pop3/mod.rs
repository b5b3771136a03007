//! POP3 over tokio: the async [`Pop3Client`], the server connection driver
//! ([`serve_connection`] over a [`Maildrop`]), and tokio-util codecs for use
//! with `Framed`.

mod client;
mod codec;
mod server;

pub use client::{
    ConnectOptions, DEFAULT_PIPELINE_WINDOW, MAX_PIPELINE_WINDOW, Pipeline, Pop3Client, Pop3Error,
    Reply, Security, Timeouts, TraceDirection, Tracer,
};
pub use codec::{ClientItem, Flush, Pop3ClientCodec, Pop3ServerCodec, ServerAction, ServerItem};
pub use server::{
    ConnectionSummary, Locks, Mailbox, Maildrop, ServeError, ServerOptions, TlsMode,
    serve_connection, serve_listener,
};
