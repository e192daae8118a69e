"""Surveys, their questions, invitations, answers and the follow-ups poor answers open.

Texts a client reads (questions, scale ends, choices, the follow-up question) are stored per
language as {"en": …, "ru": …, "uk": …, "pl": …}: the page shows the client's language and
falls back to the survey's default language.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kliento.core.channels import Channel

MAX_QUESTIONS = 5  # seed 003: "no more than five"
DEFAULT_THROTTLE_DAYS = 30
DEFAULT_FOLLOW_UP_HOURS = 48


def pick_text(texts: dict[str, Any] | None, language: str, fallback: str = "en") -> str:
    """The text in `language`, else in `fallback`, else any non-empty one."""
    texts = texts or {}
    for code in (language, fallback):
        if texts.get(code):
            return str(texts[code])
    return next((str(v) for v in texts.values() if v), "")


class Survey(models.Model):
    class Kind(models.TextChoices):
        CSAT = "csat", _("CSAT (satisfaction)")
        CES = "ces", _("CES (effort)")
        NPS = "nps", _("NPS (recommendation)")
        CUSTOM = "custom", _("Custom")
        ENPS = "enps", _("eNPS (staff)")
        CLIMATE = "climate", _("Team climate (staff)")

    class Audience(models.TextChoices):
        CLIENTS = "clients", _("Clients")
        STAFF = "staff", _("Staff")

    class Scale(models.TextChoices):
        # The score question's scale; which ones a kind allows: kliento.surveys.scoring.
        ZERO_TO_TEN = "0-10", "0-10"
        ONE_TO_FIVE = "1-5", "1-5"
        ZERO_TO_FIVE = "0-5", "0-5"
        ONE_TO_SEVEN = "1-7", "1-7"

    class Direction(models.TextChoices):
        # CES only: which end of the scale is "easy".
        HIGH_IS_EASY = "high_easy", _("High = easy")
        LOW_IS_EASY = "low_easy", _("Low = easy")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    audience = models.CharField(
        _("asked of"), max_length=10, choices=Audience.choices, default=Audience.CLIENTS
    )
    # Staff surveys: answers kept with no link to the person (see StaffAnswer).
    anonymous = models.BooleanField(_("anonymous"), default=False)
    scale = models.CharField(_("scale"), max_length=5, choices=Scale.choices, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, blank=True
    )
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # The optional question shown under the score when it is at most `follow_up_max_score`
    # ("What should we improve?"); empty texts: none.
    follow_up_texts = models.JSONField(_("follow-up question"), default=dict, blank=True)
    follow_up_max_score = models.SmallIntegerField(
        _("ask it when the score is at most"), null=True, blank=True
    )
    # Not surveyed again within this many days (across all surveys); empty: the default.
    throttle_days = models.PositiveSmallIntegerField(
        _("quiet period (days)"), null=True, blank=True
    )
    follow_up_hours = models.PositiveSmallIntegerField(
        _("follow-up deadline (hours)"), default=DEFAULT_FOLLOW_UP_HOURS
    )
    link_days = models.PositiveSmallIntegerField(_("link valid (days)"), default=30)
    # The public link (/s/<code>/): the web widget, chat-bots, social networks.
    code = models.SlugField(_("short link code"), max_length=20, unique=True)
    public = models.BooleanField(_("open to anyone with the short link"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name", "id"]
        permissions = [
            ("manage_surveys", _("Can define and send surveys")),
            ("view_all_responses", _("Can see every survey answer")),
            ("record_responses", _("Can record a client's answers (phone)")),
            ("handle_all_followups", _("Can handle every survey follow-up")),
            ("export_responses", _("Can export survey answers")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def quiet_days(self) -> int:
        return self.throttle_days if self.throttle_days is not None else DEFAULT_THROTTLE_DAYS

    def follow_up_text(self, language: str | None = None) -> str:
        return pick_text(self.follow_up_texts, language or get_language(), self.default_language)


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale with labelled ends")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    class Area(models.TextChoices):
        """Which side of the service a scale question asks about, so staff's own view of that
        side can be set beside the clients' answers (the self-assessment gap, kliento.metrics)."""

        SPEED = "speed", _("Speed")
        POLITENESS = "politeness", _("Politeness")
        COMPETENCE = "competence", _("Competence")
        OVERALL = "overall", _("Overall")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    texts = models.JSONField(_("question"), default=dict)
    low_labels = models.JSONField(_("low end label"), default=dict, blank=True)
    high_labels = models.JSONField(_("high end label"), default=dict, blank=True)
    # [{"en": "Price", "ru": "Цена"}, …]; the answer stores the choice's index.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    area = models.CharField(_("area of service"), max_length=12, choices=Area.choices, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_position_unique"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=MAX_QUESTIONS),
                name="question_at_most_five",
            ),
        ]

    def __str__(self) -> str:
        return self.text()

    def text(self, language: str | None = None) -> str:
        return pick_text(self.texts, language or get_language(), self.survey.default_language)

    def low_label(self, language: str | None = None) -> str:
        return pick_text(self.low_labels, language or get_language(), self.survey.default_language)

    def high_label(self, language: str | None = None) -> str:
        return pick_text(self.high_labels, language or get_language(), self.survey.default_language)

    def choice_texts(self, language: str | None = None) -> list[str]:
        lang = language or get_language()
        return [pick_text(c, lang, self.survey.default_language) for c in self.choices]


