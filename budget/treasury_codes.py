"""Chương, loại–khoản and nguồn codes from templates/norms/treasury_codes.toml
(and the user's norms files): dated, sourced, editable lists the organisation
settings and the treasury forms are checked against."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from budget.errors import Term, ValidationError

LISTS = {"chapter": "chapter", "sector_code": "sector", "fund_code": "fund"}
LABELS = {
    "chapter": "Chương",
    "sector_code": "Loại - khoản",
    "fund_code": "Mã nguồn",
    "unit_code": "Mã ĐVQHNS",
    "treasury_code": "Mã KBNN",
}


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    valid_from: date
    valid_until: date | None
    source: str


def _files() -> list[Path]:
    from budget.paths import templates_dir, user_norms_files

    return [templates_dir() / "norms" / "treasury_codes.toml", *user_norms_files()]


def _load() -> tuple[dict[str, dict[str, Code]], dict[str, str]]:
    lists: dict[str, dict[str, Code]] = {k: {} for k in LISTS.values()}
    formats: dict[str, str] = {}
    for path in _files():
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for kind in lists:
            for entry in data.get(kind, []):
                until = entry.get("valid_until")
                lists[kind][str(entry["code"])] = Code(
                    str(entry["code"]),
                    str(entry.get("name", "")),
                    date.fromisoformat(str(entry.get("valid_from", "1900-01-01"))),
                    date.fromisoformat(str(until)) if until else None,
                    str(entry.get("source", "")),
                )
        formats.update({k: str(v) for k, v in data.get("formats", {}).items()})
    return lists, formats


def codes(kind: str) -> dict[str, Code]:
    return _load()[0][kind]


def check_code(field: str, value: str, on: date | None = None) -> None:
    """Raise a one-line Vietnamese error unless ``value`` is in the list (in force ``on``)."""
    lists, formats = _load()
    label = LABELS.get(field, field)
    if field in formats:
        if not re.fullmatch(formats[field], value):
            raise ValidationError(
                "«{label}» «{value}» không đúng định dạng.", label=Term(label), value=value
            )
        return
    kind = LISTS.get(field)
    if kind is None:
        return
    known = lists[kind]
    item = known.get(value)
    if item is None:
        raise ValidationError(
            "«{label}» «{value}» không có trong danh mục ({known}); "
            "thêm vào tệp định mức của bạn nếu cần.",
            label=Term(label),
            value=value,
            known=", ".join(sorted(known)),
        )
    if on is not None and (
        on < item.valid_from or (item.valid_until is not None and on > item.valid_until)
    ):
        raise ValidationError(
            "«{label}» «{value}» không còn hiệu lực ngày {on:%d/%m/%Y}.",
            label=Term(label),
            value=value,
            on=on,
        )
