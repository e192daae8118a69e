from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The service desk: cases from every channel (e-mail, web form, phone, chat and
    messengers through connectors), their conversation and history, assignment, SLA clocks,
    escalation along the policy's lists, the agents' workspace, the API and webhooks.

    Uses clients, journeys, touchpoints, standards, policy and surveys only through their
    services, selectors and registries, and refers to their models by string."""

    name = "kliento.desk"
    label = "desk"
    verbose_name = _("Service desk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.desk import registrations

        registrations.register()
