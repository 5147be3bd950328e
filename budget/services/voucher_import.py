"""Importing vouchers from CSV or XLSX: every check of ``voucher add``, all or
nothing, in memory that does not grow with the file or the database.

The steps, each a function of its own:

1. ``check_file`` reads the whole file row by row and checks every row on its
   own (type, date, amount, texts, number) WITHOUT touching the database, so a
   bad file is refused before any write lock is taken;
2. under the caller's transaction ``import_vouchers`` reads it again (streamed)
   and ``_Ledger`` checks each row against the database: the approved line, the
   campaign's year, the remaining balance and the override reason;
3. ``_insert_batch`` checks only the batch's voucher numbers against the
   database (earlier batches are already in it, so a number repeated anywhere
   in the file is found too) and inserts the batch with one Core statement;
   and its content into the audit chain (``BulkCoverage``: canonical rows written
   with one executemany per batch, so ``audit verify`` sees a changed amount);
4. ``_audit`` appends the import's audit entry (carrying the last batch's rows)
   and any override entries.

Nothing is committed here: an error in any row rolls back every batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from budget import clock
from budget.dates import parse_date
from budget.errors import BudgetError, NotFoundError, Phrase, ValidationError
from budget.excel.row_stream import Header, ReadLimits, open_table
from budget.models import Campaign, EstimateLine, Voucher
from budget.models.voucher import ADVANCE, ALL_TYPES, PAYMENT, VOUCHER_TYPES
from budget.money import format_vnd, parse_vnd
from budget.services import audit, fund
from budget.services.audit_bulk import BulkCoverage
from budget.services.audit_content import Item
from budget.services.locks import lock_organisation
from budget.services.versions import current_approved
from budget.text import clean_text, fold

ALIASES = {
    "number": ["number", "Số", "Số chứng từ", "Số CT"],
    "type": ["type", "Loại", "Loại chứng từ"],
    "date": ["date", "Ngày", "Ngày chứng từ"],
    "line": ["line", "Dòng", "Dòng dự toán", "Mã dòng"],
    "payee": ["payee", "Người nhận", "Đơn vị nhận", "Người nhận tiền"],
    "content": ["content", "Nội dung", "Nội dung chi"],
    "amount": ["amount", "Số tiền"],
}
LABELS = {
    "number": "Số",
    "type": "Loại",
    "date": "Ngày",
    "line": "Dòng",
    "payee": "Người nhận",
    "content": "Nội dung",
    "amount": "Số tiền",
}
REQUIRED = ("date", "line", "payee", "content", "amount")
TYPE_NAMES = (
    {fold(code): code for code in VOUCHER_TYPES}
    | {fold(name): code for code, (name, _) in VOUCHER_TYPES.items()}
    | {
        fold("Phiếu chi"): "phieu_chi",
        fold("Giấy rút dự toán"): "rut_du_toan",
        fold("Rút dự toán"): "rut_du_toan",
        fold("Ủy nhiệm chi"): "uy_nhiem_chi",
        fold("Uỷ nhiệm chi"): "uy_nhiem_chi",
        fold("Tạm ứng"): "tam_ung",
        fold("Giấy đề nghị tạm ứng"): "tam_ung",
    }
)


@dataclass(frozen=True)
class ImportResult:
    rows: int
    total: int
    overspent_lines: tuple[str, ...]


BATCH_ROWS = 5000
_SEQ_DIGITS = re.compile(r"[0-9]{1,9}")


def _value(row: list[Any], header: Header, key: str) -> Any:
    index = header.columns.get(key)
    return row[index] if index is not None and index < len(row) else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _amount(value: Any, where: Callable[[], str]) -> int:
    """``where`` names the cell, built only for an error (most rows have none)."""
    if isinstance(value, bool):
        raise ValidationError("{where}: số tiền không hợp lệ.", where=where())
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(
                "{where}: số tiền {value} phải là số nguyên đồng.", where=where(), value=value
            )
        amount = int(value)
    else:
        try:
            amount = parse_vnd(_text(value))
        except BudgetError as exc:
            raise ValidationError("{where}: {message}", where=where(), message=exc.phrase) from None
    if amount <= 0:
        raise ValidationError("{where}: số tiền phải lớn hơn 0.", where=where())
    if amount >= 10**15:
        raise ValidationError("{where}: số tiền quá lớn.", where=where())
    return amount


def _date(value: Any, where: Callable[[], str]) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date(_text(value), "Ngày")
    except BudgetError as exc:
        raise ValidationError("{where}: {message}", where=where(), message=exc.phrase) from None


@dataclass(frozen=True)
class VoucherRow:
    """One row of the file, checked on its own (no database)."""

    row: int
    vtype: str
    day: date
    line: str
    amount: int
    payee: str
    content: str
    number: str | None  # None: numbered automatically
    seq: int | None  # the running number inside a given number of the series form


@dataclass(frozen=True)
class CheckedFile:
    """A voucher file read and checked in full before any lock (step 1)."""

    path: Path
    source: str
    rows: int
    total: int
    limits: ReadLimits


def _field_text(header: Header, number: int, key: str, value: Any, max_length: int) -> str:
    try:
        return clean_text(_text(value), LABELS[key], max_length=max_length)
    except ValidationError as exc:
        raise ValidationError(
            "{where}: {message}", where=header.where(number, LABELS[key]), message=exc.phrase
        ) from None


def parse_row(header: Header, number: int, values: list[Any]) -> VoucherRow:
    """Step 1 for one row: every check that needs no database."""

    def where(key: str) -> str:
        return header.where(number, LABELS[key])

    type_text = _text(_value(values, header, "type")) or "phieu_chi"
    vtype = TYPE_NAMES.get(fold(type_text))
    if vtype is None:
        raise ValidationError(
            "{where}: loại chứng từ «{type_text}» không hợp lệ (chọn: {voucher_types}).",
            where=where("type"),
            type_text=type_text[:60],
            voucher_types=", ".join(VOUCHER_TYPES),
        )
    day = _date(_value(values, header, "date"), lambda: where("date"))
    line = _field_text(header, number, "line", _value(values, header, "line"), 40)
    amount = _amount(_value(values, header, "amount"), lambda: where("amount"))
    payee = _field_text(header, number, "payee", _value(values, header, "payee"), 300)
    content = _field_text(header, number, "content", _value(values, header, "content"), 2000)
    given = _text(_value(values, header, "number"))
    voucher_no: str | None = None
    seq = None
    if given:
        voucher_no = _field_text(header, number, "number", given, 40)
        prefix = ALL_TYPES[vtype][1] + "-"
        tail = voucher_no[len(prefix) :]
        if voucher_no.startswith(prefix) and _SEQ_DIGITS.fullmatch(tail):
            seq = int(tail)  # ASCII digits only ("PC-²" is a hand-typed number, no series)
    return VoucherRow(number, vtype, day, line, amount, payee, content, voucher_no, seq)


@contextmanager
def _voucher_rows(path: Path, limits: ReadLimits) -> Iterator[tuple[Header, Iterator[VoucherRow]]]:
    with open_table(path, ALIASES, REQUIRED, LABELS, limits) as table:
        rows = (parse_row(table.header, number, values) for number, values in table)
        yield table.header, rows


#: Called with the number of rows done so far, once a batch (a progress line or bar);
#: in check_file it may raise budget.progress.Cancelled: nothing is written then.
OnRows = Callable[[int], None]


def check_file(
    path: Path, limits: ReadLimits | None = None, *, progress: OnRows | None = None
) -> CheckedFile:
    """Step 1: read and check the whole file; no database, no lock."""
    limits = limits or ReadLimits()
    count = total = 0
    with _voucher_rows(path, limits) as (header, rows):
        for row in rows:
            count += 1
            total += row.amount
            if progress is not None and count % BATCH_ROWS == 0:
                progress(count)
    if count == 0:
        raise ValidationError(
            "{source}: không có chứng từ nào dưới dòng tiêu đề.", source=header.source
        )
    return CheckedFile(path, header.source, count, total, limits)


@dataclass
class _Ledger:
    """Step 2: the database's side of the checks, kept small (per line, per type)."""

    campaign_id: int
    organisation_id: int
    year: int
    version_no: int
    lines: dict[str, tuple[int, str]]
    used: dict[str, int]
    next_seq: dict[str, int]
    reason: str | None
    actor: str
    now: datetime
    overspent: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, campaign: Campaign, reason: str | None, actor: str) -> _Ledger:
        version = current_approved(session, campaign.id)
        line_query = select(EstimateLine.code, EstimateLine.amount, EstimateLine.mlnsnn).where(
            EstimateLine.version_id == version.id
        )
        if session.get_bind().dialect.name == "postgresql":
            # The same lock a single posting takes: balances can't move under the import.
            line_query = line_query.with_for_update()
        lines = {code: (amount, mlnsnn) for code, amount, mlnsnn in session.execute(line_query)}
        used = {
            code: int(s) + int(c)
            for code, s, c in session.execute(
                select(
                    Voucher.line_code,
                    func.sum(Voucher.spent_delta),
                    func.sum(Voucher.committed_delta),
                )
                .where(Voucher.campaign_id == campaign.id)
                .group_by(Voucher.line_code)
            )
        }
        org_id, year = campaign.organisation_id, campaign.year
        next_seq = {
            vtype: int(seq or 0)
            for vtype, seq in session.execute(
                select(Voucher.type, func.max(Voucher.seq))
                .where(Voucher.organisation_id == org_id, Voucher.year == year)
                .group_by(Voucher.type)
            )
        }
        return cls(
            campaign.id,
            org_id,
            year,
            version.version_no,
            lines,
            used,
            next_seq,
            reason,
            actor,
            clock.now(),
        )

    def record(self, header: Header, row: VoucherRow) -> dict[str, Any]:
        """The row checked against the estimate and numbered: a dict to insert."""

        def where(key: str) -> str:
            return header.where(row.row, LABELS[key])

        if row.day.year != self.year:
            raise ValidationError(
                "{where}: ngày {day:%d/%m/%Y} không thuộc năm {year} của kế hoạch.",
                where=where("date"),
                day=row.day,
                year=self.year,
            )
        if row.line not in self.lines:
            raise ValidationError(
                "{where}: không có dòng «{line}» trong dự toán đã phê duyệt "
                "(phiên bản {version_no}).",
                where=where("line"),
                line=row.line,
                version_no=self.version_no,
            )
        if row.number is not None:
            voucher_no, seq = row.number, row.seq
            if seq is not None:
                self.next_seq[row.vtype] = max(self.next_seq.get(row.vtype, 0), seq)
        else:
            seq = self.next_seq.get(row.vtype, 0) + 1
            self.next_seq[row.vtype] = seq
            voucher_no = f"{ALL_TYPES[row.vtype][1]}-{seq:04d}"
        approved, mlnsnn = self.lines[row.line]
        remaining = approved - self.used.get(row.line, 0)
        over = row.amount > remaining
        if over and not self.reason:
            raise ValidationError(
                "{where}: vượt dự toán dòng {line}: còn lại "
                "{remaining} đồng, chứng từ {amount} đồng "
                "(nhập lại với --override-reason).",
                where=where("amount"),
                line=row.line,
                remaining=format_vnd(remaining),
                amount=format_vnd(row.amount),
            )
        if over:
            self.overspent[row.line] = self.overspent.get(row.line, 0) + row.amount
        self.used[row.line] = self.used.get(row.line, 0) + row.amount
        kind = ADVANCE if row.vtype == "tam_ung" else PAYMENT
        return {
            "organisation_id": self.organisation_id,
            "campaign_id": self.campaign_id,
            "kind": kind,
            "type": row.vtype,
            "year": self.year,
            "number": voucher_no,
            "seq": seq,
            "entry_date": row.day,
            "payee": row.payee,
            "content": row.content,
            "amount": row.amount,
            "spent_delta": row.amount if kind == PAYMENT else 0,
            "committed_delta": row.amount if kind == ADVANCE else 0,
            "line_code": row.line,
            "mlnsnn": mlnsnn,
            "override_reason": self.reason if over else None,
            "reverses_id": None,
            "settles_id": None,
            "award_decision_id": None,
            "reason": "",
            "entered_by": self.actor,
            "entered_at": self.now,
            "search_key": fold(f"{voucher_no} {row.payee} {row.content}"),
        }


