"""Legal documents (văn bản pháp luật) as dated data, and the caps they set.

The shipped catalogue is templates/norms/legal_documents.toml; a user norms
file adds a province's resolution (Nghị quyết HĐND tỉnh) the same way and
attaches local rates to it (``document = "..."`` on a rate row). A plan
template names the *subjects* it rests on; the "Căn cứ ..." lines of an
estimate are the documents of those subjects in force on its dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from budget.errors import NormError

#: Subject key -> what the documents of that subject rule on (shown in listings).
SUBJECTS = {
    "emulation_law": "Luật Thi đua, khen thưởng",
    "rewards": "Chế độ khen thưởng, mức tiền thưởng",
    "base_salary": "Mức lương cơ sở",
    "conference_spending": "Chế độ chi hội nghị, công tác phí",
    "province_conference": "Mức chi hội nghị của tỉnh",
    "emulation_work": "Kinh phí công tác thi đua, khen thưởng",
    "local_government": "Tổ chức chính quyền địa phương",
}
DEFAULT_SUBJECTS = tuple(SUBJECTS)
UNVERIFIED = "chưa đối chiếu văn bản"


@dataclass(frozen=True)
class LegalDocument:
    number: str
    kind: str
    issued: date | None
    issuer: str
    title: str
    in_force_from: date
    in_force_until: date | None
    replaces: tuple[str, ...]
    amends: tuple[str, ...]
    subjects: tuple[str, ...]
    verify: bool = False
    note: str = ""

    def in_force(self, on: date) -> bool:
        return self.in_force_from <= on and (
            self.in_force_until is None or on <= self.in_force_until
        )

    @property
    def short_name(self) -> str:
        """ "Nghị định 152/2025/NĐ-CP"."""
        return f"{self.kind} {self.number}"

    def citation(self) -> str:
        """ "Nghị định số 73/2024/NĐ-CP ngày 30 tháng 6 năm 2024 của Chính phủ quy định ..."."""
        issued = (
            f" ngày {self.issued.day} tháng {self.issued.month} năm {self.issued.year}"
            if self.issued
            else ""
        )
        if self.kind == "Luật":
            return f"Luật {self.title} số {self.number}{issued}"
        issuer = f" của {self.issuer}" if self.issuer else ""
        return f"{self.kind} số {self.number}{issued}{issuer} {self.title}".rstrip()

    def basis_line(self) -> str:
        mark = f" ({UNVERIFIED})" if self.verify else ""
        return f"Căn cứ {self.citation()}{mark};"


@dataclass(frozen=True)
class FundCap:
    """At most ``percent`` of a fund may pay for the lines of ``parts`` funded from it."""

    code: str
    name: str
    fund: str
    percent: Decimal
    parts: tuple[str, ...]
    valid_from: date
    valid_to: date | None
    source: str
    article: str = ""
    document: str = ""
    verify: bool = False

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def limit(self, fund_total: int) -> int:
        """The cap in đồng, rounded down (never allow more than the percentage)."""
        return int(Decimal(fund_total) * self.percent // 100)


# -- loading -----------------------------------------------------------------


def _date(value: Any, name: str, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise NormError(
            "{where}: «{name}» phải là ngày dạng YYYY-MM-DD.", where=where, name=name
        ) from None


def _opt_date(entry: dict[str, Any], name: str, where: str) -> date | None:
    return _date(entry[name], name, where) if entry.get(name) is not None else None


def _need(entry: dict[str, Any], name: str, where: str) -> Any:
    if name not in entry:
        raise NormError("{where}: thiếu trường «{name}».", where=where, name=name)
    return entry[name]


def _strings(value: Any, name: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise NormError("{where}: «{name}» phải là danh sách chuỗi.", where=where, name=name)
    return tuple(value)


def add_documents(
    into: dict[str, LegalDocument], entries: Iterable[dict[str, Any]], file: str
) -> None:
    for i, e in enumerate(entries, 1):
        where = f"{file}, legal_document #{i}"
        subjects = _strings(e.get("subjects", []), "subjects", where)
        for subject in subjects:
            if subject not in SUBJECTS:
                raise NormError(
                    "{where}: lĩnh vực «{subject}» không hợp lệ (chọn: {subjects}).",
                    where=where,
                    subject=subject,
                    subjects=", ".join(SUBJECTS),
                )
        doc = LegalDocument(
            number=str(_need(e, "number", where)).strip(),
            kind=str(_need(e, "kind", where)),
            issued=_opt_date(e, "date", where),
            issuer=str(e.get("issuer", "")),
            title=str(_need(e, "title", where)),
            in_force_from=_date(_need(e, "in_force_from", where), "in_force_from", where),
            in_force_until=_opt_date(e, "in_force_until", where),
            replaces=_strings(e.get("replaces", []), "replaces", where),
            amends=_strings(e.get("amends", []), "amends", where),
            subjects=subjects,
            verify=bool(e.get("verify", False)),
            note=str(e.get("note", "")),
        )
        into[doc.number] = doc


def add_fund_caps(
    into: dict[tuple[str, date], FundCap], entries: Iterable[dict[str, Any]], file: str
) -> None:
    for i, e in enumerate(entries, 1):
        where = f"{file}, fund_cap #{i}"
        raw = _need(e, "percent", where)
        if isinstance(raw, float):
            raise NormError('{where}: tỷ lệ phải viết trong ngoặc kép, ví dụ "20".', where=where)
        try:
            percent = Decimal(str(raw))
        except InvalidOperation:
            raise NormError("{where}: tỷ lệ «{raw}» không hợp lệ.", where=where, raw=raw) from None
        if not percent.is_finite() or not 0 <= percent <= 100:
            raise NormError("{where}: tỷ lệ «{raw}» phải từ 0 đến 100.", where=where, raw=raw)
        document = str(e.get("document", ""))
        cap = FundCap(
            code=str(_need(e, "code", where)),
            name=str(_need(e, "name", where)),
            fund=str(e.get("fund", "quy_tdkt")),
            percent=percent,
            parts=_strings(_need(e, "parts", where), "parts", where),
            valid_from=_date(_need(e, "valid_from", where), "valid_from", where),
            valid_to=_opt_date(e, "valid_to", where),
            source=str(e.get("source", document)),
            article=str(e.get("article", "")),
            document=document,
            verify=bool(e.get("verify", False)),
        )
        into[(cap.code, cap.valid_from)] = cap


def finish_documents(found: dict[str, LegalDocument]) -> tuple[LegalDocument, ...]:
    """Close each replaced document the day before its replacement takes effect."""
    until: dict[str, date] = {}
    for doc in found.values():
        for old in doc.replaces:
            if old not in found:
                raise NormError(
                    "Văn bản {number} thay thế «{old}» chưa có trong danh mục.",
                    number=doc.number,
                    old=old,
                )
            day = doc.in_force_from - timedelta(days=1)
            until[old] = min(until.get(old, day), day)
    for doc in found.values():
        for old in doc.amends:
            if old not in found:
                raise NormError(
                    "Văn bản {number} sửa đổi «{old}» chưa có trong danh mục.",
                    number=doc.number,
                    old=old,
                )
    result = []
    for doc in found.values():
        if doc.number in until and doc.in_force_until is None:
            doc = replace(doc, in_force_until=until[doc.number])
        result.append(doc)
    return tuple(sorted(result, key=lambda d: (d.in_force_from, d.number)))


# -- the "Căn cứ" lines ------------------------------------------------------


def documents_in_force(
    documents: Sequence[LegalDocument], subjects: Sequence[str], dates: Iterable[date]
) -> list[LegalDocument]:
    """The documents of ``subjects`` in force on any of ``dates``: by subject, then date.

    An estimate is read on its plan date and on each date a norm is read
    (an award priced on 15/7 under a decree in force from 01/7 cites it too).
    """
    days = sorted(set(dates))
    chosen: list[LegalDocument] = []
    for subject in subjects:
        for doc in documents:
            if subject in doc.subjects and doc not in chosen and any(doc.in_force(d) for d in days):
                chosen.append(doc)
    return chosen


def legal_basis_lines(
    documents: Sequence[LegalDocument],
    subjects: Sequence[str],
    dates: Iterable[date],
    *,
    placeholders: dict[str, str] | None = None,
    local_lines: Sequence[str] = (),
) -> list[str]:
    """ "Căn cứ ..." lines: the documents in force, a placeholder for a subject with
    none (a province's resolution the user has not entered yet), then local lines."""
    days = list(dates)
    lines: list[str] = []
    for subject in subjects:
        docs = documents_in_force(documents, [subject], days)
        fresh = [d for d in docs if d.basis_line() not in lines]
        if not docs and placeholders and subject in placeholders:
            lines.append(placeholders[subject])
        lines.extend(d.basis_line() for d in fresh)
    return lines + list(local_lines)
