"""Award decisions: recipients at the rates in force on the decision date, and payment."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from budget import clock
from budget.errors import (
    BudgetError,
    NotFoundError,
    Phrase,
    Term,
    ValidationError,
    os_error_text,
)
from budget.models import AwardDecision, AwardRecipient, Campaign, Voucher
from budget.money import format_vnd
from budget.norms import Norms
from budget.services import audit, fund
from budget.services.audit_content import decision_objects
from budget.services.award_lines import (
    LineChoice,
    check_lines,
    decision_lines,
    line_choices,
    line_for_form,
    store_lines,
)
from budget.services.award_names import (
    DuplicateRecipientError,
    check_visible,
    duplicate_text,
    find_duplicates,
)
from budget.services.campaigns import organisation_of
from budget.services.locks import lock_organisation
from budget.services.vouchers import post_voucher
from budget.text import clean_text, handle
from budget.vocabulary import REVERSAL


@dataclass(frozen=True)
class RecipientInput:
    name: str
    form: str
    title: str = ""


@dataclass(frozen=True)
class RecipientView:
    position: int
    kind: str
    name: str
    title: str
    form: str
    form_name: str
    coefficient: str
    base_salary: int
    amount: int
    rule: str
    line_code: str
    #: The rate (or base salary) read for it awaits checking against the official text.
    verify: bool = False


@dataclass(frozen=True)
class DecisionView:
    id: int
    number: str
    decision_date: date
    signer: str
    title: str
    line_code: str | None
    rounding: str
    collective_rule: str
    recipients: tuple[RecipientView, ...]
    total: int
    paid: bool
    vouchers: tuple[str, ...]
    household_rule: str = "coefficient"
    #: The estimate lines the user chose for this decision.
    lines: tuple[str, ...] = ()

    @property
    def rules_note(self) -> str:
        """The collective and household rules in force for this decision, in words."""
        collective = (
            "gấp 2 lần mức thưởng cá nhân đã làm tròn"
            if self.collective_rule == "twice_rounded"
            else "hệ số tập thể × mức lương cơ sở rồi làm tròn"
        )
        household = (
            "bội số (1,5 lần từ 01/7/2025) của mức thưởng cá nhân đã làm tròn"
            if self.household_rule == "multiple_rounded"
            else "hệ số hộ gia đình × mức lương cơ sở rồi làm tròn"
        )
        return f"Thưởng tập thể: {collective}; hộ gia đình: {household}."

    @property
    def unverified(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.form_name for r in self.recipients if r.verify))


def _find(session: Session, campaign_id: int, number: str) -> AwardDecision:
    decision = session.execute(
        select(AwardDecision).where(
            AwardDecision.campaign_id == campaign_id,
            AwardDecision.number == handle(number, "Số quyết định", 60),
        )
    ).scalar_one_or_none()
    if decision is None:
        raise NotFoundError("Không có quyết định khen thưởng số «{number}».", number=number)
    return decision


def _payout_vouchers(session: Session, decision_id: int) -> list[str]:
    """Numbers of the decision's payout vouchers that have not been reversed."""
    reversal = aliased(Voucher)
    return list(
        session.execute(
            select(Voucher.number)
            .where(
                Voucher.award_decision_id == decision_id,
                Voucher.kind != REVERSAL,
                ~exists().where(reversal.reverses_id == Voucher.id),
            )
            .order_by(Voucher.id)
        ).scalars()
    )


def decision_view(session: Session, campaign_id: int, number: str, norms: Norms) -> DecisionView:
    decision = _find(session, campaign_id, number)
    names = {f.code: f.name for f in norms.reward_forms}
    recipients = tuple(
        RecipientView(
            r.position,
            r.recipient_kind,
            r.name,
            r.title,
            r.form,
            names.get(r.form, r.form),
            r.coefficient,
            r.base_salary,
            r.amount,
            r.rule,
            r.line_code,
            _unverified(norms, r.form, decision.decision_date),
        )
        for r in session.execute(
            select(AwardRecipient)
            .where(AwardRecipient.decision_id == decision.id)
            .order_by(AwardRecipient.position)
        ).scalars()
    )
    vouchers = tuple(_payout_vouchers(session, decision.id))
    return DecisionView(
        decision.id,
        decision.number,
        decision.decision_date,
        decision.signer,
        decision.title,
        decision.line_code,
        decision.rounding,
        decision.collective_rule,
        recipients,
        sum(r.amount for r in recipients),
        bool(vouchers),
        vouchers,
        decision.household_rule,
        decision_lines(decision),
    )


def _unverified(norms: Norms, form: str, on: date) -> bool:
    try:
        return not norms.is_verified(f"reward:{form}", on)
    except BudgetError:
        return True


