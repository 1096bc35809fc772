"""Queries a socket process runs for every delivered message, compiled to SQL once.

Building a queryset with nested Exists() costs the ORM milliseconds per call, far more than the database
needs to answer it (about 0.2 ms on SQLite). The socket asks the same question for every message and every
recipient, so the SQL is built once per process from the very queryset the pages use (access.py: one
definition of who may read what), with marker numbers in place of the arguments, and then executed with
the real values.
"""

from django.db import connection

MARK = -7_400_000_000  # marker arguments: numbers no id or cursor ever takes


class Compiled:
    def __init__(self, build, *names):
        self.build, self.names = build, names
        self.sql = self.slots = None

    def _compile(self):
        markers = {name: MARK - number for number, name in enumerate(self.names)}
        query = self.build(**markers).query
        sql, params = query.get_compiler(connection=connection).as_sql()
        by_marker = {value: name for name, value in markers.items()}
        self.slots = [(by_marker.get(param), param) for param in params]
        if not all(name in {slot for slot, _param in self.slots} for name in self.names):
            raise RuntimeError("a marker argument was not passed as a query parameter")
        self.sql = sql

    def rows(self, **values):
        if self.sql is None:
            self._compile()
        params = [values[name] if name is not None else param for name, param in self.slots]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()
