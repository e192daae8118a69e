"""What the agent workspace keeps: each agent's saved queue views, and the macros managers set
up for agents to apply to a case in one step."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.desk.models.cases import Case


class SavedCaseView(models.Model):
    """A named queue with its filters (the queue page's query string). Personal: only its
    owner sees, renames or deletes it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=80)
    # "queue=team&priority=urgent&q=refund", without the page number.
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("saved case view")
        verbose_name_plural = _("saved case views")
        ordering = ["name", "id"]
        # Saving one's own view needs only desk.view_case; no admin permissions are wanted.
        default_permissions = ()
        indexes = [models.Index(fields=["owner", "name"], name="case_view_owner")]

    def __str__(self) -> str:
        return self.name


class Macro(models.Model):
    """A set of changes (and optionally a reply) an agent applies to a case in one step."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    # Empty: leave the case's value as it is.
    status = models.CharField(
        _("set status"), max_length=20, choices=Case.Status.choices, blank=True
    )
    priority = models.CharField(
        _("set priority"), max_length=10, choices=Case.Priority.choices, blank=True
    )
    team = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("move to team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Added to the case's tags (comma-separated names).
    tags = models.CharField(_("add tags"), max_length=500, blank=True)
    assign_to_me = models.BooleanField(_("assign to whoever applies it"), default=False)
    # Sent to the client; placeholders such as {client_name} are filled when it is applied.
    reply_text = models.TextField(_("reply"), blank=True, max_length=20_000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["name", "id"]
        # Managed with desk.manage_desk, applied with desk.work_cases.
        default_permissions = ()

    def __str__(self) -> str:
        return self.name

    @property
    def tag_names(self) -> list[str]:
        return [name.strip() for name in self.tags.split(",") if name.strip()]
