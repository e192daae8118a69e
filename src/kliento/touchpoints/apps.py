from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TouchpointsConfig(AppConfig):
    """Every place a client meets the company (website, office, delivery, an employee's speech),
    each with one owner, its regulation and quality parameters, and the impressions clients
    leave there."""

    name = "kliento.touchpoints"
    label = "touchpoints"
    verbose_name = _("Touchpoints")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.touchpoints import registrations

        registrations.register()
