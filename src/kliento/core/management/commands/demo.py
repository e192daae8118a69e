from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import roles
from kliento.core.models import OrgUnit, StaffProfile
from kliento.core.serving import allowed_hosts_hint, serve, start_worker_thread
from kliento.demo import scale as scaled
from kliento.demo.company import demo_exists, load_demo_company
from kliento.private_files import write_private_file

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Set up the data folder, load the demo company once, and serve Kliento."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--clients", type=int, default=300)
        parser.add_argument("--no-serve", action="store_true", help="Set up and load, then exit.")
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
        *args,
        host: str,
        port: int,
        clients: int,
        no_serve: bool,
        scale: float | None,
        **options,
    ):
        spec = self._scale_spec(scale)
        self.stdout.write(_("Data folder: %(path)s") % {"path": settings.DATA_DIR})
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write(_("The demo company is already loaded; reusing it."))
        else:
            self.stdout.write(
                _("Loading the demo company (%(count)d clients)…") % {"count": clients}
            )
            load_demo_company(clients=clients)
        if spec is not None:
            self._load_scale(spec)
        self._announce_admin()
        if no_serve:
            return
        start_worker_thread()
        if hint := allowed_hosts_hint(host):
            self.stdout.write(self.style.WARNING(hint))
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(_("Open %(url)s (Ctrl+C stops)") % {"url": url}))
        serve(host=host, port=port, threads=8)

    def _scale_spec(self, scale: float | None) -> scaled.ScaleSpec | None:
        if scale is None:
            return None
        if not 0 < scale <= 10:
            raise CommandError(
                _("--scale must be above 0 and at most 10, got %(scale)s") % {"scale": f"{scale:g}"}
            )
        # Dated back from today so that recency and the key-client period look current.
        return scaled.ScaleSpec.from_scale(scale, until=timezone.localdate())

    def _load_scale(self, spec: scaled.ScaleSpec) -> None:
        """Volume data comes on top of the demo company, whose staff manage the clients; a
        second run finds it by its references and leaves it as it is."""
        loaded = scaled.scaled_clients_loaded(spec.seed)
        if loaded:
            self.stdout.write(
                _("Generated volume data is already loaded (%(count)s clients).")
                % {"count": f"{loaded:,}"}
            )
            return
        self.stdout.write(
            _(
                "Generating %(clients)s clients and %(purchases)s purchases (scale 1 takes "
                "about four minutes on PostgreSQL with two cores)…"
            )
            % {"clients": f"{spec.clients:,}", "purchases": f"{spec.purchases:,}"}
        )
        last = {"table": ""}

        def progress(table: str, done: int, total: int) -> None:
            if table != last["table"] or done == total or done % 1_000_000 == 0:
                last["table"] = table
                self.stdout.write(f"  {table}: {done:,} / {total:,}")

        result = scaled.load_scale(spec, progress=progress)
        self.stdout.write(
            _("Volume data loaded in %(seconds)s s.") % {"seconds": f"{result.seconds:.0f}"}
        )

    @transaction.atomic
    def _announce_admin(self) -> None:
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
            StaffProfile.objects.create(user=user, unit=company, position="Director")
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