def _insert_batch(
    session: Session, ledger: _Ledger, header: Header, batch: list[tuple[int, dict[str, Any]]]
) -> list[int]:
    """Step 3: only this batch's numbers are looked up, then one Core insert."""
    seen: dict[tuple[str, str], int] = {}
    for row_no, record in batch:
        key = (record["type"], record["number"])
        if key in seen:
            raise _taken(header, row_no, record["number"], ledger.year)
        seen[key] = row_no
    by_type: dict[str, list[str]] = {}
    for vtype, number in seen:
        by_type.setdefault(vtype, []).append(number)
    # One look-up per type, each number an equality on the whole unique key: a
    # (type, number) IN (...) row-value list used only the key's first column and
    # walked every voucher of the commune (1.9 s a batch at 1,000,000 vouchers).
    for vtype, numbers in by_type.items():
        taken = session.execute(
            select(Voucher.number)
            .where(
                Voucher.organisation_id == ledger.organisation_id,
                Voucher.type == vtype,
                Voucher.year == ledger.year,
                Voucher.number.in_(numbers),
            )
            .limit(1)
        ).scalar()
        if taken is not None:
            raise _taken(header, seen[(vtype, taken)], taken, ledger.year)
    table = cast(Table, Voucher.__table__)
    records = [record for _, record in batch]
    if session.connection().dialect.name == "sqlite":
        # SQLite gives RETURNING rows of an executemany no order SQLAlchemy can rely
        # on, so it sent one INSERT per row. Under the write lock (BEGIN IMMEDIATE)
        # a rowid table numbers new rows max(id) + 1, + 2, ...: one executemany, and
        # the ids are checked, not assumed.
        last = session.execute(select(func.max(Voucher.id))).scalar_one() or 0
        session.execute(insert(table), records)
        after = session.execute(
            select(func.max(Voucher.id), func.count()).where(Voucher.id > last)
        ).one()
        if after[0] != last + len(records) or after[1] != len(records):
            raise RuntimeError("voucher ids were not assigned in sequence")
        return list(range(last + 1, last + 1 + len(records)))
    # insertmanyvalues: a few multi-row statements, ids back in the rows' order.
    result = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), records
    )
    return list(result.scalars())


