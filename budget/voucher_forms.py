"""Dated voucher-form templates (templates/norms/voucher_forms.toml, and the
user's norms files): which form code, title, legal basis and signers a printed
voucher carries, chosen by the voucher's date, like a norm.

A Phiếu chi dated 2024 prints under Thông tư 107/2017/TT-BTC, one dated 2025
under Thông tư 24/2024/TT-BTC; the treasury forms (C2-02a/NS, C2-03/NS) under
the treasury rules in force on that date. Nothing about a regime is a constant
in code: a new circular is one more row in a norms file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from budget.errors import NormError, ValidationError


@dataclass(frozen=True)
class VoucherForm:
    document: str  # the registry key: c41bb, c42, c43bb, c202a, c203
    code: str  # "C41-BB"
    title: str  # "PHIẾU CHI"
    regime: str  # "Thông tư 107/2017/TT-BTC"
    basis: str  # the line under the code
    valid_from: date
    valid_until: date | None
    signers: tuple[str, ...]
    source: str
    verify: bool = False

    @property
    def form_code(self) -> str:
        """ "Mẫu số C41-BB", as printed top right."""
        return f"Mẫu số {self.code}"

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


def _files() -> list[Path]:
    from budget.paths import templates_dir, user_norms_files

    return [templates_dir() / "norms" / "voucher_forms.toml", *user_norms_files()]


def _day(entry: dict[str, Any], key: str, where: str) -> date | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise NormError(
            "{where}: «{key}» «{value}» không phải ngày (YYYY-MM-DD).",
            where=where,
            key=key,
            value=value,
        ) from None


def _form(entry: dict[str, Any], where: str) -> VoucherForm:
    missing = [k for k in ("document", "code", "title", "basis", "valid_from") if k not in entry]
    if missing:
        raise NormError("{where}: thiếu trường {missing}.", where=where, missing=", ".join(missing))
    start = _day(entry, "valid_from", where)
    assert start is not None
    signers = entry.get("signers", [])
    if not isinstance(signers, list) or not all(isinstance(s, str) for s in signers):
        raise NormError("{where}: «signers» phải là danh sách chức danh.", where=where)
    return VoucherForm(
        document=str(entry["document"]),
        code=str(entry["code"]),
        title=str(entry["title"]),
        regime=str(entry.get("regime", "")),
        basis=str(entry["basis"]),
        valid_from=start,
        valid_until=_day(entry, "valid_until", where),
        signers=tuple(signers),
        source=str(entry.get("source", "")),
        verify=bool(entry.get("verify", False)),
    )


def voucher_forms() -> tuple[VoucherForm, ...]:
    """Every row, shipped then the user's; a later row with the same document and
    start date replaces an earlier one."""
    rows: dict[tuple[str, date], VoucherForm] = {}
    for path in _files():
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for i, entry in enumerate(data.get("voucher_form", []), 1):
            form = _form(entry, f"{path.name}, voucher_form #{i}")
            rows[(form.document, form.valid_from)] = form
    return tuple(sorted(rows.values(), key=lambda f: (f.document, f.valid_from)))


def form_for(document: str, on: date) -> VoucherForm:
    """The template of ``document`` in force on ``on`` (the voucher's date)."""
    found = [f for f in voucher_forms() if f.document == document and f.in_force(on)]
    if not found:
        raise ValidationError(
            "Không có mẫu chứng từ «{document}» áp dụng ngày {on:%d/%m/%Y}: "
            "thêm mẫu vào tệp định mức (voucher_form).",
            document=document,
            on=on,
        )
    return max(found, key=lambda f: f.valid_from)


__all__ = ["VoucherForm", "form_for", "voucher_forms"]
