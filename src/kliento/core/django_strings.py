"""Django's own strings that show in Kliento but that Django's catalogs do not translate yet.

`kliento makemessages` collects them from here into Kliento's catalogs, which take precedence
over Django's (LOCALE_PATHS), so they read in the user's language. Nothing imports this module;
drop a string once Django's catalogs for ru, uk and pl translate it.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    # The empty choice of a model field's select (Django 6.1), e.g. the contact kind on the card.
    gettext_noop("- Select an option -"),
]
