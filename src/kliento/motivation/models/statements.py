"""Period statements: what an employee earned by the scheme's rules, frozen once approved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.money import DECIMAL_PLACES, MAX_DIGITS


class Statement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        APPROVED = "approved", _("Approved")

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The scheme's name and figures are copied onto the statement: editing the scheme later
    # does not change a statement.
    scheme = models.ForeignKey(
        "motivation.Scheme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheme_name = models.CharField(_("scheme"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    base_bonus = models.DecimalField(
        _("base bonus"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(
        _("total"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0
    )
    # sum(weight * attainment) / sum(weight) over the KPIs with data, in percent (see calculate.py).
    kpi_index = models.DecimalField(
        _("KPI index"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    drafted_at = models.DateTimeField(_("drafted"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-period_start", "employee_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "period_start", "period_end"], name="statement_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.period_start}–{self.period_end}"

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.APPROVED


class Line(models.Model):
    class Kind(models.TextChoices):
        KPI = "kpi", _("KPI")
        RULE = "rule", _("Rule")
        PROTECTED = "protected", _("Protected finding")
        CAP = "cap", _("Cap")
        ADJUSTMENT = "adjustment", _("Adjustment")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source = models.CharField(max_length=40, blank=True)
    label = models.CharField(_("what"), max_length=300)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField(_("records"), null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    threshold = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    weight = models.PositiveSmallIntegerField(null=True, blank=True)
    rule_text = models.CharField(_("rule applied"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0
    )
    # [{"label": ..., "url": ...}]: the records behind the line (local links only).
    records = models.JSONField(default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2_000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "position", "id"]

    def __str__(self) -> str:
        return self.label
