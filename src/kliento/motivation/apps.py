from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MotivationConfig(AppConfig):
    """Motivation: KPIs read from the other apps through a source registry, bonus and penalty
    rules, period statements that freeze once approved, and the recognition feed (client
    praise, exemplary evaluations and colleagues' thanks, with reactions).

    Reads surveys, the desk and quality control only through their selectors."""

    name = "kliento.motivation"
    label = "motivation"
    verbose_name = _("Motivation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.motivation import registrations

        registrations.register()
