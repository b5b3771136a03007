//! A small sample maildrop: realistic messages, stored with LF line endings
//! as in a Maildir, one of them with lines that start with ".".

/// `(unique-id, message)` pairs.
pub(crate) const MESSAGES: &[(&str, &str)] = &[
    (
        "1700000001.M1P100.demo",
        "Return-Path: <carol@example.org>\n\
Received: from mail.example.org (mail.example.org [192.0.2.25])\n\
\tby mx.example.com with ESMTPS id 4F2A1C0; Mon, 2 Jan 2023 09:14:05 +0000\n\
From: Carol Example <carol@example.org>\n\
To: Alice Example <alice@example.com>\n\
Subject: Lunch on Thursday?\n\
Date: Mon, 2 Jan 2023 10:14:00 +0100\n\
Message-ID: <20230102091400.1234@mail.example.org>\n\
MIME-Version: 1.0\n\
Content-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: 8bit\n\
\n\
Hi Alice,\n\
\n\
are you free for lunch on Thursday? The new café on Rue Dupont opens at noon.\n\
\n\
Carol\n",
    ),
    (
        "1700000002.M2P100.demo",
        "From: Build Robot <ci@example.net>\n\
To: alice@example.com\n\
Subject: [ci] nightly build log\n\
Date: Tue, 3 Jan 2023 03:00:12 +0000\n\
Message-ID: <nightly-4711@ci.example.net>\n\
MIME-Version: 1.0\n\
Content-Type: text/plain; charset=us-ascii\n\
\n\
.build started\n\
..\n\
.\n\
. a line that is just a dot precedes this one\n\
...done in 42s\n\
Last line starts with a dot:\n\
.end\n",
    ),
    (
        "1700000003.M3P100.demo",
        "From: Dave <dave@example.com>\n\
To: Alice Example <alice@example.com>\n\
Subject: Photos from the trip\n\
Date: Wed, 4 Jan 2023 18:30:00 -0500\n\
Message-ID: <trip-photos-2023@example.com>\n\
MIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"frontier\"\n\
\n\
This is a message with multiple parts in MIME format.\n\
--frontier\n\
Content-Type: text/plain; charset=us-ascii\n\
\n\
Two photos attached.\n\
--frontier\n\
Content-Type: image/png; name=\"dot.png\"\n\
Content-Transfer-Encoding: base64\n\
Content-Disposition: attachment; filename=\"dot.png\"\n\
\n\
iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA\n\
60e6kgAAAABJRU5ErkJggg==\n\
--frontier--\n",
    ),
    (
        "1700000004.M4P100.demo",
        "From: Newsletter <news@example.org>\n\
To: alice@example.com\n\
Subject: =?UTF-8?B?V2Vla2x5IGRpZ2VzdCDinJM=?=\n\
Date: Thu, 5 Jan 2023 07:00:00 +0000\n\
Message-ID: <digest-2023-01@example.org>\n\
MIME-Version: 1.0\n\
Content-Type: text/plain; charset=utf-8\n\
\n\
This week: POP3 turns 35. RFC 1939 still says it best:\n\
\"the POP3 server ... may not include all of the protocol\".\n\
No final newline here",
    ),
];

/// The message as it goes on the wire before dot-stuffing.
pub(crate) fn wire_form(message: &str) -> Vec<u8> {
    pop3_proto::codec::wire_form(message.as_bytes())
}
