"""The service policy (seed 002): what the company aims at in serving clients and how.

A `Policy` is the lasting thing (its title, owner, review cadence, whom it applies to). Its
content — a statement, goals, each goal's procedures, each procedure's escalation list — lives
in numbered `PolicyVersion`s that go draft → published → superseded, so a pilot runs a fixed
version and staff acknowledge a version, not the policy. Only a draft is edited; a new draft is
a copy of the published tree.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Policy(models.Model):
    title = models.CharField(_("title"), max_length=200, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_policies",
    )
    review_every_months = models.PositiveSmallIntegerField(_("review every (months)"), default=12)
    reviewed_on = models.DateField(_("last reviewed"))
    # reviewed_on + review_every_months, kept by the services so overdue reviews are a query.
    review_due_on = models.DateField(_("next review"))
    # Who must acknowledge a published version: empty lists mean every member of staff.
    roles = models.JSONField(_("roles"), default=list, blank=True)
    units = models.ManyToManyField(
        "core.OrgUnit", verbose_name=_("teams"), related_name="+", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service policy")
        verbose_name_plural = _("service policies")
        ordering = ["title", "id"]
        permissions = [
            ("manage_policies", "Can write, pilot and publish service policies"),
            ("view_unpublished_policies", "Can read drafts and pilots of service policies"),
            ("view_policy_acknowledgements", "Can see who has read which policy"),
            ("give_policy_feedback", "Can record feedback on a service policy"),
        ]

    def __str__(self) -> str:
        return self.title

    def review_overdue(self, today: dt.date | None = None) -> bool:
        return self.review_due_on < (today or timezone.localdate())


class PolicyVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # Markdown: the policy's statement, rendered through core.richtext.
    summary = models.TextField(_("statement"), max_length=20_000, blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    # Claimed by a conditional UPDATE before reminders go out: two workers never both remind.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "number"], name="policy_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["policy"], condition=Q(status="published"), name="one_published_policy"
            ),
            models.UniqueConstraint(
                fields=["policy"], condition=Q(status="draft"), name="one_policy_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"


class GoalKind(models.TextChoices):
    RETENTION = "retention", _("Client retention")
    NEW_PRODUCTS = "new_products", _("Informing about new products")
    PRODUCT_FEEDBACK = "product_feedback", _("Feedback on the product line")
    PURCHASING_POWER = "purchasing_power", _("Acquisition by purchasing power")
    CUSTOM = "custom", _("Other goal")


class Goal(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("goal"), max_length=20, choices=GoalKind.choices)
    # Required for a custom goal; for the others it may sharpen the kind's label.
    title = models.CharField(_("title"), max_length=200, blank=True)
    # The published mission the goal serves (seed 002 step 3), and how it serves it.
    mission = models.ForeignKey(
        "standards.Mission", verbose_name=_("mission"), on_delete=models.PROTECT, related_name="+"
    )
    mission_link = models.TextField(_("how it serves the mission"), max_length=1_000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The target metric's definition; the metrics module computes its value.
    metric_name = models.CharField(_("metric"), max_length=100)
    metric_target = models.DecimalField(_("target value"), max_digits=14, decimal_places=4)
    metric_unit = models.CharField(_("unit"), max_length=30, blank=True)
    # Markdown: how the main competitors handle the same goal (seed 002 step 2).
    competitors = models.TextField(_("competitor comparison"), max_length=5_000, blank=True)

    class Meta:
        verbose_name = _("policy goal")
        verbose_name_plural = _("policy goals")
        ordering = ["version_id", "position", "id"]

    def __str__(self) -> str:
        return self.title or str(self.get_kind_display())


class Procedure(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="procedures")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)
    channels = models.JSONField(_("channels"), default=list)
    standards = models.ManyToManyField(
        "standards.Standard", verbose_name=_("standards"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["goal_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class NotifyBy(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")


class EscalationLevel(models.Model):
    """One step of a procedure's escalation list: who takes over an unresolved matter once
    `after_minutes` have passed since it was opened, and how they are told.

    `kind` keeps what the level named even after the team is deleted or the person removed
    (their column is then empty), so the list shows as broken rather than silently shorter."""

    class Kind(models.TextChoices):
        ROLE = "role", _("Role")
        TEAM = "team", _("Team")
        PERSON = "person", _("Person")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("level"))
    kind = models.CharField(max_length=10, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=30, blank=True)
    unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    after_minutes = models.PositiveIntegerField(_("after (minutes)"))
    notify = models.JSONField(_("notify by"), default=list)

    class Meta:
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")
        ordering = ["procedure_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="escalation_level_unique"),
            models.CheckConstraint(
                condition=(Q(kind="role", unit__isnull=True, user__isnull=True) & ~Q(role=""))
                | Q(kind="team", role="", user__isnull=True)
                | Q(kind="person", role="", unit__isnull=True),
                name="escalation_level_names_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} #{self.number}"


class Pilot(models.Model):
    """A policy draft tried on some staff and clients before it goes company-wide."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        ENDED = "ended", _("Ended")

    class Outcome(models.TextChoices):
        NONE = "", _("Not decided")
        PROMOTED = "promoted", _("Promoted company-wide")
        REVISED = "revised", _("Sent back for revision")

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="pilots")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default="", blank=True
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff in the pilot"), related_name="+"
    )
    note = models.CharField(_("decision note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(status__in=["planned", "running"]),
                name="one_open_pilot_per_version",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="pilot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} pilot"

    def past_end(self, today: dt.date | None = None) -> bool:
        """Still running after its end date: the manager has a decision to make."""
        return self.status == self.Status.RUNNING and self.ends_on < (today or timezone.localdate())


class PilotClient(models.Model):
    """A client in a pilot: communications read `selectors.in_pilot` to tell them so."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="clients")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("client in a pilot")
        verbose_name_plural = _("clients in pilots")
        constraints = [
            models.UniqueConstraint(fields=["pilot", "client"], name="pilot_client_once")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} in {self.pilot_id}"


class Aspect(models.TextChoices):
    """What a piece of feedback is about (seed 002's tips: delivery time, response speed,
    complaints …)."""

    DELIVERY_TIME = "delivery_time", _("Delivery time")
    RESPONSE_SPEED = "response_speed", _("Response speed")
    COMPLAINTS = "complaints", _("Complaint handling")
    COMMUNICATION = "communication", _("Communication")
    PROCEDURE = "procedure", _("A procedure")
    OTHER = "other", _("Other")


class Feedback(models.Model):
    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        CLIENT = "client", _("Client")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="feedback")
    version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pilot = models.ForeignKey(
        Pilot, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    source = models.CharField(_("from"), max_length=10, choices=Source.choices)
    # For client feedback: the client it came from; `recorded_by` wrote it down.
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    aspect = models.CharField(_("about"), max_length=20, choices=Aspect.choices)
    text = models.TextField(_("comment"), max_length=2_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("policy feedback")
        verbose_name_plural = _("policy feedback")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]


class PolicyAcknowledgement(models.Model):
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("policy acknowledgement")
        verbose_name_plural = _("policy acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="policy_acknowledged_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.version_id}"
