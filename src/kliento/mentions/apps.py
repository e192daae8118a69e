from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentionsConfig(AppConfig):
    """The information field around the company: a catalogue of external situations with
    prepared reactions, and the inbox of mentions (API, RSS/Atom feeds, CSV import) matched to
    them, answered and tracked against each situation's reaction deadline.

    Reads clients through `clients.selectors`, opens cases through `desk.services`."""

    name = "kliento.mentions"
    label = "mentions"
    verbose_name = _("Information field")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kliento.mentions import registrations

        registrations.register()
