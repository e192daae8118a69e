from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    """The service mission and the book of corporate standards: versions, acknowledgements,
    review dates, revision requests, and the standards that apply where work happens.

    Links to journey stages and touchpoints by string foreign keys; reads a client's stages only
    through `journeys.selectors`."""

    name = "kliento.standards"
    label = "standards"
    verbose_name = _("Standards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.standards import registrations

        registrations.register()