class About(models.Model):
    """What an answer (or an invitation, before it is answered) concerns."""

    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("team"),
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
    stage = models.ForeignKey(
        "journeys.Stage",
        verbose_name=_("journey stage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The case it concerns, once the service desk lands (an id until then: no foreign key to
    # an app that does not exist yet).
    case_id = models.BigIntegerField(_("case"), null=True, blank=True)
    # Whether the answer was given under a policy in pilot (for before/after comparisons).
    pilot = models.BooleanField(_("policy pilot"), null=True, blank=True)

    class Meta:
        abstract = True


class Invitation(About):
    """One client asked one survey once: what the e-mailed link and its token stand for."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent")
        FAILED = "failed", _("Sending failed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    skip_reason = models.CharField(_("why not sent"), max_length=30, blank=True)
    # What created it (a trigger's key and the id of its event): the same event twice makes
    # one invitation, so a trigger that fires again changes nothing.
    source = models.CharField(_("source"), max_length=40)
    source_ref = models.CharField(_("source reference"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which sending run claimed it (a random token per run).
    claim = models.CharField(max_length=16, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "client", "source", "source_ref"], name="invitation_once"
            )
        ]
        indexes = [models.Index(fields=["status", "id"], name="invitation_status")]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.client_id}"


class LastAsked(models.Model):
    """When a client was last sent a survey: the quiet period is claimed on this row with a
    conditional UPDATE, so two workers cannot both survey the same client."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    asked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.client_id}: {self.asked_at}"


class Response(About):
    """A client's answers to one survey (one per invitation: a second submit edits it)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # The score question's answer (the first scale question), kept apart for the results.
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    # {"<question id>": value}: an int (scale, single choice), a list of ints (multiple choice)
    # or a string (free text).
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=5_000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("answered"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["survey", "-submitted_at"], name="response_survey_when"),
            models.Index(fields=["client", "-submitted_at"], name="response_client_when"),
            # The metrics rollups read the answers of a span of days, and the answers changed
            # since their watermark, as index ranges rather than scans of every answer.
            models.Index(fields=["submitted_at"], name="response_submitted"),
            models.Index(fields=["updated_at"], name="response_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.score}"


class FollowUp(models.Model):
    """The closed loop: a poor answer handed to the owner of what it concerns, with a deadline;
    the contact made and its outcome are recorded here (the inner loop)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONTACTED = "contacted", _("Client contacted")
        CLOSED = "closed", _("Closed")

    class Reason(models.TextChoices):
        TOUCHPOINT = "touchpoint", _("Touchpoint owner")
        STAGE = "stage", _("Stage owner")
        AGENT = "agent", _("Agent")
        ACCOUNT = "account", _("Account manager")
        SURVEY = "survey", _("Survey owner")

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="follow_up")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="survey_follow_ups",
    )
    reason = models.CharField(_("why them"), max_length=12, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    contacted_at = models.DateTimeField(_("contact made"), null=True, blank=True)
    contact_note = models.TextField(_("what was said"), blank=True, max_length=5_000)
    outcome = models.TextField(_("outcome"), blank=True, max_length=5_000)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    # The outer loop: a revision request raised on a standard (kept by the standards app).
    standard_id = models.BigIntegerField(_("standard"), null=True, blank=True)
    revision_request_id = models.BigIntegerField(_("revision request"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="followup_status_due")]

    def __str__(self) -> str:
        return f"{self.response_id} → {self.owner_id}"

    @property
    def is_overdue(self) -> bool:
        return self.status != self.Status.CLOSED and self.due_at < timezone.now()


class TriggerWatermark(models.Model):
    """How far a polled trigger source has been read (e.g. the last purchase id seen)."""

    source = models.CharField(max_length=40, primary_key=True)
    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.source}: {self.last_id}"


