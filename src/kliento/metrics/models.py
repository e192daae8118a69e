from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MetricsAccess(models.Model):
    """No table: holds the metrics app's permissions (Django keys them by a model)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_client_metrics", _("Can see the client metrics"))]

    def __str__(self) -> str:
        return "metrics"
