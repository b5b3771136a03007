//! The clients: our `Pop3Client`, curl, Python's poplib and fetchmail, each
//! retrieving every message from an [`Endpoint`] and checking it arrived
//! intact, in the form that client is known to deliver.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use mail_net::pop3::{ConnectOptions, Pop3Client, Security, Timeouts};
use mail_net::pop3_codec::{MessageNumber, Secret};
use mail_net::tls::{ClientTlsOptions, client_config};

use super::messages::{
    Message, assert_all_arrived, maildir_count, read_dir_sorted, wire_form, without_cr,
};
use super::process::run;
use super::{Endpoint, Tls};

/// Longest any one client command may run.
const CLIENT_LIMIT: Duration = Duration::from_secs(40);

/// `mail_net::pop3::Pop3Client`: login, STAT, LIST, UIDL and RETR of every
/// message. `retrieve` hands out the message unstuffed with the line
/// endings as sent (CRLF): the server's wire form.
pub(crate) fn pop3client(ep: &Endpoint, tls: Tls, messages: &[Message]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let config = client_config(&ClientTlsOptions::with_ca_files(vec![ep.ca.clone()]))
            .expect("a TLS client configuration");
        let security = match tls {
            Tls::Implicit => Security::Tls,
            Tls::Stls => Security::StartTls,
        };
        let mut options = ConnectOptions::new("127.0.0.1", ep.port(tls), security, config);
        options.timeouts = Timeouts {
            connect: Duration::from_secs(10),
            greeting: Duration::from_secs(10),
            command: Duration::from_secs(20),
        };
        let server = ep.server;
        let mut client = Pop3Client::connect(options)
            .await
            .unwrap_or_else(|e| panic!("connect to {server} ({tls:?}): {e}"));
        assert!(
            client.tls_summary().is_some(),
            "{server}: not TLS after {tls:?}"
        );
        client
            .login(ep.user, &Secret::from(ep.password))
            .await
            .unwrap_or_else(|e| panic!("login to {server}: {e}"));

        let stat = client.stat().await.expect("STAT");
        assert_eq!(stat.count as usize, messages.len(), "{server}: STAT");
        let list = client.list().await.expect("LIST");
        assert_eq!(list.len(), messages.len(), "{server}: LIST");
        let uidl = client.uidl().await.expect("UIDL");
        assert_eq!(uidl.len(), messages.len(), "{server}: UIDL");
        let mut uids: Vec<_> = uidl.iter().map(|u| format!("{:?}", u.uid)).collect();
        uids.sort();
        uids.dedup();
        assert_eq!(
            uids.len(),
            messages.len(),
            "{server}: UIDL gives duplicates: {uidl:?}"
        );

        let mut got = Vec::new();
        for entry in &list {
            let mut body = Vec::new();
            let n = client
                .retrieve(entry.msg, &mut body)
                .await
                .unwrap_or_else(|e| panic!("{server}: RETR {}: {e}", entry.msg));
            assert_eq!(n as usize, body.len(), "{server}: RETR {} count", entry.msg);
            got.push((
                format!("RETR {} (LIST size {})", entry.msg, entry.size),
                body,
            ));
        }
        assert_all_arrived(
            &format!("Pop3Client from {server} over {tls:?}"),
            messages,
            wire_form,
            &got,
        );
        let sizes: Vec<(String, u64)> = list.iter().map(|e| (e.msg.to_string(), e.size)).collect();
        check_list_sizes(ep, messages, &sizes, &got);
        let one = MessageNumber::new(1).expect("1");
        let first = client.uidl_one(one).await.expect("UIDL 1");
        assert_eq!(first, uidl[0], "{server}: UIDL 1");
        client.quit().await.expect("QUIT");
    });
}

/// LIST sizes against the octets RETR sent for the same numbers: equal,
/// as RFC 1939 asks ("exact size"), except where the endpoint is known to
/// leave out the CRLF it adds at the end of a message.
fn check_list_sizes(
    ep: &Endpoint,
    messages: &[Message],
    sizes: &[(String, u64)],
    bodies: &[(String, Vec<u8>)],
) {
    for ((msg, size), (_, body)) in sizes.iter().zip(bodies) {
        let added_crlf = messages
            .iter()
            .any(|m| !m.file.ends_with(b"\n") && wire_form(&m.file) == *body);
        let allowed = *size == body.len() as u64
            || (ep.list_size_excludes_added_crlf && added_crlf && *size + 2 == body.len() as u64);
        assert!(
            allowed,
            "{}: LIST says message {msg} has {size} octets, RETR sent {}",
            ep.server,
            body.len()
        );
    }
}

fn curl_command(curl: &Path, ep: &Endpoint, tls: Tls) -> (Command, String) {
    let mut cmd = Command::new(curl);
    cmd.args(["--silent", "--show-error", "--max-time", "30"])
        .args(["--connect-timeout", "10"])
        .arg("--cacert")
        .arg(&ep.ca)
        .arg("--user")
        .arg(format!("{}:{}", ep.user, ep.password));
    let scheme = match tls {
        Tls::Implicit => "pop3s",
        Tls::Stls => {
            // STLS, and fail if the server does not offer it.
            cmd.arg("--ssl-reqd");
            "pop3"
        }
    };
    (cmd, format!("{scheme}://127.0.0.1:{}/", ep.port(tls)))
}

