"""The commune's emulation-reward fund (quỹ thi đua, khen thưởng) for a year.

Its money: the opening balance and the allocations. Charged to it: every
line funded from it (by its source, else by default for Mục 6200) in the
current approved estimate of every campaign of that year, and what was spent
on those lines. The share for emulation work (lines of the cap's parts) is
checked against the dated cap (TT 28/2025/TT-BTC: 20 %).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget import clock
from budget.errors import NotFoundError, Phrase, Term, ValidationError, join_phrases
from budget.funding import FUND, effective_source
from budget.models import (
    Campaign,
    EstimateLine,
    EstimatePart,
    EstimateVersion,
    FundAllocation,
    FundRegister,
    Voucher,
)
from budget.models.estimate import APPROVED
from budget.money import format_vnd
from budget.norms import Norms
from budget.services import audit
from budget.text import clean_text


@dataclass(frozen=True)
class FundStatus:
    year: int
    opening: int
    allocated: int
    approved: int  # fund lines in the approved estimates
    spent: int
    emulation_approved: int
    cap_percent: str | None
    cap_limit: int | None
    cap_source: str
    committed: int = 0  # open advances on fund lines
    emulation_charged: int = 0  # spent + committed on the cap's lines
    #: False when the commune keeps no fund register for the year (budget fund open):
    #: the figures then count only what the fund lines charge, against no money.
    opened: bool = True

    @property
    def charged(self) -> int:
        """Paid out of the fund or advanced from it."""
        return self.spent + self.committed

    @property
    def available(self) -> int:
        return self.total - self.charged

    @property
    def total(self) -> int:
        return self.opening + self.allocated

    @property
    def balance(self) -> int:
        return self.total - self.spent

    @property
    def uncommitted(self) -> int:
        return self.total - self.approved

    @property
    def over_cap(self) -> bool:
        return self.cap_limit is not None and self.emulation_approved > self.cap_limit


def _register(session: Session, org_id: int, year: int) -> FundRegister | None:
    return session.execute(
        select(FundRegister).where(
            FundRegister.organisation_id == org_id,
            FundRegister.year == year,
            FundRegister.source == FUND,
        )
    ).scalar_one_or_none()


def open_fund(session: Session, org_id: int, year: int, opening: int, *, actor: str) -> None:
    if opening < 0:
        raise ValidationError("Số dư đầu năm của quỹ không được âm.")
    if _register(session, org_id, year) is not None:
        raise ValidationError("Quỹ thi đua, khen thưởng năm {year} đã mở.", year=year)
    session.add(
        FundRegister(
            organisation_id=org_id,
            year=year,
            source=FUND,
            opening_balance=opening,
            created_at=clock.now(),
            created_by=actor,
        )
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="fund",
        entity_id=year,
        summary=f"Mở sổ quỹ thi đua, khen thưởng năm {year}: số dư đầu năm "
        f"{format_vnd(opening)} đồng",
        organisation_id=org_id,
    )


def allocate(
    session: Session,
    org_id: int,
    year: int,
    amount: int,
    *,
    decision_number: str,
    decision_date: date,
    actor: str,
    note: str = "",
) -> None:
    fund = _register(session, org_id, year)
    if fund is None:
        raise NotFoundError("Chưa mở quỹ năm {year}: chạy «budget fund open».", year=year)
    if amount <= 0:
        raise ValidationError("Số tiền trích lập phải lớn hơn 0.")
    number = clean_text(decision_number, "Số quyết định", max_length=60)
    session.add(
        FundAllocation(
            fund_id=fund.id,
            organisation_id=org_id,
            amount=amount,
            decision_number=number,
            decision_date=decision_date,
            note=clean_text(note, "Ghi chú", max_length=1000, required=False),
            created_at=clock.now(),
            created_by=actor,
        )
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="edit",
        entity="fund",
        entity_id=year,
        summary=f"Bổ sung quỹ năm {year}: {format_vnd(amount)} đồng theo QĐ {number}",
        organisation_id=org_id,
    )


def _approved_fund_lines(
    session: Session, org_id: int, year: int, replacing: dict[int, int] | None = None
) -> list[tuple[int, str, int, str]]:
    """(campaign, line code, amount, part key) of fund lines in each campaign's current
    approved version (``replacing``: campaign -> version to read instead)."""
    latest = (
        select(EstimateVersion.campaign_id, func.max(EstimateVersion.version_no).label("no"))
        .join(Campaign, Campaign.id == EstimateVersion.campaign_id)
        .where(
            Campaign.organisation_id == org_id,
            Campaign.year == year,
            EstimateVersion.status == APPROVED,
        )
        .group_by(EstimateVersion.campaign_id)
        .subquery()
    )
    version_ids = dict(
        session.execute(
            select(EstimateVersion.campaign_id, EstimateVersion.id).join(
                latest,
                (latest.c.campaign_id == EstimateVersion.campaign_id)
                & (latest.c.no == EstimateVersion.version_no),
            )
        ).all()
    )
    version_ids.update(replacing or {})
    if not version_ids:
        return []
    rows = session.execute(
        select(
            EstimateVersion.campaign_id,
            EstimateLine.code,
            EstimateLine.amount,
            EstimatePart.key,
            EstimateLine.funding_source,
            EstimateLine.mlnsnn,
        )
        .join(EstimateVersion, EstimateVersion.id == EstimateLine.version_id)
        .join(EstimatePart, EstimatePart.id == EstimateLine.part_id)
        .where(EstimateLine.version_id.in_(list(version_ids.values())))
    ).all()
    return [
        (c, code, amount, key)
        for c, code, amount, key, source, mlnsnn in rows
        if effective_source(source, mlnsnn) == FUND
    ]


def fund_status(
    session: Session,
    norms: Norms,
    org_id: int,
    year: int,
    *,
    replacing: dict[int, int] | None = None,
) -> FundStatus:
    fund = _register(session, org_id, year)
    opening = fund.opening_balance if fund else 0
    allocated = (
        int(
            session.execute(
                select(func.coalesce(func.sum(FundAllocation.amount), 0)).where(
                    FundAllocation.fund_id == fund.id
                )
            ).scalar_one()
        )
        if fund
        else 0
    )
    lines = _approved_fund_lines(session, org_id, year, replacing)
    caps = [c for c in norms.fund_caps if c.fund == FUND and c.in_force(date(year, 12, 31))]
    cap = max(caps, key=lambda c: c.valid_from) if caps else None
    emulation = sum(a for _, _, a, key in lines if cap and key in cap.parts)
    spent = committed = emulation_charged = 0
    by_campaign: dict[int, dict[str, str]] = {}
    for c, code, _, key in lines:
        by_campaign.setdefault(c, {})[code] = key
    for campaign_id, codes in by_campaign.items():
        for code, s_delta, c_delta in session.execute(
            select(
                Voucher.line_code,
                func.coalesce(func.sum(Voucher.spent_delta), 0),
                func.coalesce(func.sum(Voucher.committed_delta), 0),
            )
            .where(Voucher.campaign_id == campaign_id, Voucher.line_code.in_(list(codes)))
            .group_by(Voucher.line_code)
        ).all():
            spent += int(s_delta)
            committed += int(c_delta)
            if cap and codes[code] in cap.parts:
                emulation_charged += int(s_delta) + int(c_delta)
    total = opening + allocated
    return FundStatus(
        year=year,
        opening=opening,
        allocated=allocated,
        approved=sum(a for _, _, a, _ in lines),
        spent=spent,
        emulation_approved=emulation,
        cap_percent=str(cap.percent) if cap else None,
        cap_limit=cap.limit(total) if cap else None,
        cap_source=(cap.source + (" (chưa đối chiếu văn bản)" if cap.verify else ""))
        if cap
        else "",
        committed=committed,
        emulation_charged=emulation_charged,
        opened=fund is not None,
    )


def check_estimate(
    session: Session,
    norms: Norms,
    campaign_id: int,
    version_id: int,
    *,
    override_reason: str | None,
    actor: str,
) -> FundStatus | None:
    """Refuse approving ``version_id`` when the year's fund lines would exceed the fund
    or the emulation-work cap, unless a reason is given (logged)."""
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    if _register(session, campaign.organisation_id, campaign.year) is None:
        return None  # no fund register kept for that year: nothing to check against
    status = fund_status(
        session, norms, campaign.organisation_id, campaign.year, replacing={campaign_id: version_id}
    )
    problems: list[str] = []
    if status.approved > status.total:
        problems.append(
            Phrase(
                "các dòng chi từ quỹ {approved} đồng vượt quỹ {total} đồng",
                approved=format_vnd(status.approved),
                total=format_vnd(status.total),
            )
        )
    if status.over_cap:
        assert status.cap_limit is not None
        problems.append(
            Phrase(
                "chi công tác thi đua {emulation} đồng vượt trần {percent} % quỹ "
                "({limit} đồng, {source})",
                emulation=format_vnd(status.emulation_approved),
                percent=status.cap_percent,
                limit=format_vnd(status.cap_limit),
                source=status.cap_source,
            )
        )
    if not problems:
        return status
    if not override_reason:
        raise ValidationError(
            "Quỹ thi đua, khen thưởng năm {year}: {problems}. Ghi rõ lý do nếu vẫn duyệt.",
            year=campaign.year,
            problems=join_phrases("; ", problems),
        )
    audit.record(
        session,
        actor=actor,
        action="override",
        entity="fund",
        entity_id=campaign.year,
        summary="Vượt quỹ/trần quỹ thi đua, khen thưởng: " + "; ".join(problems),
        reason=override_reason,
        organisation_id=campaign.organisation_id,
    )
    return status


def sources(session: Session, org_id: int) -> list[tuple[str, str]]:
    """(code, name) of every funding source a line can name: built-in, then the user's."""
    from budget.funding import BUILTIN_SOURCES
    from budget.models import FundingSource

    user = session.execute(
        select(FundingSource.code, FundingSource.name)
        .where(FundingSource.organisation_id == org_id)
        .order_by(FundingSource.code)
    ).all()
    return list(BUILTIN_SOURCES.items()) + [(c, n) for c, n in user]


