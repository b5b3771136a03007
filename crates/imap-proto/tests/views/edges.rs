//! Lines at the edge of the canonical grammar the views read: which are
//! views, which go to the full parser, and that both agree on each.

use super::*;

#[test]
fn edge_spacing_and_case() {
    edge_cases(&[
        (VIEW, b"* OK hi "),
        (VIEW, b"* OK  hi"),
        (FULL, b"A1  OK x"),
        (FULL, b"A1 OK"),
        (FULL, b"* 1  EXISTS"),
        (FULL, b"* 1 EXISTS "),
        (FULL, b"*  1 EXISTS"),
        (FULL, b"* 1 FETCH (UID 1 )"),
        (FULL, b"* 1 FETCH ( UID 1)"),
        (FULL, b"* 1 FETCH (UID 1  FLAGS ())"),
        (FULL, b"* 1 FETCH (UID 1) "),
        (FULL, b"* LIST  () \"/\" x"),
        (FULL, b"* LIST () \"/\" x "),
        (FULL, b"* LIST ( \\Seen) \"/\" x"),
        (VIEW, b"* 1 exists"),
        (
            VIEW,
            b"* 1 Fetch (uid 1 flags (\\seen) rfc822.size 5 x-gm-msgid 7)",
        ),
        (
            VIEW,
            b"* 1 FETCH (X-Gm-ThrId 5 ModSeq (3) InternalDate \"17-Jul-1996 02:44:25 -0700\")",
        ),
        (
            VIEW,
            b"* 1 FETCH (BODY (\"Text\" \"Plain\" NIL NIL NIL \"7bit\" 5 1))",
        ),
        (
            VIEW,
            b"* 1 FETCH (body (\"message\" \"Global\" NIL NIL NIL \"7BIT\" 5 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) 2))",
        ),
        (FULL, b"* 1 FETCH (X-GM-MSGIX 1)"),
        (FULL, b"* 1 FETCH (UIDS 1)"),
        (VIEW, b"* 1 Expunge"),
        (FULL, b"* 1 EXPUNGED"),
        (FULL, b"* 1 EXISTSX"),
        (VIEW, b"* lsub () \"/\" x"),
        (VIEW, b"* PreAuth hi"),
        (FULL, b"A1 PREAUTH hi"),
        (FULL, b"* OKAY hi"),
        (FULL, b"A1 OKAY hi"),
        (FULL, b"* LISTS () \"/\" x"),
        (FULL, b"* OK"),
        (VIEW, b"* ok [alert] x"),
        (VIEW, b"* ok [uidnext 5] x"),
        (VIEW, b"* Ok [Read-Write] x"),
        (VIEW, b"a1 ok done"),
        (VIEW, b"* list (\\noselect) nil x"),
        (VIEW, b"* OK [ALERT] "),
        (FULL, b"* OK [ALERT]"),
        (FULL, b"* OK [READ-WRITE]x"),
        (VIEW, b"* OK [ALERT]  x"),
        (FULL, b"* OK [ALERT ] x"),
        (FULL, b"* OK [ UIDNEXT 5] x"),
        (FULL, b"* OK [UIDNEXT  5] x"),
        (FULL, b"* BYE"),
        (VIEW, b"* BYE "),
        (FULL, b"+"),
        (VIEW, b"+ "),
        (VIEW, b"+  two"),
    ]);
}

