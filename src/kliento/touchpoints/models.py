"""Touchpoints, their quality parameters and the impressions clients leave at them.

Like a stage, a touchpoint has exactly one owner: a required foreign key, so the database itself
refuses a touchpoint without one and cannot hold two.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.channels import Channel
from kliento.core.folding import fold


class Kind(models.TextChoices):
    # Seed 001 step 3: what the business puts in front of the client, and what its people do.
    BUSINESS = "business", _("Business")
    EMPLOYEE = "employee", _("Employee")


class Category(models.TextChoices):
    # Business touchpoints
    WEBSITE = "website", _("Website")
    OFFICE = "office", _("Office, premises")
    SIGNBOARD = "signboard", _("Signboard, advertising")
    DOCUMENTS = "documents", _("Business documents")
    VEHICLES = "vehicles", _("Vehicles")
    PACKAGING = "packaging", _("Packaging")
    DELIVERY = "delivery", _("Delivery")
    MESSAGES = "messages", _("Messages and mailings")
    PHONE_LINE = "phone_line", _("Phone line")
    # Employee touchpoints
    APPEARANCE = "appearance", _("Appearance")
    UNIFORM = "uniform", _("Uniform")
    SMILE = "smile", _("Smile, friendliness")
    SPEECH = "speech", _("Speech scripts")
    CONDUCT = "conduct", _("Conduct, manners")
    EXPERTISE = "expertise", _("Expertise, advice")
    # Either kind
    OTHER = "other", _("Other")


# Which categories belong to which kind: the form offers these, the rules and a database
# constraint refuse any other pairing.
CATEGORIES_OF_KIND: dict[str, tuple[str, ...]] = {
    Kind.BUSINESS: (
        Category.WEBSITE,
        Category.OFFICE,
        Category.SIGNBOARD,
        Category.DOCUMENTS,
        Category.VEHICLES,
        Category.PACKAGING,
        Category.DELIVERY,
        Category.MESSAGES,
        Category.PHONE_LINE,
        Category.OTHER,
    ),
    Kind.EMPLOYEE: (
        Category.APPEARANCE,
        Category.UNIFORM,
        Category.SMILE,
        Category.SPEECH,
        Category.CONDUCT,
        Category.EXPERTISE,
        Category.OTHER,
    ),
}


def _kind_and_category() -> models.Q:
    condition = models.Q()
    for kind, categories in CATEGORIES_OF_KIND.items():
        condition |= models.Q(kind=kind, category__in=[str(c) for c in categories])
    return condition


class Touchpoint(models.Model):
    Kind = Kind
    Category = Category

    name = models.CharField(_("name"), max_length=120, unique=True)
    # `name` folded (kliento.core.folding) for the search, kept in step by save().
    search_name = models.CharField(max_length=200, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    stages = models.ManyToManyField(
        "journeys.Stage", verbose_name=_("stages"), related_name="touchpoints", blank=True
    )
    # When in the stage it happens ("on arrival", "when the order is handed over").
    occurs_when = models.CharField(_("when it occurs"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_touchpoints",
    )
    # Who takes part: positions and roles as the company names them (free text, since job titles
    # are the company's own, not Kliento's five roles).
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    # Markdown, rendered through core.richtext: how it must work.
    regulation = models.TextField(_("regulation"), blank=True, max_length=20_000)
    # The KPI this touchpoint feeds into staff motivation, as the company words it.
    kpi = models.CharField(_("KPI in staff motivation"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=_kind_and_category(), name="touchpoint_category_fits_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(self.name)[:200]
        update_fields = kwargs.get("update_fields")
        if isinstance(update_fields, list | tuple | set) and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("touchpoints:detail", args=[self.pk])


class QualityParameter(models.Model):
    """What "working well" means at a touchpoint, how it is checked, and the target."""

    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        on_delete=models.CASCADE,
        related_name="parameters",
    )
    name = models.CharField(_("parameter"), max_length=200)
    measurement = models.CharField(_("how it is measured"), max_length=500)
    target = models.CharField(_("target"), max_length=200)

    class Meta:
        verbose_name = _("quality parameter")
        verbose_name_plural = _("quality parameters")
        ordering = ["touchpoint_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["touchpoint", "name"], name="quality_parameter_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Impression(models.Model):
    """How a client felt at a touchpoint: noted by staff on the card, or brought in by another
    app (a survey answer, a complaint) through `services.record_impression`."""

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        NEGATIVE = "negative", _("Negative")

    class Source(models.TextChoices):
        STAFF = "staff", _("Noted by staff")
        SURVEY = "survey", _("Survey")
        COMPLAINT = "complaint", _("Complaint")
        REVIEW = "review", _("Review")
        OTHER = "other", _("Other")

    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        on_delete=models.PROTECT,
        related_name="impressions",
    )
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="touchpoint_impressions",
    )
    sentiment = models.CharField(_("impression"), max_length=10, choices=Sentiment.choices)
    # Plain text; shown escaped.
    text = models.TextField(_("what the client said or showed"), blank=True, max_length=2_000)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    # The record in the source app (a survey answer's or a complaint's id), so recording the
    # same one again finds it instead of counting it twice.
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("impression")
        verbose_name_plural = _("impressions")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["touchpoint", "occurred_at"], name="impression_touchpoint_when"),
            models.Index(fields=["client", "-occurred_at"], name="impression_client_when"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="impression_source_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_sentiment_display()} @ {self.touchpoint_id}"