def list_decisions(session: Session, campaign_id: int, norms: Norms) -> list[DecisionView]:
    numbers = (
        session.execute(
            select(AwardDecision.number)
            .where(AwardDecision.campaign_id == campaign_id)
            .order_by(AwardDecision.decision_date, AwardDecision.id)
        )
        .scalars()
        .all()
    )
    return [decision_view(session, campaign_id, n, norms) for n in numbers]


@dataclass(frozen=True)
class AwardsView:
    """The awards page: the campaign's decisions, and every line of the approved
    estimate with what remains on it (none before the estimate is approved)."""

    decisions: list[DecisionView]
    choices: list[LineChoice]


def awards_view(session: Session, campaign_id: int, norms: Norms) -> AwardsView:
    decisions = list_decisions(session, campaign_id, norms)
    try:
        choices = line_choices(session, campaign_id)
    except ValidationError:  # no approved estimate yet: no lines to pay from
        choices = []
    return AwardsView(decisions, choices)


def create_decision(
    session: Session,
    campaign_id: int,
    *,
    number: str,
    decision_date: date,
    actor: str,
    signer: str | None = None,
    title: str = "",
    line_code: str | None = None,
    lines: tuple[str, ...] | list[str] = (),
) -> DecisionView:
    """A new decision; ``lines`` (or one ``line_code``) are the estimate lines it
    pays from, as the user chose them (award_lines.propose_lines gives a default)."""
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    org = organisation_of(session, campaign_id)
    number = clean_text(number, "Số quyết định", max_length=60)
    if session.execute(
        select(AwardDecision.id).where(
            AwardDecision.organisation_id == org.id, AwardDecision.number == number
        )
    ).first():
        raise ValidationError("Quyết định khen thưởng số «{number}» đã có.", number=number)
    if decision_date.year != campaign.year:
        raise ValidationError(
            "Ngày quyết định {day:%d/%m/%Y} không thuộc năm {year}.",
            day=decision_date,
            year=campaign.year,
        )
    chosen = tuple(lines) + ((line_code,) if line_code else ())
    if chosen:
        chosen = check_lines(session, campaign_id, chosen)
    decision = AwardDecision(
        organisation_id=org.id,
        campaign_id=campaign_id,
        number=number,
        decision_date=decision_date,
        signer=clean_text(signer or org.chairman_name or "", "Người ký", max_length=200),
        title=clean_text(title, "Trích yếu", max_length=1000, required=False),
        rounding=org.rounding,
        collective_rule=org.collective_rule,
        household_rule=org.household_rule,
        created_by=actor,
        created_at=clock.now(),
    )
    store_lines(decision, chosen)
    session.add(decision)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="award_decision",
        entity_id=number,
        summary=f"Tạo quyết định khen thưởng {number} ngày {decision_date:%d/%m/%Y}",
        after={
            "number": number,
            "date": decision_date.isoformat(),
            "signer": decision.signer,
            "rounding": decision.rounding,
            "lines": list(chosen),
        },
        organisation_id=org.id,
    )
    return DecisionView(
        decision.id,
        number,
        decision_date,
        decision.signer,
        decision.title,
        decision.line_code,
        decision.rounding,
        decision.collective_rule,
        (),
        0,
        False,
        (),
        decision.household_rule,
        chosen,
    )


def refuse_if_paid(session: Session, decision: AwardDecision, what: str) -> None:
    if decision.paid_at is not None or _payout_vouchers(session, decision.id):
        raise ValidationError(
            "Quyết định «{number}» đã chi thưởng, {what}.", number=decision.number, what=Term(what)
        )


def set_decision_lines(
    session: Session,
    campaign_id: int,
    number: str,
    lines: tuple[str, ...] | list[str],
    norms: Norms,
    *,
    actor: str,
) -> DecisionView:
    """Choose the lines a decision pays from (before payment); every recipient is
    moved to the line its form now resolves to."""
    decision = _find(session, campaign_id, number)
    refuse_if_paid(session, decision, "không đổi dòng chi được")
    chosen = check_lines(session, campaign_id, tuple(lines))
    if not chosen:
        raise ValidationError("Chưa chọn dòng chi nào.")
    before = decision_lines(decision)
    names = {f.code: f.name for f in norms.reward_forms}
    recipients = (
        session.execute(select(AwardRecipient).where(AwardRecipient.decision_id == decision.id))
        .scalars()
        .all()
    )
    for r in recipients:
        try:
            r.line_code = line_for_form(
                session, campaign_id, chosen, r.form, names.get(r.form, r.form)
            )
        except BudgetError as exc:
            raise ValidationError(
                "STT {position} «{name}»: {reason}",
                position=r.position,
                name=r.name,
                reason=exc.phrase,
            ) from None
    store_lines(decision, chosen)
    session.flush()
    if before != chosen:
        audit.record(
            session,
            actor=actor,
            action="edit",
            entity="award_decision",
            entity_id=decision.number,
            summary=f"Chọn dòng chi cho quyết định {decision.number}: {', '.join(chosen)}",
            before={"lines": list(before)},
            after={"lines": list(chosen)},
            organisation_id=decision.organisation_id,
        )
    return decision_view(session, campaign_id, decision.number, norms)


