"""the running total of every line, kept by the database

``line_totals`` holds what each line's vouchers add up to, advanced by a trigger
on every voucher insert, so that a posting reads its line's balance from one row
(budget/migrations/line_totals.py). The totals of the vouchers already there are
written first, then the triggers and (PostgreSQL) the read policy are created.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from budget.migrations.frozen_guards import trigger_name
from budget.migrations.line_totals import (
    BACKFILL,
    postgres_downgrade,
    postgres_statements,
    sqlite_statements,
)

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "line_totals",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("line_code", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("spent", sa.BigInteger(), nullable=False),
        sa.Column("committed", sa.BigInteger(), nullable=False),
        sa.Column("voucher_count", sa.BigInteger(), nullable=False),
        sa.Column("last_voucher_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_line_totals_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_line_totals_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("campaign_id", "line_code", name=op.f("pk_line_totals")),
    )
    op.create_index(
        op.f("ix_line_totals_organisation_id"), "line_totals", ["organisation_id"], unique=False
    )
    op.execute(BACKFILL)
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in postgres_statements(schema):
            op.execute(statement)
        return
    for statement in sqlite_statements():
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in postgres_downgrade(schema):
            op.execute(statement)
    else:
        for statement in reversed(sqlite_statements()):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger_name(statement)}")
    op.drop_index(op.f("ix_line_totals_organisation_id"), table_name="line_totals")
    op.drop_table("line_totals")
