"""Accent- and order-insensitive client search (issue 6).

`Client.search_name` holds the client's name folded by `kliento.core.folding.fold` ("Łukasz
Żółkiewski" → "lukasz zolkiewski"); existing rows are filled here. On PostgreSQL the indexes
that keep the search fast at a million clients replace the trigram index on UPPER(name):

- a trigram GIN index on `search_name`, for every query word as a substring or word prefix;
- a b-tree on UPPER(external_ref) with text_pattern_ops, for reference prefixes
  (`external_ref__istartswith` compiles to `UPPER(external_ref::text) LIKE UPPER('x%')`);
- a partial b-tree with varchar_pattern_ops on e-mail values, for e-mail prefixes;
- a partial trigram GIN index on phone values, for digits anywhere in the E.164 number.

SQLite gets the column only: at its embedded scale a scan of the folded names is fast enough.
"""

from django.db import migrations

import kliento.core.folding

BATCH = 5000

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP INDEX IF EXISTS client_name_trgm_idx",
    "CREATE INDEX IF NOT EXISTS client_search_name_trgm_idx ON clients_client "
    "USING gin (search_name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS client_ref_prefix_idx ON clients_client "
    "(UPPER(external_ref::text) text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS contact_email_prefix_idx ON clients_contactpoint "
    "(value varchar_pattern_ops) WHERE kind = 'email'",
    "CREATE INDEX IF NOT EXISTS contact_phone_trgm_idx ON clients_contactpoint "
    "USING gin (value gin_trgm_ops) WHERE kind = 'phone'",
]
BACKWARD = [
    "DROP INDEX IF EXISTS contact_phone_trgm_idx",
    "DROP INDEX IF EXISTS contact_email_prefix_idx",
    "DROP INDEX IF EXISTS client_ref_prefix_idx",
    "DROP INDEX IF EXISTS client_search_name_trgm_idx",
    "CREATE INDEX IF NOT EXISTS client_name_trgm_idx ON clients_client "
    "USING gin (UPPER(name::text) gin_trgm_ops)",
]


def fill_search_names(apps, schema_editor):
    """Fold every existing name, in batches by id (plain SQL: no model code runs here)."""
    fold = kliento.core.folding.fold
    with schema_editor.connection.cursor() as cursor:
        last = 0
        while True:
            cursor.execute(
                "SELECT id, name FROM clients_client WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            cursor.executemany(
                "UPDATE clients_client SET search_name = %s WHERE id = %s",
                [(fold(name or ""), pk) for pk, name in rows],
            )
            last = rows[-1][0]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("clients", "0006_client_merge")]

    operations = [
        migrations.AddField(
            model_name="client",
            name="search_name",
            field=kliento.core.folding.FoldedTextField(source="name"),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
