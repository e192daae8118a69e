"""Notifications: kinds that apps register, `notify` to send one, and the reads behind the bell.

A notification stores its kind and parameters, not its text: the kind's `render` writes the
text each time it is shown, in the reader's language (the page's language on screen, the
recipient's chosen language in an e-mail, which a worker writes long after the request).

Each recipient's preferences pick the channels per kind: in Kliento (the bell and the
notifications page) and e-mail. E-mail leaves only after the caller's transaction commits,
through a background task that claims the row first, so a retried task never mails twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from kliento.core.models import Notification, NotificationPreference, StaffProfile
from kliento.core.registry import Registry

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: Promise | str
    # The notification's text in the active language, from its `params` (and `actor`).
    render: Callable[[Notification], str]
    default_email: bool = False
    default_in_app: bool = True
    # Who may receive this kind: the preferences page lists it only for them. None: everyone.
    permission: str | None = None


notification_kinds: Registry[NotificationKind] = Registry("notification kinds")


def register_notification_kind(kind: NotificationKind) -> NotificationKind:
    return notification_kinds.register(kind)


def render_text(notification: Notification) -> str:
    """The notification's text in the active language; a kind no longer registered (its app
    was removed) or a render that fails still leaves a readable line."""
    kind = notification_kinds.get(notification.kind)
    if kind is None:
        return _("Notification of an unknown kind (%(kind)s).") % {"kind": notification.kind}
    try:
        return str(kind.render(notification))
    except Exception:
        logger.exception("Rendering notification %s (%s) failed", notification.pk, kind.key)
        return str(kind.label)


def kind_label(key: str) -> str:
    kind = notification_kinds.get(key)
    return str(kind.label) if kind is not None else key


# ---------------------------------------------------------------------------------------------
# Preferences


@dataclass(frozen=True)
class Channels:
    in_app: bool
    email: bool


def default_channels(kind: NotificationKind) -> Channels:
    return Channels(in_app=kind.default_in_app, email=kind.default_email)


def kinds_for(user: User) -> list[NotificationKind]:
    """The kinds this person can receive, for the preferences page."""
    return [k for k in notification_kinds if not k.permission or user.has_perm(k.permission)]


def channels_of(user: User) -> dict[str, Channels]:
    """Every registered kind's channels for the user: their choice, else the kind's default."""
    chosen = {
        p.kind: Channels(p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user=user)
    }
    return {k.key: chosen.get(k.key, default_channels(k)) for k in notification_kinds}


def chosen_language(user: User) -> str:
    """The language the person chose for e-mails; empty when they chose none."""
    code = StaffProfile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    return code or ""


def language_of(user: User) -> str:
    """The language to write to this person in outside a request (e-mail)."""
    code = chosen_language(user)
    available = {c for c, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


@transaction.atomic
def set_preferences(
    *, user: User, channels: Mapping[str, Channels], language: str | None = None
) -> None:
    """Save the user's channels per kind (unknown kinds are refused) and their mail language."""
    unknown = set(channels) - set(notification_kinds.keys())
    if unknown:
        raise LookupError(f"Notification kinds not registered: {sorted(unknown)}")
    for key, chosen in channels.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=key, defaults={"in_app": chosen.in_app, "email": chosen.email}
        )
    if language is not None:
        if language and language not in {c for c, _name in settings.LANGUAGES}:
            raise ValueError(f"Unknown language {language!r}")
        StaffProfile.objects.update_or_create(user=user, defaults={"language": language})


# ---------------------------------------------------------------------------------------------
# Sending


def is_local(url: str) -> bool:
    # Only paths inside Kliento: a link in a notification (and in an e-mail) must never lead
    # elsewhere, whatever a caller passes on.
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())


@dataclass(frozen=True)
class Notice:
    """One notification of a batch (`notify_many`): who, where it links, its parameters."""

    recipients: Iterable[User]
    target_url: str = ""
    params: Mapping[str, Any] | None = None


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    target_url: str = "",
    params: Mapping[str, Any] | None = None,
    actor: User | AnonymousUser | None = None,
) -> list[Notification]:
    """Notify each recipient of `kind`, on the channels their preferences choose.

    Runs in the caller's transaction (it must be inside one): if the change is rolled back, so
    are its notifications, and no e-mail leaves. Inactive users and the actor are skipped (nobody
    is told what they just did themselves); a recipient who turned both channels off gets no row.
    Returns the notifications written.
    """
    return notify_many(kind=kind, notices=[Notice(recipients, target_url, params)], actor=actor)