#[test]
fn edge_numbers() {
    edge_cases(&[
        (VIEW, b"* 0 EXISTS"),
        (VIEW, b"* 0 EXPUNGE"),
        (VIEW, b"* 0 FETCH (UID 1)"),
        (VIEW, b"* 007 EXISTS"),
        (VIEW, b"* 4294967295 EXISTS"),
        (FULL, b"* 4294967296 EXISTS"),
        (FULL, b"* 9223372036854775807 EXISTS"),
        (FULL, b"* 18446744073709551616 RECENT"),
        // 19 digits (read as a view) and 20 (left to the full parser).
        (VIEW, b"* 0000000000000000001 EXISTS"),
        (FULL, b"* 00000000000000000001 EXISTS"),
        (VIEW, b"* 1 FETCH (UID 4294967295)"),
        (FULL, b"* 1 FETCH (UID 4294967296)"),
        (FULL, b"* 1 FETCH (UID 0)"),
        (VIEW, b"* 1 FETCH (UID 01)"),
        (FULL, b"* 1 FETCH (UID -1)"),
        (VIEW, b"* 1 FETCH (RFC822.SIZE 4294967295)"),
        (VIEW, b"* 1 FETCH (RFC822.SIZE 4294967296)"),
        (VIEW, b"* 1 FETCH (RFC822.SIZE 9223372036854775807)"),
        (FULL, b"* 1 FETCH (RFC822.SIZE 9223372036854775808)"),
        (VIEW, b"* 1 FETCH (MODSEQ (0))"),
        (VIEW, b"* 1 FETCH (MODSEQ (9223372036854775807))"),
        (FULL, b"* 1 FETCH (MODSEQ (9223372036854775808))"),
        (FULL, b"* 1 FETCH (MODSEQ ())"),
        (FULL, b"* 1 FETCH (MODSEQ (1 2))"),
        (FULL, b"* 1 FETCH (MODSEQ 5)"),
        (VIEW, b"* 1 FETCH (X-GM-MSGID 0)"),
        (VIEW, b"* 1 FETCH (X-GM-MSGID 9223372036854775807)"),
        (FULL, b"* 1 FETCH (X-GM-MSGID 9223372036854775808)"),
        (FULL, b"* 1 FETCH (X-GM-MSGID 18446744073709551615)"),
        (FULL, b"* 1 FETCH (X-GM-THRID 18446744073709551616)"),
        (VIEW, b"* 1 FETCH (X-GM-MSGID 0000000000000000001)"),
        (FULL, b"* 1 FETCH (X-GM-MSGID 00000000000000000001)"),
        (VIEW, b"* OK [HIGHESTMODSEQ 0] x"),
        (VIEW, b"* OK [HIGHESTMODSEQ 9223372036854775807] x"),
        (FULL, b"* OK [HIGHESTMODSEQ 9223372036854775808] x"),
        (VIEW, b"* OK [UIDNEXT 0] x"),
        (VIEW, b"* OK [UIDVALIDITY 4294967295] x"),
        (FULL, b"* OK [UIDVALIDITY 4294967296] x"),
        (VIEW, b"* OK [UNSEEN 0] x"),
        (VIEW, b"* OK [UNSEEN 01] x"),
        (FULL, b"A1 OK [UIDNEXT 0x] x"),
    ]);
}

#[test]
fn edge_codes() {
    edge_cases(&[
        (FULL, b"* OK [BADCHARSET] x"),
        (FULL, b"* OK [BADCHARSET (UTF-8)] x"),
        (FULL, b"* OK [METADATA] x"),
        (FULL, b"* OK [METADATA TOOMANY] x"),
        (FULL, b"* OK [X-FOO] x"),
        (FULL, b"* OK [X-FOO 1] x"),
        (FULL, b"* OK [CAPABILITY IMAP4rev1] x"),
        (FULL, b"* OK [PERMANENTFLAGS ()] x"),
        (FULL, b"* OK [APPENDUID 1 2] x"),
        (VIEW, b"* OK [ALERT] [not a code]"),
        (VIEW, b"* OK [ALERT] ]"),
        (FULL, b"* OK [ALERT]] x"),
        (FULL, b"* OK [ALERT"),
        (FULL, b"* OK ["),
        (FULL, b"* OK [] x"),
        // The codes servers send most are compared as written, with the
        // octet after the name; anything else is read by the general path.
        (VIEW, b"A1 NO [TRYCREATE] x"),
        (VIEW, b"A1 NO [TryCreate] x"),
        (FULL, b"A1 NO [TRYCREATE x] x"),
        (FULL, b"A1 NO [TRYCREATEX] x"),
        (VIEW, b"* OK [READ-ONLY] x"),
        (FULL, b"* OK [READ-WRITE5] x"),
        (FULL, b"* OK [READ-WRITE ] x"),
        (FULL, b"* OK [UIDNEXT] x"),
        (FULL, b"* OK [UIDNEXT ] x"),
        (FULL, b"* OK [UIDNEXT 5 ] x"),
        (FULL, b"* OK [UIDNEXTX 5] x"),
        (FULL, b"* OK [UIDVALIDITY x] x"),
        (VIEW, b"* OK [UNSEEN 12] x"),
        (FULL, b"* OK [UNSEEN12] x"),
        (VIEW, b"* OK [HighestModSeq 9] x"),
        (FULL, b"* OK [HIGHESTMODSEQ] x"),
    ]);
}