fn curl_list(curl: &Path, ep: &Endpoint, tls: Tls) -> Vec<(u32, u64)> {
    let (mut cmd, url) = curl_command(curl, ep, tls);
    let out = run(cmd.arg(&url), CLIENT_LIMIT).expect_success("curl LIST");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let mut words = line.split_whitespace();
            let parsed = (|| Some((words.next()?.parse().ok()?, words.next()?.parse().ok()?)))();
            parsed.unwrap_or_else(|| panic!("curl LIST from {}: odd line {line:?}", ep.server))
        })
        .collect()
}

/// curl: LIST, RETR of every message (one curl run, URL globbing), then
/// `DELE 1` and LIST again. curl writes the body as received, line endings
/// untouched (CRLF) and dot-stuffing undone: the server's wire form.
pub(crate) fn curl(curl: &Path, ep: &Endpoint, tls: Tls, messages: &[Message]) {
    let server = ep.server;
    let list = curl_list(curl, ep, tls);
    let numbers: Vec<u32> = list.iter().map(|(n, _)| *n).collect();
    let expected: Vec<u32> = (1..=messages.len() as u32).collect();
    assert_eq!(numbers, expected, "curl LIST from {server}: {list:?}");

    let out_dir = ep.scratch.join(format!("curl-{tls:?}"));
    std::fs::create_dir_all(&out_dir).expect("create the output directory");
    let (mut cmd, url) = curl_command(curl, ep, tls);
    cmd.arg(format!("{url}[1-{}]", messages.len()))
        .arg("--output")
        .arg(out_dir.join("msg-#1"));
    run(&mut cmd, CLIENT_LIMIT).expect_success("curl RETR");
    let got = read_dir_sorted(&out_dir);
    assert_all_arrived(
        &format!("curl from {server} over {tls:?}"),
        messages,
        wire_form,
        &got,
    );
    let sizes: Vec<(String, u64)> = list
        .iter()
        .map(|(n, size)| (n.to_string(), *size))
        .collect();
    check_list_sizes(ep, messages, &sizes, &got);

    // `-X 'DELE 1'` with `--head` (no body: DELE has a one-line answer).
    let (mut cmd, url) = curl_command(curl, ep, tls);
    run(
        cmd.arg(&url).args(["--request", "DELE 1", "--head"]),
        CLIENT_LIMIT,
    )
    .expect_success("curl DELE 1");
    let after = curl_list(curl, ep, tls);
    assert_eq!(
        after.len(),
        messages.len() - 1,
        "LIST from {server} after DELE 1: {after:?}"
    );
    assert_eq!(
        maildir_count(&ep.maildir),
        messages.len() - 1,
        "{server}: files in {} after DELE 1 and QUIT",
        ep.maildir.display()
    );
}

/// Python's poplib: STAT and RETR of every message. poplib hands out the
/// lines without their CRLF and with dot-stuffing undone; the script joins
/// them with CRLF and ends with CRLF, which rebuilds the wire form exactly
/// (every line on the wire ends with CRLF; a bare CR inside a line and NUL
/// pass through untouched).
const POPLIB_SCRIPT: &str = r#"
import os, poplib, ssl, sys
mode, port, cafile, user, password, outdir = sys.argv[1:]
# poplib refuses lines longer than poplib._MAXLINE (2048 octets) with
# "line too long"; message 10 has a 5000-octet line.
poplib._MAXLINE = 1 << 20
context = ssl.create_default_context(cafile=cafile)
if mode == "Implicit":
    pop = poplib.POP3_SSL("127.0.0.1", int(port), context=context, timeout=20)
else:
    pop = poplib.POP3("127.0.0.1", int(port), timeout=20)
    pop.stls(context=context)
pop.user(user)
pop.pass_(password)
count, size = pop.stat()
for i in range(1, count + 1):
    response, lines, octets = pop.retr(i)
    data = b"\r\n".join(lines) + b"\r\n"
    with open(os.path.join(outdir, "msg-%02d" % i), "wb") as f:
        f.write(data)
    print(i, octets, len(data))
print(pop.quit())
"#;

/// Python's poplib over POP3_SSL or POP3 + stls().
pub(crate) fn python(python: &Path, ep: &Endpoint, tls: Tls, messages: &[Message]) {
    let out_dir = ep.scratch.join(format!("poplib-{tls:?}"));
    std::fs::create_dir_all(&out_dir).expect("create the output directory");
    let mut cmd = Command::new(python);
    cmd.arg("-c")
        .arg(POPLIB_SCRIPT)
        .arg(format!("{tls:?}"))
        .arg(ep.port(tls).to_string())
        .arg(&ep.ca)
        .arg(ep.user)
        .arg(ep.password)
        .arg(&out_dir);
    run(&mut cmd, CLIENT_LIMIT).expect_success("python3 poplib");
    let got = read_dir_sorted(&out_dir);
    assert_all_arrived(
        &format!("poplib from {} over {tls:?}", ep.server),
        messages,
        wire_form,
        &got,
    );
}

