"""Who may do what in which commune, for an office sharing one PostgreSQL.

Rows name a PostgreSQL login role; row-level security policies (see the
migrations) read them through a SECURITY DEFINER function, keyed to the
connected user, so the isolation holds for any client, not just this tool.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from budget.models.base import Base

ROLES = {"accountant": "Kế toán", "chairman": "Chủ tịch", "viewer": "Chỉ xem"}
#: The province-level reviewer (a login of the province, not of a commune).
REVIEWER = "reviewer"
REVIEWER_LABEL = "Rà soát cấp tỉnh"


class Membership(Base):
    __tablename__ = "budget_memberships"
    __table_args__ = (CheckConstraint("role IN ('accountant', 'chairman', 'viewer')", name="role"),)

    rolname: Mapped[str] = mapped_column(String(63), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    #: The name written as the actor of this login's changes (the login when empty).
    display_name: Mapped[str | None] = mapped_column(String(100))


class ProvinceReviewer(Base):
    """A login that reads every commune of a province and writes nothing.

    Row-level security reads it (``budget_role`` answers "reviewer" for the
    communes whose ``province_code`` matches); the login holds no writer group,
    so every write is refused by its table rights before any policy."""

    __tablename__ = "budget_province_reviewers"

    rolname: Mapped[str] = mapped_column(String(63), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
