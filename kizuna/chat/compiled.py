"""Queries a socket process runs for every delivered message, and the writes of every message sent, compiled
to SQL once.

Building a queryset with nested Exists() costs the ORM milliseconds per call, far more than the database
needs to answer it (about 0.2 ms on SQLite). The socket asks the same question for every message and every
recipient, so the SQL is built once per process from the very queryset the pages use (access.py: one
definition of who may read what), with marker numbers in place of the arguments, and then executed with
the real values. Writes the same way: an UPDATE built once from a queryset and the new values.
"""

from django.db import connection
from django.db.models.sql import UpdateQuery

MARK = -7_400_000_000  # marker arguments: numbers no id or cursor ever takes


class Compiled:
    def __init__(self, build, *names):
        self.build, self.names = build, names
        self.sql = self.slots = None

    def _query(self, markers):
        return self.build(**markers).query

    def _compile(self):
        markers = {name: MARK - number for number, name in enumerate(self.names)}
        query = self._query(markers)
        sql, params = query.get_compiler(connection=connection).as_sql()
        by_marker = {value: name for name, value in markers.items()}
        self.slots = [(by_marker.get(param), param) for param in params]
        if not all(name in {slot for slot, _param in self.slots} for name in self.names):
            raise RuntimeError("a marker argument was not passed as a query parameter")
        self.sql = sql

    def _execute(self, cursor, values):
        if self.sql is None:
            self._compile()
        cursor.execute(self.sql, [values[name] if name is not None else param for name, param in self.slots])

    def rows(self, **values):
        with connection.cursor() as cursor:
            self._execute(cursor, values)
            return cursor.fetchall()


class CompiledUpdate(Compiled):
    """`build(**markers)` gives (queryset, {field: new value}); update(**values) runs that UPDATE."""

    def _query(self, markers):
        queryset, changes = self.build(**markers)
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(changes)
        return query

    def update(self, **values):
        with connection.cursor() as cursor:
            self._execute(cursor, values)
            return cursor.rowcount
