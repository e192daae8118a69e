"""Invitations: written by triggers, sent by the task worker in batches, at most once each.

Sending one invitation:
1. claim it: `UPDATE … SET status='sending' WHERE id=… AND status='pending'`; a second run of
   the task (a retry, another worker) updates nothing and sends nothing;
2. check the client can be asked: still a client, an e-mail address, e-mail not refused
   (`KLIENTO_SURVEYS_NEED_CONSENT` = True: only where consent was given), and the quiet
   period: the client's `LastAsked` row is moved to now only if it is older than the survey's
   quiet days (another conditional UPDATE, so two invitations for one client racing in two
   workers cannot both pass);
3. mail it; if mailing fails, the claims are released for a retry.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import Counter
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kliento.clients import selectors as clients
from kliento.core.types import Actor
from kliento.surveys import scoring, tokens
from kliento.surveys.models import Invitation, LastAsked, Survey, Trigger, TriggerWatermark
from kliento.surveys.registry import Event

logger = logging.getLogger(__name__)

BATCH = 200
REMIND_AFTER = dt.timedelta(days=3)
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class NoAddress(RuntimeError):
    """KLIENTO_BASE_URL is not set: a link in an e-mail needs the server's address."""


def public_base() -> str:
    base = str(getattr(settings, "KLIENTO_BASE_URL", "") or "").rstrip("/")
    if not base:
        raise NoAddress("Set KLIENTO_BASE_URL to send survey invitations")
    return base


def link(invitation_id: int, score: int | None = None) -> str:
    path = reverse("surveys:answer", args=[tokens.invitation_token(invitation_id)])
    return public_base() + path + (f"?score={score}" if score is not None else "")


# ---------------------------------------------------------------------------------------------
# Writing invitations


def _rows(survey: Survey, channel: str, source: str, events: Iterable[Event]) -> list[Invitation]:
    return [
        Invitation(
            survey=survey,
            client_id=event.client_id,
            channel=channel,
            source=source,
            source_ref=event.key[:64],
            agent_id=event.agent_id,
            team_id=event.team_id,
            touchpoint_id=event.touchpoint_id,
            stage_id=event.stage_id,
            case_id=event.case_id,
            pilot=event.pilot,
        )
        for event in events
    ]


def _write(rows: list[Invitation]) -> int:
    """Insert, leaving out what exists already (the same event seen twice)."""
    if not rows:
        return 0
    wanted = {(r.survey_id, r.client_id, r.source, r.source_ref) for r in rows}
    surveys = {r.survey_id for r in rows}
    existing = set(
        Invitation.objects.filter(
            survey_id__in=surveys,
            client_id__in={r.client_id for r in rows},
            source__in={r.source for r in rows},
            source_ref__in={r.source_ref for r in rows},
        ).values_list("survey_id", "client_id", "source", "source_ref")
    )
    fresh, seen = [], set()
    for row in rows:
        key = (row.survey_id, row.client_id, row.source, row.source_ref)
        if key in existing or key in seen or key not in wanted:
            continue
        seen.add(key)
        fresh.append(row)
    # ignore_conflicts: a concurrent writer of the same event wins, this one adds nothing.
    Invitation.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=1000)
    if fresh:
        transaction.on_commit(partial(_enqueue_sending), robust=True)
    return len(fresh)


def _enqueue_sending() -> None:
    from kliento.surveys.tasks import send_invitations

    send_invitations.enqueue()


def invite_for_events(source: str, events: list[Event]) -> int:
    """Invitations for every active survey whose trigger matches each event."""
    if not events:
        return 0
    triggers = Trigger.objects.filter(source=source, survey__is_active=True).select_related(
        "survey"
    )
    written = 0
    with transaction.atomic():
        for trigger in triggers:
            matching = [
                e for e in events if trigger.target_id is None or trigger.target_id == e.target_id
            ]
            written += _write(_rows(trigger.survey, trigger.channel, source, matching))
    return written


@transaction.atomic
def invite_clients(
    *, actor: Actor, survey: Survey, client_ids: Iterable[int], channel: str = "email"
) -> int:
    """A manual send (to a segment, a list): one invitation per client, this send's own."""
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    ids = sorted(set(client_ids))
    return _write(
        _rows(survey, channel, "manual", (Event(id=pk, client_id=pk, ref=stamp) for pk in ids))
    )


def invite_segment(*, actor: Actor, survey: Survey, segment_id: int) -> int:
    filters = clients.ClientFilters(segment=segment_id, status="active")
    ids = clients.search_clients(filters).values_list("pk", flat=True)
    return invite_clients(actor=actor, survey=survey, client_ids=list(ids))


# ---------------------------------------------------------------------------------------------
# Polled sources and schedules (run by `kliento surveys_tick`)


def poll_sources(*, limit: int = 5000) -> int:
    from kliento.surveys.registry import trigger_sources

    written = 0
    for source in trigger_sources:
        if source.poll is None or not Trigger.objects.filter(source=source.key).exists():
            continue
        with transaction.atomic():
            mark, _created = TriggerWatermark.objects.select_for_update().get_or_create(
                source=source.key
            )
            events = list(source.poll(mark.last_id, limit))
            if not events:
                continue
            written += invite_for_events(source.key, events)
            mark.last_id = max(e.id for e in events)
            mark.save(update_fields=["last_id"])
    return written


