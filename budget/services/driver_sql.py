"""Fixed statements of the posting path, run on SQLite's own connection.

SQLAlchemy's execution context (compiled-cache look-up, parameter processing,
result metadata, events) costs about 70 µs a statement, three times what SQLite
takes to run the statement itself; a posting issues four. The statements here
are fixed strings with named parameters, run on the session's DB-API
connection inside the session's transaction, with the values SQLAlchemy would
have bound (dates and datetimes in SQLAlchemy's SQLite storage format, so that
the ORM reads them back identically).

Writes go through here only after the caller's first write of the transaction
went through SQLAlchemy (``post_voucher`` inserts the voucher with a Core
insert), so the engine's refusal of writes on a guarded, read-only or reviewer
database (budget/db.py) has already had its say. Other dialects run the same
statement through SQLAlchemy.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

_NAME = re.compile(r"(?<![:\w]):(\w+)")


def as_sqlalchemy_error(statement: str, params: Any, err: sqlite3.Error) -> Exception:
    """The driver's error as SQLAlchemy would have raised it (OperationalError for a
    locked database or a full disk, IntegrityError for a guard...): every caller and
    budget/failures.py see the same exceptions either way."""
    return DBAPIError.instance(statement, params, err, sqlite3.Error)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S.%f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


class DriverStatement:
    """One statement with ``:name`` parameters: SQLite's driver runs it directly."""

    def __init__(self, sql: str) -> None:
        self.sql = sql
        self.names = tuple(_NAME.findall(sql))
        self.qmark = _NAME.sub("?", sql)
        self.clause = text(sql)

    @classmethod
    def insert(cls, table: Table, columns: Sequence[str], returning: str | None = None) -> Any:
        sql = (
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)})"
        )
        return cls(sql + (f" RETURNING {returning}" if returning else ""))

    def execute(self, session: Session, params: Mapping[str, Any]) -> Any:
        """A cursor (SQLite) or a SQLAlchemy result: both have ``fetchone``."""
        conn = session.connection()
        if conn.dialect.name != "sqlite":
            return conn.execute(self.clause, dict(params))
        driver: Any = conn.connection.driver_connection
        values = [_sqlite_value(params[n]) for n in self.names]
        try:
            return driver.execute(self.qmark, values)
        except sqlite3.Error as err:
            raise as_sqlalchemy_error(self.qmark, values, err) from err

    def scalar(self, session: Session, params: Mapping[str, Any]) -> Any:
        row = self.execute(session, params).fetchone()
        return None if row is None else row[0]
