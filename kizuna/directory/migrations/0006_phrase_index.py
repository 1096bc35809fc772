"""SQLite: the gram index gets a second column holding each value's triples in order, with positions
(detail=full), so that a word longer than three characters is found exactly as the phrase of its triples.
The table is made anew and filled from the entries. PostgreSQL keeps its index as it is.

The functions are copied here as they were when this migration was written (migrations keep their code).
"""

import operator

from django.db import migrations

_SAFE = str.maketrans({c: chr(0xF0000 + c) for c in range(0x80) if not chr(c).isalnum()})
VALUE_END = "vend"
BATCH = 2000


def _terms(text, facets):
    found, sequence = set(facets.split()), []
    for value in text.split("\n") if text else ():
        value = value.translate(_SAFE)
        pairs = list(map(operator.add, value, value[1:]))
        found.update(value)
        found.update(pairs)
        triples = list(map(operator.add, pairs, value[2:]))
        if triples:
            sequence += (*triples, VALUE_END)
    return " ".join(sorted(found)), " ".join(sequence)


def rebuild(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE directory_fts")
        cursor.execute("CREATE VIRTUAL TABLE directory_fts USING fts5(grams, sequence, content='', detail=full, "
                       "tokenize='ascii')")
        last = 0
        while True:
            cursor.execute("SELECT id, text, facets FROM directory_entry WHERE id > %s ORDER BY id LIMIT %s",
                           [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            cursor.executemany("INSERT INTO directory_fts(rowid, grams, sequence) VALUES (%s, %s, %s)",
                               [(pk, *_terms(text, facets)) for pk, text, facets in rows])
        cursor.execute("INSERT INTO directory_fts(directory_fts) VALUES ('optimize')")


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_value_tokens")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
