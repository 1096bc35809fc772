"""Queries a socket process runs for every delivered message, and the writes of every message sent, compiled
to SQL once.

Building a queryset with nested Exists() costs the ORM milliseconds per call, far more than the database
needs to answer it (about 0.2 ms on SQLite). The socket asks the same question for every message and every
recipient, so the SQL is built once per process from the very queryset the pages use (access.py: one
definition of who may read what), with marker numbers in place of the arguments, and then executed with
the real values. Writes the same way: an UPDATE built once from a queryset and the new values.

On PostgreSQL the server plans each of these statements once per connection, not on every run: they go through
a cursor that binds its arguments on the server, and psycopg prepares what it runs again (Django's own cursors
bind on the client and prepare nothing, for the sake of connection poolers: see docs/operations.md). Many sockets
ask the same question at once (each member of a group, woken by the same notice): their questions go to the
server as one statement (rows_each). A plan and a round trip per socket had made the database the busiest
part of a socket process.
"""

from typing import NamedTuple

from django.db import connection
from django.db.models.sql import UpdateQuery

MARK = -7_400_000_000  # marker arguments: numbers no id or cursor ever takes
PREPARE_AFTER = 2  # runs of a statement on a connection


def _cursor():
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    # What connection.cursor() does, with a cursor that binds on the server. Django turns psycopg's preparing
    # off for the connection; its own cursors never prepare (they bind on the client), so turning it on again
    # reaches only these statements.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.connection.prepare_threshold = PREPARE_AFTER
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))


class Compiled:
    def __init__(self, build, *names):
        self.build, self.names = build, names
        self.sql = self.slots = self.each_sql = self.compiler = self.converters = None

    def _query(self, markers):
        return self.build(**markers).query

    def _compile(self):
        markers = {name: MARK - number for number, name in enumerate(self.names)}
        query = self._query(markers)
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        # Rows come back as the ORM gives them (SQLite hands dates over as text, for one).
        self.compiler = compiler
        self.converters = compiler.get_converters([column for column, _sql, _alias in compiler.select or ()])
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
        with _cursor() as cursor:
            self._execute(cursor, values)
            return self._converted(cursor.fetchall())

    def _converted(self, rows):
        if not self.converters:
            return rows
        return [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]

    def bind(self, **values):
        return Bound(self, values)

    def rows_each(self, entries):
        """[rows(**values) for values in entries], on PostgreSQL in one statement (the same for any number of
        entries, so it is prepared too): each argument as an array, the query joined LATERAL to their rows."""
        if connection.vendor != "postgresql" or len(entries) < 2:
            return [self.rows(**values) for values in entries]
        if self.each_sql is None:
            self.each_sql = self._each_sql()
        constants = [param for name, param in self.slots if name is None]
        arrays = [[values[name] for values in entries] for name in self.names]
        found = [[] for _entry in entries]
        with _cursor() as cursor:
            cursor.execute(self.each_sql, [*arrays, *constants])
            for n, *row in cursor.fetchall():
                found[n - 1].append(tuple(row))
        return [self._converted(rows) for rows in found]

    def _each_sql(self):
        if self.sql is None:
            self._compile()
        pieces = self.sql.split("%s")
        if len(pieces) != len(self.slots) + 1:
            raise RuntimeError("the SQL holds a %s that is not a parameter")
        quote = connection.ops.quote_name
        inner = [pieces[0]]
        for (name, _param), piece in zip(self.slots, pieces[1:], strict=True):
            inner.append(("%s" if name is None else f"v.{quote(name)}") + piece)
        arrays = ", ".join(["%s::bigint[]"] * len(self.names))  # the marker arguments are numbers (MARK)
        columns = ", ".join(quote(name) for name in self.names)
        # A LATERAL subquery runs as the inner side of a nested loop: each entry's rows come together and in
        # the query's own order, entry after entry.
        return (f"SELECT v.n, q.* FROM unnest({arrays}) WITH ORDINALITY AS v({columns}, n) "  # noqa: S608
                f"CROSS JOIN LATERAL ({''.join(inner)}) AS q")  # (the compiled SQL and quoted names; values bound)


class Bound(NamedTuple):
    """A compiled query with its values: a read that reads.py can run together with others of the same query."""

    query: Compiled
    values: dict

    def rows(self):
        return self.query.rows(**self.values)


class CompiledUpdate(Compiled):
    """`build(**markers)` gives (queryset, {field: new value}); update(**values) runs that UPDATE."""

    def _query(self, markers):
        queryset, changes = self.build(**markers)
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(changes)
        return query

    def update(self, **values):
        with _cursor() as cursor:
            self._execute(cursor, values)
            return cursor.rowcount
