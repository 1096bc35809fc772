"""The n-gram index beside directory_entry (see kizuna/directory/index.py for why it is ours)."""

from django.db import migrations

SQLITE = (
    "CREATE VIRTUAL TABLE directory_fts USING fts5(grams, content='', detail=none, tokenize='ascii')",
    "DROP TABLE directory_fts",
)
# No foreign key: entries' post_delete signal removes their grams, and ids are never reused.
POSTGRES = (
    "CREATE TABLE directory_grams (entry_id integer PRIMARY KEY, grams text[] NOT NULL);"
    "CREATE INDEX directory_grams_gin ON directory_grams USING gin (grams)",
    "DROP TABLE directory_grams",
)


def _run(apps, schema_editor, forward=True):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    schema_editor.execute(statements[0 if forward else 1])


def create(apps, schema_editor):
    _run(apps, schema_editor)


def drop(apps, schema_editor):
    _run(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
