"""Posting vouchers against the approved estimate; reversals and advances.

Nothing posted is changed: a reversal is a new row with negated effects, and
settling an advance is a new row that moves the advance from committed to spent
(spent above the advance, "chi quá số tạm ứng", is checked like a new payment:
against the line and the emulation-reward fund).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session, aliased

from budget import clock
from budget.errors import NotFoundError, Phrase, Term, ValidationError
from budget.funding import FUND
from budget.models import Campaign, EstimateLine, LineTotal, Voucher
from budget.models.voucher import (
    ADVANCE,
    ALL_TYPES,
    PAYMENT,
    REVERSAL,
    SETTLEMENT,
    SETTLEMENT_TYPE,
    VOUCHER_TYPES,
)
from budget.money import MAX_INPUT_AMOUNT, format_vnd
from budget.norms import Norms
from budget.services import audit, fund
from budget.services.audit_content import voucher_item
from budget.services.driver_sql import DriverStatement
from budget.services.locks import lock_organisation
from budget.services.versions import current_approved
from budget.text import clean_text, fold, handle
from budget.vocabulary import APPROVED


@dataclass(frozen=True)
class LineBalance:
    code: str
    content: str
    approved: int
    spent: int
    committed: int

    @property
    def remaining(self) -> int:
        return self.approved - self.spent - self.committed


@dataclass(frozen=True)
class PostedVoucher:
    id: int
    number: str
    type: str
    kind: str
    entry_date: date
    amount: int
    line_code: str
    balance: LineBalance
    override_reason: str | None = None
    returned: int = 0
    #: settled above the advance: the extra paid out (chi quá số tạm ứng)
    paid_over: int = 0


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError("Không có kế hoạch.")
    return campaign


def _approved_line(
    session: Session, campaign_id: int, code: str, *, required: bool = True
) -> EstimateLine | None:
    version = current_approved(session, campaign_id)
    query = select(EstimateLine).where(
        EstimateLine.version_id == version.id,
        EstimateLine.code == handle(code, "Dòng dự toán", 20),
    )
    if session.get_bind().dialect.name == "postgresql":
        # Serialise concurrent postings on the same line (the row itself is frozen).
        query = query.with_for_update()
    line = session.execute(query).scalar_one_or_none()
    if line is None and required:
        raise NotFoundError(
            "Không có dòng «{code}» trong dự toán đã phê duyệt (phiên bản {version}).",
            code=code,
            version=version.version_no,
        )
    return line


def line_balance(
    session: Session, campaign_id: int, code: str, *, required: bool = True
) -> LineBalance:
    """Approved amount, spent and committed on one line (its running total: one row).

    With ``required=False`` a line that an adjustment removed counts as approved 0,
    so its vouchers can still be reversed or settled.
    """
    line = _approved_line(session, campaign_id, code, required=required)
    code = line.code if line is not None else code.strip()
    totals = session.execute(
        select(LineTotal.spent, LineTotal.committed).where(
            LineTotal.campaign_id == campaign_id, LineTotal.line_code == code
        )
    ).first()
    spent, committed = totals if totals is not None else (0, 0)
    if line is None:
        return LineBalance(code, "", 0, int(spent), int(committed))
    return LineBalance(line.code, line.content, line.amount, int(spent), int(committed))


# Posting reads everything it decides on in ONE statement, compiled once (plain SQL;
# SQLAlchemy caches its compiled form): the campaign, the line of the current approved
# version, what is spent and committed on it (its running total, kept by the
# database's trigger on every voucher: migration 0011), the last number of the series, whether
# a fund register is kept for the year, and the commune's audit chain head (kept by
# the database's trigger on every audit entry).
_POSTING = DriverStatement(
    "SELECT c.organisation_id, c.year, l.code, l.content, l.amount, l.mlnsnn, "
    "coalesce(s.spent, 0), coalesce(s.committed, 0), "
    "(SELECT max(seq) FROM vouchers WHERE organisation_id = c.organisation_id "
    "AND type = :type AND year = c.year), "
    "EXISTS (SELECT 1 FROM fund_registers WHERE organisation_id = c.organisation_id "
    "AND year = c.year AND source = :fund), "
    "(SELECT head_hash FROM audit_heads WHERE org_key = c.organisation_id) "
    "FROM campaigns c "
    "LEFT JOIN line_totals s ON s.campaign_id = c.id AND s.line_code = :code "
    "LEFT JOIN estimate_lines l ON l.code = :code AND l.version_id = "
    "(SELECT id FROM estimate_versions WHERE campaign_id = :c AND status = :approved "
    "ORDER BY version_no DESC LIMIT 1) "
    "WHERE c.id = :c"
)
# PostgreSQL: the commune's lock needs the campaign's commune first, then the line is
# locked (serialising postings on it; the row itself is frozen), then _POSTING reads.
_CAMPAIGN_ORG = text("SELECT organisation_id FROM campaigns WHERE id = :c")
_LOCK_LINE = text(
    "SELECT 1 FROM estimate_lines WHERE code = :code AND version_id = "
    "(SELECT id FROM estimate_versions WHERE campaign_id = :c AND status = :approved "
    "ORDER BY version_no DESC LIMIT 1) FOR UPDATE"
)
_VOUCHERS = cast(Table, Voucher.__table__)
_INSERT_VOUCHER = insert(_VOUCHERS).returning(_VOUCHERS.c.id)


@dataclass(frozen=True)
class _PostingState:
    organisation_id: int
    year: int
    line: LineBalance | None  # None: no such line in the current approved version
    mlnsnn: str
    last_seq: int | None
    has_fund: bool
    head: str | None  # the commune's last audit hash (None: no entry yet)


def _posting_state(
    session: Session, campaign_id: int, code: str, vtype: str
) -> _PostingState | None:
    """What posting decides on, in one statement (after the PostgreSQL locks)."""
    conn = session.connection()
    params = {"c": campaign_id, "code": code, "approved": APPROVED}
    if conn.dialect.name == "postgresql":
        org = conn.execute(_CAMPAIGN_ORG, {"c": campaign_id}).scalar()
        if org is None:
            return None
        lock_organisation(session, org)
        conn.execute(_LOCK_LINE, params)
    row = _POSTING.execute(session, {**params, "type": vtype, "fund": FUND}).fetchone()
    if row is None:
        return None
    org, year, lcode, lcontent, lamount, mlnsnn, spent, committed, last, fund_, head = row
    line = (
        LineBalance(lcode, lcontent, int(lamount), int(spent), int(committed))
        if lcode is not None
        else None
    )
    return _PostingState(org, year, line, mlnsnn, last, bool(fund_), head)


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError("Số tiền phải là số nguyên đồng.")
    if amount <= 0:
        raise ValidationError("Số tiền phải lớn hơn 0.")
    if amount >= MAX_INPUT_AMOUNT:
        raise ValidationError("Số tiền quá lớn.")


def _check_date(campaign: Campaign, day: date, what: str = "Ngày chứng từ") -> None:
    _check_year(campaign.year, day, what)


def _check_year(year: int, day: date, what: str = "Ngày chứng từ") -> None:
    if day.year != year:
        raise ValidationError(
            "{what} {day:%d/%m/%Y} không thuộc năm {year} của kế hoạch.",
            what=Term(what),
            day=day,
            year=year,
        )


_AUTO = re.compile(r"([A-Z]+)-(\d{1,9})")


def _next_number(session: Session, org_id: int, vtype: str, year: int) -> tuple[str, int]:
    prefix = ALL_TYPES[vtype][1]
    last = session.execute(
        select(func.max(Voucher.seq)).where(
            Voucher.organisation_id == org_id, Voucher.type == vtype, Voucher.year == year
        )
    ).scalar_one()
    seq = (last or 0) + 1
    return f"{prefix}-{seq:04d}", seq


def _number(
    session: Session, org_id: int, vtype: str, year: int, number: str | None
) -> tuple[str, int | None]:
    if number is None or not number.strip():
        return _next_number(session, org_id, vtype, year)
    number = clean_text(number, "Số chứng từ", max_length=40)
    taken = session.execute(
        select(Voucher.id).where(
            Voucher.organisation_id == org_id,
            Voucher.type == vtype,
            Voucher.year == year,
            Voucher.number == number,
        )
    ).first()
    if taken:
        raise ValidationError(
            "Số chứng từ «{number}» đã có trong năm {year} ({kind}).",
            number=number,
            year=year,
            kind=ALL_TYPES[vtype][0],
        )
    auto = _AUTO.fullmatch(number)
    seq = int(auto[2]) if auto and auto[1] == ALL_TYPES[vtype][1] else None
    return number, seq


def _search_key(*parts: str) -> str:
    return fold(" ".join(parts))


def post_voucher(
    session: Session,
    campaign_id: int,
    *,
    line_code: str,
    amount: int,
    entry_date: date,
    payee: str,
    content: str,
    actor: str,
    vtype: str = "phieu_chi",
    number: str | None = None,
    override_reason: str | None = None,
    award_decision_id: int | None = None,
    norms: Norms | None = None,
) -> PostedVoucher:
    """Post a payment or an advance against a line of the current approved estimate.

    A line funded from the emulation-reward fund is also checked against the fund's
    balance and the emulation-work cap (budget.services.fund.check_posting; ``norms``
    default to the user's). An award payout checks its whole total once beforehand
    (budget.services.awards.pay_decision), so its vouchers are not checked again.
    """
    session.flush()  # the caller's pending rows first: the statements below read the tables
    code = handle(line_code, "Dòng dự toán", 20)
    state = _posting_state(session, campaign_id, code, vtype)
    if state is None:
        raise NotFoundError("Không có kế hoạch.")
    if vtype not in VOUCHER_TYPES:
        raise ValidationError(
            "Loại chứng từ «{vtype}» không hợp lệ (chọn: {choices}).",
            vtype=vtype,
            choices=", ".join(VOUCHER_TYPES),
        )
    _check_amount(amount)
    _check_year(state.year, entry_date)
    payee = clean_text(payee, "Người nhận", max_length=300)
    content = clean_text(content, "Nội dung chi", max_length=2000)
    reason = (
        clean_text(override_reason, "Lý do vượt dự toán", max_length=1000, required=False)
        if override_reason
        else None
    )
    before = state.line
    if before is None:  # the error path: say which version (raises if none is approved)
        version = current_approved(session, campaign_id)
        raise NotFoundError(
            "Không có dòng «{code}» trong dự toán đã phê duyệt (phiên bản {version}).",
            code=code,
            version=version.version_no,
        )
    org_id = state.organisation_id
    if amount > before.remaining and not reason:
        raise ValidationError(
            "Vượt dự toán dòng {line}: còn lại {remaining} đồng, chứng từ {amount} đồng. "
            "Điều chỉnh dự toán, hoặc ghi rõ lý do chi vượt (--override-reason).",
            line=before.code,
            remaining=format_vnd(before.remaining),
            amount=format_vnd(amount),
        )
    over = amount > before.remaining
    head = state.head
    fund_problems = (
        fund.check_posting(
            session,
            norms,
            campaign_id,
            {before.code: amount},
            override_reason=reason,
            actor=actor,
        )
        if state.has_fund and award_decision_id is None
        else []
    )
    if fund_problems:  # the fund's override entry was chained: read the head again
        head = _chain_head(session, org_id)
    seq: int | None
    if number is None or not number.strip():
        seq = (state.last_seq or 0) + 1
        number = f"{ALL_TYPES[vtype][1]}-{seq:04d}"
    else:
        number, seq = _number(session, org_id, vtype, state.year, number)
    kind = ADVANCE if vtype == "tam_ung" else PAYMENT
    spent_delta = amount if kind == PAYMENT else 0
    committed_delta = amount if kind == ADVANCE else 0
    override = reason if over or fund_problems else None
    values = {
        "organisation_id": org_id,
        "campaign_id": campaign_id,
        "kind": kind,
        "type": vtype,
        "year": state.year,
        "number": number,
        "seq": seq,
        "entry_date": entry_date,
        "payee": payee,
        "content": content,
        "amount": amount,
        "spent_delta": spent_delta,
        "committed_delta": committed_delta,
        "line_code": before.code,
        "mlnsnn": state.mlnsnn,
        "override_reason": override,
        "reverses_id": None,
        "settles_id": None,
        "award_decision_id": award_decision_id,
        "reason": "",
        "entered_by": actor,
        "entered_at": clock.now(),
        "search_key": _search_key(number, payee, content),
    }
    voucher_id = session.connection().execute(_INSERT_VOUCHER, values).scalar_one()
    # The line was summed just above (and locked on PostgreSQL): no need to sum it again.
    after = replace(
        before, spent=before.spent + spent_delta, committed=before.committed + committed_delta
    )
    snapshot = {
        "number": number,
        "type": vtype,
        "date": entry_date.isoformat(),
        "line": before.code,
        "payee": payee,
        "content": content,
        "amount": amount,
    }
    entry = audit.append(
        session,
        prev_hash=head,
        actor=actor,
        action="post",
        entity="voucher",
        entity_id=number,
        summary=f"Ghi {ALL_TYPES[vtype][0].lower()} {number}: {format_vnd(amount)} "
        f"đồng vào dòng {before.code}",
        after=snapshot,
        organisation_id=org_id,
        items=[voucher_item(voucher_id, values)],
    )
    if over:
        audit.append(
            session,
            prev_hash=entry.hash,
            actor=actor,
            action="override",
            entity="voucher",
            entity_id=number,
            summary=f"Chi vượt dự toán dòng {before.code}: còn lại "
            f"{format_vnd(before.remaining)}, chi {format_vnd(amount)} đồng",
            before={"remaining": before.remaining},
            after={"remaining": after.remaining},
            reason=reason or "",
            organisation_id=org_id,
        )
    return PostedVoucher(
        voucher_id, number, vtype, kind, entry_date, amount, before.code, after, override
    )


_HEAD = text("SELECT head_hash FROM audit_heads WHERE org_key = :org")


def _chain_head(session: Session, organisation_id: int) -> str | None:
    head: str | None = session.connection().execute(_HEAD, {"org": organisation_id}).scalar()
    return head


def find_voucher(
    session: Session, campaign_id: int, number: str, vtype: str | None = None
) -> Voucher:
    query = select(Voucher).where(
        Voucher.campaign_id == campaign_id, Voucher.number == handle(number, "Số chứng từ")
    )
    if vtype:
        query = query.where(Voucher.type == vtype)
    found = session.execute(query).scalars().all()
    if not found:
        raise NotFoundError("Không có chứng từ số «{number}».", number=number)
    if len(found) > 1:
        raise ValidationError(
            "Có nhiều chứng từ số «{number}» khác loại: chỉ rõ loại (--type).", number=number
        )
    return found[0]


def _reversal_of(session: Session, voucher_id: int) -> Voucher | None:
    return session.execute(
        select(Voucher).where(Voucher.reverses_id == voucher_id)
    ).scalar_one_or_none()


def _active_settlement(session: Session, advance_id: int) -> Voucher | None:
    reversal = aliased(Voucher)
    return session.execute(
        select(Voucher)
        .where(Voucher.settles_id == advance_id, Voucher.kind == SETTLEMENT)
        .outerjoin(reversal, reversal.reverses_id == Voucher.id)
        .where(reversal.id.is_(None))
    ).scalar_one_or_none()


def reverse_voucher(
    session: Session,
    campaign_id: int,
    number: str,
    *,
    reason: str,
    actor: str,
    vtype: str | None = None,
    entry_date: date | None = None,
) -> PostedVoucher:
    """Cancel a posted voucher with a new row that negates it; both stay visible."""
    campaign = _campaign(session, campaign_id)
    lock_organisation(session, campaign.organisation_id)
    reason = clean_text(reason, "Lý do hủy", max_length=1000)
    original = find_voucher(session, campaign_id, number, vtype)
    if original.kind == REVERSAL:
        raise ValidationError(
            "Chứng từ «{number}» là bút toán hủy, không hủy lại được.", number=original.number
        )
    if _reversal_of(session, original.id) is not None:
        raise ValidationError("Chứng từ «{number}» đã bị hủy trước đó.", number=original.number)
    if original.kind == ADVANCE and _active_settlement(session, original.id) is not None:
        raise ValidationError(
            "Tạm ứng «{number}» đã được thanh toán: hủy chứng từ thanh toán trước.",
            number=original.number,
        )
    from budget.services.reversal_dates import default_reversal_date

    day = entry_date or default_reversal_date(campaign.year, original.entry_date, clock.today())
    _check_date(campaign, day, "Ngày hủy")
    if day < original.entry_date:
        raise ValidationError(
            "Ngày hủy {day:%d/%m/%Y} không được trước ngày chứng từ {voucher_day:%d/%m/%Y}.",
            day=day,
            voucher_day=original.entry_date,
        )
    reversal = Voucher(
        organisation_id=original.organisation_id,
        campaign_id=campaign_id,
        kind=REVERSAL,
        type=original.type,
        year=original.year,
        number=f"{original.number}-H",
        seq=None,
        entry_date=day,
        payee=original.payee,
        content=f"Hủy chứng từ {original.number}: {reason}",
        amount=original.amount,
        spent_delta=-original.spent_delta,
        committed_delta=-original.committed_delta,
        line_code=original.line_code,
        mlnsnn=original.mlnsnn,
        reverses_id=original.id,
        award_decision_id=original.award_decision_id,
        reason=reason,
        entered_by=actor,
        entered_at=clock.now(),
        search_key=_search_key(f"{original.number}-H", original.payee, original.content, reason),
    )
    session.add(reversal)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="reverse",
        entity="voucher",
        entity_id=original.number,
        summary=f"Hủy chứng từ {original.number} ({format_vnd(original.amount)} đồng, "
        f"dòng {original.line_code})",
        before={"status": "posted"},
        after={"status": "reversed", "reversal": reversal.number},
        reason=reason,
        organisation_id=original.organisation_id,
        content=[reversal],
    )
    balance = line_balance(session, campaign_id, original.line_code, required=False)
    return PostedVoucher(
        reversal.id,
        reversal.number,
        reversal.type,
        REVERSAL,
        day,
        original.amount,
        original.line_code,
        balance,
    )


def settle_advance(
    session: Session,
    campaign_id: int,
    number: str,
    *,
    amount: int,
    entry_date: date,
    actor: str,
    content: str | None = None,
    settlement_number: str | None = None,
    override_reason: str | None = None,
    norms: Norms | None = None,
) -> PostedVoucher:
    """Settle an advance: ``amount`` becomes spent, the rest goes back.

    Spent above the advance (chi quá số tạm ứng) is new spending on the line: it is
    refused past the line's remaining amount, and on a line funded from the
    emulation-reward fund past the fund's balance or the emulation-work cap
    (budget.services.fund.check_posting), unless ``override_reason`` says why (logged).
    """
    campaign = _campaign(session, campaign_id)
    lock_organisation(session, campaign.organisation_id)
    advance = find_voucher(session, campaign_id, number, "tam_ung")
    if advance.kind != ADVANCE:
        raise ValidationError("Chứng từ «{number}» không phải giấy tạm ứng.", number=number)
    if _reversal_of(session, advance.id) is not None:
        raise ValidationError("Tạm ứng «{number}» đã bị hủy.", number=number)
    if _active_settlement(session, advance.id) is not None:
        raise ValidationError("Tạm ứng «{number}» đã được thanh toán.", number=number)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValidationError("Số tiền thanh toán phải là số nguyên đồng không âm.")
    if amount >= MAX_INPUT_AMOUNT:
        raise ValidationError("Số tiền quá lớn.")
    _check_date(campaign, entry_date, "Ngày thanh toán")
    if entry_date < advance.entry_date:
        raise ValidationError("Ngày thanh toán không được trước ngày tạm ứng.")
    reason = (
        clean_text(override_reason, "Lý do vượt dự toán", max_length=1000, required=False)
        if override_reason
        else None
    )
    over = amount - advance.amount  # chi quá số tạm ứng: new spending on the line
    problems: list[str] = []
    if over > 0:
        before = line_balance(session, campaign_id, advance.line_code, required=False)
        if over > before.remaining:
            problems.append("line")
            if not reason:
                raise ValidationError(
                    "Chi quá số tạm ứng {over} đồng vượt dự toán dòng {line}: còn lại "
                    "{remaining} đồng. Điều chỉnh dự toán, hoặc ghi rõ lý do chi vượt "
                    "(--override-reason).",
                    over=format_vnd(over),
                    line=advance.line_code,
                    remaining=format_vnd(before.remaining),
                )
        problems += fund.check_posting(
            session,
            norms,
            campaign_id,
            {advance.line_code: over},
            override_reason=reason,
            actor=actor,
            what=Phrase("phần chi quá số tạm ứng {number}", number=advance.number),
        )
    text = content or f"Thanh toán tạm ứng {advance.number}: {advance.content}"
    text = clean_text(text, "Nội dung", max_length=2000)
    settle_no, seq = _number(
        session, advance.organisation_id, SETTLEMENT_TYPE, campaign.year, settlement_number
    )
    settlement = Voucher(
        organisation_id=advance.organisation_id,
        campaign_id=campaign_id,
        kind=SETTLEMENT,
        type=SETTLEMENT_TYPE,
        year=campaign.year,
        number=settle_no,
        seq=seq,
        entry_date=entry_date,
        payee=advance.payee,
        content=text,
        amount=advance.amount,
        spent_delta=amount,
        committed_delta=-advance.amount,
        line_code=advance.line_code,
        mlnsnn=advance.mlnsnn,
        settles_id=advance.id,
        override_reason=reason if problems else None,
        entered_by=actor,
        entered_at=clock.now(),
        search_key=_search_key(settle_no, advance.payee, text),
    )
    session.add(settlement)
    session.flush()
    returned = max(advance.amount - amount, 0)
    audit.record(
        session,
        actor=actor,
        action="settle",
        entity="voucher",
        entity_id=advance.number,
        summary=f"Thanh toán tạm ứng {advance.number}: chi {format_vnd(amount)}, "
        + (
            f"chi quá số tạm ứng {format_vnd(over)} đồng"
            if over > 0
            else f"hoàn lại {format_vnd(returned)} đồng"
        ),
        before={"committed": advance.amount},
        after={"spent": amount, "returned": returned, "settlement": settle_no},
        reason=(reason or "") if problems else "",
        organisation_id=advance.organisation_id,
        content=[settlement],
    )
    balance = line_balance(session, campaign_id, advance.line_code, required=False)
    return PostedVoucher(
        settlement.id,
        settle_no,
        SETTLEMENT_TYPE,
        SETTLEMENT,
        entry_date,
        amount,
        advance.line_code,
        balance,
        override_reason=reason if problems else None,
        returned=returned,
        paid_over=max(over, 0),
    )
