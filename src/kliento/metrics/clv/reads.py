"""Reads of the stored CLV figures: the latest fit, its top clients, one client's row."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kliento.clients import selectors as clients
from kliento.metrics.models import ClientClv, ClvFit


def latest_fit() -> ClvFit | None:
    return ClvFit.objects.order_by("-created_at", "-id").first()


@dataclass(frozen=True)
class ClvRow:
    figures: ClientClv
    name: str


def top_clients(fit: ClvFit, *, limit: int = 100) -> list[ClvRow]:
    """The fit's clients with the highest CLV (or, when the spend model is missing, the most
    expected purchases), with their names."""
    rows = list(ranked(fit)[:limit])
    labels = clients.client_labels(row.client_id for row in rows)
    return [
        ClvRow(row, labels[row.client_id].name if row.client_id in labels else "") for row in rows
    ]


def ranked(fit: ClvFit) -> QuerySet[ClientClv]:
    """Every client of the fit, highest CLV first (most expected purchases without a spend
    model), for the API's pages."""
    order = ("-clv", "client_id") if fit.p is not None else ("-expected_purchases", "client_id")
    return ClientClv.objects.filter(fit=fit).order_by(*order)


def client_figures(client_id: int) -> ClientClv | None:
    """The client's row in the latest fit (None when it had not bought by then)."""
    fit = latest_fit()
    if fit is None:
        return None
    return ClientClv.objects.filter(fit=fit, client_id=client_id).select_related("fit").first()
