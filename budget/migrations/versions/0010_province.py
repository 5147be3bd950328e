"""a province reads its communes: the province code, its reviewers, read policies
evaluated once per query

Organisations carry the code of their province; ``budget_province_reviewers``
names the logins that read every commune of a province and write nothing
(row-level security in budget/migrations/province_rls.py). The reconcile index
carries the organisation, so that a commune's reconcile under row-level
security stays an index-only scan.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from budget.migrations.province_rls import (
    downgrade_statements,
    join_write_policies,
    split_write_policies,
    upgrade_statements,
)

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

RECONCILE = ["campaign_id", "line_code", "entry_date", "spent_delta", "committed_delta"]


def upgrade() -> None:
    bind = op.get_bind()
    # Plain ADD COLUMN and CREATE INDEX (no batch copy): the guard triggers stay.
    op.add_column(
        "organisations",
        sa.Column("province_code", sa.String(length=40), nullable=False, server_default=""),
    )
    op.create_index(
        op.f("ix_organisations_province_code"), "organisations", ["province_code"], unique=False
    )
    op.create_table(
        "budget_province_reviewers",
        sa.Column("rolname", sa.String(length=63), nullable=False),
        sa.Column("province_code", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint(
            "rolname", "province_code", name=op.f("pk_budget_province_reviewers")
        ),
    )
    op.drop_index("ix_vouchers_reconcile", table_name="vouchers")
    op.create_index(
        "ix_vouchers_reconcile", "vouchers", [*RECONCILE, "organisation_id"], unique=False
    )
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in upgrade_statements(schema) + split_write_policies(bind, schema):
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in join_write_policies(bind, schema) + downgrade_statements(schema):
            op.execute(statement)
    op.drop_index("ix_vouchers_reconcile", table_name="vouchers")
    op.create_index("ix_vouchers_reconcile", "vouchers", RECONCILE, unique=False)
    op.drop_table("budget_province_reviewers")
    op.drop_index(op.f("ix_organisations_province_code"), table_name="organisations")
    op.drop_column("organisations", "province_code")