#[test]
fn edge_strings_and_text() {
    edge_cases(&[
        // NIL, in any case, where NIL is allowed; NIL where a string is
        // required is a quirk.
        (VIEW, b"* 1 FETCH (ENVELOPE (nil nil nil nil nil nil nil nil nil nil))"),
        (VIEW, b"* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (NIL \"plain\" NIL NIL NIL \"7bit\" 1 1))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" NIL NIL NIL NIL \"7bit\" 1 1))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL NIL 1 1))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" NIL) NIL NIL \"7bit\" 1 1))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1 NIL (NIL NIL)))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) NIL))"),
        (FULL, b"* 1 FETCH (INTERNALDATE NIL)"),
        // Escapes: `\"` and `\\` only.
        (VIEW, b"* 1 FETCH (ENVELOPE (\"a \\\"q\\\" \\\\ b\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (VIEW, b"* 1 FETCH (ENVELOPE (\"\\\\\" \"\\\"\" NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (\"\\a\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (\"a\\\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (VIEW, b"* LIST () \"/\" \"a \\\"b\\\" \\\\ c\""),
        (FULL, b"* LIST () \"/\" \"a\\b\""),
        (FULL, b"* LIST () \"\\\\\" x"),
        (FULL, b"* LIST () \"\\\"\" x"),
        // Control characters other than CR, LF and NUL are text: views
        // take TAB (and DEL), and leave the rarer ones to the full parser
        // (one test finds every control).
        (VIEW, b"* 1 FETCH (ENVELOPE (\"a\tb\x7f\" \"\tc\t\t\" NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (\"a\x01b\" \"a\tb\x7f\" NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (\"a\x1fb\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (VIEW, b"* OK a\tb"),
        (VIEW, b"* OK \ta\tb\t"),
        (VIEW, b"* OK a\t\t\t\t\t\t\t\t\t\t\t\tb"),
        (FULL, b"* OK a\x01b"),
        (VIEW, b"* OK a\x7fb"),
        (VIEW, b"+ a\tb"),
        (VIEW, b"* LIST () \"/\" \"a\tb\""),
        // A LF inside ends the framer's line there: never one view.
        (FULL, b"* OK a\nb"),
        // (the line after it is a view of its own)
        (VIEW, b"* OK [ALERT] a\nA1 OK b"),
        (FULL, b"* 1 FETCH (ENVELOPE (\"a\nb\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* LIST () \"/\" \"a\nb\""),
        (FULL, b"+ a\nb"),
        // A line that ends in `}` is left to the framer (a literal?).
        (FULL, b"* OK a}"),
        (FULL, b"* OK {5}"),
        (FULL, b"* LIST () \"/\" a}"),
        // 8-bit text and strings: the full parser (quirk or UTF-8).
        (FULL, b"* OK caf\xc3\xa9"),
        (FULL, b"* OK \x80"),
        (FULL, b"A1 NO \xff"),
        (FULL, b"+ caf\xc3\xa9"),
        (FULL, b"* 1 FETCH (ENVELOPE (\"caf\xc3\xa9\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* LIST () \"/\" \"caf\xc3\xa9\""),
        (FULL, b"* LIST () \"/\" caf\xc3\xa9"),
        // CR and NUL inside a line.
        (FULL, b"* OK a\rb"),
        (FULL, b"* OK a\x00b"),
        (FULL, b"* 1 FETCH (UID 1\x00)"),
        (FULL, b"* 1 FETCH (ENVELOPE (\"a\rb\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        // FETCH strings are checked as their closing quote is searched for:
        // eight octets at a time, and the last few one by one.
        (FULL, b"* 1 FETCH (ENVELOPE (\"abcdefghijklmno\x80pq\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (\"abcdefghijklmno\x00pq\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL \"a\x80\"))"),
        (FULL, b"* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL \"a\x00\"))"),
        (FULL, b"* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL \"a\r\"))"),
        (VIEW, b"* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL \"a\"))"),
        (FULL, b"* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -07\xc30\")"),
        (FULL, b"* LIST () \"/\" \"a\x00b\""),
        // Literals.
        (FULL, b"* LIST () \"/\" {5}"),
        (FULL, b"* 1 FETCH (ENVELOPE ({1}"),
        // Empty strings.
        (VIEW, b"* 1 FETCH (ENVELOPE (\"\" \"\" ((\"\" \"\" \"\" \"\")) NIL NIL NIL NIL NIL \"\" \"\"))"),
        (VIEW, b"* LIST () \"/\" \"\""),
    ]);
}

#[test]
fn edge_fetch_lists() {
    edge_cases(&[
        (FULL, b"* 1 FETCH (FLAGS (\\*))"),
        (FULL, b"* 1 FETCH (FLAGS (\\Seen \\*))"),
        (VIEW, b"* 1 FETCH (FLAGS ())"),
        (FULL, b"* 1 FETCH (FLAGS ( ))"),
        (FULL, b"* 1 FETCH (FLAGS (\\Seen ))"),
        (FULL, b"* 1 FETCH (FLAGS (\\))"),
        (FULL, b"* 1 FETCH (FLAGS (\\\\Seen))"),
        (VIEW, b"* 1 FETCH (FLAGS ($Forwarded Junk \\Recent \\seen \\X-Ext))"),
        (VIEW, b"* 1 FETCH (FLAGS (a[b))"),
        (FULL, b"* 1 FETCH (FLAGS (OIB-Seen-[Gmail]/Trash))"),
        (VIEW, b"* 1 FETCH (FLAGS (a.b-c_d+e))"),
        (FULL, b"* 1 FETCH (FLAGS (\"\\\\Seen\"))"),
        (FULL, b"* 1 FETCH (FLAGS \\Seen)"),
        (FULL, b"* 1 FETCH (FLAGS NIL)"),
        (VIEW, b"* 1 FETCH (FLAGS (\\Seen) FLAGS (\\Draft))"),
        (VIEW, b"* 1 FETCH (UID 1 UID 2)"),
        (VIEW, b"* 1 FETCH ()"),
        (FULL, b"* 1 FETCH (UID 1"),
        (FULL, b"* 1 FETCH (UID 1)x"),
        (FULL, b"* 1 FETCH (UID 1))"),
        (FULL, b"* 1 FETCH UID 1"),
        (FULL, b"* 1 FETCH"),
        (FULL, b"* 1 FETCH (X-UNKNOWN 1)"),
        (FULL, b"* 1 FETCH (UID 1 BODY[] NIL)"),
        (FULL, b"* 1 FETCH (UID 1 BODY[TEXT]<0> \"x\")"),
        (FULL, b"* 1 FETCH (UID 1 X-GM-LABELS (\\Inbox))"),
        (FULL, b"* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"a\" \"b\") (NIL NIL \"c\" \"d\")) NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (NIL NIL () NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL NIL)) NIL NIL NIL NIL NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL NIL NIL NIL)) NIL NIL NIL NIL NIL NIL NIL))"),
        (VIEW, b"* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL NIL NIL)(NIL NIL \"g\" NIL)) NIL NIL NIL NIL NIL NIL NIL))"),
    ]);
}

/// A single text part with `rest` after its size in lines.
fn text_part(rest: &str) -> String {
    format!("* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1{rest}))")
}

/// `message/rfc822` parts nested `n` deep around a text part.
fn nested_messages(n: usize) -> String {
    let mut body = "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)".to_owned();
    for _ in 0..n {
        body = format!(
            "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 9 (NIL \"s\" ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL NIL NIL) {body} 1)"
        );
    }
    format!("* 1 FETCH (BODYSTRUCTURE {body})")
}

/// Multiparts nested `n` deep around a text part.
fn nested_multiparts(n: usize) -> String {
    let mut body = "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)".to_owned();
    for _ in 1..n {
        body = format!("({body} \"mixed\")");
    }
    format!("* 1 FETCH (BODYSTRUCTURE {body})")
}

#[test]
fn edge_body_structures() {
    let fixed: &[(bool, &[u8])] = &[
        (FULL, b"* 1 FETCH (BODYSTRUCTURE ())"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" nil nil nil \"7bit\" 1 1))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 2))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" () NIL NIL \"7bit\" 1 1))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"a\") NIL NIL \"7bit\" 1 1))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"a\" \"b\" \"c\" \"d\") NIL NIL \"7bit\" 1 1))"),
        // Sizes and line counts: negative, at and above 2^32.
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" -1 1))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 -1))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 4294967295 4294967295))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 4294967296 1))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 4294967296))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"image\" \"png\" NIL NIL NIL \"base64\" 4294967296))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"image\" \"png\" NIL NIL NIL \"base64\" 99999999999999999999))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"image\" \"png\" NIL NIL NIL \"base64\" 01))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1))"),
        // A single part of media type multipart.
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"multipart\" \"mixed\" NIL NIL NIL \"7bit\" 10))"),
        // message/rfc822: NIL envelope or body, fields missing.
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 100 NIL (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) 2))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 100 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) NIL 2))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 100))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 100 NIL NIL NIL))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 100 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7bit\" 100 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) 2))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 100 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) 2 NIL NIL NIL NIL))"),
        // message/global without an envelope: a basic part.
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 300))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 300 NIL))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 300 \"md5\" NIL NIL NIL))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 300 NIL NIL NIL NIL))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 300 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) 2))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"delivery-status\" NIL NIL NIL \"7bit\" 300))"),
        // Multiparts.
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)(\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"mixed\"))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"mixed\"))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"mixed\" NIL))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"mixed\" (\"boundary\" \"x\")))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"mixed\" NIL NIL NIL \"loc\"))"),
        (VIEW, b"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"mixed\" NIL (\"attachment\" (\"a\" \"b\")) (\"en\" \"de\") NIL))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"mixed\" NIL NIL NIL NIL 1))"),
        (FULL, b"* 1 FETCH (BODYSTRUCTURE (\"mixed\"))"),
        (VIEW, b"* 1 FETCH (BODY (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1))"),
        (VIEW, b"* 1 FETCH (BODY (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1 \"md5\"))"),
    ];
    edge_cases(fixed);
    // Extension data: md5, disposition, language, location; anything after
    // the location (body-extension) goes to the full parser.
    let ext: &[(bool, &str)] = &[
        (VIEW, " \"md5\""),
        (VIEW, " NIL (\"inline\" NIL)"),
        (FULL, " NIL (\"inline\" ())"),
        (FULL, " NIL \"inline\""),
        (VIEW, " NIL NIL ()"),
        (VIEW, " NIL NIL (\"en\")"),
        (VIEW, " NIL NIL \"en\""),
        (VIEW, " NIL NIL NIL"),
        (VIEW, " NIL NIL NIL NIL"),
        (VIEW, " NIL NIL NIL \"loc\""),
        (FULL, " NIL NIL NIL \"loc\" 5"),
        (FULL, " NIL NIL NIL \"loc\" (\"a\" 1)"),
        (FULL, " NIL NIL NIL NIL NIL"),
        (FULL, " NIL NIL NIL NIL ()"),
        (FULL, " NIL NIL NIL NIL NIL NIL"),
        (FULL, " "),
    ];
    let ext: Vec<(bool, String)> = ext.iter().map(|(v, r)| (*v, text_part(r))).collect();
    let ext: Vec<(bool, &[u8])> = ext.iter().map(|(v, l)| (*v, l.as_bytes())).collect();
    edge_cases(&ext);
    // Deep nesting: views read 24 levels of parentheses in all (the FETCH
    // list included), the full parser up to the depth limit (64 by
    // default), and refuses deeper structures.
    let deep: Vec<(bool, String)> = vec![
        (VIEW, nested_multiparts(16)),
        (VIEW, nested_multiparts(23)),
        (FULL, nested_multiparts(24)),
        (FULL, nested_multiparts(70)),
        (VIEW, nested_messages(20)),
        (FULL, nested_messages(21)),
        (FULL, nested_messages(70)),
    ];
    let deep: Vec<(bool, &[u8])> = deep.iter().map(|(v, l)| (*v, l.as_bytes())).collect();
    edge_cases(&deep);
    // The 70-level ones are errors, not responses.
    for line in [nested_multiparts(70), nested_messages(70)] {
        let (owned, _, _) = both_ways(&Setup::default(), &crlf(line.as_bytes()), usize::MAX);
        assert!(matches!(owned[..], [ResponseEvent::Error(_)]), "{owned:?}");
    }
}