def _taken(header: Header, row_no: int, number: str, year: int) -> ValidationError:
    return ValidationError(
        "{where}: số chứng từ «{number}» đã có trong năm {year}.",
        where=header.where(row_no, LABELS["number"]),
        number=number,
        year=year,
    )


def _audit(
    session: Session,
    ledger: _Ledger,
    source: str,
    rows: int,
    total: int,
    first: str,
    last: str,
    items: list[Item],
) -> None:
    """Step 4: the import's own entry, and one per line overspent with the reason."""
    audit.record(
        session,
        actor=ledger.actor,
        action="import",
        entity="voucher",
        entity_id=source,
        summary=f"Nhập {rows} chứng từ từ {source}: {format_vnd(total)} đồng",
        after={"rows": rows, "total": total, "first": first, "last": last},
        organisation_id=ledger.organisation_id,
        items=items,
    )
    for line, amount in sorted(ledger.overspent.items()):
        audit.record(
            session,
            actor=ledger.actor,
            action="override",
            entity="estimate_line",
            entity_id=line,
            summary=f"Chi vượt dự toán dòng {line} khi nhập {source}: {format_vnd(amount)} đồng",
            reason=ledger.reason or "",
            organisation_id=ledger.organisation_id,
        )


def import_vouchers(
    session: Session,
    campaign_id: int,
    source: Path | CheckedFile,
    *,
    actor: str,
    override_reason: str | None = None,
    limits: ReadLimits | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: OnRows | None = None,
) -> ImportResult:
    """Import the vouchers of ``source`` into the campaign, all or nothing.

    Give a ``CheckedFile`` (from ``check_file``, called before the transaction
    began) so the file is read and checked before any lock; a plain path is
    checked here first, before the session is touched.
    """
    checked = source if isinstance(source, CheckedFile) else check_file(source, limits)
    reason = (
        clean_text(override_reason, "Lý do vượt dự toán", max_length=1000)
        if override_reason
        else None
    )
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError("Không có kế hoạch.")
    lock_organisation(session, campaign.organisation_id)
    ledger = _Ledger.load(session, campaign, reason, actor)
    count = total = 0
    first = last = ""
    batch: list[tuple[int, dict[str, Any]]] = []
    by_line: dict[str, int] = {}
    coverage = BulkCoverage(
        session, actor=actor, organisation_id=ledger.organisation_id, source=checked.source
    )

    def flush() -> None:
        ids = _insert_batch(session, ledger, header, batch)
        coverage.add(zip(ids, (record for _, record in batch), strict=True))
        if progress is not None:
            progress(count)

    with _voucher_rows(checked.path, checked.limits) as (header, rows):
        for row in rows:
            record = ledger.record(header, row)
            by_line[record["line_code"]] = by_line.get(record["line_code"], 0) + row.amount
            batch.append((row.row, record))
            count += 1
            total += row.amount
            first = first or record["number"]
            last = record["number"]
            if len(batch) >= batch_rows:
                flush()
                batch = []
        if batch:
            flush()
    if count != checked.rows or total != checked.total:
        raise ValidationError(
            "Tệp {source} đã thay đổi trong khi nhập; hãy nhập lại.", source=checked.source
        )
    if session.get_bind().dialect.name == "sqlite":
        # A large import can change what the planner should choose: refresh statistics
        # where SQLite judges it worthwhile (cheap when nothing changed much).
        session.execute(text("PRAGMA optimize"))
    fund.check_posting(  # the whole file against the fund's balance and cap
        session, None, campaign_id, by_line, override_reason=reason, actor=actor,
        what=Phrase("tệp {source}", source=checked.source), posted=True,
    )  # fmt: skip
    _audit(session, ledger, checked.source, count, total, first, last, coverage.take())
    return ImportResult(count, total, tuple(sorted(ledger.overspent)))
