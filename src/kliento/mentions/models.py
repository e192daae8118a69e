"""Situations (what can happen outside), their match rules, feeds, and the mentions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("en", "ru", "uk", "pl")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class Situation(models.Model):
    """A kind of external situation and the reaction prepared for it."""

    class Kind(models.TextChoices):
        NEGATIVE_REVIEW = "negative_review", _("Negative review")
        POSITIVE_REVIEW = "positive_review", _("Positive review")
        COMPETITOR = "competitor", _("Competitor's campaign")
        PRESS = "press", _("Press question")
        STORM = "storm", _("Social-media storm")
        OUTAGE = "outage", _("Outage")
        PRICE = "price", _("Price change")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    steps = models.TextField(_("steps"), blank=True, help_text=_("One step a line."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who approves"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline_minutes = models.PositiveIntegerField(
        _("reaction deadline (minutes)"), default=24 * 60
    )
    reaction_en = models.TextField(_("reaction in English"), blank=True)
    reaction_ru = models.TextField(_("reaction in Russian"), blank=True)
    reaction_uk = models.TextField(_("reaction in Ukrainian"), blank=True)
    reaction_pl = models.TextField(_("reaction in Polish"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("situation")
        verbose_name_plural = _("situations")
        ordering = ["name"]
        permissions = [
            ("manage_information_field", "Manage situations, rules and feeds"),
            ("answer_any_mention", "Answer any mention"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def deadline(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.deadline_minutes)

    def reaction_for(self, language: str) -> str:
        """The template in `language`, else English, else the first one written."""
        for code in (language, "en", *LANGUAGES):
            text = getattr(self, f"reaction_{code}", "") if code in LANGUAGES else ""
            if text.strip():
                return str(text)
        return ""

    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class MatchRule(models.Model):
    """Conditions that send a mention to a situation; empty conditions match anything.
    Rules are tried in `position` order and the first that holds wins."""

    situation = models.ForeignKey(
        Situation, verbose_name=_("situation"), on_delete=models.CASCADE, related_name="rules"
    )
    position = models.PositiveIntegerField(_("order"), default=100)
    source = models.CharField(_("source"), max_length=60, blank=True)
    sentiment = models.CharField(
        _("sentiment"), max_length=10, choices=Sentiment.choices, blank=True
    )
    rating_at_most = models.PositiveSmallIntegerField(_("rating at most"), null=True, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Comma-separated; any one matches.")
    )

    class Meta:
        verbose_name = _("match rule")
        verbose_name_plural = _("match rules")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.situation} #{self.position}"

    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class Feed(models.Model):
    """An RSS or Atom feed the worker polls. A failing feed backs off exponentially."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"), max_length=1000, unique=True)
    source = models.CharField(_("source"), max_length=60)
    language = models.CharField(_("language"), max_length=5, blank=True)
    interval_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=30)
    # For feeds inside the company's network (and the tests' local server): off by default,
    # so a typed URL cannot make the server fetch internal addresses (SSRF).
    allow_private = models.BooleanField(_("allow private addresses"), default=False)
    active = models.BooleanField(_("active"), default=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    items_seen = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Mention(models.Model):
    class Origin(models.TextChoices):
        API = "api", _("API")
        FEED = "feed", _("Feed")
        IMPORT = "import", _("Import")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        DISMISSED = "dismissed", _("Dismissed")

    source = models.CharField(_("source"), max_length=60)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.SET_NULL)
    # The guid or link (feeds), the connector's id (API): one mention per source and id.
    external_id = models.CharField(max_length=500, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    author_contact = models.CharField(_("author's contact"), max_length=254, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=5, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (of 5)"), null=True, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices)
    # Why: {"rule": "rating"|"words"|"none", "rating": n, "positive": [...], "negative": [...]}
    sentiment_reason = models.JSONField(default=dict)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    situation = models.ForeignKey(
        Situation, verbose_name=_("situation"), null=True, blank=True, on_delete=models.SET_NULL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_at = models.DateTimeField(_("reaction due"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Each notice once: set by the conditional UPDATE that claims it.
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "desk.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="mention_source_external_id",
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="mention_status_due")]

    def __str__(self) -> str:
        return self.title or self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.NEW