def start_watermark(source: str, last_id: int) -> None:
    """Events up to `last_id` are history: a new trigger does not survey them."""
    TriggerWatermark.objects.get_or_create(source=source, defaults={"last_id": last_id})


def run_schedules(*, now: dt.datetime | None = None) -> int:
    """Relationship surveys: every active client once per period of `every_months` months;
    the period is the invitation's reference, so a second run in the same period adds none."""
    now = now or timezone.now()
    written = 0
    for trigger in Trigger.objects.filter(
        source="schedule", survey__is_active=True, every_months__isnull=False
    ).select_related("survey"):
        assert trigger.every_months is not None
        period = (now.year * 12 + now.month - 1) // trigger.every_months
        ref = f"p{period}"
        ids = clients.search_clients(clients.ClientFilters(status="active")).values_list(
            "pk", flat=True
        )
        with transaction.atomic():
            written += _write(
                _rows(
                    trigger.survey,
                    trigger.channel,
                    "schedule",
                    (Event(id=pk, client_id=pk, ref=ref) for pk in ids.iterator()),
                )
            )
    return written


# ---------------------------------------------------------------------------------------------
# Sending


def need_consent() -> bool:
    return bool(settings.KLIENTO_SURVEYS_NEED_CONSENT)


def _skip(ids: list[int], reason: str) -> None:
    if ids:
        Invitation.objects.filter(pk__in=ids, status=Invitation.Status.SENDING).update(
            status=Invitation.Status.SKIPPED, skip_reason=reason
        )


def _claim(ids: list[int], now: dt.datetime) -> list[Invitation]:
    """Claim the pending ones among `ids` for this run; a token marks which are ours, so a
    second worker claiming the same batch at the same moment gets none of them."""
    token = secrets.token_hex(8)
    Invitation.objects.filter(pk__in=ids, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.SENDING, claimed_at=now, claim=token
    )
    return list(
        Invitation.objects.filter(pk__in=ids, status=Invitation.Status.SENDING, claim=token)
        .select_related("survey")
        .order_by("id")
    )


def _claim_quiet_periods(wanted: dict[int, int], now: dt.datetime) -> dict[int, dt.datetime]:
    """Move each client's last-asked moment to now where it is older than their survey's quiet
    days (client → days); returns the clients claimed with their previous moment (to give it
    back if the mail fails). The conditional UPDATE keeps two workers from both passing."""
    if not wanted:
        return {}
    LastAsked.objects.bulk_create(
        [LastAsked(client_id=pk, asked_at=EPOCH) for pk in wanted], ignore_conflicts=True
    )
    previous = dict(
        LastAsked.objects.filter(client_id__in=list(wanted)).values_list("client_id", "asked_at")
    )
    by_days: dict[int, list[int]] = {}
    for client_id, days in wanted.items():
        if previous[client_id] <= now - dt.timedelta(days=days):
            by_days.setdefault(days, []).append(client_id)
    for days, ids in by_days.items():
        LastAsked.objects.filter(
            client_id__in=ids, asked_at__lte=now - dt.timedelta(days=days)
        ).update(asked_at=now)
    mine = LastAsked.objects.filter(
        client_id__in=[c for ids in by_days.values() for c in ids], asked_at=now
    ).values_list("client_id", flat=True)
    return {client_id: previous[client_id] for client_id in mine}


def _send(ids: list[int], now: dt.datetime) -> tuple[dict[int, str], dict[int, Exception]]:
    """Each id's outcome ("sent", "taken" or why not), and the errors of those that failed
    (their claims released, so a later run sends them)."""
    outcomes: dict[int, str] = dict.fromkeys(ids, "taken")
    errors: dict[int, Exception] = {}
    claimed = _claim(ids, now)
    if not claimed:
        return outcomes, errors
    found = clients.reach(i.client_id for i in claimed if i.client_id is not None)
    skipped: dict[str, list[int]] = {}
    ready: list[tuple[Invitation, clients.Reach]] = []
    wanted: dict[int, int] = {}
    for invitation in claimed:
        reach = found.get(invitation.client_id or 0)
        consent = reach.consents.get("email") if reach is not None else None
        reason = ""
        if not invitation.survey.is_active:
            reason = "inactive"
        elif invitation.channel != "email":
            reason = "channel"
        elif reach is None or reach.status != "active":
            reason = "not a client"
        elif not reach.email:
            reason = "no email"
        elif consent is False or (consent is None and need_consent()):
            reason = "no consent"
        elif reach.client_id in wanted:
            reason = "quiet period"  # the same client twice in one batch: the first goes
        if reason:
            skipped.setdefault(reason, []).append(invitation.pk)
            outcomes[invitation.pk] = reason
            continue
        assert reach is not None
        wanted[reach.client_id] = invitation.survey.quiet_days
        ready.append((invitation, reach))
    passed = _claim_quiet_periods(wanted, now)
    sent: dict[str, list[int]] = {}
    for invitation, reach in ready:
        if reach.client_id not in passed:
            skipped.setdefault("quiet period", []).append(invitation.pk)
            outcomes[invitation.pk] = "quiet period"
            continue
        language = reach.language or invitation.survey.default_language
        try:
            _mail(invitation, reach.email, reach.name, language)
        except Exception as exc:
            # Give both claims back, so a later run can send it.
            LastAsked.objects.filter(client_id=reach.client_id, asked_at=now).update(
                asked_at=passed[reach.client_id]
            )
            Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.SENDING).update(
                status=Invitation.Status.PENDING, claimed_at=None, claim=""
            )
            outcomes[invitation.pk] = "error"
            errors[invitation.pk] = exc
            continue
        sent.setdefault(language, []).append(invitation.pk)
        outcomes[invitation.pk] = "sent"
    for reason, skipped_ids in skipped.items():
        _skip(skipped_ids, reason)
    for language, sent_ids in sent.items():
        Invitation.objects.filter(pk__in=sent_ids).update(
            status=Invitation.Status.SENT, sent_at=now, language=language
        )
    return outcomes, errors