class Trigger(models.Model):
    """When a survey is sent: a trigger source (surveys.registry), optionally narrowed to one
    target (a stage, a touchpoint); a schedule repeats every `every_months` months."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="triggers")
    source = models.CharField(_("when"), max_length=40)
    target_id = models.BigIntegerField(_("only for"), null=True, blank=True)
    every_months = models.PositiveSmallIntegerField(_("every (months)"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.EMAIL
    )

    class Meta:
        verbose_name = _("trigger")
        verbose_name_plural = _("triggers")
        constraints = [
            models.UniqueConstraint(fields=["survey", "source", "target_id"], name="trigger_unique")
        ]

    def __str__(self) -> str:
        return self.source


class StaffInvitation(models.Model):
    """An employee asked a staff survey, and whether they have answered. No moment of the
    answer is kept here: with it, an anonymous answer could be matched to its person."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="staff_invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    answered = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="staff_invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.user_id}"


def _new_id() -> uuid.UUID:
    return uuid.uuid4()


class StaffAnswer(models.Model):
    """An employee's answer to a staff survey. Anonymous ones keep no person, no timestamp and
    no sequential id (a random key): only the team and the month, and the team's results are
    shown only from five answers up."""

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="staff_answers")
    unit = models.ForeignKey(
        "core.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    period = models.CharField(_("month"), max_length=7)  # "2026-12"
    score = models.SmallIntegerField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True, max_length=5_000)

    class Meta:
        indexes = [models.Index(fields=["survey", "unit"], name="staffanswer_survey_unit")]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.score}"


class Praise(models.Model):
    """A positive answer's comment, or a positive touchpoint impression's text, shared to the
    company's recognition feed (seed 004: successes are celebrated). The text and the client's
    short name ("Anna K.") are copied when shared, so the feed shows the staff no more of the
    client than that."""

    # Exactly one of the two: what was shared.
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="praise"
    )
    impression = models.OneToOneField(
        "touchpoints.Impression",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.TextField(_("what the client said"), max_length=5_000)
    client_label = models.CharField(_("client"), max_length=60, blank=True)
    survey_kind = models.CharField(
        _("survey type"), max_length=10, choices=Survey.Kind.choices, blank=True
    )
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    # Whom it praises (at least one): named by the person who shares it.
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="praises",
    )
    team = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("team"),
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
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    shared_at = models.DateTimeField(_("shared"), default=timezone.now)

    class Meta:
        verbose_name = _("praise")
        verbose_name_plural = _("praise")
        ordering = ["-shared_at", "-id"]
        indexes = [models.Index(fields=["-shared_at", "-id"], name="praise_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response__isnull=False, impression__isnull=True)
                | models.Q(response__isnull=True, impression__isnull=False),
                name="praise_of_one_thing",
            )
        ]
        permissions = [
            ("share_any_praise", _("Can share any positive answer to the recognition feed")),
        ]

    def __str__(self) -> str:
        return f"{self.response_id or self.impression_id}: {self.client_label}"
