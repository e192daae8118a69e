"""Reads of the metrics app for views and other apps: the key-client (Pareto) analysis (computed
in kliento.metrics.key_clients, a registered analysis of the metric layer) and the stored CLV
figures."""

from __future__ import annotations

# The stored CLV figures live in kliento.metrics.clv.reads; views and other apps read them here.
from kliento.metrics.clv.reads import ClvRow as ClvRow
from kliento.metrics.clv.reads import client_figures as client_figures
from kliento.metrics.clv.reads import latest_fit as latest_fit
from kliento.metrics.clv.reads import ranked as ranked
from kliento.metrics.clv.reads import top_clients as top_clients
from kliento.metrics.key_clients import BASES as BASES
from kliento.metrics.key_clients import ParetoResult as ParetoResult
from kliento.metrics.key_clients import ParetoRow as ParetoRow
from kliento.metrics.key_clients import pareto as pareto
