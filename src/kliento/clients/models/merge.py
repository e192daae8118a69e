from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClientMergeRecord(models.Model):
    """A client merged into another: its old id keeps leading to the card that absorbed it.

    When the survivor is merged later in turn, its records move with the rest of its card, so
    an old id always points at a client that exists (never a chain).
    """

    old_id = models.BigIntegerField(_("old id"), unique=True)
    old_name = models.CharField(_("old name"), max_length=200)
    old_external_ref = models.CharField(  # noqa: DJ001 a client may have had none
        _("old reference"), max_length=100, null=True, blank=True
    )
    survivor = models.ForeignKey(
        "clients.Client",
        verbose_name=_("merged into"),
        on_delete=models.CASCADE,
        related_name="merge_records",
    )
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("merged client")
        verbose_name_plural = _("merged clients")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.old_id} → #{self.survivor_id}"
