//! `mailctl serve`: a POP3S (and STLS) server over a Maildir, built only on
//! mail-net's public API.

mod guard_args;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use mail_net::guard::Guards;
use mail_net::pop3::{
    ConnectionSummary, Locks, ServeError, ServerOptions, TlsMode, serve_listener,
};
use mail_net::tls::{self, RustlsServerConfig, TlsAcceptor};
use pop3_proto::Secret;
use tokio::net::TcpListener;

use crate::maildir::MaildirStore;
use crate::output;
pub(crate) use guard_args::GuardArgs;

/// What `serve` was asked to do.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// Root directory: each user's Maildir is DIR/NAME/{cur,new,tmp}.
    #[arg(long, value_name = "DIR")]
    pub(crate) maildir: PathBuf,
    /// A user, NAME:PASSWORD (repeatable).
    #[arg(long = "user", value_name = "NAME:PASSWORD", required = true)]
    pub(crate) users: Vec<String>,
    /// POP3S (implicit TLS) address, e.g. 0.0.0.0:995 or 127.0.0.1:0.
    #[arg(long, value_name = "ADDR")]
    pub(crate) pop3s: Option<SocketAddr>,
    /// POP3 address (STLS offered), e.g. 0.0.0.0:110.
    #[arg(long, value_name = "ADDR")]
    pub(crate) pop3: Option<SocketAddr>,
    /// Certificate chain (PEM); without it a self-signed one is generated.
    #[arg(long, value_name = "PEM", requires = "key")]
    pub(crate) cert: Option<PathBuf>,
    /// Private key (PEM).
    #[arg(long, value_name = "PEM", requires = "cert")]
    pub(crate) key: Option<PathBuf>,
    /// Write the generated certificate here, for clients to trust.
    #[arg(long, value_name = "FILE")]
    pub(crate) write_cert: Option<PathBuf>,
    /// Extra host names for the generated certificate.
    #[arg(long = "hostname", value_name = "NAME")]
    pub(crate) hostnames: Vec<String>,
    /// Plaintext logins, deadlines, connection limits, failed-login delays.
    #[command(flatten)]
    pub(crate) guard: GuardArgs,
}

/// Parses `NAME:PASSWORD` pairs.
fn parse_users(users: &[String]) -> anyhow::Result<HashMap<String, Secret>> {
    let mut out = HashMap::new();
    for u in users {
        let Some((name, password)) = u.split_once(':') else {
            bail!(
                "--user takes NAME:PASSWORD, got {:?}",
                u.split(':').next().unwrap_or_default()
            );
        };
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            bail!("invalid user name {name:?}");
        }
        out.insert(name.to_owned(), Secret::from(password));
    }
    if out.is_empty() {
        bail!("give at least one --user NAME:PASSWORD");
    }
    Ok(out)
}

/// The server's TLS configuration: the given PEM files, or a generated
/// self-signed certificate (optionally written out for clients to trust).
fn server_tls(args: &ServeArgs) -> anyhow::Result<Arc<RustlsServerConfig>> {
    match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => Ok(tls::server_config_from_pem(cert, key)?),
        (None, None) => {
            let mut names: Vec<&str> = vec!["localhost", "127.0.0.1", "::1"];
            names.extend(args.hostnames.iter().map(String::as_str));
            let generated = tls::self_signed(&names)?;
            if let Some(path) = &args.write_cert {
                write_private(path, generated.cert_pem.as_bytes())
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            Ok(generated.config)
        }
        _ => bail!("--cert and --key go together"),
    }
}

fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, data)?;
    std::fs::rename(&tmp, path)
}

/// A server started in this process.
pub(crate) struct Running {
    /// The bound addresses: (label, address).
    pub(crate) listeners: Vec<(&'static str, SocketAddr)>,
    stop: tokio::sync::watch::Sender<bool>,
    tasks: tokio::task::JoinSet<std::io::Result<()>>,
}

impl Running {
    /// Stops accepting and waits for the listeners to end.
    pub(crate) async fn stop(mut self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        while let Some(result) = self.tasks.join_next().await {
            result??;
        }
        Ok(())
    }
}

/// How a finished connection is reported.
pub(crate) type OnDone =
    Arc<dyn Fn(SocketAddr, Result<ConnectionSummary, ServeError>) + Send + Sync>;

/// Binds the listeners and starts serving in the background.
pub(crate) async fn start(args: &ServeArgs, on_done: OnDone) -> anyhow::Result<Running> {
    let users = parse_users(&args.users)?;
    for name in users.keys() {
        crate::maildir::ensure_maildir(&args.maildir.join(name))
            .with_context(|| format!("creating the maildir of {name}"))?;
    }
    if args.pop3s.is_none() && args.pop3.is_none() {
        bail!("give --pop3s ADDR and/or --pop3 ADDR");
    }
    args.guard.check_plaintext(args.pop3)?;
    let guards = Guards::new(args.guard.config()?);
    let acceptor = TlsAcceptor::from(server_tls(args)?);
    let store = Arc::new(MaildirStore::new(args.maildir.clone(), users));
    let locks = Locks::default();
    let mut options = ServerOptions::default();
    args.guard.apply(&mut options);
    options.session.greeting = "mailctl POP3 server ready".into();
    options.session.implementation = Some(format!("mailctl {}", env!("CARGO_PKG_VERSION")));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    options.session.apop_timestamp = Some(format!("<{}.{nanos}@mailctl>", std::process::id()));
    let options = Arc::new(options);
    let mut tasks = tokio::task::JoinSet::new();
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let mut listeners = Vec::new();
    for (addr, mode, label) in [
        (args.pop3s, TlsMode::Implicit(acceptor.clone()), "pop3s"),
        (args.pop3, TlsMode::StartTls(acceptor.clone()), "pop3"),
    ] {
        let Some(addr) = addr else { continue };
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {label} on {addr}"))?;
        listeners.push((label, listener.local_addr()?));
        let mut stop_rx = stop_rx.clone();
        // One set of guards for both listeners: the limits count all ports.
        let (store, locks, guards, options, on_done) = (
            store.clone(),
            locks.clone(),
            guards.clone(),
            options.clone(),
            on_done.clone(),
        );
        tasks.spawn(async move {
            let stopped = async move {
                let _ = stop_rx.wait_for(|s| *s).await;
            };
            serve_listener(
                listener, mode, store, locks, guards, options, stopped, on_done,
            )
            .await
        });
    }
    Ok(Running {
        listeners,
        stop,
        tasks,
    })
}

/// Runs the server until `shutdown` resolves (Ctrl-C for the command).
pub(crate) async fn run(
    args: ServeArgs,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    use std::io::Write as _;
    // What clients sent (a user name, a line quoted in an error) is
    // escaped before it reaches the log.
    let on_done: OnDone = Arc::new(|peer, result| {
        let _ = match result {
            Ok(s) => writeln!(
                output::stderr(),
                "{peer}: done (user {}, {} retrieved, {} deleted{})",
                output::escape_str(s.user.as_deref().unwrap_or("-")),
                s.retrieved,
                s.deleted,
                if s.autologout { ", autologout" } else { "" }
            ),
            Err(e) => writeln!(
                output::stderr(),
                "{peer}: ended with error: {}",
                output::escape_str(&e.to_string())
            ),
        };
    });
    let running = start(&args, on_done).await?;
    let mut out = output::stdout();
    for (label, addr) in &running.listeners {
        writeln!(out, "{label} listening on {addr}")?;
    }
    out.flush()?;
    shutdown.await;
    running.stop().await
}
