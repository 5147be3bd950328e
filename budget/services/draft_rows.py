"""Deleting a draft estimate's rows.

On PostgreSQL accountants hold no DELETE right on estimate lines and parts (a
role with DELETE may LOCK the table in any mode and stall every commune's
writers): the rows go through ``budget_remove_line`` and ``budget_clear_version``,
SECURITY DEFINER functions that check the caller is an accountant of the commune
(migration 0008). The freezing triggers apply as to any delete.
"""

from __future__ import annotations

from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from budget.models import EstimateLine, EstimatePart


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def remove_line_row(session: Session, line: EstimateLine) -> None:
    if not _postgres(session):
        session.delete(line)
        session.flush()
        return
    session.flush()
    session.execute(text("SELECT budget_remove_line(:id)"), {"id": line.id})
    session.expunge(line)


def clear_version_rows(session: Session, version_id: int) -> None:
    """Every line and part of a draft version (an import replaces them)."""
    if not _postgres(session):
        session.execute(delete(EstimateLine).where(EstimateLine.version_id == version_id))
        session.execute(delete(EstimatePart).where(EstimatePart.version_id == version_id))
        return
    session.flush()
    session.execute(text("SELECT budget_clear_version(:v)"), {"v": version_id})
