from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A named client list: its filters and sort (the list's query string) and its columns.

    Personal (seen by its owner only) or shared with everyone (`share_savedview`, managers and
    administrators). Only the owner renames or deletes it.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_client_views",
    )
    name = models.CharField(_("name"), max_length=80)
    shared = models.BooleanField(_("shared with everyone"), default=False)
    # The list's query string without the page ("q=…&segment=3&sort=-revenue").
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        # Saving a personal view needs only view_client; nothing else of the model's defaults.
        default_permissions = ()
        permissions = [("share_savedview", _("Can share client list views with everyone"))]
        indexes = [models.Index(fields=["owner", "name"], name="savedview_owner_idx")]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedview_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ListLayout(models.Model):
    """A user's chosen columns of the client list."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_list_layout"
    )
    columns = models.JSONField(_("columns"), default=list)

    class Meta:
        verbose_name = _("client list layout")
        verbose_name_plural = _("client list layouts")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.columns)}"
