"""Campaign templates (templates/plans/*.toml): parts and typical lines."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from budget.errors import NotFoundError, ValidationError
from budget.norms import Norms
from budget.paths import templates_dir
from budget.quantities import parse_quantity


@dataclass(frozen=True)
class TemplateLine:
    content: str
    unit: str
    quantity: Decimal
    multiplier: Decimal | None
    multiplier_unit: str
    unit_price: int | None
    norm: str | None
    norm_on: str | None
    mlnsnn: str
    note: str

    def norm_date(self, year: int, default: date) -> date:
        """The date the norm is read on: ``norm_on`` (MM-DD) in ``year``, else ``default``."""
        if not self.norm_on:
            return default
        month, day = (int(x) for x in self.norm_on.split("-"))
        return date(year, month, day)


@dataclass(frozen=True)
class TemplatePart:
    key: str
    code: str
    title: str
    lines: tuple[TemplateLine, ...]


@dataclass(frozen=True)
class PlanTemplate:
    key: str
    name: str
    description: str
    title: str
    plan_title: str
    legal_bases: tuple[str, ...]
    parts: tuple[TemplatePart, ...]
    #: Subjects (budget.legal.SUBJECTS) whose documents in force are cited.
    legal_subjects: tuple[str, ...] = ()
    #: Printed for a subject with no document in force (a province's resolution).
    legal_placeholders: tuple[tuple[str, str], ...] = ()
    #: Local documents always cited last (the commune's own decision, the plan).
    local_bases: tuple[str, ...] = ()

    @property
    def short_code(self) -> str:
        """ "chinh-quyen-than-thien" -> "cqtt"."""
        return "".join(word[0] for word in self.key.split("-") if word)

    def render(self, text: str, *, year: int, commune: str, kind: str = "xã") -> str:
        """``{year}``, ``{commune}`` and ``{kind}`` (the unit's kind: xã, phường, đặc khu)."""
        return (
            text.replace("{year}", str(year)).replace("{commune}", commune).replace("{kind}", kind)
        )


def plans_dir() -> Path:
    return templates_dir() / "plans"


def list_templates() -> list[str]:
    return sorted(p.stem for p in plans_dir().glob("*.toml"))


_LINE_KEYS = {
    "content",
    "unit",
    "quantity",
    "multiplier",
    "multiplier_unit",
    "unit_price",
    "norm",
    "norm_on",
    "mlnsnn",
    "note",
}


def _line(raw: dict[str, Any], where: str) -> TemplateLine:
    unknown = set(raw) - _LINE_KEYS
    if unknown:
        raise ValidationError(
            "{where}: khóa không hợp lệ {unknown}.", where=where, unknown=sorted(unknown)
        )
    has_price, has_norm = "unit_price" in raw, "norm" in raw
    if has_price == has_norm:
        raise ValidationError("{where}: cần đúng một trong unit_price hoặc norm.", where=where)
    price = raw.get("unit_price")
    if has_price and (isinstance(price, bool) or not isinstance(price, int) or price < 0):
        raise ValidationError("{where}: unit_price phải là số nguyên đồng không âm.", where=where)
    for key in ("quantity", "multiplier"):
        if key in raw and not isinstance(raw[key], str):
            raise ValidationError(
                '{where}: {key} phải viết trong ngoặc kép, ví dụ "2.5".', where=where, key=key
            )
    try:
        return TemplateLine(
            content=str(raw["content"]),
            unit=str(raw.get("unit", "")),
            quantity=parse_quantity(raw["quantity"]),
            multiplier=parse_quantity(raw["multiplier"], "Hệ số") if "multiplier" in raw else None,
            multiplier_unit=str(raw.get("multiplier_unit", "")),
            unit_price=price,
            norm=raw.get("norm"),
            norm_on=raw.get("norm_on"),
            mlnsnn=str(raw["mlnsnn"]),
            note=str(raw.get("note", "")),
        )
    except KeyError as exc:
        raise ValidationError("{where}: thiếu trường {exc}.", where=where, exc=exc) from None


def load_template(key: str) -> PlanTemplate:
    path = plans_dir() / f"{key}.toml"
    if not path.is_file():
        known = ", ".join(list_templates()) or "(không có)"
        raise NotFoundError(
            "Không có mẫu kế hoạch «{key}». Các mẫu có: {known}.", key=key, known=known
        )
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    head = data.get("template", {})
    parts = []
    for p_index, part in enumerate(data.get("part", []), 1):
        lines = tuple(
            _line(line, f"{path.name}, phần {p_index}, dòng {l_index}")
            for l_index, line in enumerate(part.get("line", []), 1)
        )
        parts.append(TemplatePart(str(part["key"]), str(part["code"]), str(part["title"]), lines))
    return PlanTemplate(
        key=str(head.get("key", key)),
        name=str(head.get("name", key)),
        description=str(head.get("description", "")),
        title=str(head.get("title", "Dự toán kinh phí năm {year}")),
        plan_title=str(head.get("plan_title", head.get("title", ""))),
        legal_bases=tuple(str(x) for x in head.get("legal_bases", [])),
        parts=tuple(parts),
        legal_subjects=_subjects(head.get("legal_subjects", []), path.name),
        legal_placeholders=tuple(
            (str(k), str(v)) for k, v in head.get("legal_placeholders", {}).items()
        ),
        local_bases=tuple(str(x) for x in head.get("local_bases", [])),
    )


def _subjects(raw: Any, where: str) -> tuple[str, ...]:
    from budget.legal import SUBJECTS

    subjects = tuple(str(x) for x in raw)
    for subject in subjects:
        if subject not in SUBJECTS:
            raise ValidationError(
                "{where}: lĩnh vực căn cứ «{subject}» không hợp lệ (chọn: {subjects}).",
                where=where,
                subject=subject,
                subjects=", ".join(SUBJECTS),
            )
    return subjects


def check_template(template: PlanTemplate, norms: Norms, year: int) -> None:
    """Every budget code and norm reference resolves (raises on the first that does not)."""
    for part in template.parts:
        for line in part.lines:
            norms.budget_code(line.mlnsnn)
            if line.norm:
                norms.unit_price(line.norm, line.norm_date(year, date(year, 1, 1)))
