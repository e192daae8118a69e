"""Trigram index for substring search on client names, on PostgreSQL only.

`name__icontains` compiles to `UPPER(name::text) LIKE UPPER('%q%')`; a GIN trigram index on the
same expression lets PostgreSQL answer it without scanning a million rows. SQLite has no
equivalent and does not need one at the embedded scale.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS client_name_trgm_idx ON clients_client "
    "USING gin (UPPER(name::text) gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS client_name_trgm_idx"]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
