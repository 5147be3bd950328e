"""indexes for the chairman's page at province scale

The largest payments are read from the top of an index on (campaign, spent);
overrides and advances, a few rows in a million, from partial indexes.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.create_index("ix_vouchers_largest", ["campaign_id", "spent_delta"], unique=False)
        batch_op.create_index(
            "ix_vouchers_overrides",
            ["campaign_id"],
            unique=False,
            sqlite_where=sa.text("override_reason IS NOT NULL"),
            postgresql_where=sa.text("override_reason IS NOT NULL"),
        )
        batch_op.create_index(
            "ix_vouchers_advances",
            ["campaign_id"],
            unique=False,
            sqlite_where=sa.text("kind = 'advance'"),
            postgresql_where=sa.text("kind = 'advance'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.drop_index("ix_vouchers_advances")
        batch_op.drop_index("ix_vouchers_overrides")
        batch_op.drop_index("ix_vouchers_largest")
