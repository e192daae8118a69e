from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """CSAT, CES, NPS, custom and internal surveys, their invitations and public pages, and the
    closed loop (a follow-up for the owner of what a poor answer concerns).

    Reads clients through `clients.selectors`; other apps feed it through `surveys.registry`."""

    name = "kliento.surveys"
    label = "surveys"
    verbose_name = _("Surveys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.surveys import registrations

        registrations.register()
