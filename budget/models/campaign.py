"""A campaign plan (kế hoạch) of one commune for one year."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from budget.models.base import Base


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: Short handle used on the command line (--campaign), e.g. "cqtt-2024".
    code: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60), default="")
    plan_date: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(500))
    #: "Căn cứ ..." lines, one per line of text.
    legal_bases: Mapped[str] = mapped_column(Text, default="")
    template: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