def check_recipient_text(name: str, title: str) -> tuple[str, str]:
    """The name and title cleaned; a name or title that prints as blank is refused."""
    if isinstance(name, str) and name.strip():
        check_visible(name, "Họ tên / tên tập thể")
    if isinstance(title, str) and title.strip():
        check_visible(title, "Chức vụ / đơn vị")
    return (
        clean_text(name, "Họ tên / tên tập thể", max_length=300),
        clean_text(title, "Chức vụ / đơn vị", max_length=300, required=False),
    )


def existing_recipients(session: Session, decision_id: int) -> list[tuple[int, str, str]]:
    return [
        (p, n, t)
        for p, n, t in session.execute(
            select(AwardRecipient.position, AwardRecipient.name, AwardRecipient.title)
            .where(AwardRecipient.decision_id == decision_id)
            .order_by(AwardRecipient.position)
        ).all()
    ]


def refuse_duplicates(
    session: Session, decision: AwardDecision, incoming: list[tuple[str, str]], *, skip: int = 0
) -> None:
    """Raise DuplicateRecipientError when a name is already in the decision (other
    than STT ``skip``) or twice in ``incoming``."""
    existing = [e for e in existing_recipients(session, decision.id) if e[0] != skip]
    found = find_duplicates(existing, incoming)
    if found:
        raise DuplicateRecipientError(
            "Trùng người nhận trong quyết định {number}: {names}. "
            "Nếu đúng là người khác, xác nhận để thêm (--allow-duplicate).",
            found,
            number=decision.number,
            names=duplicate_text(found),
        )


def add_recipients(
    session: Session,
    campaign_id: int,
    number: str,
    recipients: list[RecipientInput],
    norms: Norms,
    *,
    actor: str,
    allow_duplicate: bool = False,
) -> DecisionView:
    """Add recipients; each amount comes from the norms on the decision date, each
    line from the lines chosen for the decision. A name already in the decision (or
    twice in the list) is refused unless ``allow_duplicate``."""
    decision = _find(session, campaign_id, number)
    refuse_if_paid(session, decision, "không thêm người được")
    if not recipients:
        raise ValidationError("Chưa có người/tập thể nào để thêm.")
    position = int(
        session.execute(
            select(func.coalesce(func.max(AwardRecipient.position), 0)).where(
                AwardRecipient.decision_id == decision.id
            )
        ).scalar_one()
    )
    chosen = decision_lines(decision)
    rows = []
    for index, item in enumerate(recipients, 1):
        try:
            name, title = check_recipient_text(item.name, item.title)
            form = norms.reward_form(item.form.strip())
            reward = norms.reward_amount(
                form.code,
                decision.decision_date,
                rounding=decision.rounding,
                collective_rule=decision.collective_rule,
                household_rule=decision.household_rule,
            )
            line_code = line_for_form(session, campaign_id, chosen, form.code, form.name)
        except BudgetError as exc:
            if len(recipients) > 1:
                raise ValidationError(
                    "Dòng {index}: {reason}", index=index, reason=exc.phrase
                ) from None
            raise ValidationError(exc.template, **exc.params) from None
        rows.append((name, title, form, reward, line_code))
    if not allow_duplicate:
        refuse_duplicates(session, decision, [(r[0], r[1]) for r in rows])
    added = []
    for name, title, form, reward, line_code in rows:
        position += 1
        session.add(
            AwardRecipient(
                decision_id=decision.id,
                position=position,
                recipient_kind=form.recipient,
                name=name,
                title=title,
                form=form.code,
                coefficient=str(reward.coefficient),
                base_salary=reward.base_salary,
                amount=reward.amount,
                rule=reward.rule,
                line_code=line_code,
            )
        )
        added.append({"name": name, "form": form.code, "amount": reward.amount})
    session.flush()
    org = organisation_of(session, campaign_id)
    audit.record(
        session,
        actor=actor,
        action="edit",
        entity="award_decision",
        entity_id=number,
        summary=f"Thêm {len(added)} người/tập thể vào quyết định {number}",
        after=added,
        organisation_id=org.id,
    )
    return decision_view(session, campaign_id, number, norms)