#[test]
fn edge_internal_dates() {
    edge_cases(&[
        (
            VIEW,
            b"* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")",
        ),
        (
            VIEW,
            b"* 1 FETCH (INTERNALDATE \" 7-Jul-1996 02:44:25 -0700\")",
        ),
        (
            FULL,
            b"* 1 FETCH (INTERNALDATE \"7-Jul-1996 02:44:25 -0700\")",
        ),
        (
            VIEW,
            b"* 1 FETCH (INTERNALDATE \"07-jul-1996 02:44:25 -0700\")",
        ),
        (
            FULL,
            b"* 1 FETCH (INTERNALDATE \"31-Feb-1996 02:44:25 -0700\")",
        ),
        (
            FULL,
            b"* 1 FETCH (INTERNALDATE \"29-Feb-1997 02:44:25 -0700\")",
        ),
        (
            VIEW,
            b"* 1 FETCH (INTERNALDATE \"29-Feb-1996 02:44:25 -0700\")",
        ),
        (
            VIEW,
            b"* 1 FETCH (INTERNALDATE \"01-Jan-0000 00:00:00 +0000\")",
        ),
        (
            VIEW,
            b"* 1 FETCH (INTERNALDATE \"01-Jan-9999 23:59:60 +9959\")",
        ),
        (
            FULL,
            b"* 1 FETCH (INTERNALDATE \"01-Jan-2000 24:00:00 +0000\")",
        ),
        (
            FULL,
            b"* 1 FETCH (INTERNALDATE \"01-Jan-2000 00:00:00 -9999\")",
        ),
        (
            VIEW,
            b"* 1 FETCH (INTERNALDATE \"01-Jan-2000 00:00:00 +1500\")",
        ),
        (
            VIEW,
            b"* 1 FETCH (INTERNALDATE \"01-Jan-2000 00:00:00 -0000\")",
        ),
        (
            FULL,
            b"* 1 FETCH (INTERNALDATE \"00-Jan-2000 00:00:00 +0000\")",
        ),
        (
            FULL,
            b"* 1 FETCH (INTERNALDATE \"01-Jan-2000 00:00:00 0000\")",
        ),
        (FULL, b"* 1 FETCH (INTERNALDATE \"01-Jan-2000 00:00:00\")"),
        (
            FULL,
            b"* 1 FETCH (INTERNALDATE \"01-Foo-2000 00:00:00 +0000\")",
        ),
        (
            FULL,
            b"* 1 FETCH (INTERNALDATE \"01-Jan-2000 00:00:00 +0000 \")",
        ),
        (
            FULL,
            b"* 1 FETCH (INTERNALDATE \"01-Jan-2000 00:00:00 \\+0000\")",
        ),
        (
            VIEW,
            b"* 1 FETCH (INTERNALDATE \"01-Jan-1969 00:00:00 +0000\")",
        ),
    ]);
}

