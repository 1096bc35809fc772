"""PostgreSQL: the entries' reading key is compared by code point (the "C" collation), as on SQLite and in
Python: a search merges the index's id order with sorted rows (access._in_reading_order), and the kana of a
reading key are in 五十音 order by code point whatever the database's locale. SQLite compares by code point
already (BINARY)."""

from django.db import migrations


def collate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE directory_entry ALTER COLUMN sort_key TYPE varchar(150) COLLATE "C"')


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_audience_exceptions")]
    operations = [migrations.RunPython(collate, migrations.RunPython.noop)]
