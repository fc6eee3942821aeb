"""Many new rows into one table at once, with COPY, inside the caller's transaction.

A pushed batch writes hundreds of plain new rows (the events' own records, production
entries). COPY takes them several times faster than one INSERT per row, with the same
checks: constraints, foreign keys and unique keys are enforced as for an INSERT.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from sqlalchemy import Table, insert
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
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
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
