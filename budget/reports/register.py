"""The voucher register: filtered, paged, with each row's status worked out in SQL."""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypedDict, TypeVarTuple, Unpack

from sqlalchemy import Select, String, and_, case, cast, exists, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement, Label

from budget.models import EstimateLine, EstimatePart, Voucher
from budget.reports.register_filter import VoucherFilter as VoucherFilter  # re-exported
from budget.reports.register_filter import search_pattern
from budget.services.versions import approved_versions
from budget.vocabulary import ADVANCE, REGISTER_STATUS_LABELS, REVERSAL, SETTLEMENT

#: Re-exported for the CLI listing and the Excel register.
STATUS_LABELS = REGISTER_STATUS_LABELS


#: A row's place in the register's order: (entry_date, id).
RegisterKey = tuple[date, int]

_Ts = TypeVarTuple("_Ts")


def _before(key: RegisterKey) -> ColumnElement[bool]:
    """Rows strictly before ``key`` in (entry_date, id) order."""
    day, row_id = key
    return or_(Voucher.entry_date < day, and_(Voucher.entry_date == day, Voucher.id < row_id))


@dataclass(frozen=True)
class VoucherRow:
    id: int
    number: str
    type: str
    kind: str
    entry_date: date
    line_code: str
    mlnsnn: str
    payee: str
    content: str
    amount: int
    spent_delta: int
    committed_delta: int
    status: str
    override_reason: str | None
    entered_by: str


@cache
def _status_column() -> Label[str]:
    """Built once: aliasing three vouchers costs about 1 ms per use, every page read."""
    reversal = aliased(Voucher)
    settlement = aliased(Voucher)
    settlement_reversal = aliased(Voucher)
    is_reversed = exists().where(reversal.reverses_id == Voucher.id)
    is_settled = exists().where(
        and_(
            settlement.settles_id == Voucher.id,
            settlement.kind == SETTLEMENT,
            ~exists().where(settlement_reversal.reverses_id == settlement.id),
        )
    )
    return case(
        (Voucher.kind == REVERSAL, "reversal"),
        (is_reversed, "reversed"),
        (and_(Voucher.kind == ADVANCE, is_settled), "settled"),
        (Voucher.kind == ADVANCE, "open"),
        else_="posted",
    ).label("status")


def _part_line_codes(session: Session, campaign_id: int, part: str) -> list[str]:
    """Codes of the part's lines in any approved version (removed lines keep their vouchers)."""
    version_ids = [v.id for v in approved_versions(session, campaign_id)]
    if not version_ids:
        return []
    return list(
        session.execute(
            select(EstimateLine.code)
            .distinct()
            .join(EstimatePart, EstimatePart.id == EstimateLine.part_id)
            .where(
                EstimateLine.version_id.in_(version_ids),
                (EstimatePart.code == part) | (EstimatePart.key == part),
            )
        ).scalars()
    )


def line_in_estimate(session: Session, campaign_id: int, code: str) -> bool:
    """Whether ``code`` is a line of an approved version (so a register filtered on
    it can be empty because nothing was spent, not because the line is mistyped)."""
    version_ids = [v.id for v in approved_versions(session, campaign_id)]
    if not version_ids:
        return False
    found = session.execute(
        select(EstimateLine.id)
        .where(EstimateLine.version_id.in_(version_ids), EstimateLine.code == code.strip())
        .limit(1)
    ).first()
    return found is not None


def _filtered(
    session: Session, campaign_id: int, flt: VoucherFilter, query: Select[*_Ts]
) -> Select[*_Ts]:
    query = query.where(Voucher.campaign_id == campaign_id)
    if flt.line:
        query = query.where(Voucher.line_code == flt.line.strip())
    if flt.part:
        query = query.where(
            Voucher.line_code.in_(_part_line_codes(session, campaign_id, flt.part.strip()))
        )
    if flt.vtype:
        query = query.where(Voucher.type == flt.vtype)
    if flt.date_from:
        query = query.where(Voucher.entry_date >= flt.date_from)
    if flt.date_to:
        query = query.where(Voucher.entry_date <= flt.date_to)
    pattern = search_pattern(flt.search)
    if pattern is not None:
        query = query.where(Voucher.search_key.like(pattern, escape="\\"))
    return query


class Window(TypedDict, total=False):
    """Which rows a register read returns (``limit``/``offset``), and how many the
    server-side cursor fetches at a time (``batch``, default 5000)."""

    limit: int | None
    offset: int
    batch: int


class Paging(Window, total=False):
    """A window, oldest or newest first, optionally from a keyset ``key`` on."""

    newest_first: bool
    key: RegisterKey | None


def list_vouchers(
    session: Session,
    campaign_id: int,
    flt: VoucherFilter = VoucherFilter(),
    **paging: Unpack[Paging],
) -> list[VoucherRow]:
    """Vouchers in date order, filtered; ``limit``/``offset`` page through them.

    ``key`` starts a page by keyset instead of OFFSET: the rows from that (date, id)
    on, or with ``newest_first`` the rows before it, newest first."""
    return list(iter_vouchers(session, campaign_id, flt, **paging))


def iter_vouchers(
    session: Session,
    campaign_id: int,
    flt: VoucherFilter = VoucherFilter(),
    **paging: Unpack[Paging],
) -> Iterator[VoucherRow]:
    """The same rows, streamed from the database in batches (registers of any size)."""
    for row in iter_register_rows(session, campaign_id, flt, **paging):
        yield VoucherRow(*row)


