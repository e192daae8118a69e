from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kliento.core"
    label = "core"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login

        from kliento.core import registrations
        from kliento.core.db import note_login
        from kliento.core.roles import sync_roles

        # Roles are data the code depends on, so they are kept in step after every migrate.
        # No sender filter: each app's permissions are created in that app's own post_migrate,
        # after core's, so syncing only on core's signal would leave the roles empty on a fresh
        # database. Syncing is idempotent and cheap.
        post_migrate.connect(sync_roles, dispatch_uid="kliento.core.sync_roles")
        # A login must work while an import holds SQLite's write lock: the last-login time is
        # bookkeeping, written when the database is free and skipped otherwise.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(note_login, dispatch_uid="kliento.core.note_login")
        registrations.register()
        # Staff accounts: lockouts are audited; the session clocks start at each login.
        from axes.signals import user_locked_out

        from kliento.core import lockout, sessions  # noqa: F401  (sessions: its receiver)

        user_locked_out.connect(lockout.record_lockout, dispatch_uid="kliento.core.lockout")
