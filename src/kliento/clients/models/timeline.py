from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.timeline import describe, kind_label


class TimelineEntry(models.Model):
    """One event in a client's history, written in the transaction of the change it records.

    `kind` names the event; `data` holds what the template needs to describe it (for edits, the
    changed fields with old and new values). Later capabilities (cases, surveys, stage moves) add
    kinds of their own.
    """

    class Kind(models.TextChoices):
        CREATED = "client.created", _("Client created")
        EDITED = "client.edited", _("Client edited")
        LEFT = "client.left", _("Client left")
        RETURNED = "client.returned", _("Client returned")
        KEY_FLAGGED = "client.key_flagged", _("Flagged as key client")
        KEY_UNFLAGGED = "client.key_unflagged", _("Key-client flag removed")
        CONTACT_ADDED = "contact.added", _("Contact added")
        CONTACT_REMOVED = "contact.removed", _("Contact removed")
        CONTACT_RESTORED = "contact.restored", _("Contact restored")
        CONSENT_CHANGED = "consent.changed", _("Consent changed")
        FACT_ADDED = "portrait.added", _("Portrait fact added")
        FACT_VERIFIED = "portrait.verified", _("Portrait fact confirmed")
        FACT_REMOVED = "portrait.removed", _("Portrait fact removed")
        FACT_RESTORED = "portrait.restored", _("Portrait fact restored")
        PURCHASE = "purchase.added", _("Purchase")
        PURCHASE_REMOVED = "purchase.removed", _("Purchase removed")
        IMPORTED = "import.applied", _("Imported")
        MERGED = "client.merged", _("Duplicates merged")

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("event"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-occurred_at", "-id"], name="timeline_client_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    def lines(self) -> list[str]:
        """The entry's details in the viewer's language; the stored summary when its kind
        registered no description."""
        return describe(self) or ([self.summary] if self.summary else [])