def notify_many(
    *,
    kind: str,
    notices: Iterable[Notice],
    actor: User | AnonymousUser | None = None,
) -> list[Notification]:
    """`notify` for many notifications of one kind at once (a feed's hundred new mentions):
    each is checked and written exactly as `notify` would, with one read of the preferences
    and one INSERT for all of them instead of two queries each."""
    spec = notification_kinds.get(kind)
    if spec is None:
        raise LookupError(f"Notification kind {kind!r} is not registered")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Notifications must be written inside the change's transaction")
    author = None if actor is None or isinstance(actor, AnonymousUser) else actor
    batch: list[tuple[Notice, dict[str, Any], dict[Any, User]]] = []
    everyone: set[Any] = set()
    for notice in notices:
        if notice.target_url and not is_local(notice.target_url):
            raise ValueError(
                f"A notification links only inside Kliento, not to {notice.target_url!r}"
            )
        data = dict(notice.params or {})
        json.dumps(data)  # fail here, in the caller, not later in the worker
        people: dict[Any, User] = {}
        for user in notice.recipients:
            if user.is_active and (author is None or user.pk != author.pk):
                people.setdefault(user.pk, user)
        if people:
            batch.append((notice, data, people))
            everyone.update(people)
    if not batch:
        return []
    chosen = {
        p.user_id: Channels(p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user__in=list(everyone), kind=kind)
    }
    rows = []
    for notice, data, people in batch:
        for pk, user in people.items():
            channels = chosen.get(pk, default_channels(spec))
            email = channels.email and bool(getattr(user, "email", ""))
            if not (channels.in_app or email):
                continue
            rows.append(
                Notification(
                    recipient=user,
                    actor=author,
                    kind=kind,
                    params=data,
                    target_url=notice.target_url,
                    in_app=channels.in_app,
                    email=email,
                )
            )
    created = Notification.objects.bulk_create(rows)
    from kliento.core.tasks import send_notification_email

    for notification in created:
        if notification.email:
            # robust: the change is committed by then; a queue that is down must not turn it
            # into an error page. The failure is logged.
            transaction.on_commit(
                partial(send_notification_email.enqueue, notification.pk), robust=True
            )
    return created


def _absolute(path: str) -> str:
    base = getattr(settings, "KLIENTO_BASE_URL", "")
    return f"{base}{path}" if base else ""


def compose_email(notification: Notification) -> tuple[str, str]:
    """Subject and body, in the active language."""
    subject = f"Kliento: {kind_label(notification.kind)}"
    parts = [render_text(notification)]
    if notification.target_url and (link := _absolute(notification.target_url)):
        parts.append(_("Open in Kliento: %(url)s") % {"url": link})
    footer = _("You receive this e-mail because of your notification settings in Kliento.")
    if settings_link := _absolute(reverse("notification_preferences")):
        footer += " " + _("Change them: %(url)s") % {"url": settings_link}
    parts.append("-- \n" + footer)
    return subject, "\n\n".join(parts)


def send_email(notification_id: int) -> str:
    """Mail one notification to its recipient, at most once, in the recipient's language.

    The row is claimed with a conditional UPDATE before sending, so two runs of the task (a
    retry, or two workers) cannot both send; if sending fails the claim is released for a retry.
    """
    notification = (
        Notification.objects.select_related("recipient", "actor").filter(pk=notification_id).first()
    )
    if notification is None:
        return "missing"
    recipient = notification.recipient
    if not notification.email or not recipient.is_active or not recipient.email:
        return "not wanted"
    claimed_at = timezone.now()
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=claimed_at
    )
    if not claimed:
        return "already sent"
    try:
        with translation.override(language_of(recipient)):
            subject, body = compose_email(notification)
        EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    except Exception:
        Notification.objects.filter(pk=notification.pk, emailed_at=claimed_at).update(
            emailed_at=None
        )
        raise
    return "sent"


# ---------------------------------------------------------------------------------------------
# Reading and marking


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, in_app=True).select_related("actor")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()


@transaction.atomic
def mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read; another's is refused."""
    if notification.recipient_id != user.pk:
        raise PermissionError("A notification can be marked read only by its recipient")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# ---------------------------------------------------------------------------------------------
# Pruning

PRUNE_BATCH = 2000


def prunable(cutoff: dt.datetime) -> QuerySet[Notification]:
    """Notifications made before `cutoff` that nobody needs any more: read ones, and e-mail-only
    ones already sent (they are never shown, so never read). Unread ones and e-mails still to
    be sent stay, however old."""
    done = Q(read_at__isnull=False) | Q(in_app=False, emailed_at__isnull=False)
    return Notification.objects.filter(done, created_at__lt=cutoff)


def prune(*, days: int | None = None, now: dt.datetime | None = None) -> int:
    """Delete what `prunable` finds older than `days` (KLIENTO_NOTIFICATION_RETENTION_DAYS by
    default); return how many. Safe to run at any time and as often as wanted, also in two
    processes at once: each batch deletes by id, and a row gone already is simply not counted.
    Batches keep every transaction short, so the web stays responsive on SQLite."""
    days = settings.KLIENTO_NOTIFICATION_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("Notifications are kept for at least a day")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted = 0
    while True:
        batch = list(prunable(cutoff).order_by("pk").values_list("pk", flat=True)[:PRUNE_BATCH])
        if not batch:
            return deleted
        # Re-checked in the DELETE itself: a row read again meanwhile is never a problem (it
        # stays read), and one already deleted by another run is not counted twice.
        count, _by_model = prunable(cutoff).filter(pk__in=batch).delete()
        deleted += count
