from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    """The service policy: goals tied to the mission, procedures with their channels, standards
    and escalation lists, versions staff acknowledge, pilots, reviews and feedback.

    Uses the standards app only through string relations ("standards.Standard",
    "standards.Mission") and its public selectors."""

    name = "kliento.policy"
    label = "policy"
    verbose_name = _("Service policy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.policy import registrations

        registrations.register()