_SOURCE_CODE = re.compile(r"[a-z0-9_]{2,40}")


def add_source(session: Session, org_id: int, code: str, name: str, *, actor: str) -> None:
    """Define a source of the commune's own (nguồn khác: xã hội hóa, ngân sách tỉnh…)."""
    from budget.models import FundingSource

    code = code.strip()
    if not _SOURCE_CODE.fullmatch(code):
        raise ValidationError(
            "Mã nguồn kinh phí «{code}» không hợp lệ: chỉ chữ thường không dấu, số và "
            "dấu gạch dưới (2–40 ký tự), ví dụ xa_hoi_hoa.",
            code=code,
        )
    if code in dict(sources(session, org_id)):
        raise ValidationError("Nguồn kinh phí «{code}» đã có.", code=code)
    name = clean_text(name, "Tên nguồn kinh phí", max_length=200)
    session.add(FundingSource(organisation_id=org_id, code=code, name=name))
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="funding_source",
        entity_id=code,
        summary=f"Thêm nguồn kinh phí {code}: {name}",
        organisation_id=org_id,
    )


def set_line_source(
    session: Session, campaign_id: int, line_code: str, source: str, *, actor: str
) -> None:
    """Fund a draft line from ``source`` (quy_tdkt, thuong_xuyen or a user source)."""
    from budget.services.versions import draft_version

    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError("Không có kế hoạch.")
    version = draft_version(session, campaign_id)
    line = session.execute(
        select(EstimateLine).where(
            EstimateLine.version_id == version.id, EstimateLine.code == line_code.strip()
        )
    ).scalar_one_or_none()
    if line is None:
        raise NotFoundError("Không có dòng «{code}» trong dự toán dự thảo.", code=line_code)
    known = dict(sources(session, campaign.organisation_id))
    source = source.strip()
    if source not in known:
        raise ValidationError(
            "Không có nguồn kinh phí «{source}» (có: {known}); thêm nguồn mới "
            'bằng --name "Tên nguồn".',
            source=source,
            known=", ".join(known),
        )
    before = effective_source(line.funding_source, line.mlnsnn)
    line.funding_source = source
    session.flush()
    if before != source:
        audit.record(
            session,
            actor=actor,
            action="edit",
            entity="estimate_line",
            entity_id=line.code,
            summary=f"Dòng {line.code}: nguồn kinh phí {known.get(before, before)} → "
            f"{known[source]}",
            before={"funding_source": before},
            after={"funding_source": source},
            organisation_id=campaign.organisation_id,
        )


