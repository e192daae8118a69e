from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    """Business processes: definitions as ordered steps with concrete results, runs of them for
    a client (a checklist), and the control points a manager signs off.

    Plugs into the base layer's registries and the client card's panel registry; reads clients
    only through `clients.selectors` and writes their timeline through `clients.services`."""

    name = "kliento.processes"
    label = "processes"
    verbose_name = _("Processes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.processes import registrations

        registrations.register()
