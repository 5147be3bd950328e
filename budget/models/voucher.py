"""Vouchers (chứng từ) as ledger entries.

Each row carries the effect it has on its line: ``spent_delta`` and
``committed_delta``. Reconciliation is then one GROUP BY over an index that
covers (campaign, line, date, deltas). A posted row is never changed:

* payment (phiếu chi, giấy rút dự toán, ủy nhiệm chi): spent += amount
* advance (tạm ứng): committed += amount
* settlement of an advance: committed -= advance, spent += settled amount
* reversal: the negation of the row it reverses (``reverses_id``, unique)
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from budget.models.base import Base

# The kinds and the voucher types (names, prefixes) live in budget.vocabulary.
from budget.vocabulary import (  # re-exported for the services (see __all__)
    ADVANCE,
    ALL_TYPES,
    INTERNAL_TYPES,
    PAYMENT,
    REVERSAL,
    SETTLEMENT,
    SETTLEMENT_TYPE,
    VOUCHER_TYPES,
)

__all__ = [
    "ADVANCE",
    "ALL_TYPES",
    "INTERNAL_TYPES",
    "LineTotal",
    "PAYMENT",
    "REVERSAL",
    "SETTLEMENT",
    "SETTLEMENT_TYPE",
    "VOUCHER_TYPES",
    "Voucher",
]


class Voucher(Base):
    __tablename__ = "vouchers"
    __table_args__ = (
        UniqueConstraint("organisation_id", "type", "year", "number"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("kind IN ('payment', 'advance', 'settlement', 'reversal')", name="kind"),
        Index(
            "ix_vouchers_reconcile",
            "campaign_id",
            "line_code",
            "entry_date",
            "spent_delta",
            "committed_delta",
            # Row-level security reads the organisation (migration 0010): carried
            # here, a commune's reconcile stays an index-only scan on PostgreSQL.
            "organisation_id",
        ),
        Index("ix_vouchers_campaign_date", "campaign_id", "entry_date"),
        Index("ix_vouchers_series", "organisation_id", "type", "year", "seq"),
        # The chairman's page: the largest payments, walked from the top.
        Index("ix_vouchers_largest", "campaign_id", "spent_delta"),
        # Rare rows found without a scan: overrides and advances.
        Index(
            "ix_vouchers_overrides",
            "campaign_id",
            sqlite_where=text("override_reason IS NOT NULL"),
            postgresql_where=text("override_reason IS NOT NULL"),
        ),
        Index(
            "ix_vouchers_advances",
            "campaign_id",
            sqlite_where=text("kind = 'advance'"),
            postgresql_where=text("kind = 'advance'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    kind: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40))
    #: The running number when the tool numbered it (PC-0007 -> 7).
    seq: Mapped[int | None] = mapped_column(Integer)
    entry_date: Mapped[date] = mapped_column(Date)
    payee: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    #: The document's amount, always positive; the deltas carry the sign.
    amount: Mapped[int] = mapped_column(BigInteger)
    spent_delta: Mapped[int] = mapped_column(BigInteger)
    committed_delta: Mapped[int] = mapped_column(BigInteger)
    line_code: Mapped[str] = mapped_column(String(20))
    mlnsnn: Mapped[str] = mapped_column(String(10))
    override_reason: Mapped[str | None] = mapped_column(Text)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("vouchers.id"), unique=True)
    #: The advance a settlement settles (a reversed settlement frees it: not unique).
    settles_id: Mapped[int | None] = mapped_column(ForeignKey("vouchers.id"), index=True)
    award_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("award_decisions.id"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    #: Accent-folded number, payee and content for "thi dua" finding "thi đua".
    search_key: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(100))
    entered_at: Mapped[datetime] = mapped_column(DateTime)


class LineTotal(Base):
    """Per campaign and line: what its vouchers add up to, kept by the database.

    A trigger on every insert into ``vouchers`` (the ledger is append-only: rows are
    only ever inserted) adds the row's deltas here, in the same transaction, so a
    posting reads the line's balance from one row instead of summing its vouchers
    (migration 0011). ``voucher_count`` and ``last_voucher_id`` let the guards refuse
    any other change (budget/migrations/line_totals.py).
    """

    __tablename__ = "line_totals"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    line_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    spent: Mapped[int] = mapped_column(BigInteger)
    committed: Mapped[int] = mapped_column(BigInteger)
    voucher_count: Mapped[int] = mapped_column(BigInteger)
    last_voucher_id: Mapped[int] = mapped_column(Integer)