_HEADERS = {
    "name": ("name", "ho_ten", "họ và tên", "họ tên", "tên", "ten"),
    "title": (
        "title",
        "position",
        "unit",
        "chức vụ",
        "đơn vị",
        "chức vụ/đơn vị",
        "chức vụ, đơn vị",
    ),
    "form": ("form", "hình thức", "hinh_thuc", "mã hình thức"),
}


def read_recipients_csv(path: Path) -> list[RecipientInput]:
    """Recipients from a CSV (UTF-8, header name,title,form or Vietnamese headers)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            "Không đọc được tệp {path}: {reason}.", path=path, reason=Term(os_error_text(exc))
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("Tệp {name} không phải UTF-8.", name=path.name) from None
    reader = csv.reader(io.StringIO(text))
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error:  # a cell over csv's limit (131072 characters), a NUL, ...
        raise ValidationError(
            "Tệp {name} có ô quá dài hoặc hỏng, không đọc được.", name=path.name
        ) from None
    if not rows:
        raise ValidationError("Tệp {name} trống.", name=path.name)
    header = [cell.strip().lower() for cell in rows[0]]
    columns: dict[str, int] = {}
    for key, names in _HEADERS.items():
        for i, cell in enumerate(header):
            if cell in names:
                columns[key] = i
                break
    missing = [k for k in ("name", "form") if k not in columns]
    if missing:
        raise ValidationError(
            "Tệp {name} thiếu cột {missing} (tiêu đề: name,title,form).",
            name=path.name,
            missing=", ".join(missing),
        )
    result = []
    for line_no, row in enumerate(rows[1:], 2):

        def value(key: str, row: list[str] = row) -> str:
            i = columns.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        if not value("name") or not value("form"):
            raise ValidationError(
                "Tệp {name}, dòng {line_no}: thiếu tên hoặc hình thức.",
                name=path.name,
                line_no=line_no,
            )
        result.append(RecipientInput(name=value("name"), form=value("form"), title=value("title")))
    return result


@dataclass(frozen=True)
class Payout:
    decision: str
    vouchers: tuple[tuple[str, str, int], ...]  # (number, line, amount)
    total: int


def pay_decision(
    session: Session,
    campaign_id: int,
    number: str,
    norms: Norms,
    *,
    actor: str,
    entry_date: date | None = None,
    vtype: str = "phieu_chi",
    override_reason: str | None = None,
) -> Payout:
    """One voucher per estimate line the recipients are charged to; never twice."""
    decision = _find(session, campaign_id, number)
    lock_organisation(session, decision.organisation_id)
    if _payout_vouchers(session, decision.id):
        raise ValidationError("Quyết định «{number}» đã được chi thưởng.", number=number)
    view = decision_view(session, campaign_id, number, norms)
    if not view.recipients:
        raise ValidationError(
            "Quyết định «{number}» chưa có người được khen thưởng.", number=number
        )
    day = entry_date or decision.decision_date
    if day < decision.decision_date:
        raise ValidationError("Ngày chi thưởng không được trước ngày quyết định.")
    by_line: dict[str, list[RecipientView]] = {}
    for r in view.recipients:
        by_line.setdefault(r.line_code, []).append(r)
    fund.check_posting(  # the whole payout against the fund, once (not per voucher)
        session,
        norms,
        campaign_id,
        {code: sum(r.amount for r in group) for code, group in by_line.items()},
        override_reason=override_reason,
        actor=actor,
        what=Phrase("chi thưởng theo quyết định {number}", number=decision.number),
    )
    posted = []
    for line_code, group in by_line.items():
        amount = sum(r.amount for r in group)
        voucher = post_voucher(
            session,
            campaign_id,
            line_code=line_code,
            amount=amount,
            entry_date=day,
            payee=f"Danh sách khen thưởng theo QĐ số {decision.number}",
            content=f"Chi tiền thưởng theo Quyết định số {decision.number} ngày "
            f"{decision.decision_date:%d/%m/%Y} ({len(group)} người/tập thể)",
            actor=actor,
            vtype=vtype,
            override_reason=override_reason,
            award_decision_id=decision.id,
        )
        posted.append((voucher.number, line_code, amount))
    if decision.paid_at is None:
        decision.paid_at, decision.paid_by = clock.now(), actor
        session.flush()
    total = sum(amount for _, _, amount in posted)
    org = organisation_of(session, campaign_id)
    audit.record(
        session,
        actor=actor,
        action="pay",
        entity="award_decision",
        entity_id=number,
        summary=f"Chi thưởng theo quyết định {number}: {format_vnd(total)} đồng",
        after={"vouchers": [p[0] for p in posted], "total": total},
        organisation_id=org.id,
        content=decision_objects(session, decision.id),
    )
    return Payout(number, tuple(posted), total)
