"""The clients and purchases import/export targets, registered with the import machinery."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kliento.clients.importing.client_rows import ClientValidator
from kliento.clients.importing.client_writing import write_clients
from kliento.clients.importing.exports import EXPORT_LABELS, export_clients, export_purchases
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
    for key, label, fields, validator, writer, exporter, export_labels, order in (
        (
            CLIENTS,
            _("Clients"),
            CLIENT_FIELDS,
            ClientValidator,
            write_clients,
            export_clients,
            {},
            10,
        ),
        (
            PURCHASES,
            _("Purchases"),
            PURCHASE_FIELDS,
            PurchaseValidator,
            write_purchases,
            export_purchases,
            EXPORT_LABELS,
            20,
        ),
    ):
        register_target(
            ImportTarget(
                key=key,
                label=label,
                import_permission="clients.import_data",
                export_permission="clients.export_data",
                fields=fields,
                validator=validator,
                writer=writer,
                exporter=exporter,
                export_labels=export_labels,
                hint=HINT,
                done_url_name="clients:list",
                done_label=_("Open the client list"),
                order=order,
            )
        )
