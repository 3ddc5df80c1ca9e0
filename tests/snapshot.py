"""The rows a fixture wrote, kept once and written back in one statement per table.

``loaddata`` of the 2020 meeting costs 1.9 s on PostgreSQL (274 objects saved one by one, each
many-to-many change also written to its history by django-simple-history: 1,678 statements). A
transactional test (the browser's) ends with Django emptying the database, so each such test used to
pay it again. ``Rows.taken(load)`` runs ``load`` once and keeps what it added to every table, as the
database gives it back; ``restore()`` writes exactly those rows again (PostgreSQL's COPY, SQLite's
executemany), then sets the sequences as ``loaddata`` does. The rows are the database's own, history
rows included: nothing is deserialized, no signal runs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction


def _tables() -> list[tuple[type[models.Model], str, list[str]]]:
    """(model, table, columns one can write) of every table Django manages: generated columns left out."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.swapped:
            continue
        fields = meta.local_concrete_fields
        columns = [f.column for f in fields if f.column and not isinstance(f, models.GeneratedField)]
        found.append((model, meta.db_table, columns))
    return found


def _read(table: str, columns: list[str]) -> list:
    """Every row of a table: COPY's text lines on PostgreSQL (types round-trip exactly), tuples on SQLite."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) TO STDOUT") as copy:
                return b"".join(bytes(block) for block in copy).splitlines(keepends=True)
        cursor.execute(f"SELECT {names} FROM {quote(table)}")  # noqa: S608 - names from the models
        return cursor.fetchall()


def _write(table: str, columns: list[str], rows: list) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                copy.write(b"".join(rows))
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608


@dataclass
class Rows:
    """What a load added to each table, in the order the tables were read."""

    added: list[tuple[type[models.Model], str, list[str], list]]

    @classmethod
    def taken(cls, load: Callable[[], Any]) -> "Rows":
        tables = _tables()
        before = {table: set(_read(table, columns)) for _, table, columns in tables}
        load()
        added = []
        for model, table, columns in tables:
            new = [row for row in _read(table, columns) if row not in before[table]]
            if new:
                added.append((model, table, columns, new))
        return cls(added)

    def restore(self) -> None:
        """Write the rows again (foreign keys are checked at commit), and set the sequences past them."""
        with transaction.atomic():
            for _, table, columns, rows in self.added:
                _write(table, columns, rows)
            statements = connection.ops.sequence_reset_sql(no_style(), [model for model, *_ in self.added])
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
