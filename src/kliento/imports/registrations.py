"""What the import machinery brings to the base layer: its menu entry and its audit actions.

The targets themselves are registered by the apps that own the data (see `registry`).
Called once from `ImportsConfig.ready()`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kliento.core import audit
from kliento.core.mounts import mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.imports.registry import may_import_any


def register() -> None:
    mount_urls("imports", "import/", "kliento.imports.urls", order=20)
    register_menu_item(
        MenuItem(
            key="imports",
            label=_("Import"),
            url_name="imports:list",
            # Shown to whoever may import into at least one registered target.
            visible=may_import_any,
            group="setup",
            order=20,
            active_for=("imports:",),
        )
    )
    audit.register_action("import.requeued", _("Stalled import requeued"))
