from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneysConfig(AppConfig):
    """The customer journey: journeys of ordered stages, one owner per stage, where each client
    is and how it moved. Reads and writes clients only through `clients.selectors` and
    `clients.services`."""

    name = "kliento.journeys"
    label = "journeys"
    verbose_name = _("Customer journey")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.journeys import registrations

        registrations.register()
