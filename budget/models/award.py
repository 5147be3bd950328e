"""Award decisions (quyết định khen thưởng) and their recipients."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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


class AwardDecision(Base):
    __tablename__ = "award_decisions"
    __table_args__ = (UniqueConstraint("organisation_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    decision_date: Mapped[date] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text, default="")
    #: The estimate line the payout is charged to, when the user chose exactly one.
    line_code: Mapped[str | None] = mapped_column(String(20))
    #: The lines the user chose (JSON list of codes); each recipient is paid from the
    #: one priced by its form's norm, or from the only one.
    line_codes: Mapped[str | None] = mapped_column(Text)
    rounding: Mapped[str] = mapped_column(String(10))
    collective_rule: Mapped[str] = mapped_column(String(20))
    household_rule: Mapped[str] = mapped_column(
        String(20), default="coefficient", server_default="coefficient"
    )
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime)
    paid_by: Mapped[str | None] = mapped_column(String(100))


class AwardRecipient(Base):
    __tablename__ = "award_recipients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("award_decisions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    #: ca_nhan, tap_the, ho_gia_dinh (from the form).
    recipient_kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300), default="")
    form: Mapped[str] = mapped_column(String(60))
    coefficient: Mapped[str] = mapped_column(String(20))
    base_salary: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    rule: Mapped[str] = mapped_column(Text, default="")
    line_code: Mapped[str] = mapped_column(String(20))
