"""`kliento issue_token USERNAME NAME`: create an API token and print it, the only time it shows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kliento.core.tokens import issue_token


class Command(BaseCommand):
    help = "Create a named API token for a user and print it; only its hash is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user the token acts as.")
        parser.add_argument("name", help="What the token is for, e.g. 'shop integration'.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(_("No user called “%(name)s”.") % {"name": username}) from None
        if not user.is_active:
            raise CommandError(
                _("User “%(name)s” is inactive; a token would not work.") % {"name": username}
            )
        try:
            # Issued from the command line: no logged-in actor, the audit entry says who for.
            _token, raw = issue_token(actor=None, user=user, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(raw)