# -- postings ------------------------------------------------------------------------


def _fund_charges(
    session: Session, campaign_id: int, charges: dict[str, int]
) -> dict[str, tuple[int, str]]:
    """Of ``charges`` (line code -> amount), those on lines funded from the fund in the
    campaign's current approved estimate: line code -> (amount, part key)."""
    from budget.services.versions import current_approved

    version = current_approved(session, campaign_id)
    rows = session.execute(
        select(
            EstimateLine.code, EstimateLine.funding_source, EstimateLine.mlnsnn, EstimatePart.key
        )
        .join(EstimatePart, EstimatePart.id == EstimateLine.part_id)
        .where(EstimateLine.version_id == version.id, EstimateLine.code.in_(list(charges)))
    ).all()
    return {
        code: (charges[code], key)
        for code, source, mlnsnn, key in rows
        if effective_source(source, mlnsnn) == FUND and charges[code] > 0
    }


def check_posting(
    session: Session,
    norms: Norms | None,
    campaign_id: int,
    charges: dict[str, int],
    *,
    override_reason: str | None,
    actor: str,
    what: str = "chứng từ",
    posted: bool = False,
) -> list[str]:
    """Refuse paying ``charges`` (line code -> amount) when the lines funded from the
    fund would take it past its balance, or the emulation work past its cap.

    With ``override_reason`` the posting goes ahead and the reason is logged; the
    problems found are returned (empty: nothing was over). ``norms`` None: the user's.
    ``posted``: the charges are already flushed (a file import checks its total last). Checked only when a fund
    register is kept for the campaign's year, and only lines funded from the fund count.
    """
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError("Không có kế hoạch.")
    if _register(session, campaign.organisation_id, campaign.year) is None:
        return []
    ours = _fund_charges(session, campaign_id, charges)
    if not ours:
        return []
    if norms is None:  # the caller has none at hand: the user's norms files
        from budget.norms import load_norms
        from budget.paths import user_norms_files

        norms = load_norms(user_norms_files())
    status = fund_status(session, norms, campaign.organisation_id, campaign.year)
    amount = sum(a for a, _ in ours.values())
    lines = ", ".join(ours)
    caps = [
        c for c in norms.fund_caps if c.fund == FUND and c.in_force(date(campaign.year, 12, 31))
    ]
    cap = max(caps, key=lambda c: c.valid_from) if caps else None
    emulation = sum(a for a, key in ours.values() if cap and key in cap.parts)
    if posted:  # the status counted them already: compare what was there before
        status = replace(
            status,
            spent=status.spent - amount,
            emulation_charged=status.emulation_charged - emulation,
        )
    problems: list[str] = []
    if status.charged + amount > status.total:
        problems.append(
            Phrase(
                "{what} {amount} đồng (dòng {lines}) vượt số dư quỹ: còn {available} đồng "
                "trên tổng quỹ {total} đồng",
                what=what if isinstance(what, Phrase) else Term(what),
                amount=format_vnd(amount),
                lines=lines,
                available=format_vnd(status.available),
                total=format_vnd(status.total),
            )
        )
    limit = status.cap_limit
    if emulation and limit is not None and status.emulation_charged + emulation > limit:
        problems.append(
            Phrase(
                "chi công tác thi đua {emulation} đồng đưa tổng lên {after} đồng, vượt trần "
                "{percent} % quỹ ({limit} đồng, {source})",
                emulation=format_vnd(emulation),
                after=format_vnd(status.emulation_charged + emulation),
                percent=status.cap_percent,
                limit=format_vnd(limit),
                source=status.cap_source,
            )
        )
    if not problems:
        return []
    if not override_reason:
        raise ValidationError(
            "Quỹ thi đua, khen thưởng năm {year}: {problems}. "
            "Bổ sung quỹ (budget fund allocate), chuyển dòng sang nguồn khác "
            "(budget plan source), hoặc ghi rõ lý do (--override-reason).",
            year=campaign.year,
            problems=join_phrases("; ", problems),
        )
    audit.record(
        session,
        actor=actor,
        action="override",
        entity="fund",
        entity_id=campaign.year,
        summary="Chi vượt quỹ/trần quỹ thi đua, khen thưởng: " + "; ".join(problems),
        before={"charged": status.charged, "emulation_charged": status.emulation_charged},
        after={
            "charged": status.charged + amount,
            "emulation_charged": status.emulation_charged + emulation,
        },
        reason=override_reason,
        organisation_id=campaign.organisation_id,
    )
    return problems
