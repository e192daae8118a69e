from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """Contacts with a client (calls, meetings, notes, e-mails) and the tasks they lead to.

    Plugs into the base layer's registries and the client card's panel registry; reads and
    writes clients only through `clients.selectors` and `clients.services`."""

    name = "kliento.activities"
    label = "activities"
    verbose_name = _("Activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.activities import registrations

        registrations.register()
