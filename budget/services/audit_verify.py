"""``audit verify``: check the chain, its anchored head and the money it covers,
and say exactly what changed (which entry, voucher or line; edited, deleted,
reordered, missing at the end)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from budget.errors import Phrase, Term
from budget.models import (
    AuditContent,
    AuditCoverage,
    AuditEntry,
    AuditHead,
    Campaign,
    Organisation,
)
from budget.money import format_vnd
from budget.services.audit import GENESIS_HASH, content_by_entry, entry_hash, hashed_fields
from budget.services.audit_content import COVERED, FIELD_LABELS, CoveredRow, canonical, sha256

MONEY_FIELDS = {"amount", "spent_delta", "committed_delta", "unit_price", "base_salary"}
_CHUNK = 500


@dataclass(frozen=True)
class ChainHead:
    org_key: int
    commune: str
    count: int
    head_hash: str

    @property
    def short(self) -> str:
        return self.head_hash[:16]


@dataclass(frozen=True)
class VerifyReport:
    problems: tuple[str, ...]
    heads: tuple[ChainHead, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def _communes(session: Session) -> dict[int, str]:
    names = {0: "(chung)"}
    names.update({i: c for i, c in session.execute(select(Organisation.id, Organisation.code))})
    return names


def chain_heads(session: Session) -> list[ChainHead]:
    """The recorded head (count, last hash) of every chain this session sees."""
    names = _communes(session)
    return [
        ChainHead(h.org_key, names.get(h.org_key, str(h.org_key)), h.entry_count, h.head_hash)
        for h in session.execute(select(AuditHead).order_by(AuditHead.org_key)).scalars()
    ]


def _check_chain(
    entries: Sequence[AuditEntry],
    contents: dict[int, list[AuditContent]],
    head: AuditHead | None,
    commune: str,
) -> list[str]:
    problems: list[str] = []
    index = {e.hash: i for i, e in enumerate(entries)}
    recorded = head.entry_count if head is not None else None
    missing = (recorded - len(entries)) if recorded is not None else 0
    reported_order: set[int] = set()
    for i, entry in enumerate(entries):
        items = contents.get(entry.id, ())
        if entry.hash != entry_hash(entry.prev_hash, hashed_fields(entry, items)):
            problems.append(
                Phrase("Mục nhật ký #{id} bị sửa (nội dung không khớp mã băm).", id=entry.id)
            )
        expected = entries[i - 1].hash if i else GENESIS_HASH
        if entry.prev_hash == expected or entry.id in reported_order:
            continue
        before = index.get(entry.prev_hash)
        if before is not None and before > i:
            other = entries[before]
            problems.append(
                Phrase("Mục nhật ký #{id} và #{other} bị đảo thứ tự.", id=entry.id, other=other.id)
            )
            reported_order.update({entry.id, other.id})
        elif before is not None:
            problems.append(
                Phrase("Mục nhật ký #{id} không nối tiếp mục ngay trước (bị đổi chỗ).", id=entry.id)
            )
        elif missing > 0:
            if i:
                problems.append(
                    Phrase(
                        "Mục nhật ký giữa mục #{before} và #{id} đã bị xóa.",
                        before=entries[i - 1].id,
                        id=entry.id,
                    )
                )
            else:
                problems.append(Phrase("Mục nhật ký trước mục #{id} đã bị xóa.", id=entry.id))
        elif i:
            problems.append(
                Phrase(
                    "Mục nhật ký #{before} bị sửa và tính lại mã băm (mục #{id} không còn nối vào).",
                    before=entries[i - 1].id,
                    id=entry.id,
                )
            )
        else:
            problems.append(Phrase("Mục nhật ký đầu tiên #{id} không bắt đầu chuỗi.", id=entry.id))
    if head is None:
        if entries:
            problems.append(Phrase("Mất bản ghi đầu chuỗi nhật ký của {commune}.", commune=commune))
        return problems
    last = entries[-1].hash if entries else None
    if not entries and recorded:
        problems.append(
            Phrase(
                "Đã xóa toàn bộ {count} mục nhật ký của {commune}.", count=recorded, commune=commune
            )
        )
    elif last != head.head_hash:
        at = index.get(head.head_hash)
        if at is None and missing > 0:
            problems.append(
                Phrase(
                    "Đã xóa {missing} mục cuối nhật ký của {commune} (ghi nhận {recorded} mục, "
                    "còn {left}; mục cuối còn lại #{last}).",
                    missing=missing,
                    commune=commune,
                    recorded=recorded,
                    left=len(entries),
                    last=entries[-1].id,
                )
            )
        elif at is None:
            problems.append(
                Phrase(
                    "Mục cuối nhật ký của {commune} (#{last}) bị thay.",
                    commune=commune,
                    last=entries[-1].id,
                )
            )
        else:
            problems.append(
                Phrase(
                    "Có {count} mục nhật ký thêm ngoài chương trình sau mục #{id}.",
                    count=len(entries) - at - 1,
                    id=entries[at].id,
                )
            )
    elif missing:
        problems.append(
            Phrase(
                "Số mục nhật ký của {commune} không khớp đầu chuỗi: ghi nhận {recorded}, còn {left}.",
                commune=commune,
                recorded=recorded,
                left=len(entries),
            )
        )
    return problems


def _value(field: str, value: Any) -> str:
    if value is None:
        return "(trống)"
    if field in MONEY_FIELDS and isinstance(value, int):
        return format_vnd(value)
    return str(value)


def _describe_change(label: str, recorded: str, current: str) -> str:
    old, new = json.loads(recorded), json.loads(current)
    changes = [
        f"{FIELD_LABELS.get(f, f)} {_value(f, old.get(f))} → {_value(f, new.get(f))}"
        for f in sorted(set(old) | set(new))
        if old.get(f) != new.get(f)
    ]
    return f"{label[:1].upper()}{label[1:]} bị sửa: {'; '.join(changes)}."


_M = TypeVar("_M", bound=CoveredRow)


def _rows_by_id(session: Session, model: type[_M], ids: list[int]) -> dict[int, _M]:
    rows: dict[int, _M] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for row in session.execute(select(model).where(model.id.in_(chunk))).scalars():
            rows[row.id] = row
    return rows


def _check_content(
    session: Session, items: list[AuditContent]
) -> tuple[list[str], dict[str, set[int]]]:
    problems: list[str] = []
    covered: dict[str, set[int]] = {t: set() for t in COVERED}
    by_table: dict[str, list[AuditContent]] = {}
    for item in items:
        if item.table_name in COVERED:
            by_table.setdefault(item.table_name, []).append(item)
            covered[item.table_name].add(item.row_id)
    for table, group in by_table.items():
        rows = _rows_by_id(session, COVERED[table][0], sorted({i.row_id for i in group}))
        for item in group:
            if sha256(item.data) != item.hash:
                problems.append(f"Bản đối chiếu của {item.label} trong nhật ký bị sửa.")
                continue
            row = rows.get(item.row_id)
            if row is None:
                label = item.label[:1].upper() + item.label[1:]
                problems.append(f"{label} (#{item.row_id}) đã bị xóa.")
                continue
            current = canonical(table, row)
            if current != item.data:
                problems.append(_describe_change(item.label, item.data, current))
    return problems, covered


_UNCOVERED_LABEL = {
    "vouchers": lambda r: Phrase("Chứng từ {number} (#{id})", number=r.number, id=r.id),
    "estimate_lines": lambda r: Phrase("Dòng dự toán {code} (#{id})", code=r.code, id=r.id),
    "award_recipients": lambda r: Phrase("Người nhận «{name}» (#{id})", name=r.name, id=r.id),
}


def _check_uncovered(session: Session, covered: dict[str, set[int]]) -> list[str]:
    """Money rows written around the application: frozen, yet in no audit entry."""
    from budget.models import AwardDecision, AwardRecipient, EstimateLine, EstimateVersion, Voucher

    since = {
        t: i for t, i in session.execute(select(AuditCoverage.table_name, AuditCoverage.from_id))
    }
    queries: dict[str, Select[Voucher] | Select[EstimateLine] | Select[AwardRecipient]] = {
        "vouchers": select(Voucher).where(Voucher.id >= since.get("vouchers", 0)),
        "estimate_lines": select(EstimateLine)
        .join(EstimateVersion, EstimateVersion.id == EstimateLine.version_id)
        .where(
            EstimateVersion.status == "approved", EstimateLine.id >= since.get("estimate_lines", 0)
        ),
        "award_recipients": select(AwardRecipient)
        .join(AwardDecision, AwardDecision.id == AwardRecipient.decision_id)
        .where(
            AwardDecision.paid_at.is_not(None),
            AwardRecipient.id >= since.get("award_recipients", 0),
        ),
    }
    problems: list[str] = []
    for table, query in queries.items():
        for row in session.execute(query).scalars():
            if row.id not in covered[table]:
                problems.append(
                    Phrase(
                        "{what} không có trong nhật ký (ghi ngoài chương trình).",
                        what=_UNCOVERED_LABEL[table](row),
                    )
                )
    return problems


def verify(
    session: Session, *, expect_head: str | None = None, expect_count: int | None = None
) -> VerifyReport:
    """Every visible chain, its recorded head, the rows it covers, and what the
    chairman noted on paper (``expect_head``: the hash or its first 16+ digits)."""
    names = _communes(session)
    entries_by_org: dict[int, list[AuditEntry]] = {}
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
        entries_by_org.setdefault(entry.organisation_id or 0, []).append(entry)
    heads = {h.org_key: h for h in session.execute(select(AuditHead)).scalars()}
    contents = content_by_entry(session)
    problems: list[str] = []
    for key in sorted(set(entries_by_org) | set(heads)):
        problems += _check_chain(
            entries_by_org.get(key, []), contents, heads.get(key), names.get(key, str(key))
        )
    items = [i for group in contents.values() for i in group]
    content_problems, covered = _check_content(session, items)
    problems += content_problems
    problems += _check_uncovered(session, covered)
    observed = [
        ChainHead(k, names.get(k, str(k)), len(v), v[-1].hash)
        for k, v in sorted(entries_by_org.items())
    ]
    problems += _check_expectation(observed, expect_head, expect_count)
    problems += _check_line_totals(session)
    from budget.guard_check import missing_guards

    problems += [
        Phrase("Thiếu hoặc bị sửa cơ chế bảo vệ: {name}.", name=name)
        for name in missing_guards(session)
    ]
    return VerifyReport(tuple(problems), tuple(chain_heads(session)))


def _check_line_totals(session: Session) -> list[str]:
    """Each line's running total (what posting checks the balance on) against the sum of
    its vouchers: a total edited around the program would let a line overspend."""
    from sqlalchemy import text

    from budget.migrations.line_totals import MISMATCHES

    found = session.execute(text(MISMATCHES)).all()
    if not found:
        return []
    ids = {campaign_id for campaign_id, _ in found}
    campaigns = session.execute(select(Campaign.id, Campaign.code).where(Campaign.id.in_(ids)))
    codes = {campaign_id: code for campaign_id, code in campaigns}
    return [
        Phrase(
            "Tổng lũy kế của dòng {line} (kế hoạch {campaign}) không khớp các chứng từ của dòng.",
            line=line,
            campaign=codes.get(campaign_id, f"#{campaign_id}"),
        )
        for campaign_id, line in found
    ]


def _check_expectation(
    observed: list[ChainHead], expect_head: str | None, expect_count: int | None
) -> list[str]:
    if expect_head is None and expect_count is None:
        return []
    # The chain of the commune (the one with the most entries when several are seen).
    chain = max(observed, key=lambda h: (h.org_key != 0, h.count), default=None)
    count = chain.count if chain else 0
    head = chain.head_hash if chain else ""
    problems: list[str] = []
    if expect_count is not None and count != expect_count:
        problems.append(
            Phrase(
                "Số bản ghi nhật ký là {count}, không phải {expected} như đã ghi.",
                count=count,
                expected=expect_count,
            )
        )
    if expect_head is not None and not head.startswith(expect_head.strip().lower()):
        problems.append(
            Phrase(
                "Mã đầu chuỗi là {head}, không phải {expected} như đã ghi.",
                head=head[:16] or Term("(trống)"),
                expected=expect_head.strip()[:16],
            )
        )
    return problems
