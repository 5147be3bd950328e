"""communes sharing one PostgreSQL: memberships and row-level security

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from budget.migrations.rls import create_rls, drop_rls

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budget_memberships",
        sa.Column("rolname", sa.String(length=63), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "role IN ('accountant', 'chairman', 'viewer')", name=op.f("ck_budget_memberships_role")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_budget_memberships_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("rolname", "organisation_id", name=op.f("pk_budget_memberships")),
    )
    create_rls()


def downgrade() -> None:
    drop_rls()
    op.drop_table("budget_memberships")