def send_invitation(invitation_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one invitation at most once; returns what happened ("sent", or why not). A failure
    to mail is raised, after the claims are released."""
    outcomes, errors = _send([invitation_id], now or timezone.now())
    if invitation_id in errors:
        raise errors[invitation_id]
    return outcomes[invitation_id]


def _mail(
    invitation: Invitation, email: str, name: str, language: str, *, reminder: bool = False
) -> None:
    survey = invitation.survey
    with translation.override(language):
        question = survey.questions.order_by("position").first()
        scores: list[int] = []
        if question is not None and question.kind == "scale" and survey.scale:
            low, high = scoring.bounds(survey.scale)
            scores = list(range(low, high + 1))
        context = {
            "name": name,
            "survey": survey,
            "question": question.text(language) if question else survey.name,
            "low_label": question.low_label(language) if question else "",
            "high_label": question.high_label(language) if question else "",
            "scores": [(score, link(invitation.pk, score)) for score in scores],
            "link": link(invitation.pk),
            "reminder": reminder,
            "days": survey.link_days,
        }
        subject = render_to_string("surveys/email_subject.txt", context).strip()
        text = render_to_string("surveys/email.txt", context)
        html = render_to_string("surveys/email.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[email])
    message.attach_alternative(html, "text/html")
    message.send()


def pending_ids(*, after: int = 0, limit: int = BATCH) -> list[int]:
    return list(
        Invitation.objects.filter(status=Invitation.Status.PENDING, pk__gt=after)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )


def send_batch(ids: Iterable[int], *, now: dt.datetime | None = None) -> dict[str, int]:
    """Send a batch: one claim, one read of the clients, one quiet-period claim per quiet
    period; then the mails. Returns how many had each outcome (an id listed twice: "taken")."""
    listed = list(ids)
    unique = list(dict.fromkeys(listed))
    outcomes, errors = _send(unique, now or timezone.now())
    for pk, exc in errors.items():
        logger.error("Sending survey invitation %s failed: %s", pk, exc)
    counts = Counter(outcomes.values())
    counts["taken"] += len(listed) - len(unique)
    return {key: value for key, value in counts.items() if value}


def send_reminders(*, now: dt.datetime | None = None, limit: int = BATCH) -> int:
    """One reminder per unanswered invitation, REMIND_AFTER after it was sent, never two."""
    now = now or timezone.now()
    due = (
        Invitation.objects.filter(
            status=Invitation.Status.SENT,
            reminded_at__isnull=True,
            sent_at__lte=now - REMIND_AFTER,
            response__isnull=True,
        )
        .select_related("survey")
        .order_by("id")[:limit]
    )
    sent = 0
    for invitation in due:
        if invitation.client_id is None:
            continue
        if invitation.sent_at and invitation.sent_at < now - dt.timedelta(
            days=invitation.survey.link_days
        ):
            continue  # the link has expired: a reminder would lead nowhere
        if not Invitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            continue
        found = clients.reach([invitation.client_id]).get(invitation.client_id)
        if found is None or not found.email or found.consents.get("email") is False:
            continue
        try:
            _mail(invitation, found.email, found.name, invitation.language or "en", reminder=True)
        except Exception:
            Invitation.objects.filter(pk=invitation.pk, reminded_at=now).update(reminded_at=None)
            logger.exception("Reminder for survey invitation %s failed", invitation.pk)
            continue
        sent += 1
    return sent


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link stands for; tokens.BadToken when forged, tampered or expired."""
    claimed = tokens.peek_invitation_id(token)
    invitation = (
        Invitation.objects.select_related("survey").filter(pk=claimed).first()
        if claimed is not None
        else None
    )
    if invitation is None:
        raise tokens.BadToken("unknown")
    tokens.read_invitation_token(token, max_age_days=invitation.survey.link_days)
    return invitation