#[test]
fn edge_tags_continuations_and_status() {
    edge_cases(&[
        (VIEW, b"a.b OK x"),
        (VIEW, b"A]1 OK x"),
        (FULL, b"A+1 OK x"),
        (FULL, b"A%1 OK x"),
        (FULL, b"A{1 OK x"),
        (FULL, b"A(1 OK x"),
        (FULL, b"A\"1 OK x"),
        (FULL, b"A\\1 OK x"),
        (FULL, b"A1 PREAUTH x"),
        (FULL, b"A1 BYE x"),
        (FULL, b"A1 FOO x"),
        (VIEW, b"* PREAUTH x"),
        (FULL, b"+ [ALERT] x"),
        (FULL, b"+ YQ=="),
        (FULL, b"+ abcd"),
        (VIEW, b"+ abc"),
        (VIEW, b"+ ===="),
        (VIEW, b"+ ="),
        (VIEW, b"+ a b"),
        (VIEW, b"+ AAAA AAAA"),
        (FULL, b"+x"),
        (FULL, b"* "),
        (FULL, b"*"),
        (FULL, b""),
        (FULL, b" "),
    ]);
}

#[test]
fn edge_lists() {
    edge_cases(&[
        (VIEW, b"* LIST () \"/\" NIL"),
        (VIEW, b"* LIST () \"/\" nil"),
        (VIEW, b"* LIST () \"/\" inbox"),
        (VIEW, b"* LIST () \"/\" \"inbox\""),
        (VIEW, b"* LIST () \"/\" InBoX.Sent"),
        (VIEW, b"* LIST () \"/\" \"a&b\""),
        (VIEW, b"* LIST () \"/\" a&b"),
        (VIEW, b"* LIST () \"/\" \"a&-b\""),
        (VIEW, b"* LIST () \"/\" \"&AGE-\""),
        (VIEW, b"* LIST () \"/\" \"&AOk\""),
        (VIEW, b"* LIST () \"/\" \"Entw&APw-rfe\""),
        (VIEW, b"* LIST () \"/\" a]b"),
        (FULL, b"* LIST () \"/\" a*b"),
        (FULL, b"* LIST () \"/\" a%b"),
        (FULL, b"* LIST (\\Noselect \\) \"/\" x"),
        (VIEW, b"* LIST (\\NoSelect) \"/\" x"),
        // The common attributes compared whole, and names that only
        // start like them.
        (
            VIEW,
            b"* LIST (\\HasNoChildren \\HasChildren \\Noselect \\Marked) \"/\" x",
        ),
        (
            VIEW,
            b"* LIST (\\HasNoChildrenX \\Markedly \\Noselect2) \"/\" x",
        ),
        (FULL, b"* LIST (\\HasNoChildren\x80) \"/\" x"),
        (FULL, b"* LIST (\\Marked\"\") \"/\" x"),
        (FULL, b"* LIST (\\HasChildren  \\Marked) \"/\" x"),
        (
            VIEW,
            b"* LIST (\\noselect \\HASCHILDREN \\marked \\unmarked \\all \\junk \\flagged) \"/\" x",
        ),
        (FULL, b"* LIST (\\*) \"/\" x"),
        (FULL, b"* LIST (Foo) \"/\" x"),
        (VIEW, b"* LIST (\\Foo) \" \" x"),
        (VIEW, b"* LIST () \"\t\" x"),
        (VIEW, b"* LIST () \"\x01\" x"),
        // A delimiter views do not take: 8-bit, NUL, CR (and `"` or `\`
        // without their escape).
        (FULL, b"* LIST () \"\xe9\" x"),
        (FULL, b"* LIST () \"\x00\" x"),
        (FULL, b"* LIST () \"\r\" x"),
        (FULL, b"* LIST () \"\\\" x"),
        (FULL, b"* LIST (\\Noselect\x80) \"/\" x"),
        (FULL, b"* LIST () \"/\" x\x80"),
        (FULL, b"* LIST () \"\" x"),
        (FULL, b"* LIST () \"ab\" x"),
        (VIEW, b"* LIST () NIL x"),
        (VIEW, b"* LIST () nil x"),
        (FULL, b"* LIST () NILx x"),
        (VIEW, b"* LSUB () \".\" x"),
        (FULL, b"* LIST () \"/\" x y"),
        (FULL, b"* LIST () \"/\" x (\"CHILDINFO\" (\"SUBSCRIBED\"))"),
        (FULL, b"* LIST () \"/\""),
        (FULL, b"* LIST ()"),
        (FULL, b"* LIST"),
        (FULL, b"* XLIST () \"/\" x"),
    ]);
}

