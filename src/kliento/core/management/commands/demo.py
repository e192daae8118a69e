from __future__ import annotations

import os
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from kliento.core import demo_organisation, roles
from kliento.core.demo import DemoOptions, load_demo
from kliento.core.models import OrgUnit, StaffProfile
from kliento.core.schedule import start_scheduler_thread
from kliento.core.serving import allowed_hosts_hint, serve, start_worker_thread
from kliento.private_files import write_private_file

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Set up the data folder, load the demo company once, and serve Kliento."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--clients", type=int, default=300)
        parser.add_argument("--no-serve", action="store_true", help="Set up and load, then exit.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=os.environ.get("KLIENTO_LANGUAGE") or settings.LANGUAGE_CODE,
            help=(
                "The language the demo company names its units, segments and tags in "
                "(default: KLIENTO_LANGUAGE, else en). Clients' facts and purchases are in "
                "each client's own language."
            ),
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=None,
            help=(
                "Also load generated volume data: 1 = 1,000,000 clients and 10,000,000 "
                "purchases, 0.01 = 10,000 and 100,000. Same data on every run (fixed seed)."
            ),
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        clients: int,
        no_serve: bool,
        scale: float | None,
        language: str = "",
        **options: Any,
    ) -> None:
        if scale is not None and not 0 < scale <= 10:
            # Checked before anything is written, so a typo costs no half-loaded demo.
            raise CommandError(
                _("--scale must be above 0 and at most 10, got %(scale)s") % {"scale": f"{scale:g}"}
            )
        self.stdout.write(_("Data folder: %(path)s") % {"path": settings.DATA_DIR})
        call_command("migrate", interactive=False, verbosity=0)
        language = language or settings.LANGUAGE_CODE
        load_demo(
            DemoOptions(clients=clients, scale=scale, language=language, report=self.stdout.write)
        )
        self._announce_admin(language)
        if no_serve:
            return
        start_worker_thread()
        start_scheduler_thread()
        if hint := allowed_hosts_hint(host):
            self.stdout.write(self.style.WARNING(hint))
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(_("Open %(url)s (Ctrl+C stops)") % {"url": url}))
        serve(host=host, port=port, threads=8)

    @transaction.atomic
    def _announce_admin(self, language: str) -> None:
        credentials = settings.DATA_DIR / "demo-admin.txt"
        user_model = get_user_model()
        user = user_model.objects.filter(username=ADMIN_USERNAME).first()
        if user is None:
            password = secrets.token_urlsafe(9)
            user = user_model.objects.create_superuser(
                username=ADMIN_USERNAME,
                email="admin@rytm.example",
                password=password,
                first_name="Demo",
                last_name="Administrator",
            )
            user.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
            company = OrgUnit.objects.filter(parent=None).first()
            StaffProfile.objects.create(
                user=user, unit=company, position=demo_organisation.name("director", language)
            )
            # Demo staff share the password so each role can be tried from the login page.
            for member in user_model.objects.filter(staff_profile__isnull=False).exclude(
                pk=user.pk
            ):
                if not member.has_usable_password():
                    member.set_password(password)
                    member.save(update_fields=["password"])
            credentials.unlink(missing_ok=True)  # left over from an earlier database
            write_private_file(credentials, f"{ADMIN_USERNAME}\n{password}\n")
        if credentials.exists():
            username, password = credentials.read_text().split()[:2]
            if user.check_password(password):
                self.stdout.write(
                    _("Log in as: %(username)s / %(password)s")
                    % {"username": username, "password": password}
                )
                self.stdout.write(
                    _(
                        "Demo staff use the same password: marta (manager), piotr (stage "
                        "owner), olena (agent), ewa (auditor)."
                    )
                )
                return
        self.stdout.write(
            _("Log in as “%(username)s” with the password you set.") % {"username": ADMIN_USERNAME}
        )
