"""Which case a message belongs to: the Message-IDs it answers (In-Reply-To, References) name
an earlier message of the desk, inbound or outbound; else "[C-000123]" in the subject names a
case of the same client. A merged case hands over to the one it was merged into; a closed case
gets a follow-up case instead of the message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kliento.desk.mail.parsing import ParsedMail
from kliento.desk.models import Case, InboundMail, Message, OutboundMail
from kliento.desk.models.cases import NUMBER_PREFIX

_NUMBER = re.compile(r"\[(" + re.escape(NUMBER_PREFIX) + r"\d{6,12})\]")
MERGE_HOPS = 20
REFERENCES_READ = 100


def subject_number(subject: str) -> str | None:
    match = _NUMBER.search(subject or "")
    return match.group(1) if match else None


def strip_number(subject: str) -> str:
    return " ".join(_NUMBER.sub(" ", subject or "").split())


def tagged(subject: str, number: str) -> str:
    """The subject with the case number in it once, where mail programs keep it."""
    return f"{strip_number(subject)} [{number}]".strip()


def _case_by_ids(ids: list[str]) -> Case | None:
    if not ids:
        return None
    found: dict[str, int] = {}
    for mid, case_id in Message.objects.filter(external_id__in=ids).values_list(
        "external_id", "case_id"
    ):
        found.setdefault(mid, case_id)
    for mid, case_id in OutboundMail.objects.filter(msgid__in=ids).values_list("msgid", "case_id"):
        found.setdefault(mid, case_id)
    for mid, case_id in InboundMail.objects.filter(msgid__in=ids, case__isnull=False).values_list(
        "msgid", "case_id"
    ):
        found.setdefault(mid, case_id)
    for mid in ids:
        if mid in found:
            return Case.objects.filter(pk=found[mid]).first()
    return None


@dataclass(frozen=True)
class Thread:
    # The case to add the message to; None: open a new case.
    case: Case | None
    # When opening a new case: the closed case it follows up.
    follow_up_of: Case | None = None


def find_thread(mail: ParsedMail, client: Any) -> Thread:
    # The message it answers directly first, then the thread from newest to oldest.
    # (At most the newest REFERENCES_READ of a References header: some are thousands long.)
    ids = list(
        dict.fromkeys([*mail.in_reply_to[:5], *reversed(mail.references[-REFERENCES_READ:])])
    )
    case = _case_by_ids(ids)
    if case is None:
        number = subject_number(mail.subject)
        if number:
            # A number only counts from the case's own client: anyone can type a number.
            case = Case.objects.filter(number=number, client=client).first()
    if case is None:
        return Thread(case=None)
    for _hop in range(MERGE_HOPS):
        if case.merged_into_id is None:
            break
        case = Case.objects.get(pk=case.merged_into_id)
    if case.status == Case.Status.CLOSED:
        # The old thread answered again: the follow-up already open takes it.
        follow_up = (
            case.follow_ups.exclude(status=Case.Status.CLOSED)
            .filter(merged_into__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if follow_up is not None:
            return Thread(case=follow_up)
        return Thread(case=None, follow_up_of=case)
    return Thread(case=case)
