"""Reading inbound mail: a corpus of real-world shaped messages, the broken kinds included,
and fuzzing: the reader never raises, and the raw message is always kept."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kliento.desk.mail import loops
from kliento.desk.mail.parsing import parse
from kliento.desk.mail.quoting import split_quoted
from tests import desk_mail_corpus as corpus


def test_plain_message():
    mail = parse(corpus.plain(message_id="<p1@mail.example.com>"))
    assert mail.reader == "default"
    assert (mail.from_name, mail.from_address) == ("Anna Nowak", "anna@example.com")
    assert mail.message_id == "<p1@mail.example.com>"
    assert mail.subject == "Where is my order?"
    assert mail.text.strip() == "Hello, my order 1234 has not arrived."
    assert mail.to == ["support@desk.example"]


def test_alternative_with_inline_image_is_sanitised_and_keeps_the_image():
    mail = parse(corpus.alternative_with_inline_image())
    assert mail.text.strip() == "See the screenshot below."
    assert "<b>screenshot</b>" in mail.html
    for banned in ("script", "alert", "style", "onclick", "tracker.example", "javascript"):
        assert banned not in mail.html
    assert 'src="cid:shot1@example.com"' in mail.html
    by_name = {a.filename: a for a in mail.attachments}
    inline = [a for a in mail.attachments if a.content_id == "shot1@example.com"]
    assert len(inline) == 1 and inline[0].content == corpus.PNG
    assert by_name["invoice.pdf"].content == b"%PDF-1.4 invoice"
    assert by_name["invoice.pdf"].content_type == "application/pdf"


def test_koi8r_8bit_body_and_raw_header():
    mail = parse(corpus.koi8r_8bit())
    assert mail.subject == "Заказ не пришёл"
    assert mail.from_name == "Иван Петров"
    assert "Мой заказ не пришёл" in mail.text


def test_cp1251_without_a_declared_charset():
    mail = parse(corpus.cp1251_undeclared())
    assert mail.subject == "Питання щодо рахунку"
    assert mail.from_name == "Олена"
    assert "питання щодо рахунку" in mail.text


def test_unknown_charset_still_gives_text():
    mail = parse(corpus.unknown_charset())
    assert "Hello there" in mail.text
    assert "Hi" in mail.subject


def test_broken_mime_gives_what_can_be_read():
    mail = parse(corpus.broken_mime())
    assert mail.message_id == "<broken@example.com>"
    assert mail.from_address == "broken@example.com"
    # The stray line ends the headers: what follows is shown as text, nothing dropped.
    assert "!!!not base64!!!" in mail.text


@pytest.mark.parametrize(
    "content_type", [b'multipart/mixed; boundary="nope"', b"multipart/mixed", b"multipart/"]
)
def test_multipart_whose_boundary_never_appears_keeps_its_text(content_type):
    raw = (
        b"From: b@example.com\r\nSubject: B\r\nContent-Type: " + content_type + b"\r\n\r\n"
        b"--wrong\r\nContent-Type: text/plain\r\n\r\nthe client's words\r\n--wrong--\r\n"
    )
    assert "the client's words" in parse(raw).text


def test_missing_and_duplicate_headers():
    mail = parse(corpus.missing_headers())
    assert mail.message_id == ""
    assert mail.subject == ""
    assert mail.from_address == "first@example.com"
    assert "Just text" in mail.text


def test_huge_headers_are_read_with_compat32_and_cut():
    mail = parse(corpus.huge_headers())
    assert mail.reader == "compat32"
    assert "Body of a message" in mail.text
    assert mail.message_id == "<huge@example.com>"
    assert len(mail.subject) <= 65_536


def test_html_only_message_gets_a_text():
    mail = parse(corpus.html_only())
    assert mail.text.splitlines()[:2] == ["First line", "Second line"]
    assert "Para & more" in mail.text


def test_delivery_status_report_is_a_bounce():
    mail = parse(corpus.dsn_bounce(failed="Gone@Example.com", original_id="<orig@desk>"))
    bounce = loops.bounce_of(mail)
    assert bounce is not None
    assert set(bounce.failed) == {"gone@example.com"}
    assert "5.1.1" in bounce.failed["gone@example.com"]
    assert bounce.returned_ids == ["<orig@desk>"]


def test_a_delayed_report_marks_no_address():
    mail = parse(corpus.dsn_bounce(failed="x@example.com", original_id="<o@d>", action="delayed"))
    bounce = loops.bounce_of(mail)
    assert bounce is not None and bounce.failed == {}


def test_old_style_daemon_bounce_names_the_returned_message():
    bounce = loops.bounce_of(parse(corpus.daemon_bounce(original_id="<sent-1@desk>")))
    assert bounce is not None and bounce.returned_ids == ["<sent-1@desk>"]


def test_a_person_writing_is_no_bounce():
    assert loops.bounce_of(parse(corpus.plain())) is None


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated; owner-email=x@y"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "list"},
        {"X-Loop": "support@other.example"},
        {"List-Id": "<news.example.com>"},
        {"List-Unsubscribe": "<mailto:unsub@example.com>"},
        {"Return-Path": "<>"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "Out of office"},
    ],
)
def test_machine_written_mail_is_recognised(headers):
    assert loops.automated_reason(parse(corpus.auto_reply(headers))) != ""


@pytest.mark.parametrize(
    "headers",
    [{}, {"Auto-Submitted": "no"}, {"Precedence": "normal"}, {"Return-Path": "<a@b.example>"}],
)
def test_a_person_is_not_machine_written(headers):
    assert loops.automated_reason(parse(corpus.auto_reply(headers))) == ""


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("Thanks!\n\nOn Mon, 1 Dec 2026 at 10:00, Support <s@x.com> wrote:\n> Hello", "Thanks!"),
        ("Ok\n\nOn Mon, 1 Dec 2026 at 10:00, Support\n<s@x.com> wrote:\n> Hello", "Ok"),
        ("Спасибо\n\n1 дек. 2026 г., в 10:00, Поддержка <s@x> писал(а):\n> Привет", "Спасибо"),
        ("Дякую\n\nПн, 1 груд. 2026, Підтримка <s@x> написав(ла):\n> Привіт", "Дякую"),
        ("Dzięki\n\nW dniu 1.12.2026 o 10:00 Jan <j@x> napisał(a):\n> Cześć", "Dzięki"),
        ("Fine\n\nFrom: Support <s@x>\nSent: Monday, 1 December\nTo: me\n\nOld text", "Fine"),
        ("Fine\n\nОт: Support <s@x>\nОтправлено: 1 декабря\n\nСтарый текст", "Fine"),
        ("Fine\n\nOd: Support <s@x>\nWysłano: poniedziałek\n\nStary tekst", "Fine"),
        ("Fine\n\n-----Original Message-----\nFrom: x\n", "Fine"),
        ("Answer\n> quoted 1\n>quoted 2\n\n", "Answer"),
    ],
)
def test_new_part_and_quoted_history(text, new):
    parts = split_quoted(text)
    assert parts.new == new
    assert parts.quoted
    assert parts.new + parts.quoted != text  # something was split off
    assert text.strip().startswith(parts.new)


def test_text_without_history_is_all_new_and_all_quote_is_never_hidden():
    assert split_quoted("Just a question.\nFrom me.").quoted == ""
    only_quote = "> a quote and nothing else"
    assert split_quoted(only_quote).new == only_quote


# ---- fuzzing -------------------------------------------------------------------------------

SEEDS = [
    corpus.plain(),
    corpus.alternative_with_inline_image(),
    corpus.koi8r_8bit(),
    corpus.cp1251_undeclared(),
    corpus.broken_mime(),
    corpus.dsn_bounce(failed="a@b.example", original_id="<x@y>"),
    corpus.html_only(),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "dup"]))
        if not data:
            break
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        if op == "flip":
            data[at] = draw(st.integers(min_value=0, max_value=255))
        elif op == "cut":
            del data[at : at + draw(st.integers(min_value=1, max_value=200))]
        elif op == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [b"\r\n", b"\r\n\r\n", b"=?", b"?=", b"--", b"boundary=", b":", b"\x00",
                     b"=?koi8-r?B?", b"=?utf-8?Q?=FF=FE?=", b"Content-Type: multipart/mixed\r\n",
                     b"charset=\"x-\xff\"", b"\xd0\xd1\xfe\xff"]
                )
            )  # fmt: skip
        else:
            data[at:at] = data[at : at + draw(st.integers(min_value=1, max_value=500))]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(raw):
    mail = parse(raw)
    assert isinstance(mail.text, str) and isinstance(mail.subject, str)
    loops.automated_reason(mail)
    loops.bounce_of(mail)
    split_quoted(mail.text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_messages_never_raise(raw):
    mail = parse(raw)
    assert isinstance(mail.html, str)
    for item in mail.attachments:
        assert isinstance(item.content, bytes)
    loops.automated_reason(mail)
    loops.bounce_of(mail)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (b"=?utf-8?B?####?=", "####"),
        (b"=?utf-8?Q?caf=FF=FE?=", "caf"),
        (b"=?unknown-8bit?Q?Zam=F3wienie?=", "Zam"),
        (b"Re: \xd0\x97\xd0\xb0\xd0\xba\xd0\xb0\xd0\xb7", "Re: Заказ"),
        (b"=?UTF-8?B?0JfQsNC60LDQtw==?= =?UTF-8?B?INC90L7QvNC10YA=?=", "Заказ номер"),
    ],
)
def test_undecodable_and_raw_subjects_still_read(subject, expected):
    mail = parse(b"From: a@example.com\r\nSubject: " + subject + b"\r\n\r\nbody\r\n")
    assert expected in mail.subject
    assert mail.text.strip() == "body"
