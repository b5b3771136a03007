//! `mailctl pop3 URL COMMAND`: the client commands.

pub(crate) mod describe;
mod fetch;

use std::path::PathBuf;

use anyhow::Context as _;
use mail_net::pop3::{ConnectOptions, Pop3Client, TraceDirection, Tracer};
use mail_net::tls::{self, ClientTlsOptions};
use pop3_proto::sasl::{CramMd5, Login, Plain};
use pop3_proto::{Capability, MessageNumber, Secret};
use serde_json::json;
use std::io::Write as _;

use crate::output;
use crate::target::{Target, password};

/// How to log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum AuthMethod {
    /// SASL PLAIN if offered, else USER/PASS.
    Auto,
    /// USER / PASS.
    User,
    /// APOP (RFC 1939 §7).
    Apop,
    /// SASL PLAIN.
    Plain,
    /// SASL LOGIN.
    Login,
    /// SASL CRAM-MD5.
    CramMd5,
}

/// Options shared by every client command.
#[derive(Debug, clap::Args)]
pub(crate) struct ClientArgs {
    /// pop3s://user@host or pop3s://user@host:port (implicit TLS, port 995 by
    /// default), or pop3://user@host... (plaintext upgraded with STLS, port 110).
    pub(crate) url: String,
    /// Read the password from this file (else MAILCTL_PASSWORD, else a prompt).
    #[arg(long, value_name = "FILE", global = true)]
    pub(crate) password_file: Option<PathBuf>,
    /// Also trust this CA certificate (PEM), e.g. a test server's own: a
    /// server presenting exactly this certificate is trusted, even a
    /// self-signed CA:TRUE one made by `openssl req -x509`.
    #[arg(long, value_name = "FILE", global = true)]
    pub(crate) ca: Vec<PathBuf>,
    /// Accept any server certificate (test servers only); --pin still applies.
    #[arg(long, global = true)]
    pub(crate) insecure: bool,
    /// Refuse the server unless its public key has this pin (as curl:
    /// sha256//BASE64 of the SubjectPublicKeyInfo); repeat it, or join
    /// several with `;`. Checked as well as the certificate, not instead.
    #[arg(long = "pin", value_name = "sha256//BASE64", global = true)]
    pub(crate) pins: Vec<String>,
    /// With pop3://, do not upgrade with STLS (loopback only, or with --allow-plaintext).
    #[arg(long, global = true)]
    pub(crate) no_tls: bool,
    /// Allow plaintext to a host that is not loopback.
    #[arg(long, global = true)]
    pub(crate) allow_plaintext: bool,
    /// Login method.
    #[arg(long, value_enum, default_value = "auto", global = true)]
    pub(crate) auth: AuthMethod,
    /// Print the protocol exchange on stderr (passwords redacted).
    #[arg(short, long, global = true)]
    pub(crate) verbose: bool,
    /// JSON output for the listing commands.
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

/// The client commands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum ClientCommand {
    /// Show the server's capabilities.
    Capa,
    /// Message count and total size.
    Stat,
    /// Message sizes.
    List,
    /// Message unique-ids.
    Uidl,
    /// The header and N body lines of a message, to stdout.
    Top {
        /// Message number.
        msg: u32,
        /// Body lines.
        lines: u64,
    },
    /// A message, to stdout.
    Retr {
        /// Message number.
        msg: u32,
    },
    /// Delete messages (committed at QUIT).
    Dele {
        /// Message numbers.
        #[arg(required = true)]
        msgs: Vec<u32>,
    },
    /// Download every message into a Maildir.
    Fetch {
        /// The Maildir (created if missing).
        #[arg(long, value_name = "MAILDIR")]
        to: PathBuf,
        /// Delete each message on the server once it is safely written.
        #[arg(long)]
        delete: bool,
        /// Only messages not fetched before (by UIDL).
        #[arg(long)]
        new_only: bool,
        /// Keep CRLF line endings as received (default: LF, as Maildir stores).
        #[arg(long)]
        keep_crlf: bool,
    },
}

fn msg(n: u32) -> anyhow::Result<MessageNumber> {
    MessageNumber::new(n).context("message numbers start at 1")
}

/// Connects and logs in.
pub(crate) async fn connect(args: &ClientArgs) -> anyhow::Result<(Pop3Client, Target)> {
    let target = Target::parse(&args.url, args.no_tls)?;
    let mut tls_options = if args.insecure {
        let mut o = ClientTlsOptions::default();
        o.accept_invalid_certs = true;
        o
    } else {
        // The platform store and the webpki roots, plus any --ca files.
        let mut o = ClientTlsOptions::system();
        o.ca_files.clone_from(&args.ca);
        o
    };
    for pins in &args.pins {
        tls_options
            .pins
            .extend(tls::PublicKeyPin::parse_list(pins)?);
    }
    let config = tls::client_config(&tls_options)?;
    let mut options = ConnectOptions::new(&target.host, target.port, target.security, config);
    options.allow_plaintext = args.allow_plaintext;
    let tracer: Option<Tracer> = args.verbose.then(|| {
        Box::new(|dir: TraceDirection, line: &str| {
            let arrow = if dir == TraceDirection::Sent {
                "C:"
            } else {
                "S:"
            };
            let _ = writeln!(output::stderr(), "{arrow} {}", output::escape_str(line));
        }) as Tracer
    });
    let mut client = Pop3Client::connect_traced(options, tracer)
        .await
        .with_context(|| format!("connecting to {}", target.label()))?;
    if args.verbose
        && let Some(tls) = client.tls_summary()
    {
        writeln!(output::stderr(), "-- TLS: {tls}")?;
    }
    let password = password(args.password_file.as_deref(), &target)?;
    login(&mut client, &target, args.auth, &password).await?;
    Ok((client, target))
}

