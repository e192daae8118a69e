from typing import Any

from django.db import migrations, models


def backfill(apps: Any, schema_editor: Any) -> None:
    # The rule that every entry path applies (first purchase, else the creation day), run on
    # the historical models so that the migration keeps working as the models change.
    from kliento.clients.rules import settle_client_since

    settle_client_since(
        apps.get_model("clients", "Client").objects.all(),
        purchases=apps.get_model("clients", "Purchase").objects.all(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0009_changed_since_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="client_since",
            field=models.DateField(blank=True, null=True, verbose_name="client since"),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["client_since"], name="client_since_idx"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
