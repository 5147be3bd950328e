"""row-level security against a hostile session, continued: references stay in
their commune, and the "who" columns are the database login's name

Recreates every SECURITY DEFINER and trigger function, the actor-stamping
triggers and every policy (drop and create), so that a database migrated to 0005
with the earlier policies gets the current ones. PostgreSQL only.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from budget.migrations.pg_security import STAMPS, hardening_statements

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in hardening_statements(schema):
        op.execute(statement)


def downgrade() -> None:
    # The stricter policies stay (they only refuse what was never meant to be
    # allowed); the stamps go.
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _events, _column in STAMPS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
