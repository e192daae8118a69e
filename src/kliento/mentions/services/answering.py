"""The reaction: an answer written from the prepared template, a dismissal, a desk case."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients.services import timeline
from kliento.core.channels import Channel
from kliento.desk import services as desk
from kliento.mentions.models import Mention
from kliento.mentions.text import plain

ANSWER_ANY = "mentions.answer_any_mention"
WORK = "mentions.change_mention"
TIMELINE_ANSWERED = "mention.answered"
MAX_ANSWER = 5_000


def may_answer(user: Any, mention: Mention) -> bool:
    if not user.has_perm(WORK):
        return False
    return user.has_perm(ANSWER_ANY) or mention.owner_id == user.pk


def _locked(mention: Mention, user: Any) -> Mention:
    if not may_answer(user, mention):
        raise PermissionDenied
    locked = Mention.objects.select_for_update().get(pk=mention.pk)
    if locked.status != Mention.Status.NEW:
        raise ValidationError({"answer": _("This mention was already handled.")})
    return locked


def prefill(mention: Mention) -> str:
    """The prepared reaction in the mention's language, placeholders filled."""
    if mention.situation is None:
        return ""
    template = mention.situation.reaction_for(mention.language)
    return template.replace("{author}", mention.author or "").replace("{source}", mention.source)


@transaction.atomic
def answer(*, actor: Any, mention: Mention, text: str) -> Mention:
    locked = _locked(mention, actor)
    body = plain(text, MAX_ANSWER + 1)
    if not body:
        raise ValidationError({"answer": _("Write the answer.")})
    if len(body) > MAX_ANSWER:
        raise ValidationError({"answer": _("At most %(n)d characters.") % {"n": MAX_ANSWER}})
    now = timezone.now()
    locked.answer, locked.answered_at, locked.answered_by = body, now, actor
    locked.status = Mention.Status.ANSWERED
    locked.save(update_fields=["answer", "answered_at", "answered_by", "status"])
    if locked.client_id is not None:
        timeline.record(
            client=locked.client_id,
            kind=TIMELINE_ANSWERED,
            actor=actor,
            summary=body[:200],
            data={"mention": locked.pk, "source": locked.source, "url": locked.url},
        )
    return locked


@transaction.atomic
def dismiss(*, actor: Any, mention: Mention) -> Mention:
    """Nothing to react to (spam, not about us): off the inbox, no deadline."""
    locked = _locked(mention, actor)
    locked.status = Mention.Status.DISMISSED
    locked.answered_at, locked.answered_by = timezone.now(), actor
    locked.save(update_fields=["status", "answered_at", "answered_by"])
    return locked


@transaction.atomic
def open_case(*, actor: Any, mention: Mention) -> Any:
    """A desk case about the mention, for its client (found by the author's contact, or a new
    card as the desk's connectors make one); the mention links to the case. Twice is once."""
    if not may_answer(actor, mention) or not actor.has_perm("desk.add_case"):
        raise PermissionDenied
    locked = Mention.objects.select_for_update().get(pk=mention.pk)
    if locked.case_id is not None:
        return locked.case
    client = locked.client
    if client is None:
        contact = locked.author_contact or f"{locked.source}:{locked.author or locked.pk}"
        kind = "email" if "@" in contact and not contact.startswith("@") else "messenger"
        client = desk.client_for(
            actor=actor, kind=kind, value=contact, name=locked.author or contact
        )
    subject = (locked.title or locked.text)[:80] or _("Mention on %(source)s") % {
        "source": locked.source
    }
    lines = [locked.text]
    if locked.url:
        lines.append(locked.url)
    case = desk.open_case(
        actor=actor,
        draft=desk.CaseDraft(subject=subject, client=client, channel=Channel.SOCIAL),
        message=desk.MessageDraft(
            direction="in",  # desk Message.Direction.INBOUND
            channel=Channel.SOCIAL,
            body_text="\n\n".join(lines),
            author_name=locked.author,
            author_address=locked.author_contact,
        ),
    )
    locked.case, locked.client = case, client
    locked.save(update_fields=["case", "client"])
    return case
