"""Funding sources and the commune's emulation-reward fund register, per year."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from budget.models.base import Base


class FundingSource(Base):
    """A source the user defines beside the built-in ones (quy_tdkt, thuong_xuyen)."""

    __tablename__ = "funding_sources"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))


class FundRegister(Base):
    """Quỹ thi đua, khen thưởng of one commune for one year: its opening balance."""

    __tablename__ = "fund_registers"
    __table_args__ = (
        UniqueConstraint("organisation_id", "year", "source"),
        CheckConstraint("opening_balance >= 0", name="opening_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(40), default="quy_tdkt")
    opening_balance: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


class FundAllocation(Base):
    """Money put into the fund in the year (trích lập, bổ sung), by a decision."""

    __tablename__ = "fund_allocations"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("fund_registers.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    decision_number: Mapped[str] = mapped_column(String(60))
    decision_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
