from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "kliento.imports"
    label = "imports"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from kliento.imports import registrations

        registrations.register()
