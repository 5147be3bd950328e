"""Which part and which budget code (MLNSNN) each estimate line belongs to, across
every approved version: the one mapping the reports share (reconcile, and through
it the summary, the dashboard and the settlement export).

The lines are, in order: those of the version in force; then those the original
approved version had and an adjustment dropped; then the codes vouchers were
charged to that neither holds, with the part and code of the latest approved
version that still held them (or no part at all when none did).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import Phrase, ValidationError
from budget.models import EstimateLine, EstimatePart, EstimateVersion
from budget.services.versions import approved_versions

#: The content shown for a charged code that no approved version ever held.
UNKNOWN_LINE = "(dòng không có trong dự toán)"


@dataclass(frozen=True)
class MappedLine:
    code: str
    part: str  # the part's code; "" for a line no approved version held
    content: str
    mlnsnn: str
    original: int  # amount in the original approved version, 0 if it had none
    approved: int  # amount in the version in force, 0 if an adjustment dropped it


@dataclass(frozen=True)
class LineMap:
    version_no: int  # the approved version in force
    original_version_no: int  # the first approved version
    decision_number: str | None
    decision_date: date | None
    lines: tuple[MappedLine, ...]
    part_titles: tuple[tuple[str, str], ...]  # (part code, title), first seen first

    def title_of(self, part: str) -> str:
        return dict(self.part_titles).get(part, "")


def versions_in_force(
    session: Session, campaign_id: int, as_of: date | None
) -> tuple[EstimateVersion, EstimateVersion]:
    """(original, current) approved versions on ``as_of`` (None: today's)."""
    versions = approved_versions(session, campaign_id)
    if as_of is not None:
        versions = [v for v in versions if v.decision_date is None or v.decision_date <= as_of]
    if not versions:
        when = Phrase(" tại ngày {as_of:%d/%m/%Y}", as_of=as_of) if as_of else ""
        raise ValidationError(
            "Chưa có dự toán được phê duyệt{when}: chưa đối chiếu được.", when=when
        )
    return versions[0], versions[-1]


def version_lines(session: Session, version_id: int) -> list[tuple[EstimateLine, EstimatePart]]:
    return versions_lines(session, version_id)[version_id]


def versions_lines(
    session: Session, *version_ids: int
) -> dict[int, list[tuple[EstimateLine, EstimatePart]]]:
    """Each version's lines with their parts, in the estimate's order: one query for
    all of them (under row-level security each query pays for its policies)."""
    found: dict[int, list[tuple[EstimateLine, EstimatePart]]] = {v: [] for v in version_ids}
    rows = session.execute(
        select(EstimateLine, EstimatePart)
        .join(EstimatePart, EstimatePart.id == EstimateLine.part_id)
        .where(EstimateLine.version_id.in_(set(version_ids)))
        .order_by(EstimateLine.version_id, EstimatePart.position, EstimateLine.position)
    )
    for line, part in rows:
        found[line.version_id].append((line, part))
    return found


def line_map(
    session: Session, campaign_id: int, *, as_of: date | None = None, charged: Iterable[str] = ()
) -> LineMap:
    """The lines of campaign ``campaign_id`` on ``as_of`` with their part and code;
    ``charged`` are the line codes vouchers were charged to (see the module text)."""
    original_version, current = versions_in_force(session, campaign_id, as_of)
    both = versions_lines(session, current.id, original_version.id)
    current_lines, original_lines = both[current.id], both[original_version.id]
    original_amounts = {line.code: line.amount for line, _ in original_lines}

    ordered = [(line, part, line.amount) for line, part in current_lines]
    seen = {line.code for line, _ in current_lines}
    for line, part in original_lines:
        if line.code not in seen:
            ordered.append((line, part, 0))
            seen.add(line.code)
    titles = {part.code: part.title for _, part, _ in ordered}
    mapped = [
        MappedLine(
            line.code,
            part.code,
            line.content,
            line.mlnsnn,
            original_amounts.get(line.code, 0),
            amount,
        )
        for line, part, amount in ordered
    ]
    orphans = sorted(set(charged) - seen)
    if orphans:
        earlier: dict[str, tuple[EstimateLine, EstimatePart]] = {}
        for version in approved_versions(session, campaign_id):
            for line, part in version_lines(session, version.id):
                if line.code in orphans:
                    earlier[line.code] = (line, part)
        for code in orphans:
            if code not in earlier:
                mapped.append(MappedLine(code, "", UNKNOWN_LINE, "", 0, 0))
                continue
            line, part = earlier[code]
            titles.setdefault(part.code, part.title)
            mapped.append(
                MappedLine(
                    code, part.code, line.content, line.mlnsnn, original_amounts.get(code, 0), 0
                )
            )
    return LineMap(
        version_no=current.version_no,
        original_version_no=original_version.version_no,
        decision_number=current.decision_number,
        decision_date=current.decision_date,
        lines=tuple(mapped),
        part_titles=tuple(titles.items()),
    )


__all__ = [
    "UNKNOWN_LINE",
    "LineMap",
    "MappedLine",
    "line_map",
    "version_lines",
    "versions_in_force",
]
