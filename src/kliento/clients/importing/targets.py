"""The clients and purchases import/export targets, registered with the import machinery."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kliento.clients.importing.client_rows import ClientValidator
from kliento.clients.importing.client_writing import write_clients
from kliento.clients.importing.exports import export_clients, export_purchases
from kliento.clients.importing.fields import CLIENT_FIELDS, PURCHASE_FIELDS
from kliento.clients.importing.purchases import PurchaseValidator, write_purchases
from kliento.imports.registry import ImportTarget, register_target

CLIENTS = "clients"
PURCHASES = "purchases"

HINT = _(
    "Dates: 2026-03-31, 31.03.2026 or 31/03/2026. Amounts: 1234.50 or 1 234,50. Segments and "
    "tags that do not exist yet are created; account managers and companies must exist. For "
    "existing clients (same external reference) empty cells keep the stored value."
)


def register() -> None:
    common = {
        "import_permission": "clients.import_data",
        "export_permission": "clients.export_data",
        "hint": HINT,
        "done_url_name": "clients:list",
        "done_label": _("Open the client list"),
    }
    register_target(
        ImportTarget(
            key=CLIENTS,
            label=_("Clients"),
            fields=CLIENT_FIELDS,
            validator=ClientValidator,
            writer=write_clients,
            exporter=export_clients,
            order=10,
            **common,
        )
    )
    register_target(
        ImportTarget(
            key=PURCHASES,
            label=_("Purchases"),
            fields=PURCHASE_FIELDS,
            validator=PurchaseValidator,
            writer=write_purchases,
            exporter=export_purchases,
            order=20,
            **common,
        )
    )
