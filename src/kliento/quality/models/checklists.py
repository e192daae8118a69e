"""Checklists and their versions.

A checklist is what is controlled in one kind of area (a touchpoint, a journey stage, a team,
an employee, a desk case). Its items live in numbered versions: a draft is edited, publishing
freezes it (and supersedes the version before), and every evaluation points at the version it
was scored against, so editing a checklist never rewrites a past result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    TOUCHPOINT = "touchpoint", _("Touchpoint")
    STAGE = "stage", _("Journey stage")
    TEAM = "team", _("Team")
    EMPLOYEE = "employee", _("Employee")
    CASE = "case", _("Desk case or call")


class Checklist(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    area_kind = models.CharField(_("what it controls"), max_length=20, choices=AreaKind.choices)
    description = models.TextField(_("description"), max_length=2_000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["name", "id"]
        permissions = [
            ("manage_checklists", "Can write and publish checklists"),
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["checklist_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "number"], name="checklist_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["checklist"],
                condition=Q(status="published"),
                name="checklist_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["checklist"],
                condition=Q(status="draft"),
                name="checklist_one_draft_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checklist} v{self.number}"


class ChecklistItem(models.Model):
    """One thing checked. It cites the standard it tests and the published version of that
    standard at the time the item was written; an item without a standard is allowed (a house
    rule not in the book yet) but its findings cannot reach the book."""

    version = models.ForeignKey(
        ChecklistVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("what is checked"), max_length=1_000)
    standard = models.ForeignKey(
        "standards.Standard",
        verbose_name=_("standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    standard_version = models.ForeignKey(
        "standards.StandardVersion",
        verbose_name=_("standard version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    critical = models.BooleanField(_("critical"), default=False)
    allows_na = models.BooleanField(_("may be not applicable"), default=False)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["version_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100), name="checklist_item_weight"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]
