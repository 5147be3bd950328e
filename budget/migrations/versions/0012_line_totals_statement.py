"""PostgreSQL adds a statement's vouchers to the line totals once per statement

Migration 0011's trigger updated a line's total once per voucher row. In one
transaction PostgreSQL keeps every version of that row until commit, and each
update walks the versions before it: an import or bulk load of N vouchers into a
line cost on the order of N² (budget/migrations/line_totals.py). The trigger now
fires once per INSERT statement and adds what its transition table holds, line by
line; the guard lets a total count more than one voucher at a time. SQLite's
triggers update in place and stay as they are.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from budget.migrations.line_totals import postgres_statement_level

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _run(target: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in postgres_statement_level(schema, target):
        op.execute(statement)


def upgrade() -> None:
    _run("0012")


def downgrade() -> None:
    _run("0011")
