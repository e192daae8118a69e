"""What the base layer itself puts into its registries: the organisation page, API tokens'
audit actions and notification, and the demo organisation."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from kliento.core import audit, demo_organisation, roles, tokens
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job


def register() -> None:
    from kliento.core.tasks import prune_notifications

    register_periodic_job(
        PeriodicJob("core.prune_notifications", prune_notifications, dt.timedelta(days=1))
    )
    every_role = list(roles.ROLE_LABELS)
    roles.register_grants({role: ["core.view_orgunit"] for role in every_role})
    roles.register_grants({roles.ADMINISTRATOR: ["core.change_orgunit", "core.add_orgunit"]})
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [
                "core.view_rolesecuritypolicy",
                "core.add_rolesecuritypolicy",
                "core.change_rolesecuritypolicy",
            ]
        }
    )
    register_menu_item(
        MenuItem(
            key="core.organisation",
            label=_("Organisation"),
            url_name="organisation",
            permission="core.view_orgunit",
            group="setup",
            order=10,
        )
    )
    audit.register_action("api_token.issued", _("API token issued"))
    audit.register_action("api_token.revoked", _("API token revoked"))
    audit.register_action("account.locked_out", _("Login locked after failed attempts"))
    audit.register_action("account.unlocked", _("Login unlocked"))
    audit.register_action("two_factor.enabled", _("Two-factor authentication turned on"))
    audit.register_action("two_factor.disabled", _("Two-factor authentication turned off"))
    audit.register_action("two_factor.backup_codes", _("New backup codes made"))
    audit.register_action("security_policy.changed", _("Role security policy changed"))
    register_notification_kind(
        NotificationKind(
            key="api_token.issued",
            label=_("An API token was issued for you"),
            render=tokens.describe_token_issued,
            # A token acts as its owner: they should hear of it even when not looking at Kliento.
            default_email=True,
        )
    )
    demo_organisation.register()
