"""The mission, the standards book and what staff do with it.

A `Standard` is one entry of the book (a glossary term, a provision, a principle, a
communication standard with its scripts, an appearance rule, or a rule of a stage/touchpoint):
what it is, whom it applies to and where. Its text lives in numbered `StandardVersion`s that go
draft → review → published → superseded; staff acknowledge a published version, not the
standard, so a new version must be read again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The sections of the book, in the order it is read."""

    GLOSSARY = "glossary", _("Terms and definitions")
    GENERAL = "general", _("General provisions")
    PRINCIPLES = "principles", _("Principles")
    COMMUNICATION = "communication", _("Communication standards")
    APPEARANCE = "appearance", _("Appearance")
    RULES = "rules", _("Rules of stages and touchpoints")


class Standard(models.Model):
    kind = models.CharField(_("section"), max_length=20, choices=Kind.choices)
    # For a glossary entry: the term itself.
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("order in the section"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_standards",
    )
    review_on = models.DateField(_("review date"))
    # Whom it applies to (who must acknowledge it): empty lists mean everyone with a role.
    roles = models.JSONField(_("roles"), default=list, blank=True)
    units = models.ManyToManyField(
        "core.OrgUnit", verbose_name=_("teams"), related_name="+", blank=True
    )
    # Where it applies (the applicable-standards selector): none of them set means book-wide.
    stages = models.ManyToManyField(
        "journeys.Stage", verbose_name=_("journey stages"), related_name="standards", blank=True
    )
    touchpoints = models.ManyToManyField(
        "touchpoints.Touchpoint",
        verbose_name=_("touchpoints"),
        related_name="standards",
        blank=True,
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["kind", "position", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "title"], name="standard_title_unique")
        ]
        permissions = [
            ("manage_standards", "Can write, review and publish standards and the mission"),
            ("view_acknowledgements", "Can see who has read which standard"),
            ("request_revision", "Can ask for a standard to be revised"),
        ]

    def __str__(self) -> str:
        return self.title

    def review_overdue(self, today: dt.date | None = None) -> bool:
        return self.review_on < (today or timezone.localdate())


class StandardVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    OPEN = (Status.DRAFT, Status.REVIEW)

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # Markdown, rendered through core.richtext (and the glossary) when shown.
    body = models.TextField(_("text"), max_length=30_000)
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
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        ordering = ["standard_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(status="published"),
                name="one_published_version",
            ),
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(status__in=["draft", "review"]),
                name="one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard} v{self.number}"


class Script(models.Model):
    """A speech script of a communication standard: a titled text, addressable by id, that the
    service desk's reply box can offer as a template. Belongs to one version."""

    version = models.ForeignKey(
        StandardVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="scripts"
    )
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=5_000)

    class Meta:
        verbose_name = _("script")
        verbose_name_plural = _("scripts")
        ordering = ["version_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Acknowledgement(models.Model):
    version = models.ForeignKey(
        StandardVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="acknowledged_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.version_id}"


class RevisionRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    standard = models.ForeignKey(
        Standard,
        verbose_name=_("standard"),
        on_delete=models.CASCADE,
        related_name="revision_requests",
    )
    # None: raised by another module (quality, motivation), named in `source`.
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=50, blank=True)
    reason = models.TextField(_("why"), max_length=2_000)
    evidence = models.TextField(_("evidence"), max_length=5_000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("answer"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("revision request")
        verbose_name_plural = _("revision requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reason[:80]


class Mission(models.Model):
    """One round of defining the service mission (what client-centricity means here): drafted
    and discussed, then published; publishing a new one supersedes the one before."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Under discussion")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    text = models.TextField(_("mission"), max_length=2_000, blank=True)
    # What a good definition must meet (short, known by heart, about the client …).
    criteria = models.TextField(_("criteria"), max_length=2_000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="published"), name="one_published_mission"
            ),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="draft"), name="one_mission_draft"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class MissionContribution(models.Model):
    """A staff comment on the draft, or a proposal for its text (from a brainstorm)."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        PROPOSAL = "proposal", _("Proposal")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), max_length=2_000)
    adopted = models.BooleanField(_("adopted"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mission comment or proposal")
        verbose_name_plural = _("mission comments and proposals")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