def _stream(
    session: Session, query: Select[*_Ts], window: Window
) -> Generator[tuple[Any, ...], None, None]:
    """Page ``query`` and stream its rows from a server-side cursor, ``batch`` at a time
    (the rows as the driver gives them: no Python work per row)."""
    limit, offset = window.get("limit"), window.get("offset", 0)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    elif offset:
        query = query.offset(offset)
    result = session.connection().execute(
        query.execution_options(yield_per=window.get("batch", 5000), stream_results=True)
    )
    try:
        for partition in result.partitions():
            yield from partition
    finally:
        result.close()


def iter_register_rows(
    session: Session,
    campaign_id: int,
    flt: VoucherFilter = VoucherFilter(),
    **paging: Unpack[Paging],
) -> Generator[tuple[Any, ...], None, None]:
    """The register's rows as plain tuples in VoucherRow's field order, from a
    server-side cursor (``stream_results``): constant memory at any size, and
    cheaper per row than building VoucherRow objects (the CLI's CSV/JSON path)."""
    newest_first, key = paging.get("newest_first", False), paging.get("key")
    order = (
        (Voucher.entry_date.desc(), Voucher.id.desc())
        if newest_first
        else (Voucher.entry_date, Voucher.id)
    )
    query = _register_query(session, campaign_id, flt).order_by(*order)
    if key is not None:
        query = query.where(_before(key) if newest_first else ~_before(key))
    yield from _stream(session, query, paging)


def register_row(
    session: Session, campaign_id: int, voucher_id: int, flt: VoucherFilter = VoucherFilter()
) -> VoucherRow | None:
    """Voucher ``voucher_id`` as a page of the filtered register shows it, or None when
    the filter leaves it out (the TUI adds a voucher it just posted without re-reading
    the page)."""
    found = session.execute(
        _register_query(session, campaign_id, flt).where(Voucher.id == voucher_id)
    ).first()
    return None if found is None else VoucherRow(*found)


def _register_query(session: Session, campaign_id: int, flt: VoucherFilter) -> Select[Any]:
    """The register's columns, in VoucherRow's field order, for the filtered vouchers."""
    query = select(
        Voucher.id,
        Voucher.number,
        Voucher.type,
        Voucher.kind,
        Voucher.entry_date,
        Voucher.line_code,
        Voucher.mlnsnn,
        Voucher.payee,
        Voucher.content,
        # a settlement shows what was actually spent; the advance it closes shows its own amount
        case((Voucher.kind == SETTLEMENT, Voucher.spent_delta), else_=Voucher.amount),
        Voucher.spent_delta,
        Voucher.committed_delta,
        _status_column(),
        Voucher.override_reason,
        Voucher.entered_by,
    )
    return _filtered(session, campaign_id, flt, query)


#: The columns of iter_register_export, in order (the CLI's CSV header and JSON keys).
EXPORT_FIELDS = (
    "number",
    "type",
    "date",
    "line",
    "payee",
    "content",
    "amount",
    "status",
    "kind",
    "spent",
    "committed",
    "mlnsnn",
    "override_reason",
    "entered_by",
)


def iter_register_export(
    session: Session,
    campaign_id: int,
    flt: VoucherFilter = VoucherFilter(),
    **window: Unpack[Window],
) -> Iterator[Sequence[object]]:
    """The register as rows of EXPORT_FIELDS, ready to write (the date as ISO text, no
    override as ""), streamed from a server-side cursor through Core: no Python work per
    row, so a CSV of a million rows costs little more than the query itself."""
    query = select(
        Voucher.number,
        Voucher.type,
        cast(Voucher.entry_date, String),
        Voucher.line_code,
        Voucher.payee,
        Voucher.content,
        case((Voucher.kind == SETTLEMENT, Voucher.spent_delta), else_=Voucher.amount),
        _status_column(),
        Voucher.kind,
        Voucher.spent_delta,
        Voucher.committed_delta,
        Voucher.mlnsnn,
        func.coalesce(Voucher.override_reason, ""),
        Voucher.entered_by,
    )
    query = _filtered(session, campaign_id, flt, query).order_by(Voucher.entry_date, Voucher.id)
    yield from _stream(session, query, window)


def count_vouchers(session: Session, campaign_id: int, flt: VoucherFilter = VoucherFilter()) -> int:
    query = _filtered(session, campaign_id, flt, select(func.count(Voucher.id)))
    return int(session.execute(query).scalar_one())


def find_in_register(
    session: Session, campaign_id: int, flt: VoucherFilter, number: str
) -> tuple[RegisterKey, int] | None:
    """The first voucher numbered ``number`` (any case) among the filtered rows: its
    key and how many rows come before it, or None. Two indexed queries, no OFFSET scan,
    so a page around it can be read by keyset on a register of any size."""
    wanted = number.strip().upper()
    if not wanted:
        return None
    found = session.execute(
        _filtered(session, campaign_id, flt, select(Voucher.entry_date, Voucher.id))
        .where(func.upper(Voucher.number) == wanted)
        .order_by(Voucher.entry_date, Voucher.id)
        .limit(1)
    ).first()
    if found is None:
        return None
    key: RegisterKey = (found[0], found[1])
    before = _filtered(session, campaign_id, flt, select(func.count(Voucher.id))).where(
        _before(key)
    )
    return key, int(session.execute(before).scalar_one())
