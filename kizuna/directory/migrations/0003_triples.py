"""The gram index also holds character triples (words of up to three characters are found by one gram,
longer ones by far rarer grams): rebuild it from the entries' stored text and facets.

The gram function is copied here as it was when this migration was written (migrations keep their code).
"""

import operator

from django.db import migrations

_SAFE = str.maketrans({c: chr(0xF0000 + c) for c in range(0x80) if not chr(c).isalnum()})
BATCH = 2000


def _grams(value):
    value = value.translate(_SAFE)
    pairs = list(map(operator.add, value, value[1:]))
    found = set(value)
    found.update(pairs)
    found.update(map(operator.add, pairs, value[2:]))
    return found


def _entry_grams(text, facets):
    found = set(facets.split())
    for value in text.split("\n"):
        found |= _grams(value)
    return " ".join(sorted(found))


def rebuild(apps, schema_editor):
    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("TRUNCATE directory_grams")
        else:
            cursor.execute("INSERT INTO directory_fts(directory_fts) VALUES ('delete-all')")
        last = 0
        while True:
            cursor.execute("SELECT id, text, facets FROM directory_entry WHERE id > %s ORDER BY id LIMIT %s",
                           [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            if postgres:
                cursor.executemany("INSERT INTO directory_grams(entry_id, grams) VALUES (%s, string_to_array(%s, ' '))",
                                   [(pk, _entry_grams(text, facets)) for pk, text, facets in rows])
            else:
                cursor.executemany("INSERT INTO directory_fts(rowid, grams) VALUES (%s, %s)",
                                   [(pk, _entry_grams(text, facets)) for pk, text, facets in rows])


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_gram_index")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
