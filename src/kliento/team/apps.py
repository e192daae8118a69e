from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    """Team development: ideal-employee profiles, hiring by attitude first, onboarding with a
    mentor, the training catalogue, refresher training triggered by performance signals, and
    the internal climate per team.

    Reads surveys, standards and metrics through their selectors; other apps add performance
    signals through `team.registry`."""

    name = "kliento.team"
    label = "team"
    verbose_name = _("Team development")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.team import registrations

        registrations.register()
