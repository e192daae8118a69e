from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    """Measures of the client base (for now the key-client analysis); reads other apps only
    through their selectors and acts through their services."""

    name = "kliento.metrics"
    label = "metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        from kliento.metrics import registrations

        registrations.register()
