from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.money import DECIMAL_PLACES, MAX_DIGITS


class MetricsAccess(models.Model):
    """No table: holds the metrics app's permissions (Django keys them by a model)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_client_metrics", _("Can see the client metrics")),
            ("fit_clv", _("Can refit the CLV models")),
            ("manage_baselines", _("Can save metric baselines")),
            ("rate_self_assessment", _("Can rate the service in a self-assessment round")),
            ("manage_self_assessment", _("Can open self-assessment rounds")),
        ]

    def __str__(self) -> str:
        return "metrics"


class ClvFit(models.Model):
    """One fit of the CLV models on the purchases up to `calibration_end`: the parameters in
    `unit` (day, week or month), their log-likelihoods and how many clients they rest on.
    The Gamma-Gamma parameters are empty when too few clients bought twice."""

    class Unit(models.TextChoices):
        DAY = "day", _("day")
        WEEK = "week", _("week")
        MONTH = "month", _("month")

    created_at = models.DateTimeField(_("fitted"), default=timezone.now)
    calibration_end = models.DateField(_("purchases up to"))
    unit = models.CharField(_("time unit"), max_length=5, choices=Unit.choices)
    currency = models.CharField(_("currency"), max_length=3)
    horizon_months = models.PositiveSmallIntegerField(_("horizon (months)"))
    discount_percent = models.PositiveSmallIntegerField(_("annual discount rate (%)"))
    r = models.FloatField()
    alpha = models.FloatField()
    a = models.FloatField()
    b = models.FloatField()
    log_likelihood = models.FloatField(_("BG/NBD log-likelihood"))
    n_clients = models.PositiveIntegerField(_("clients"))
    p = models.FloatField(null=True, blank=True)
    q = models.FloatField(null=True, blank=True)
    v = models.FloatField(null=True, blank=True)
    spend_log_likelihood = models.FloatField(_("Gamma-Gamma log-likelihood"), null=True)
    n_spend_clients = models.PositiveIntegerField(_("repeat buyers in the spend model"), default=0)

    class Meta:
        verbose_name = _("CLV fit")
        verbose_name_plural = _("CLV fits")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"CLV fit {self.calibration_end} ({self.unit})"


class ClientClv(models.Model):
    """A client's figures from one fit. Only the latest fit keeps its rows (the older fits keep
    their parameters), so the table holds one row per buying client."""

    fit = models.ForeignKey(ClvFit, on_delete=models.CASCADE, related_name="clients")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    frequency = models.PositiveIntegerField(_("repeat purchases"))
    recency = models.FloatField(_("recency"))
    age = models.FloatField(_("T"))
    expected_purchases = models.FloatField(_("expected purchases"))
    p_alive = models.FloatField(_("probability of being active"))
    expected_spend = models.DecimalField(
        _("expected average spend"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,  # empty when the fit had too few repeat buyers for the spend model
    )
    clv = models.DecimalField(
        _("CLV"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True
    )

    class Meta:
        verbose_name = _("client CLV")
        verbose_name_plural = _("client CLVs")
        constraints = [
            models.UniqueConstraint(fields=["fit", "client"], name="clientclv_fit_client"),
        ]
        indexes = [models.Index(fields=["fit", "-clv"], name="clientclv_fit_clv")]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.clv}"


AREAS = [
    ("speed", _("Speed")),
    ("politeness", _("Politeness")),
    ("competence", _("Competence")),
    ("overall", _("Overall")),
]


class SelfAssessmentRound(models.Model):
    """Staff rate how they believe clients see the service (seed 004 #9), on the scale of the
    client survey whose answers the round is compared with, over `start`..`end`."""

    name = models.CharField(_("name"), max_length=200)
    survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("client survey"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    start = models.DateField(_("client answers from"))
    end = models.DateField(_("client answers to"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("self-assessment round")
        verbose_name_plural = _("self-assessment rounds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class SelfRating(models.Model):
    """One person's belief of how clients rate one area; the team is the rater's at the time."""

    round = models.ForeignKey(SelfAssessmentRound, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        "core.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area = models.CharField(_("area"), max_length=12, choices=AREAS)
    score = models.SmallIntegerField(_("score"))
    rated_at = models.DateTimeField(_("rated"), default=timezone.now)

    class Meta:
        verbose_name = _("self-rating")
        verbose_name_plural = _("self-ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "rater", "area"], name="self_rating_once_per_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.score}"


class MetricBaseline(models.Model):
    """A named, dated snapshot of chosen metrics for chosen slices over one period ("before the
    new return policy"): the figures "at the input" a later period is compared with. Each
    figure keeps the inputs, value and exact figures its comparison needs, so the snapshot
    stays what it was when later data changes."""

    name = models.CharField(_("name"), max_length=200)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    # The churn rule the client metrics used (its key, and the days of an inactivity rule).
    rule = models.CharField(_("churn rule"), max_length=40)
    inactive_days = models.PositiveIntegerField(null=True, blank=True)
    # Who or what took it: empty for a person; "policy.pilot:<id>:start" for a pilot's hook
    # (unique, so a hook run twice saves one snapshot).
    source = models.CharField(_("source"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("metric baseline")
        verbose_name_plural = _("metric baselines")
        ordering = ["-taken_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="metricbaseline_source_once"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="metricbaseline_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BaselineFigure(models.Model):
    """One metric for one slice in a baseline: MetricResult's inputs, value, extra figures
    (n, interval, counts) and unrounded figures (mean, sd)."""

    baseline = models.ForeignKey(MetricBaseline, on_delete=models.CASCADE, related_name="figures")
    metric = models.CharField(_("metric"), max_length=60)
    slice = models.CharField(_("slice"), max_length=60)  # "company", "team:12"
    inputs = models.JSONField(default=dict)
    value = models.JSONField(null=True)
    extra = models.JSONField(default=dict)
    exact = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("baseline figure")
        verbose_name_plural = _("baseline figures")
        ordering = ["baseline", "metric", "slice"]
        constraints = [
            models.UniqueConstraint(
                fields=["baseline", "metric", "slice"], name="baselinefigure_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.slice}"


from kliento.metrics.rollup_models import (  # noqa: E402 - the rollups' tables, one app
    CaseDay,
    CaseTeamDay,
    DigestSent,
    DirtyDay,
    PurchaseDay,
    RollupWatermark,
    SurveyDay,
    SurveyTeamDay,
)

__all__ = [
    "BaselineFigure",
    "CaseDay",
    "CaseTeamDay",
    "ClientClv",
    "ClvFit",
    "DigestSent",
    "DirtyDay",
    "MetricBaseline",
    "MetricsAccess",
    "PurchaseDay",
    "RollupWatermark",
    "SurveyDay",
    "SurveyTeamDay",
]
