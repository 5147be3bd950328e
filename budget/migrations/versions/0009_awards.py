"""the lines an award decision pays from, as the user chose them

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy): the table's guard triggers stay in place.
    op.add_column("award_decisions", sa.Column("line_codes", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("award_decisions", "line_codes")
