"""Real-world shaped e-mail for the desk's mail tests: what mail programs, auto-responders and
mail servers actually send, including the broken kinds."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def plain(
    *,
    sender: str = "Anna Nowak <anna@example.com>",
    to: str = "support@desk.example",
    subject: str = "Where is my order?",
    body: str = "Hello, my order 1234 has not arrived.",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id or make_msgid(domain="mail.example.com")
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


def alternative_with_inline_image(message_id: str = "<alt-1@mail.example.com>") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Piotr <piotr@example.com>"
    msg["To"] = "support@desk.example"
    msg["Subject"] = "Screenshot of the error"
    msg["Message-ID"] = message_id
    msg.set_content("See the screenshot below.\n")
    msg.add_alternative(
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        '<p onclick="steal()">See the <b>screenshot</b> below.</p>'
        '<img src="cid:shot1@example.com" alt="error">'
        '<img src="https://tracker.example/pixel.gif">'
        '<a href="javascript:alert(1)">click</a></body></html>',
        subtype="html",
    )
    html_part = msg.get_payload()[1]
    html_part.add_related(PNG, maintype="image", subtype="png", cid="<shot1@example.com>")
    msg.add_attachment(b"%PDF-1.4 invoice", maintype="application", subtype="pdf",
                       filename="invoice.pdf")  # fmt: skip
    return msg.as_bytes()


def with_attachment(filename: str, content: bytes = b"MZ\x90\x00binary") -> bytes:
    msg = EmailMessage()
    msg["From"] = "anna@example.com"
    msg["To"] = "support@desk.example"
    msg["Subject"] = "File attached"
    msg["Message-ID"] = make_msgid(domain="mail.example.com")
    msg.set_content("The file is attached.")
    msg.add_attachment(content, maintype="application", subtype="octet-stream", filename=filename)
    return msg.as_bytes()


def koi8r_8bit() -> bytes:
    """An old Russian mail program: koi8-r declared, 8-bit body, raw 8-bit subject."""
    return (
        b"From: =?koi8-r?B?6dfBziDwxdTSz9c=?= <ivan@example.ru>\r\n"
        b"To: support@desk.example\r\n"
        b"Subject: " + "Заказ не пришёл".encode("koi8-r") + b"\r\n"
        b"Message-ID: <koi8@example.ru>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=koi8-r\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        + "Здравствуйте! Мой заказ не пришёл.\r\n".encode("koi8-r")
    )


def cp1251_undeclared() -> bytes:
    """cp1251 text with no charset anywhere (8-bit, as some webmail sends)."""
    return (
        b"From: =?windows-1251?Q?=CE=EB=E5=ED=E0?= <olena@example.ua>\r\n"
        b"To: support@desk.example\r\n"
        b"Subject: =?windows-1251?B?"
        + __import__("base64").b64encode("Питання щодо рахунку".encode("cp1251"))
        + b"?=\r\n"
        b"Message-ID: <cp1251@example.ua>\r\n"
        b"Content-Type: text/plain\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        + "Добрий день, у мене питання щодо рахунку.\r\n".encode("cp1251")
    )


def unknown_charset() -> bytes:
    return (
        b"From: x@example.com\r\nSubject: =?x-bogus-charset?Q?Hi=21?=\r\n"
        b"Message-ID: <bogus@example.com>\r\n"
        b"Content-Type: text/plain; charset=x-bogus-charset\r\n\r\nHello there\r\n"
    )


def broken_mime() -> bytes:
    """A multipart whose boundary never appears, a part with a bad transfer encoding and a
    header without a colon."""
    return (
        b"From: broken@example.com\r\nTo: support@desk.example\r\n"
        b"Subject: Broken\r\nMessage-ID: <broken@example.com>\r\n"
        b"This line is not a header\r\n"
        b'Content-Type: multipart/mixed; boundary="nope"\r\n\r\n'
        b"--wrong\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"!!!not base64!!!\r\n--wrong--\r\n"
    )


def missing_headers() -> bytes:
    """No Message-ID, no Subject, no Date; two From headers."""
    return (
        b"From: first@example.com\r\nFrom: second@example.com\r\n\r\nJust text, nothing else.\r\n"
    )


def huge_headers() -> bytes:
    refs = " ".join(f"<ref{i}@example.com>" for i in range(20_000))
    return (
        b"From: huge@example.com\r\nSubject: " + b"A" * 300_000 + b"\r\n"
        b"References: " + refs.encode() + b"\r\n"
        b"Message-ID: <huge@example.com>\r\n\r\nBody of a message with huge headers.\r\n"
    )


def html_only() -> bytes:
    return (
        b"From: html@example.com\r\nSubject: HTML only\r\nMessage-ID: <html@example.com>\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<div>First line<br>Second line</div><p>Para &amp; more</p>\r\n"
    )


def auto_reply(headers: dict[str, str], *, in_reply_to: str = "") -> bytes:
    extra = dict(headers)
    if in_reply_to:
        extra["In-Reply-To"] = in_reply_to
    return plain(
        sender="anna@example.com",
        subject="Out of office",
        body="I am away until Monday.",
        headers=extra,
    )


def dsn_bounce(*, failed: str, original_id: str, action: str = "failed") -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.desk.example>\r\n"
        "To: support@desk.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn-" + original_id.strip("<>") + ">\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.desk.example\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\n"
        f"Original-Recipient: rfc822;{failed}\r\n"
        f"Action: {action}\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: support@desk.example\r\nTo: {failed}\r\nMessage-ID: {original_id}\r\n"
        "Subject: Re: Where is my order?\r\n\r\n--B--\r\n"
    ).encode()


def daemon_bounce(*, original_id: str) -> bytes:
    """An old-style bounce: no report, just text that quotes the original's headers."""
    return (
        "From: MAILER-DAEMON@old.example\r\nTo: support@desk.example\r\n"
        "Subject: failure notice\r\nMessage-ID: <old-bounce@old.example>\r\n\r\n"
        "Sorry, we were unable to deliver your message.\r\n\r\n--- Below this line is a copy\r\n"
        f"Message-ID: {original_id}\r\n"
    ).encode()
