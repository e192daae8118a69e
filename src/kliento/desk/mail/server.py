"""The SMTP (or LMTP) endpoint a company's mail server forwards the desk's mail to.

A message is checked against the limits before it is accepted, so the sending server gets a
clear 552/554 and bounces it to the sender; an accepted message is stored before the "250"
(a storage failure answers 451 and the sender's server tries again), then read. Listen on
localhost or a private network: the endpoint accepts mail for any recipient and relays none.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from django.db import close_old_connections

from kliento.desk.mail import intake, limits
from kliento.desk.mail.parsing import parse
from kliento.desk.models import InboundMail

logger = logging.getLogger(__name__)


def _reply_text(reason: str) -> str:
    # An SMTP reply line is ASCII without line breaks.
    ascii_text = reason.encode("ascii", "replace").decode("ascii")
    return re.sub(r"[\r\n]+", " ", ascii_text)[:400]


def deliver(raw: bytes, mail_from: str, rcpt_tos: list[str]) -> str:
    """The SMTP reply to one delivered message (runs in a worker thread, not the loop)."""
    close_old_connections()
    try:
        problem = limits.size_problem(len(raw))
        if problem:
            return f"552 5.3.4 {_reply_text(problem)}"
        problem = limits.content_problem(parse(raw))
        if problem:
            return f"554 5.6.1 {_reply_text(problem)}"
        try:
            row = intake.store(
                raw,
                source=InboundMail.Source.SMTP,
                envelope_from=mail_from or "",
                envelope_to=rcpt_tos,
            )
        except Exception:
            logger.exception("Could not store inbound mail")
            return "451 4.3.0 Temporary failure, please try again later"
        # Stored: whatever reading does now, the message is not lost (a failure is kept as
        # "failed" and read again with `kliento fetchmail --reprocess`).
        try:
            intake.process(row.pk)
        except Exception:
            logger.exception("Inbound mail %s stored, reading it failed", row.pk)
        return f"250 2.0.0 OK queued as {row.pk}"
    finally:
        close_old_connections()


class DeskHandler:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            None, deliver, raw, str(envelope.mail_from or ""), list(envelope.rcpt_tos)
        )


class LMTPController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def controller(*, host: str, port: int, lmtp: bool = False) -> Controller:
    """A stopped endpoint; `.start()` serves it on a thread of its own, `.stop()` ends it."""
    kind = LMTPController if lmtp else Controller
    return kind(
        DeskHandler(),
        hostname=host,
        port=port,
        data_size_limit=limits.max_bytes(),
        enable_SMTPUTF8=True,
        ident="Kliento desk",
    )
