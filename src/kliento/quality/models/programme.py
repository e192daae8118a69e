"""Planned control: audit plans on a calendar, mystery-shop assignments, corrective actions.

An audit plan says "audit this area with this checklist every N months"; performing it starts
an evaluation and moves its next date on. A mystery-shop assignment is one visit, call, chat
or e-mail by an internal or external shopper, with its own scenario; an external shopper opens
it through a signed link that works for that assignment only (and stops working once it is
done, cancelled or the link is reissued). A corrective action is opened on a failed item.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kliento.quality.models.checklists import Checklist
from kliento.quality.models.evaluations import Evaluation, ItemResult


def _subject(model: str, label: Any) -> Any:
    return models.ForeignKey(
        model,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )


class AuditPlan(models.Model):
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="plans"
    )
    touchpoint = _subject("touchpoints.Touchpoint", _("touchpoint"))
    stage = _subject("journeys.Stage", _("journey stage"))
    team = _subject("core.OrgUnit", _("team"))
    employee = _subject(settings.AUTH_USER_MODEL, _("employee"))
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auditor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    every_months = models.PositiveSmallIntegerField(_("repeat every (months)"), default=3)
    next_due = models.DateField(_("next audit"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audit plan")
        verbose_name_plural = _("audit plans")
        ordering = ["next_due", "id"]
        permissions = [("plan_control", "Can plan audits and mystery shops")]

    def __str__(self) -> str:
        return f"{self.checklist} @ {self.next_due}"


def new_link_key() -> str:
    return secrets.token_urlsafe(16)


class ShopAssignment(models.Model):
    class Channel(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Call")
        CHAT = "chat", _("Chat")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    scenario = models.TextField(_("scenario"), max_length=5_000)
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("until"))
    touchpoint = _subject("touchpoints.Touchpoint", _("touchpoint"))
    stage = _subject("journeys.Stage", _("journey stage"))
    employee = _subject(settings.AUTH_USER_MODEL, _("employee"))
    # Internal shopper: a user. External: a name and address, no account.
    shopper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shopper"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_name = models.CharField(_("external shopper"), max_length=200, blank=True)
    external_email = models.EmailField(_("external shopper's e-mail"), blank=True)
    # Part of the signed link: reissuing the link changes it, so the old link stops working.
    link_key = models.CharField(max_length=40, default=new_link_key)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    evaluation = models.OneToOneField(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="shop_assignment"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mystery-shop assignment")
        verbose_name_plural = _("mystery-shop assignments")
        ordering = ["window_start", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.window_start}–{self.window_end}"

    @property
    def external(self) -> bool:
        return self.shopper_id is None


class CorrectiveAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    result = models.OneToOneField(
        ItemResult,
        verbose_name=_("finding"),
        on_delete=models.CASCADE,
        related_name="corrective_action",
    )
    description = models.TextField(_("what will be done"), max_length=2_000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome_note = models.CharField(_("what was done"), max_length=1_000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Claimed by a conditional UPDATE before the overdue notice goes out: one notice, ever.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "id"]
        permissions = [("manage_corrective_actions", "Can open and close any corrective action")]

    def __str__(self) -> str:
        return self.description[:80]
