from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "kliento.clients"
    label = "clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        from kliento.clients import registrations

        registrations.register()
