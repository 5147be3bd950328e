"""The chairman's page: one frozen view that every output of it is drawn from.

The terminal page (which ``budget serve`` shows in a browser), the Excel sheet
(and its PDF) and ``budget report summary --format json`` all show a
:class:`ChairmanView` and nothing else, so they cannot disagree: the figures as of
one stated moment (from :mod:`budget.clock`), each part with its bar, the spending
month by month, and the alerts:

1. lines past their estimate;
2. vouchers posted past their line with a logged reason;
3. advances not yet settled, with their age in days on the as-of date;
4. award decisions made but not yet paid;
5. lines used up exactly (100 %);
6. lines at or over :data:`~budget.vocabulary.WATCH_PERCENT` (80 %), under 100 %.

Every output lists them in that order, under the same headings (:data:`ALERT_TITLES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from budget import clock
from budget.norms import Norms
from budget.reports.reconcile import Figures, figures_dict
from budget.reports.summary import (
    OverspendVoucher,
    UnpaidDecision,
    VoucherBrief,
    build_summary,
)
from budget.services.campaigns import organisation_of
from budget.services.organisation import get_organisation
from budget.vocabulary import ALERT_TITLES, FULL, OK, OVER, WATCH, WATCH_PERCENT, watch_level

#: What each level is called on every output.
LEVEL_LABELS = {
    OK: "",
    WATCH: f"từ {WATCH_PERCENT} %",
    FULL: "hết dự toán",
    OVER: "vượt dự toán",
}


@dataclass(frozen=True)
class PartBar:
    code: str
    title: str
    figures: Figures
    level: str  # vocabulary.watch_level


@dataclass(frozen=True)
class LineAlert:
    code: str
    content: str
    figures: Figures
    level: str  # WATCH, FULL or OVER


@dataclass(frozen=True)
class AdvanceAlert:
    number: str
    entry_date: date
    payee: str
    content: str
    line_code: str
    amount: int
    age_days: int  # from the advance's date to the as-of date


@dataclass(frozen=True)
class Alerts:
    lines: tuple[LineAlert, ...]  # at or over WATCH_PERCENT, in the estimate's order
    open_advances: tuple[AdvanceAlert, ...]
    unpaid_decisions: tuple[UnpaidDecision, ...]
    overspends: tuple[OverspendVoucher, ...]

    @property
    def over(self) -> tuple[LineAlert, ...]:
        """Lines past their estimate."""
        return tuple(a for a in self.lines if a.level == OVER)

    @property
    def full(self) -> tuple[LineAlert, ...]:
        """Lines used up exactly (100 %)."""
        return tuple(a for a in self.lines if a.level == FULL)

    @property
    def watch(self) -> tuple[LineAlert, ...]:
        """Lines at or over WATCH_PERCENT, under 100 %."""
        return tuple(a for a in self.lines if a.level == WATCH)

    @property
    def count(self) -> int:
        return (
            len(self.lines)
            + len(self.open_advances)
            + len(self.unpaid_decisions)
            + len(self.overspends)
        )


@dataclass(frozen=True)
class MonthSpend:
    month: int  # 1..12
    spent: int


@dataclass(frozen=True)
class ChairmanView:
    heading: str  # "ỦY BAN NHÂN DÂN XÃ PHÚ LÝ"
    campaign_code: str
    title: str
    year: int
    version_no: int
    decision_number: str | None
    decision_date: date | None
    as_of: datetime  # when the figures were drawn, in the machine's time zone
    total: Figures
    total_level: str
    parts: tuple[PartBar, ...]
    by_month: tuple[MonthSpend, ...]
    largest: tuple[VoucherBrief, ...]
    alerts: Alerts

    @property
    def as_of_text(self) -> str:
        """ "08:00 ngày 20/12/2024": the moment printed on every output."""
        return f"{self.as_of:%H:%M} ngày {self.as_of:%d/%m/%Y}"

    @property
    def as_of_line(self) -> str:
        return f"Số liệu tính đến {self.as_of_text}"

    @property
    def spent_in_months(self) -> int:
        return sum(m.spent for m in self.by_month)


def as_of_now() -> datetime:
    """The clock's now (naive UTC, frozen by BUDGET_NOW) in the machine's time zone."""
    return clock.now().replace(tzinfo=UTC).astimezone()


def chairman_view(
    session: Session, campaign_id: int, norms: Norms | None = None, *, largest: int = 5
) -> ChairmanView:
    """The chairman's page of campaign ``campaign_id`` as of now (see :mod:`budget.clock`).
    Raises ValidationError while no estimate is approved."""
    as_of = as_of_now()
    s = build_summary(session, campaign_id, norms, largest=largest)
    rec = s.reconciliation
    org = get_organisation(session, organisation_of(session, campaign_id).code)
    lines = (
        LineAlert(r.code, r.content, r.figures, watch_level(r.figures.used, r.figures.approved))
        for r in rec.lines
    )
    today = as_of.date()
    alerts = Alerts(
        lines=tuple(a for a in lines if a.level != OK),
        open_advances=tuple(
            AdvanceAlert(
                v.number,
                v.entry_date,
                v.payee,
                v.content,
                v.line_code,
                v.amount,
                max(0, (today - v.entry_date).days),
            )
            for v in s.open_advances
        ),
        unpaid_decisions=s.unpaid_decisions,
        overspends=s.overspends,
    )
    return ChairmanView(
        heading=org.heading,
        campaign_code=rec.campaign.code,
        title=rec.campaign.title,
        year=rec.campaign.year,
        version_no=rec.version_no,
        decision_number=rec.decision_number,
        decision_date=rec.decision_date,
        as_of=as_of,
        total=rec.total,
        total_level=watch_level(rec.total.used, rec.total.approved),
        parts=tuple(
            PartBar(g.code, g.title, g.figures, watch_level(g.figures.used, g.figures.approved))
            for g in rec.parts
        ),
        by_month=tuple(MonthSpend(m, v) for m, v in s.by_month),
        largest=s.largest,
        alerts=alerts,
    )


# -- the JSON contract (`budget report summary --format json`) ---------------------------
def _line_dict(a: LineAlert) -> dict[str, object]:
    return {"code": a.code, "content": a.content, **figures_dict(a.figures), "level": a.level}


def _brief_dict(v: VoucherBrief | AdvanceAlert) -> dict[str, object]:
    return {
        "number": v.number,
        "date": v.entry_date.isoformat(),
        "payee": v.payee,
        "content": v.content,
        "line": v.line_code,
        "amount": v.amount,
    }


def _advance_dict(v: AdvanceAlert) -> dict[str, object]:
    return {**_brief_dict(v), "age_days": v.age_days}


def _unpaid_dict(u: UnpaidDecision) -> dict[str, object]:
    return {
        "number": u.number,
        "date": u.decision_date.isoformat(),
        "recipients": u.recipients,
        "total": u.total,
    }


def _overspend_dict(o: OverspendVoucher) -> dict[str, object]:
    return {
        "number": o.number,
        "date": o.entry_date.isoformat(),
        "line": o.line_code,
        "amount": o.amount,
        "reason": o.reason,
    }


def chairman_dict(v: ChairmanView) -> dict[str, object]:
    a = v.alerts
    advances = [_advance_dict(x) for x in a.open_advances]
    unpaid = [_unpaid_dict(u) for u in a.unpaid_decisions]
    return {
        "commune": v.heading,
        "campaign": v.campaign_code,
        "title": v.title,
        "version": v.version_no,
        "decision_number": v.decision_number,
        "as_of": v.as_of.isoformat(timespec="seconds"),
        "as_of_text": v.as_of_line,
        "total": {**figures_dict(v.total), "level": v.total_level},
        "parts": [
            {"code": p.code, "title": p.title, **figures_dict(p.figures), "level": p.level}
            for p in v.parts
        ],
        "by_month": [{"month": m.month, "spent": m.spent} for m in v.by_month],
        "largest_vouchers": [_brief_dict(x) for x in v.largest],
        # In the order every output shows them, most urgent first.
        "alerts": {
            "lines_over": [_line_dict(x) for x in a.over],
            "overspends": [_overspend_dict(o) for o in a.overspends],
            "open_advances": advances,
            "unpaid_decisions": unpaid,
            "lines_full": [_line_dict(x) for x in a.full],
            "lines_watch": [_line_dict(x) for x in a.watch],
        },
        # Kept from the earlier contract: the same alerts, flat.
        "near_limit": [_line_dict(x) for x in a.lines],
        "overridden_lines": sorted({o.line_code for o in a.overspends}),
        "open_advances": advances,
        "unpaid_decisions": unpaid,
    }


__all__ = [
    "ALERT_TITLES",
    "LEVEL_LABELS",
    "AdvanceAlert",
    "Alerts",
    "ChairmanView",
    "LineAlert",
    "MonthSpend",
    "PartBar",
    "as_of_now",
    "chairman_dict",
    "chairman_view",
]