/// The MDA fetchmail pipes each message into: one numbered file each.
const DELIVER_SCRIPT: &str = r#"set -e
dir="$1"
n=$(( $(cat "$dir/.count" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$dir/.count"
cat > "$dir/msg-$(printf %02d "$n")"
"#;

/// fetchmail with `no stripcr`: fetches every message (and deletes it, its
/// default) into an MDA that writes each to a file. With `no stripcr`
/// fetchmail hands the MDA each line as received, CRLF included, with
/// dot-stuffing undone, a bare CR and NUL untouched: the wire form exactly.
pub(crate) fn fetchmail(fetchmail: &Path, ep: &Endpoint, tls: Tls, messages: &[Message]) {
    let got = run_fetchmail(fetchmail, ep, tls, "no stripcr");
    assert_all_arrived(
        &format!("fetchmail (no stripcr) from {} over {tls:?}", ep.server),
        messages,
        wire_form,
        &got,
    );
}

/// fetchmail as configured by most users: with an MDA, `stripcr` is on by
/// default, and fetchmail removes every CR (each CRLF becomes LF, and a
/// bare CR inside a line is dropped too: message 03 loses one octet). NUL
/// passes. So the expected form is the wire form without any CR.
pub(crate) fn fetchmail_stripcr(fetchmail: &Path, ep: &Endpoint, tls: Tls, messages: &[Message]) {
    let got = run_fetchmail(fetchmail, ep, tls, "");
    assert_all_arrived(
        &format!(
            "fetchmail (default stripcr) from {} over {tls:?}",
            ep.server
        ),
        messages,
        |file| without_cr(&wire_form(file)),
        &got,
    );
}

/// Runs fetchmail once (`extra` goes into the user options) and returns
/// what the MDA received. `set invisible` stops fetchmail from adding its
/// Received: header and `no rewrite` from rewriting addresses.
/// fetchmail 6.4 checks the host name against the certificate's CN and DNS
/// names only, not its IP address names: `sslcommonname localhost` makes it
/// expect the DNS name the certificate has while connecting to 127.0.0.1.
fn run_fetchmail(fetchmail: &Path, ep: &Endpoint, tls: Tls, extra: &str) -> Vec<(String, Vec<u8>)> {
    let home = ep
        .scratch
        .join(format!("fetchmail-{tls:?}-{}", extra.replace(' ', "-")));
    let security = match tls {
        Tls::Implicit => "ssl",
        // Without `ssl`, an sslproto other than '' makes STLS mandatory.
        Tls::Stls => "sslproto \"TLS1.2+\"",
    };
    let poll = format!(
        "poll 127.0.0.1 service {port} protocol pop3 timeout 20\n  \
           user \"{user}\" password \"{password}\"\n  \
           {security} sslcertfile \"{ca}\" sslcertck sslcommonname localhost\n  \
           fetchall nokeep no rewrite {extra}\n",
        port = ep.port(tls),
        user = ep.user,
        password = ep.password,
        ca = ep.ca.display(),
    );
    let (out, delivered) = fetchmail_poll(fetchmail, &home, &poll);
    // 0: mail delivered (1 would be "no mail").
    assert!(
        out.status.success(),
        "fetchmail from {}: {}",
        ep.server,
        out.describe()
    );
    assert_eq!(
        maildir_count(&ep.maildir),
        0,
        "{}: fetchmail deletes what it fetched, but {} still holds messages",
        ep.server,
        ep.maildir.display()
    );
    delivered
}

/// Runs fetchmail once in `home` with the server options `poll` (the
/// `poll ...` entry without its MDA, which is added: each message into a
/// numbered file). Returns how it ended and what the MDA received.
pub(crate) fn fetchmail_poll(
    fetchmail: &Path,
    home: &Path,
    poll: &str,
) -> (super::process::Finished, Vec<(String, Vec<u8>)>) {
    use std::os::unix::fs::PermissionsExt;
    let out_dir = home.join("delivered");
    std::fs::create_dir_all(&out_dir).expect("create the output directory");
    let script = home.join("deliver.sh");
    std::fs::write(&script, DELIVER_SCRIPT).expect("write the MDA script");
    let rc = home.join("fetchmailrc");
    std::fs::write(
        &rc,
        format!(
            "set no syslog\nset invisible\n{poll}  mda \"/bin/sh {script} {out}\"\n",
            script = script.display(),
            out = out_dir.display(),
        ),
    )
    .expect("write the fetchmailrc");
    // fetchmail refuses a run control file others can read.
    std::fs::set_permissions(&rc, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
    let mut cmd = Command::new(fetchmail);
    cmd.args(["--nosyslog", "--nodetach", "-v", "-f"])
        .arg(&rc)
        .arg("--pidfile")
        .arg(home.join("fetchmail.pid"))
        .arg("--idfile")
        .arg(home.join("fetchids"))
        .env("HOME", home)
        .env("FETCHMAILHOME", home);
    let out = run(&mut cmd, CLIENT_LIMIT);
    (out, read_dir_sorted(&out_dir))
}
