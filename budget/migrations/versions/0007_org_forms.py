"""organisation settings the treasury and accounting forms need

mã ĐVQHNS, the treasury (KBNN) and its code, Chương, default loại–khoản and
nguồn, and the cashier's name.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = (
    ("unit_code", 20),
    ("treasury_name", 200),
    ("treasury_code", 20),
    ("chapter", 10),
    ("sector_code", 20),
    ("fund_code", 10),
    ("cashier_name", 200),
)


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(
                sa.Column(name, sa.String(length), nullable=False, server_default="")
            )


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
