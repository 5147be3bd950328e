"""trust under attack: hardened row-level security, REPLACE-proof guards, an
audit chain that covers the money and has an anchored head

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from budget.migrations.frozen_guards import sqlite_statements, trigger_name
from budget.migrations.pg_security import NEW_TRIGGERS, upgrade_statements

COVERED_TABLES = (
    "vouchers",
    "estimate_versions",
    "estimate_parts",
    "estimate_lines",
    "award_decisions",
    "award_recipients",
)

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "audit_content",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["audit_entries.id"], name=op.f("fk_audit_content_entry_id_audit_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_content")),
    )
    with op.batch_alter_table("audit_content", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_content_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_content_organisation_id"), ["organisation_id"], unique=False
        )
    op.create_table(
        "audit_heads",
        sa.Column("org_key", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry_count", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("org_key", name=op.f("pk_audit_heads")),
    )
    op.create_table(
        "audit_coverage",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_audit_coverage")),
    )
    for table in COVERED_TABLES:
        op.execute(
            f"INSERT INTO audit_coverage (table_name, from_id) "
            f"SELECT '{table}', coalesce(max(id), 0) + 1 FROM {table}"
        )
    with op.batch_alter_table("budget_memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("display_name", sa.String(length=100), nullable=True))
    # The head of every chain as it stands now, before the guards watch the table.
    op.execute(
        "INSERT INTO audit_heads (org_key, entry_count, head_hash) "
        "SELECT g.k, COUNT(*), (SELECT b.hash FROM audit_entries b "
        "WHERE coalesce(b.organisation_id, 0) = g.k ORDER BY b.id DESC LIMIT 1) "
        "FROM (SELECT coalesce(organisation_id, 0) AS k FROM audit_entries) g GROUP BY g.k"
    )
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in upgrade_statements(schema):
            op.execute(statement)
        return
    for statement in sqlite_statements():
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name, table, _events, _fn in NEW_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS budget_lock_organisation(integer)")
        op.execute("DROP FUNCTION IF EXISTS budget_actor()")
    else:
        for statement in reversed(sqlite_statements()):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger_name(statement)}")
    with op.batch_alter_table("budget_memberships", schema=None) as batch_op:
        batch_op.drop_column("display_name")
    op.drop_table("audit_coverage")
    op.drop_table("audit_heads")
    op.drop_table("audit_content")
