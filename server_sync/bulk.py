"""Many new rows into one table at once, with COPY, inside the caller's transaction.

A pushed batch writes hundreds of plain new rows (the events' own records, production
entries). COPY takes them several times faster than one INSERT per row, with the same
checks: constraints, foreign keys and unique keys are enforced as for an INSERT.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import psycopg
from sqlalchemy import JSON, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

COPY_FROM_ROWS = 50  # fewer rows go in one pipelined INSERT: one round trip, COPY takes two


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert new rows (each naming every column): COPY for many, an INSERT for a few."""
    if len(rows) >= COPY_FROM_ROWS:
        copy_rows(session, table, rows)
    elif rows:
        session.execute(insert(table), list(rows))


def copy_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (each naming every column) into `table` with COPY FROM STDIN.

    Each value goes through its column type's bind processing, exactly as SQLAlchemy
    sends it in an INSERT (times to UTC, enums to their stored names, JSON). A failure
    is raised as SQLAlchemy's error (IntegrityError for a unique violation), so callers
    handle it like any statement's; the transaction is then to be rolled back.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    columns = list(table.columns)
    processors: list[Callable[[Any], Any] | None] = []
    for column in columns:
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        processors.append(_as_encoded(process) if isinstance(column.type, JSON) else process)
    quote = dialect.identifier_preparer.quote
    statement = (
        f"COPY {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(column.name) for column in columns)}) FROM STDIN"
    )
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection), "COPY needs the psycopg driver"
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        row[column.name] if process is None else process(row[column.name])
                        for column, process in zip(columns, processors, strict=True)
                    ]
                )
    except psycopg.Error as error:
        raise DBAPIError.instance(statement, None, error, psycopg.Error) from error


def _as_encoded(process: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """A JSON column's bind processing, but a value that carries its own JSON text
    (`json_text`, e.g. a pushed payload measured for its size) is written as that text."""

    def bind(value: Any) -> Any:
        text = getattr(value, "json_text", None)
        if text is not None:
            return text
        return value if process is None else process(value)

    return bind