/// In UTF-8 mode a LIST name is UTF-8, not modified UTF-7; the view reads
/// it the same way.
#[test]
fn list_names_follow_the_utf8_setting() {
    let utf8 = Setup {
        utf8: true,
        ..Setup::default()
    };
    for line in [
        &b"* LIST () \"/\" \"Entw&APw-rfe\""[..],
        b"* LIST () \"/\" Entw&APw-rfe",
        b"* LIST () \"/\" \"a&b\"",
        b"* LIST () \"/\" INBOX",
        b"* LSUB () \".\" inbox.x",
    ] {
        assert_eq!(agree_with_views_in(&utf8, &crlf(line), usize::MAX), 1);
        assert_eq!(agree_with_views(&crlf(line), usize::MAX), 1);
    }
    assert_eq!(
        agree_with_views_in(&utf8, b"* LIST () \"/\" \"Entw\xc3\xbcrfe\"\r\n", 1),
        0
    );
}

// ------------------------------------------------------ lines and streams

/// Lines near the line limit: one under, at, and one over it, with the
/// default limit (1 MiB) and a small one.
#[test]
fn long_lines_near_the_limit() {
    for (limit, small) in [(1024 * 1024, false), (64, true)] {
        let mut setup = Setup::default();
        setup.config.limits.max_response_line = limit;
        for len in [limit - 1, limit, limit + 1] {
            // `* OK ` + text + CRLF is `len` octets.
            let mut line = b"* OK ".to_vec();
            line.resize(len - 2, b'a');
            line.extend_from_slice(b"\r\n* 1 EXISTS\r\n");
            let reads: &[usize] = if small { &READS } else { &[4096, usize::MAX] };
            for &read in reads {
                let views = agree_with_views_in(&setup, &line, read);
                if len <= limit {
                    assert_eq!(views, 2, "{limit} {len} {read}");
                } else {
                    // The long line is refused; EXISTS is read (as a view
                    // or not: the framer may still be skipping).
                    let (owned, _, _) = both_ways(&setup, &line, read);
                    assert!(
                        matches!(
                            &owned[..],
                            [ResponseEvent::Error(_), ResponseEvent::Response { .. }]
                        ),
                        "{limit} {len} {read}: {owned:?}"
                    );
                }
            }
        }
    }
}

