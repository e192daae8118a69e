"""Cases, their conversation and their history.

A case is one request of one client, whatever channel it came through; its messages are the
conversation (inbound, outbound and internal notes) and its events the history of every
change. Cases refer to other apps' models by string only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kliento.core.channels import Channel

# What a case number starts with; "[C-000123]" in an e-mail subject threads a reply.
NUMBER_PREFIX = "C-"


def format_number(pk: int) -> str:
    return f"{NUMBER_PREFIX}{pk:06d}"


class CaseTag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("case tag")
        verbose_name_plural = _("case tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        REQUEST = "request", _("Request")
        COMPLAINT = "complaint", _("Complaint")
        CLAIM = "claim", _("Claim")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting on client")
        ON_HOLD = "on_hold", _("On hold")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    # Statuses in which the case still asks something of the company.
    ACTIVE = (Status.NEW, Status.OPEN, Status.WAITING, Status.ON_HOLD)
    DONE = (Status.RESOLVED, Status.CLOSED)

    # Set from the id right after the insert, in the same transaction (format_number).
    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="+"
    )
    # The address or number the client used (or is answered at).
    contact = models.ForeignKey(
        "clients.ContactPoint",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.QUESTION)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    team = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = models.ManyToManyField(CaseTag, verbose_name=_("tags"), blank=True, related_name="+")
    stage = models.ForeignKey(
        "journeys.Stage",
        verbose_name=_("journey stage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    touchpoint = models.ForeignKey(
        "touchpoints.Touchpoint",
        verbose_name=_("touchpoint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    procedure = models.ForeignKey(
        "policy.Procedure",
        verbose_name=_("policy procedure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A duplicate merged away points to the case that carries on.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_cases",
    )
    # A reply to a closed case opens a new one that remembers where it came from.
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    created_at = models.DateTimeField(_("created"), db_index=True)
    updated_at = models.DateTimeField(_("updated"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    last_inbound_at = models.DateTimeField(_("last message from the client"), null=True, blank=True)
    last_outbound_at = models.DateTimeField(_("last reply"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopened_count = models.PositiveIntegerField(_("times reopened"), default=0)

    # SLA clock (kept by kliento.desk.sla): the targets that apply, when each falls due in
    # wall-clock time, and when the clock was paused (waiting on the client, on hold).
    sla_policy = models.ForeignKey(
        "desk.SlaPolicy",
        verbose_name=_("SLA policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    next_response_due_at = models.DateTimeField(_("next response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    sla_paused_at = models.DateTimeField(_("SLA clock paused since"), null=True, blank=True)
    # The earliest of the running targets: queues sort and filter "breaching soon" on it.
    sla_next_due_at = models.DateTimeField(_("next SLA target"), null=True, blank=True)

    # Escalation along the policy procedure's list (kliento.desk.escalation): the level the
    # case has reached (0: none yet) and when the next level falls due.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalation_due_at = models.DateTimeField(_("next escalation"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_all_cases", _("Can see the cases of every team")),
            ("work_cases", _("Can answer and change cases")),
            ("manage_desk", _("Can set up the service desk")),
        ]
        indexes = [
            # Queue lists and counts: each queue is one of these prefixes plus the order.
            models.Index(fields=["status", "assignee", "-created_at"], name="case_status_assignee"),
            models.Index(fields=["status", "team", "-created_at"], name="case_status_team"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
            models.Index(
                fields=["sla_next_due_at"],
                name="case_sla_next_due",
                condition=Q(sla_next_due_at__isnull=False),
            ),
            models.Index(
                fields=["escalation_due_at"],
                name="case_escalation_due",
                condition=Q(escalation_due_at__isnull=False),
            ),
            models.Index(fields=["client", "-created_at"], name="case_client"),
            # The metrics rollups: the cases resolved in a span of days, and those changed
            # since their watermark, as index ranges rather than scans of every case.
            models.Index(fields=["resolved_at"], name="case_resolved"),
            models.Index(fields=["updated_at"], name="case_updated"),
            # The working set: a few percent of a desk's cases are still active, so these
            # partial indexes stay small however long the history grows
            # (docs/decisions/0029-capped-queue-counts.md, measured by benchmarks/bench_desk.py).
            # Queue pages in their order (newest first) with no sort.
            models.Index(
                fields=["-created_at", "-id"],
                name="case_active_recent",
                condition=Q(status__in=["new", "open", "waiting", "on_hold"]),
            ),
            # An agent's visibility arms (their team, no team, theirs) and "unassigned", with
            # the status, so a count reads the index alone.
            models.Index(
                fields=["team", "assignee", "status"],
                name="case_active_team",
                condition=Q(status__in=["new", "open", "waiting", "on_hold"]),
            ),
            # "Breaching soon": the cases whose clock runs, soonest due first, read in order.
            models.Index(
                fields=["sla_next_due_at", "id"],
                name="case_running_due",
                condition=Q(status__in=["new", "open"], sla_next_due_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Message(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "in", _("From the client")
        OUTBOUND = "out", _("To the client")
        NOTE = "note", _("Internal note")

    class Delivery(models.TextChoices):
        # Outbound only: whether the channel took it.
        NONE = "", _("—")
        PENDING = "pending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who wrote an inbound message, as the channel named them.
    author_name = models.CharField(_("author name"), max_length=200, blank=True)
    author_address = models.CharField(_("author address"), max_length=254, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    # Sanitised (nh3) at the door; shown as it is stored.
    body_html = models.TextField(_("HTML"), blank=True)
    created_at = models.DateTimeField(_("created"), db_index=True)
    # The channel's own id of the message (the e-mail Message-ID, a connector's message id):
    # the same delivery twice creates nothing new.
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default="", blank=True
    )
    delivery_error = models.CharField(_("delivery error"), max_length=500, blank=True)
    # Set when the message came through a channel that marks machine-written mail (auto-replies,
    # bounces, lists): such messages are never answered automatically.
    automated = models.BooleanField(_("automated"), default=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="message_case_created"),
            models.Index(
                fields=["external_id"], name="message_external_id", condition=~Q(external_id="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.pk}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random directory: the stored name never collides and never reveals the case number.
    return f"desk/{dt.date.today():%Y/%m}/{uuid.uuid4().hex}/{filename[-120:]}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=150, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    # An image the HTML body shows inline (cid:…), not a file the client attached.
    content_id = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class CaseEvent(models.Model):
    """One line of a case's history: who changed what, from what to what."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        MESSAGE = "message", _("Message")
        STATUS = "status", _("Status changed")
        CHANGED = "changed", _("Changed")
        ASSIGNED = "assigned", _("Assigned")
        MERGED = "merged", _("Merged")
        CALL = "call", _("Call logged")
        SLA = "sla", _("SLA")
        ESCALATED = "escalated", _("Escalated")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {"field": [old, new], …} for changes; ids and codes, rendered at display time.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="case_event_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Call(models.Model):
    """A phone call logged by an agent or posted by a telephony system, on a case."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("Incoming")
        OUTBOUND = "out", _("Outgoing")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        MISSED = "missed", _("Missed")
        VOICEMAIL = "voicemail", _("Voicemail")
        CALLBACK = "callback", _("Call back requested")
        RESOLVED = "resolved", _("Resolved on the call")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="calls")
    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="call"
    )
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    number = models.CharField(_("number"), max_length=40, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=10_000)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"))
    # The telephony system's call id: posting the same call twice creates nothing new.
    external_id = models.CharField(_("external id"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], name="call_external_id", condition=~Q(external_id="")
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.started_at:%Y-%m-%d %H:%M}"


class Sender(models.Model):
    """An address or number that wrote to the desk, and the client it belongs to.

    The unique (kind, value) row is what makes two messages from a stranger, arriving at once,
    find one client instead of creating two: the second insert waits for the first and then
    reads its client."""

    kind = models.CharField(max_length=20)
    value = models.CharField(max_length=254)
    client = models.ForeignKey(
        "clients.Client", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # The address bounced: replies are not sent there until a message comes from it again.
    failing_since = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="sender_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class CaseViewer(models.Model):
    """Who has a case open right now (refreshed while the page is open): the collision
    warning reads it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    # Whether they are typing a reply (a draft in the box).
    composing = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_viewer_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id}"


class TeamRouting(models.Model):
    """How new cases of a team are handed out, and whose turn it is (round-robin)."""

    class Strategy(models.TextChoices):
        MANUAL = "manual", _("Manual: agents take cases")
        ROUND_ROBIN = "round_robin", _("Round-robin")
        LEAST_LOADED = "least_loaded", _("Least loaded")

    team = models.OneToOneField(
        "core.OrgUnit", verbose_name=_("team"), on_delete=models.CASCADE, related_name="+"
    )
    strategy = models.CharField(
        _("assignment"), max_length=20, choices=Strategy.choices, default=Strategy.MANUAL
    )
    last_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("team routing")
        verbose_name_plural = _("team routing")

    def __str__(self) -> str:
        return str(self.team)


def history_data(changes: dict[str, tuple[Any, Any]]) -> dict[str, list[Any]]:
    return {field: [old, new] for field, (old, new) in changes.items()}
