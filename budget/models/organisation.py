"""The commune (đơn vị) that owns campaigns, with its settings and signers."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from budget.models.base import Base


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("dialect IN ('bac', 'nam')", name="dialect"),
        CheckConstraint("rounding IN ('up', 'nearest')", name="rounding"),
        CheckConstraint(
            "collective_rule IN ('coefficient', 'twice_rounded')", name="collective_rule"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: "xã" or "phường"; the heading reads "UBND XÃ PHÚ LÝ".
    commune_kind: Mapped[str] = mapped_column(String(20), default="xã")
    commune_name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(200), default="")
    #: The province the commune belongs to, as a code (since the 2025 reform a
    #: province reads its communes directly): a province reviewer reads every
    #: commune with its code. Set by ``budget admin``; writers cannot change it.
    province_code: Mapped[str] = mapped_column(
        String(40), default="", server_default="", index=True
    )
    superior_body: Mapped[str | None] = mapped_column(String(200))
    #: The place in "Phú Lý, ngày 15 tháng 3 năm 2024"; the commune's name when empty.
    place_name: Mapped[str] = mapped_column(String(200), default="")
    chairman_name: Mapped[str] = mapped_column(String(200), default="")
    chairman_title: Mapped[str] = mapped_column(String(200), default="CHỦ TỊCH")
    accountant_name: Mapped[str] = mapped_column(String(200), default="")
    preparer_name: Mapped[str] = mapped_column(String(200), default="")
    dialect: Mapped[str] = mapped_column(String(10), default="bac")
    rounding: Mapped[str] = mapped_column(String(10), default="up")
    collective_rule: Mapped[str] = mapped_column(String(20), default="coefficient")
    #: "coefficient" or "multiple_rounded" (1,5 × the rounded individual amount).
    household_rule: Mapped[str] = mapped_column(
        String(20), default="coefficient", server_default="coefficient"
    )
    #: Treasury forms (C2-02a/NS, C2-03/NS) and cash vouchers (C41-BB): mã ĐVQHNS,
    #: the treasury (KBNN) and its code, Chương, default loại–khoản and nguồn, thủ quỹ.
    unit_code: Mapped[str] = mapped_column(String(20), default="", server_default="")
    treasury_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    treasury_code: Mapped[str] = mapped_column(String(20), default="", server_default="")
    chapter: Mapped[str] = mapped_column(String(10), default="", server_default="")
    sector_code: Mapped[str] = mapped_column(String(20), default="", server_default="")
    fund_code: Mapped[str] = mapped_column(String(10), default="", server_default="")
    cashier_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: The campaign commands act on when --campaign is not given (no FK: a soft pointer).
    current_campaign_id: Mapped[int | None] = mapped_column(Integer)