/// A line ended by LF alone: an error by default, a quirk when the framer
/// allows it; never a view.
#[test]
fn bare_lf_lines_are_never_views() {
    let mut bare = Setup::default();
    bare.config.allow_bare_lf = true;
    for input in [
        &b"* 1 EXISTS\n* 2 EXISTS\r\n"[..],
        b"* OK hi\n",
        b"A1 OK done\n* 3 RECENT\r\n",
        b"* 1 FETCH (UID 1)\n",
        b"* LIST () \"/\" x\n",
        b"+ go\n",
        b"\n* 1 EXISTS\r\n",
        b"* 1 EXISTS\r\r\n",
        b"* 1 EXISTS\r\n\n",
    ] {
        let lf = input.iter().filter(|&&b| b == b'\n').count();
        let crlf = input.windows(2).filter(|w| w == b"\r\n").count();
        for setup in [&Setup::default(), &bare] {
            for read in READS {
                let views = agree_with_views_in(setup, input, read);
                assert!(views <= crlf, "{:?}", input.escape_ascii().to_string());
            }
        }
        let (owned, _, _) = both_ways(&bare, input, usize::MAX);
        assert_eq!(owned.len(), lf, "{owned:?}");
    }
}

/// A view, then a FETCH with a literal (kept in the frame, or streamed
/// with a small threshold), then views again.
#[test]
fn a_view_then_a_literal_fetch_then_a_view() {
    let input = b"* 1 EXISTS\r\n\
        * 2 FETCH (UID 7 BODY[] {11}\r\nhello\r\nworld FLAGS (\\Seen))\r\n\
        * 2 FETCH (UID 7 FLAGS (\\Seen))\r\n\
        * 3 FETCH (BODY[HEADER] {0}\r\n)\r\n\
        A1 OK done\r\n";
    for (name, setup) in setups() {
        for read in [1, 2, 3, 5, 7, 11, 13, 4096, usize::MAX] {
            assert_eq!(agree_with_views_in(&setup, input, read), 3, "{name} {read}");
        }
    }
}

