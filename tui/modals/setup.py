"""The first run on an empty database: the commune's settings, then the first plan
from the shipped template.  Both call the core services the CLI uses
(``budget org set`` -> update_settings, ``budget plan new`` -> create_campaign)."""

from __future__ import annotations

from typing import Any

from budget.clock import today
from budget.text import fold
from tui.modals.simple import FieldsDialog

TEMPLATE = "chinh-quyen-than-thien"
KINDS = {"xa": "xã", "phuong": "phường", "thi tran": "thị trấn"}
DIALECTS = {"bac": "bac", "nam": "nam"}
ROUNDINGS = {"len": "up", "gan": "nearest", "gan nhat": "nearest"}


def _choice(value: str, choices: dict[str, str], label: str, shown: str) -> str:
    key = fold(value.strip()).lower()
    if key not in choices:
        raise ValueError(f"«{label}»: gõ {shown}.")
    return choices[key]


def organisation_dialog(backend: Any) -> FieldsDialog:
    def build(values: dict[str, Any]) -> Any:
        from budget.services.organisation import update_settings

        try:
            changes = {
                "commune_name": values["commune_name"],
                "commune_kind": _choice(
                    values["commune_kind"], KINDS, "Loại đơn vị", "xã, phường hoặc thị trấn"
                ),
                "province": values["province"],
                "chairman_name": values["chairman_name"],
                "accountant_name": values["accountant_name"],
                "preparer_name": values["preparer_name"],
                "dialect": _choice(values["dialect"], DIALECTS, "Đọc số", "Bắc hoặc Nam"),
                "rounding": _choice(
                    values["rounding"], ROUNDINGS, "Làm tròn", "lên hoặc gần (gần nhất)"
                ),
            }
        except ValueError as exc:
            return str(exc)
        if not changes["commune_name"].strip():
            return "Chưa nhập «Tên xã/phường»."
        return lambda s: update_settings(s, changes, actor=backend.actor)

    return FieldsDialog(
        "BẮT ĐẦU: THÔNG TIN ĐƠN VỊ",
        [
            ("commune_name", "Tên xã/phường", "text", ""),
            ("commune_kind", "Loại (xã/phường)", "text", "xã"),
            ("province", "Tỉnh/thành phố", "text", ""),
            ("chairman_name", "Chủ tịch", "text", ""),
            ("accountant_name", "Kế toán", "text", ""),
            ("preparer_name", "Người lập biểu", "text", ""),
            ("dialect", "Đọc số (Bắc/Nam)", "text", "Bắc"),
            ("rounding", "Làm tròn (lên/gần)", "text", "lên"),
        ],
        build,
        success="Đã lưu thông tin đơn vị.",
        intro="Cơ sở dữ liệu còn trống. Nhập thông tin xã; sửa lại được ở Cài đặt (F10).",
    )


def _default_day(year: int) -> str:
    """Today when the plan is for this year, else 1 January of its year."""
    now = today()
    return now.strftime("%d/%m/%Y") if now.year == year else f"01/01/{year}"


def first_plan_dialog(
    backend: Any, *, title: str = "KẾ HOẠCH ĐẦU TIÊN", year: int | None = None
) -> FieldsDialog:
    """A plan from the shipped template (the first run, or «n» on the campaigns page)."""
    year = year or today().year

    def build(values: dict[str, Any]) -> Any:
        from budget.services.campaigns import create_campaign

        text = values["year"].strip()
        if not text.isdigit():
            return f"«Năm» phải là số, ví dụ {year}."
        return lambda s: create_campaign(
            s,
            backend.norms,
            year=int(text),
            actor=backend.actor,
            template_key=TEMPLATE,
            number=values["number"].strip(),
            plan_date=values["date"],
        )

    return FieldsDialog(
        title,
        [
            ("year", "Năm", "text", str(year)),
            ("number", "Số kế hoạch", "text", ""),
            ("date", "Ngày kế hoạch", "date", _default_day(year)),
        ],
        build,
        success="Đã tạo kế hoạch với dự toán dự thảo.",
        intro="Lập kế hoạch từ mẫu «Chính quyền thân thiện» (dự toán dự thảo, sửa được).",
    )
