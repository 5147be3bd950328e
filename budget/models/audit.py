"""The audit log: append-only, each entry chained to the previous one's hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from budget.models.base import Base


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: create, edit, submit, approve, post, reverse, settle, override, pay, settings...
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditContent(Base):
    """A money row an audit entry vouches for: its canonical JSON and that JSON's hash.

    The entry's own hash covers these (table, row, label, hash) tuples, so a row
    changed later, by any means, no longer matches what the chain recorded.
    """

    __tablename__ = "audit_content"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    #: What a person calls the row: "chứng từ PC-0001", "dòng I.2 (phiên bản 1)".
    label: Mapped[str] = mapped_column(String(300))
    data: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """Per commune: how many audit entries there are and the last one's hash.

    Kept by a database trigger on every insert into audit_entries; verify compares
    the chain with it, and backups and the chairman's paper note carry it.
    """

    __tablename__ = "audit_heads"

    #: The commune's id; 0 for entries of no commune.
    org_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entry_count: Mapped[int] = mapped_column(BigInteger)
    head_hash: Mapped[str] = mapped_column(String(64))


class AuditCoverage(Base):
    """From which row id on a money table every row must be in the chain.

    Rows that existed before the chain covered content (migration 0005) are below
    ``from_id``; any later row that no audit entry vouches for was written around
    the application.
    """

    __tablename__ = "audit_coverage"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    from_id: Mapped[int] = mapped_column(Integer)
