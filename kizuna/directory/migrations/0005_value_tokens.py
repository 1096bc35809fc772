"""Filterable values (member type, join and leave years, industry, location, and the audiences an entry is
for) become tokens of the gram index, kept in `facets`: add them to every entry from its own columns
and rebuild the gram index from the entries' text and facets.

The functions are copied here as they were when this migration was written (migrations keep their code).
"""

import operator

from django.db import migrations

_SAFE = str.maketrans({c: chr(0xF0000 + c) for c in range(0x80) if not chr(c).isalnum()})
BATCH = 2000
FIRST_YEAR, LAST_YEAR = 1899, 2101
AUDIENCES = ("for_alumni", "for_employees", "for_admins")


def _grams(value):
    value = value.translate(_SAFE)
    pairs = list(map(operator.add, value, value[1:]))
    found = set(value)
    found.update(pairs)
    found.update(map(operator.add, pairs, value[2:]))
    return found


def _token(prefix, value):
    return prefix + "".join(filter(str.isalnum, str(value)))


def _facets(facets, member_type, joined, left, industry, location, flags):
    found = set(facets.split()) | {_token("typ", member_type)}
    for prefix, year in (("j", joined), ("l", left)):
        if year is not None:
            year = min(max(year, FIRST_YEAR), LAST_YEAR)
            found |= {f"{prefix}y{year}", f"{prefix}d{year // 10}"}
    if industry:
        found.add(_token("ind", industry))
    if location:
        found.add(_token("loc", location))
    found |= {flag.replace("_", "") for flag in AUDIENCES if flags[flag]}
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
            cursor.execute("SELECT id, text, facets, member_type, joined_year, left_year, industry, location, "
                           "for_alumni, for_employees, for_admins FROM directory_entry WHERE id > %s ORDER BY id "
                           "LIMIT %s", [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            updated, grams = [], []
            for pk, text, facets, member_type, joined, left, industry, location, *flags in rows:
                facets = _facets(facets, member_type, joined, left, industry, location,
                                 dict(zip(AUDIENCES, map(bool, flags), strict=True)))
                found = set(facets.split())
                for value in text.split("\n"):
                    found |= _grams(value)
                updated.append((facets, pk))
                grams.append((pk, " ".join(sorted(found))))
            cursor.executemany("UPDATE directory_entry SET facets = %s WHERE id = %s", updated)
            if postgres:
                cursor.executemany("INSERT INTO directory_grams(entry_id, grams) VALUES (%s, string_to_array(%s, ' '))",
                                   grams)
            else:
                cursor.executemany("INSERT INTO directory_fts(rowid, grams) VALUES (%s, %s)", grams)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_audience_index")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
