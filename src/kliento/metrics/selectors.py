"""Reads of the metrics app for views and other apps: the key-client (Pareto) analysis (computed
in kliento.metrics.key_clients, a registered analysis of the metric layer) and the stored CLV
figures."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

# A saved baseline against a later period, for other apps (the team app's refresher training).
from kliento.metrics.baselines import compare_baseline as compare_baseline

# The stored CLV figures live in kliento.metrics.clv.reads; views and other apps read them here.
from kliento.metrics.clv.reads import ClvRow as ClvRow
from kliento.metrics.clv.reads import client_figures as client_figures
from kliento.metrics.clv.reads import latest_fit as latest_fit
from kliento.metrics.clv.reads import ranked as ranked
from kliento.metrics.clv.reads import top_clients as top_clients

# Before/after comparisons for other apps (the team app's refresher training).
from kliento.metrics.compare import Comparison as Comparison
from kliento.metrics.compare import compare_shares as compare_shares
from kliento.metrics.key_clients import BASES as BASES
from kliento.metrics.key_clients import ParetoResult as ParetoResult
from kliento.metrics.key_clients import ParetoRow as ParetoRow
from kliento.metrics.key_clients import pareto as pareto

# ---------------------------------------------------------------------------------------------
# Saved baselines


def baselines() -> QuerySet[Any]:
    from kliento.metrics.models import MetricBaseline

    return MetricBaseline.objects.select_related("created_by").annotate(n_figures=Count("figures"))


def baseline(pk: int) -> Any:
    """The baseline with its figures, or None."""
    from kliento.metrics.models import MetricBaseline

    return (
        MetricBaseline.objects.select_related("created_by")
        .prefetch_related("figures")
        .filter(pk=pk)
        .first()
    )


def baseline_by_source(source: str) -> Any:
    """The baseline a hook saved under `source` ("team.refresher:7:start"), or None."""
    from kliento.metrics.models import MetricBaseline

    if not source:
        return None
    return MetricBaseline.objects.prefetch_related("figures").filter(source=source).first()


def visible_metric_keys(user: Any) -> set[str]:
    """The metrics whose figures a person may read: survey metrics count every answer, so only
    for those who may see them all."""
    from kliento.metrics import registry

    sees_answers = user.has_perm("surveys.view_all_responses")
    return {d.key for d in registry.metrics() if d.group != registry.SURVEYS or sees_answers}