async fn login(
    client: &mut Pop3Client,
    target: &Target,
    method: AuthMethod,
    password: &Secret,
) -> anyhow::Result<()> {
    let user = target.user.as_str();
    let offers = |m: &str| {
        client.session().capabilities().is_some_and(|caps| {
            caps.iter()
                .any(|c| matches!(c, Capability::Sasl(ms) if ms.iter().any(|x| x.as_str() == m)))
        })
    };
    let method = match method {
        AuthMethod::Auto if offers("PLAIN") => AuthMethod::Plain,
        AuthMethod::Auto => AuthMethod::User,
        m => m,
    };
    let result = match method {
        AuthMethod::User | AuthMethod::Auto => client.login(user, password).await,
        AuthMethod::Apop => client.apop(user, password).await,
        AuthMethod::Plain => {
            client
                .authenticate(Box::new(Plain::new(user, password.clone())))
                .await
        }
        AuthMethod::Login => {
            client
                .authenticate(Box::new(Login::new(user, password.clone())))
                .await
        }
        AuthMethod::CramMd5 => {
            client
                .authenticate(Box::new(CramMd5::new(user, password.clone())))
                .await
        }
    };
    result.with_context(|| format!("logging in as {user}"))
}

/// Runs one client command.
pub(crate) async fn run(args: ClientArgs, command: ClientCommand) -> anyhow::Result<()> {
    let (mut client, target) = connect(&args).await?;
    // Every line goes through the terminal filter (see `output`).
    let mut out = output::stdout();
    match command {
        ClientCommand::Capa => {
            let caps = client.capabilities().await?;
            if args.json {
                let list: Vec<String> = caps.iter().map(capability_line).collect();
                writeln!(out, "{}", json!({ "capabilities": list }))?;
            } else {
                for c in &caps {
                    writeln!(out, "{}", capability_line(c))?;
                }
            }
        }
        ClientCommand::Stat => {
            let d = client.stat().await?;
            if args.json {
                writeln!(out, "{}", json!({"count": d.count, "size": d.size}))?;
            } else {
                writeln!(out, "{} messages, {} octets", d.count, d.size)?;
            }
        }
        ClientCommand::List => {
            let entries = client.list().await?;
            if args.json {
                let v: Vec<_> = entries
                    .iter()
                    .map(|e| json!({"msg": e.msg.get(), "size": e.size}))
                    .collect();
                writeln!(out, "{}", serde_json::Value::Array(v))?;
            } else {
                for e in &entries {
                    writeln!(out, "{} {}", e.msg, e.size)?;
                }
            }
        }
        ClientCommand::Uidl => {
            let entries = client.uidl().await?;
            if args.json {
                let v: Vec<_> = entries
                    .iter()
                    .map(|e| json!({"msg": e.msg.get(), "uid": e.uid.as_str()}))
                    .collect();
                writeln!(out, "{}", serde_json::Value::Array(v))?;
            } else {
                for e in &entries {
                    writeln!(out, "{} {}", e.msg, e.uid)?;
                }
            }
        }
        ClientCommand::Top { msg: n, lines } => {
            let mut body = output::SafeAsyncWriter::body_to_stdout();
            client.top(msg(n)?, lines, &mut body).await?;
            body.finish().await?;
        }
        ClientCommand::Retr { msg: n } => {
            let mut body = output::SafeAsyncWriter::body_to_stdout();
            client.retrieve(msg(n)?, &mut body).await?;
            body.finish().await?;
        }
        ClientCommand::Dele { msgs } => {
            for n in msgs {
                client
                    .delete(msg(n)?)
                    .await
                    .with_context(|| format!("deleting message {n}"))?;
            }
        }
        ClientCommand::Fetch {
            to,
            delete,
            new_only,
            keep_crlf,
        } => {
            let opts = fetch::FetchOptions {
                maildir: to,
                delete,
                new_only,
                keep_crlf,
                json: args.json,
            };
            fetch::fetch(&mut client, &target, &opts).await?;
        }
    }
    client.quit().await.context("QUIT")?;
    Ok(())
}

/// A capability as it appears in a CAPA listing, escaped for the terminal.
fn capability_line(c: &Capability) -> String {
    let mut out = bytes::BytesMut::new();
    c.encode(&mut out);
    output::escape(out.trim_ascii_end())
}
