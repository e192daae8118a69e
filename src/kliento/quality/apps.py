from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    """Quality control: checklists built from the standards book (versioned), evaluations
    scored against them (audits, mystery shops, QA reviews, calibration), evidence, findings
    that reach back to the standard they test, compliance and exemplary results.

    Links to other apps' models by string foreign keys; reads the standards book only through
    `standards.selectors` and raises revision requests through `standards.services`."""

    name = "kliento.quality"
    label = "quality"
    verbose_name = _("Quality control")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.quality import registrations

        registrations.register()
