"""An entry's audience tokens name the audiences it is not for ("notforalumni") instead of those it is for: most
entries are for everyone, and searches read the short list of exceptions. The facets are rewritten from the
entries' own flags and SQLite's gram index rebuilt from them (its contentless table forgets a row only when
given its exact terms, so it is filled anew). PostgreSQL's arrays keep the tokens of the audiences an entry is
for, which its searches ask for (a NOT cannot use its GIN index): they stay as they are.

The functions are copied here as they were when this migration was written (migrations keep their code).
"""

import operator

from django.db import migrations

_SAFE = str.maketrans({c: chr(0xF0000 + c) for c in range(0x80) if not chr(c).isalnum()})
VALUE_END = "vend"
BATCH = 2000
AUDIENCES = ("for_alumni", "for_employees", "for_admins")
OLD_TOKENS = {flag.replace("_", "") for flag in AUDIENCES}


def _terms(facets, text):
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


def _facets(facets, flags):
    found = set(facets.split()) - OLD_TOKENS
    found |= {"not" + flag.replace("_", "") for flag, shown in zip(AUDIENCES, flags, strict=True) if not shown}
    return " ".join(sorted(found))


def rebuild(apps, schema_editor):
    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if not postgres:
            cursor.execute("INSERT INTO directory_fts(directory_fts) VALUES ('delete-all')")
        last = 0
        while True:
            cursor.execute("SELECT id, text, facets, for_alumni, for_employees, for_admins FROM directory_entry "
                           "WHERE id > %s ORDER BY id LIMIT %s", [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            updated = [(_facets(facets, map(bool, flags)), pk, text) for pk, text, facets, *flags in rows]
            cursor.executemany("UPDATE directory_entry SET facets = %s WHERE id = %s",
                               [(facets, pk) for facets, pk, _text in updated])
            if not postgres:
                cursor.executemany("INSERT INTO directory_fts(rowid, grams, sequence) VALUES (%s, %s, %s)",
                                   [(pk, *_terms(facets, text)) for facets, pk, text in updated])
        if not postgres:
            cursor.execute("INSERT INTO directory_fts(directory_fts) VALUES ('optimize')")


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_phrase_index")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
