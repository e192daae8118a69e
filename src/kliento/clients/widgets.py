"""The client card's widgets on the "my work" home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.clients.models import Client, PortraitFact, Purchase, TimelineEntry
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.timeline import hidden_kinds
from kliento.core.types import AuthenticatedHttpRequest

LIMIT = 8


def my_clients(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    mine = Client.objects.filter(account_manager=request.user, status=Client.Status.ACTIVE)
    total = mine.count()
    if not total:
        return None
    return {"clients": list(mine.order_by("-updated_at")[:LIMIT]), "total": total}


def facts_to_confirm(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    """Stale portrait facts of the user's own clients: ask about them at the next contact."""
    cutoff = timezone.now() - dt.timedelta(days=settings.KLIENTO_PORTRAIT_MAX_AGE_DAYS)
    stale = PortraitFact.objects.filter(
        client__account_manager=request.user, verified_at__lt=cutoff
    ).select_related("client")
    total = stale.count()
    if not total:
        return None
    return {"facts": list(stale.order_by("verified_at")[:LIMIT]), "total": total}


def recent_activity(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    entries = TimelineEntry.objects.select_related("client", "actor").order_by(
        "-occurred_at", "-id"
    )
    if hidden := hidden_kinds(request.user):
        entries = entries.exclude(kind__in=hidden)
    recent = list(entries[:LIMIT])
    return {"entries": recent} if recent else None


def key_figures(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    since = timezone.localdate() - dt.timedelta(days=30)
    clients = Client.objects.aggregate(
        active=Count("pk", filter=Q(status=Client.Status.ACTIVE)),
        key=Count("pk", filter=Q(is_key=True)),
    )
    figures: dict[str, Any] = {"clients": clients, "since": since}
    if request.user.has_perm("clients.view_purchase"):
        figures["revenue"] = list(
            Purchase.objects.filter(occurred_on__gte=since)
            .values("currency")
            .annotate(total=Sum("amount"), count=Count("pk"))
            .order_by("-total")[:3]
        )
    return figures


def register() -> None:
    view = "clients.view_client"
    for widget in [
        HomeWidget(
            "clients.figures",
            _("Key figures"),
            "clients/widgets/figures.html",
            key_figures,
            view,
            order=10,
        ),
        HomeWidget(
            "clients.mine",
            _("My clients"),
            "clients/widgets/my_clients.html",
            my_clients,
            view,
            order=20,
        ),
        HomeWidget(
            "clients.facts_to_confirm",
            _("Facts to confirm"),
            "clients/widgets/facts_to_confirm.html",
            facts_to_confirm,
            "clients.view_portraitfact",
            order=30,
        ),
        HomeWidget(
            "clients.recent",
            _("Recent activity"),
            "clients/widgets/recent.html",
            recent_activity,
            view,
            order=90,
            width=12,
        ),
    ]:
        register_home_widget(widget)
