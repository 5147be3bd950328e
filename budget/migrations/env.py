"""Alembic environment: runs on the connection handed in by budget.db."""

from __future__ import annotations

from alembic import context

from budget.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # pragma: no cover - only for the alembic CLI
        from budget.db import make_engine

        url = config.get_main_option("sqlalchemy.url")
        assert url is not None, "alembic.ini has no sqlalchemy.url"
        engine = make_engine(url)
        with engine.begin() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
