from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "kliento.clients"
    label = "clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from kliento.clients import registrations
        from kliento.clients.selectors import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="kliento.sqlite_fold")
        registrations.register()