/// A view, a line the full parser refuses, a view: the error sits between
/// the two views, at its offset.
#[test]
fn a_view_then_an_error_then_a_view() {
    let input = b"* 1 EXISTS\r\n* 1 FETCH (\r\n* 2 EXISTS\r\n* OK a\x00b\r\nA1 OK done\r\n";
    for read in READS {
        assert_eq!(agree_with_views(input, read), 3);
    }
    let (owned, _, _) = both_ways(&Setup::default(), input, usize::MAX);
    // The errors are where the lines went wrong: the CRLF after `(`, the
    // NUL.
    assert!(matches!(owned[1], ResponseEvent::Error(ref e) if e.offset == 23));
    assert!(matches!(owned[3], ResponseEvent::Error(ref e) if e.offset == 45));
    // A streamed literal in a response that cannot stream: the error, the
    // rest of the message skipped, then the next response (read in the
    // same call that skips, it need not be a view).
    let mut streamed = Setup::default();
    streamed.config.limits.literal_stream_threshold = 8;
    let input =
        b"* 1 EXISTS\r\n* METADATA \"\" (/shared/x {20}\r\n12345678901234567890)\r\n* 2 EXISTS\r\n";
    for read in READS {
        assert!(agree_with_views_in(&streamed, input, read) >= 1);
    }
}

/// Decodes `input` in `read`-octet pieces on one decoder and buffer, calling

// ------------------------------------------------------------------ API

#[test]
fn fetch_metadata_of_every_shape_is_a_view() {
    edge_cases(&[
        (VIEW, b"* 1 FETCH (UID 1001 FLAGS (\\Seen $Forwarded) INTERNALDATE \" 2-Jan-2023 09:01:07 +0000\" RFC822.SIZE 4242 ENVELOPE (\"Mon, 2 Jan 2023 09:00:00 +0000\" \"Re: quarterly report\" ((\"Alice Example\" NIL \"alice\" \"example.com\")) ((\"Alice Example\" NIL \"alice\" \"example.com\")) ((\"Alice Example\" NIL \"alice\" \"example.com\")) ((\"Bob\" NIL \"bob\" \"example.org\")(NIL NIL \"c\" \"d\")) NIL NIL NIL \"<1.2@example.com>\") BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 100 3 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 200 4 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b1_1\") NIL NIL NIL))"),
        (VIEW, b"* 2 FETCH (FLAGS () UID 7 MODSEQ (12345) X-GM-MSGID 1278455344230334865 X-GM-THRID 1266894439832287888)"),
        (VIEW, b"* 3 FETCH (BODY (\"image\" \"png\" NIL \"<id>\" \"desc\" \"base64\" 1024))"),
        (VIEW, b"* 4 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 300 (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1) 12 \"md5\" (\"attachment\" (\"filename\" \"m.eml\")) (\"en\" \"de\") \"loc\"))"),
        (VIEW, b"* 5 FETCH (BODYSTRUCTURE (\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 5000 NIL (\"attachment\" NIL) \"en\"))"),
        (VIEW, b"* 6 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"mixed\"))"),
        (VIEW, b"* 7 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 300 NIL NIL))"),
    ]);
}
