"""The original estimate against an adjusted version, line by line and part by part.

A line the adjustment removed still appears, with 0 adjusted and its whole
original amount as the difference; a part's original total is the sum of the
part's lines in the original, removed ones included.
"""

from __future__ import annotations

from dataclasses import dataclass

from budget.services.estimates import EstimateView, LineView


@dataclass(frozen=True)
class ComparedLine:
    code: str
    content: str
    original: int
    adjusted: int
    #: The line in the adjusted version; None when the adjustment removed it.
    line: LineView | None
    #: The line in the original; None when the adjustment added it.
    before: LineView | None

    @property
    def removed(self) -> bool:
        return self.line is None

    @property
    def shown(self) -> LineView:
        """The line to show: the adjusted one, else (removed) the original."""
        shown = self.line or self.before
        assert shown is not None, "a compared line is in one version at least"
        return shown

    @property
    def difference(self) -> int:
        return self.adjusted - self.original


@dataclass(frozen=True)
class ComparedPart:
    code: str
    title: str
    original: int
    adjusted: int
    lines: tuple[ComparedLine, ...]

    @property
    def difference(self) -> int:
        return self.adjusted - self.original


@dataclass(frozen=True)
class Comparison:
    original_version_no: int
    version_no: int
    parts: tuple[ComparedPart, ...]

    @property
    def original(self) -> int:
        return sum(p.original for p in self.parts)

    @property
    def adjusted(self) -> int:
        return sum(p.adjusted for p in self.parts)

    @property
    def difference(self) -> int:
        return self.adjusted - self.original


def compare_versions(original: EstimateView, adjusted: EstimateView) -> Comparison:
    """Every part and line of either version; removed lines follow the part's
    remaining lines, in their original order."""
    before = {line.code: line for line in original.lines}
    after = {line.code: line for line in adjusted.lines}
    original_parts = {p.code: p for p in original.parts}
    parts: list[ComparedPart] = []
    for part in adjusted.parts:
        lines = [
            ComparedLine(
                line.code,
                line.content,
                before[line.code].amount if line.code in before else 0,
                line.amount,
                line,
                before.get(line.code),
            )
            for line in part.lines
        ]
        source = original_parts.get(part.code)
        removed = [
            _removed(line) for line in (source.lines if source else ()) if line.code not in after
        ]
        parts.append(
            ComparedPart(
                part.code,
                part.title,
                source.total if source else 0,
                part.total,
                tuple(lines + removed),
            )
        )
    shown = {p.code for p in adjusted.parts}
    for source in original.parts:  # a part the adjustment dropped altogether
        if source.code not in shown:
            dropped = tuple(_removed(line) for line in source.lines if line.code not in after)
            parts.append(ComparedPart(source.code, source.title, source.total, 0, dropped))
    return Comparison(original.version_no, adjusted.version_no, tuple(parts))


def _removed(line: LineView) -> ComparedLine:
    return ComparedLine(line.code, line.content, line.amount, 0, None, line)


__all__ = ["ComparedLine", "ComparedPart", "Comparison", "compare_versions"]
