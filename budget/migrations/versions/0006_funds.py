"""funding sources, the emulation-reward fund register, legal bases per version

Lines carry their funding source (NULL: the default for their budget code)
and the day their norm is read; versions carry the "Căn cứ" lines derived
for them; decisions and the organisation carry the household rule.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NEW_TABLES = ("funding_sources", "fund_registers", "fund_allocations")


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): the triggers freezing approved rows stay.
    op.add_column("estimate_lines", sa.Column("funding_source", sa.String(length=40)))
    op.add_column("estimate_lines", sa.Column("norm_on", sa.String(length=5)))
    op.add_column("estimate_versions", sa.Column("legal_bases", sa.Text()))
    op.add_column(
        "organisations",
        sa.Column(
            "household_rule", sa.String(length=20), nullable=False, server_default="coefficient"
        ),
    )
    op.add_column(
        "award_decisions",
        sa.Column(
            "household_rule", sa.String(length=20), nullable=False, server_default="coefficient"
        ),
    )
    op.create_table(
        "funding_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_funding_sources_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_sources")),
        sa.UniqueConstraint(
            "organisation_id", "code", name=op.f("uq_funding_sources_organisation_id_code")
        ),
    )
    op.create_table(
        "fund_registers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("opening_balance", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint(
            "opening_balance >= 0", name=op.f("ck_fund_registers_opening_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_fund_registers_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_registers")),
        sa.UniqueConstraint(
            "organisation_id",
            "year",
            "source",
            name=op.f("uq_fund_registers_organisation_id_year_source"),
        ),
    )
    op.create_table(
        "fund_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("decision_number", sa.String(length=60), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_fund_allocations_amount_positive")),
        sa.ForeignKeyConstraint(
            ["fund_id"],
            ["fund_registers.id"],
            name=op.f("fk_fund_allocations_fund_id_fund_registers"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_fund_allocations_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_allocations")),
    )
    op.create_index(
        op.f("ix_fund_allocations_fund_id"), "fund_allocations", ["fund_id"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in NEW_TABLES:
            role = "budget_role(organisation_id)"
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(
                f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({role} IS NOT NULL)"
            )
            op.execute(
                f"CREATE POLICY {table}_write ON {table} FOR ALL "
                f"USING ({role} = 'accountant') WITH CHECK ({role} = 'accountant')"
            )


def downgrade() -> None:
    op.drop_index(op.f("ix_fund_allocations_fund_id"), table_name="fund_allocations")
    op.drop_table("fund_allocations")
    op.drop_table("fund_registers")
    op.drop_table("funding_sources")
    with op.batch_alter_table("award_decisions", schema=None) as batch_op:
        batch_op.drop_column("household_rule")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("household_rule")
    with op.batch_alter_table("estimate_versions", schema=None) as batch_op:
        batch_op.drop_column("legal_bases")
    with op.batch_alter_table("estimate_lines", schema=None) as batch_op:
        batch_op.drop_column("norm_on")
        batch_op.drop_column("funding_source")
