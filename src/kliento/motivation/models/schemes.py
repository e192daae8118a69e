"""What a role or one employee is measured on and paid for: a scheme with its KPIs and rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kliento.core.money import DECIMAL_PLACES, MAX_DIGITS


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class Scheme(models.Model):
    """The KPIs and rules of a role (every employee with that role) or of one employee (which
    replaces the role's scheme for them). Its period is the statement's period."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    base_bonus = models.DecimalField(
        _("base bonus"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    currency = models.CharField(_("currency"), max_length=3)
    # Caps of the whole statement: the sum of bonuses and the sum of penalties (both positive).
    max_bonus = models.DecimalField(
        _("most bonus per period"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    max_penalty = models.DecimalField(
        _("most penalty per period"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("motivation scheme")
        verbose_name_plural = _("motivation schemes")
        ordering = ["name"]
        permissions = [
            ("manage_schemes", _("Can define KPIs and bonus rules")),
            ("review_statements", _("Can draft, review and approve statements of the team")),
            ("view_all_statements", _("Can see every employee's statements")),
            ("export_payroll", _("Can export statements for payroll")),
            ("give_thanks", _("Can thank colleagues and react on the recognition feed")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role="") & models.Q(employee__isnull=False))
                | (~models.Q(role="") & models.Q(employee__isnull=True)),
                name="scheme_for_role_or_employee",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Kpi(models.Model):
    """One KPI of a scheme: a registered source (kliento.motivation.registry) with a target,
    a threshold (the least value still counted as acceptable) and a weight."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="kpis")
    source = models.CharField(_("source"), max_length=40)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["scheme", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "source"], name="kpi_once_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}: {self.source}"


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"
    AT_MOST = "lte", "≤"


class RuleKind(models.TextChoices):
    PERCENT = "percent", _("Percent of the base bonus when the KPI meets the condition")
    AMOUNT = "amount", _("A fixed amount when the KPI meets the condition")
    PER_BREACH = "per_breach", _("An amount per breached critical standard")


class Rule(models.Model):
    """A bonus (positive) or a penalty (negative). Percent and amount rules read one KPI of the
    scheme; a per-breach rule counts critical breaches (findings protected because the standard
    did not work never count). `cap` bounds the rule's amount either way."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=RuleKind.choices)
    kpi = models.ForeignKey(
        Kpi, verbose_name=_("KPI"), null=True, blank=True, on_delete=models.CASCADE
    )
    comparison = models.CharField(
        _("comparison"), max_length=3, choices=Comparison.choices, blank=True
    )
    value = models.DecimalField(
        _("compared with"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(
        _("percent"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(
        _("amount"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    cap = models.DecimalField(
        _("cap"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("bonus rule")
        verbose_name_plural = _("bonus rules")
        ordering = ["scheme", "position", "id"]

    def __str__(self) -> str:
        return self.name
