//! A connection that is plaintext or TLS, and can switch from the first to
//! the second in the middle (STLS / STARTTLS).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// A mail connection over `S` (a `TcpStream`, or anything else that reads
/// and writes): plaintext, or TLS as client or server.
#[derive(Debug)]
#[non_exhaustive]
pub enum MailStream<S = TcpStream> {
    /// No TLS (yet).
    Plain(S),
    /// TLS, this side being the client.
    ClientTls(Box<tokio_rustls::client::TlsStream<S>>),
    /// TLS, this side being the server.
    ServerTls(Box<tokio_rustls::server::TlsStream<S>>),
    /// Left behind by a failed upgrade; every operation fails.
    Broken,
}

impl<S> MailStream<S> {
    /// Whether the connection is protected by TLS.
    pub fn is_tls(&self) -> bool {
        matches!(self, Self::ClientTls(_) | Self::ServerTls(_))
    }

    /// The negotiated TLS protocol version and cipher suite, for display.
    pub fn tls_summary(&self) -> Option<String> {
        let (version, suite) = match self {
            Self::ClientTls(s) => (
                s.get_ref().1.protocol_version(),
                s.get_ref().1.negotiated_cipher_suite(),
            ),
            Self::ServerTls(s) => (
                s.get_ref().1.protocol_version(),
                s.get_ref().1.negotiated_cipher_suite(),
            ),
            _ => return None,
        };
        Some(format!("{:?} {:?}", version?, suite?.suite()))
    }

    /// Takes the plaintext stream out for an upgrade, leaving `Broken`.
    pub(crate) fn take_plain(&mut self) -> io::Result<S> {
        match std::mem::replace(self, Self::Broken) {
            Self::Plain(s) => Ok(s),
            other => {
                *self = other;
                Err(io::Error::other("the connection is already TLS"))
            }
        }
    }
}

fn broken() -> io::Error {
    io::Error::new(
        io::ErrorKind::NotConnected,
        "connection lost in a failed TLS upgrade",
    )
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for MailStream<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Self::ClientTls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Self::ServerTls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Self::Broken => Poll::Ready(Err(broken())),
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for MailStream<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Self::ClientTls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Self::ServerTls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Self::Broken => Poll::Ready(Err(broken())),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::ClientTls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Self::ServerTls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Self::Broken => Poll::Ready(Err(broken())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Self::ClientTls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Self::ServerTls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Self::Broken => Poll::Ready(Ok(())),
        }
    }
}
