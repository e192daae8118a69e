"""The client card's demo loader: clients of the demo company, and volume data on request."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients.demo import scale as scaled
from kliento.clients.demo.company import demo_clients_exist, load_demo_clients
from kliento.core.demo import DemoLoader, DemoOptions, register_demo_loader


def load(options: DemoOptions) -> None:
    if demo_clients_exist():
        options.report(_("The demo clients are already loaded; reusing them."))
    else:
        options.report(
            _("Loading the demo company (%(count)d clients)…") % {"count": options.clients}
        )
        load_demo_clients(clients=options.clients, language=options.language)
    if options.scale is not None:
        _load_scale(options)


def _load_scale(options: DemoOptions) -> None:
    """Volume data comes on top of the demo company, whose staff manage the clients; a second
    run finds it by its references and leaves it as it is."""
    scale = options.scale or 0
    # Dated back from today so that recency and the key-client period look current.
    spec = scaled.ScaleSpec.from_scale(scale, until=timezone.localdate())
    loaded = scaled.scaled_clients_loaded(spec.seed)
    if loaded:
        options.report(
            _("Generated volume data is already loaded (%(count)s clients).")
            % {"count": f"{loaded:,}"}
        )
        return
    options.report(
        _(
            "Generating %(clients)s clients and %(purchases)s purchases (scale 1 takes "
            "about four minutes on PostgreSQL with two cores)…"
        )
        % {"clients": f"{spec.clients:,}", "purchases": f"{spec.purchases:,}"}
    )
    last = {"table": ""}

    def progress(table: str, done: int, total: int) -> None:
        if table != last["table"] or done == total or done % 1_000_000 == 0:
            last["table"] = table
            options.report(f"  {table}: {done:,} / {total:,}")

    result = scaled.load_scale(spec, progress=progress)
    options.report(_("Volume data loaded in %(seconds)s s.") % {"seconds": f"{result.seconds:.0f}"})


def register() -> None:
    register_demo_loader(DemoLoader("clients", load, depends_on=("core.organisation",)))
