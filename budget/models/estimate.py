"""Estimate (dự toán) versions, their parts and lines.

A version is draft, submitted or approved. An approved version is frozen:
the services refuse to touch it and database triggers (see the migrations)
abort any UPDATE or DELETE of it, its parts or its lines.
"""

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
from budget.vocabulary import APPROVED, DRAFT, SUBMITTED  # re-exported (see __all__)
from budget.vocabulary import ESTIMATE_STATUS_LABELS as STATUS_LABELS

__all__ = [
    "APPROVED",
    "DRAFT",
    "STATUS_LABELS",
    "SUBMITTED",
    "EstimateLine",
    "EstimatePart",
    "EstimateVersion",
]


class EstimateVersion(Base):
    __tablename__ = "estimate_versions"
    __table_args__ = (
        UniqueConstraint("campaign_id", "version_no"),
        CheckConstraint("status IN ('draft', 'submitted', 'approved')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=DRAFT)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("estimate_versions.id"))
    title: Mapped[str] = mapped_column(String(500), default="")
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[date | None] = mapped_column(Date)
    approver: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: "Căn cứ ..." lines derived for this version (an adjustment re-derives them);
    #: None: the campaign's.
    legal_bases: Mapped[str | None] = mapped_column(Text)


class EstimatePart(Base):
    __tablename__ = "estimate_parts"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("estimate_versions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    #: Roman numeral heading, "I", "II", ...
    code: Mapped[str] = mapped_column(String(20))
    #: Stable key of the part across versions: phat_dong, mo_hinh, so_ket, tong_ket, khen_thuong...
    key: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(500))


class EstimateLine(Base):
    __tablename__ = "estimate_lines"
    __table_args__ = (
        UniqueConstraint("version_id", "code"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("estimate_versions.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("estimate_parts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    #: "II.3": the line's handle; vouchers are charged to it.
    code: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(60), default="")
    #: Exact decimal as canonical text ("12", "2.5"); never a float.
    quantity: Mapped[str] = mapped_column(String(40))
    #: Optional second factor (người × ngày): exact decimal text.
    multiplier: Mapped[str | None] = mapped_column(String(40))
    multiplier_unit: Mapped[str] = mapped_column(String(60), default="")
    unit_price: Mapped[int] = mapped_column(BigInteger)
    #: "reward:giay_khen_ca_nhan" or a rate code; None when typed by hand.
    norm_ref: Mapped[str | None] = mapped_column(String(100))
    amount: Mapped[int] = mapped_column(BigInteger)
    mlnsnn: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    #: Where the money comes from (quy_tdkt, thuong_xuyen, a user source); None:
    #: the default for the line's budget code (see budget.services.fund).
    funding_source: Mapped[str | None] = mapped_column(String(40))
    #: "MM-DD": the day of the year the norm is read on (awards after 01/7...).
    norm_on: Mapped[str | None] = mapped_column(String(5))
