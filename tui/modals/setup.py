"""The first run on an empty database: the commune's settings, then the first plan
from the shipped template.  Both call the core services the CLI uses
(``budget org set`` -> update_settings, ``budget plan new`` -> create_campaign).
Where a value comes from a list (the unit's kind, the province, how amounts are
read and rewards rounded) the field is a list to choose from."""

from __future__ import annotations

from typing import Any

from budget.clock import today
from budget.provinces import PROVINCES, UNIT_KINDS
from tui.modals.settings import CHOICES
from tui.modals.simple import FieldsDialog

TEMPLATE = "chinh-quyen-than-thien"
KIND_OPTIONS = [(kind, kind) for kind in UNIT_KINDS]
PROVINCE_OPTIONS = [(name, name) for name in PROVINCES]
#: The same lists, in the same words, as the settings dialog (F10).
DIALECT_OPTIONS = next(options for key, _, options in CHOICES if key == "dialect")
ROUNDING_OPTIONS = next(options for key, _, options in CHOICES if key == "rounding")


def organisation_dialog(backend: Any) -> FieldsDialog:
    def build(values: dict[str, Any]) -> Any:
        from budget.services.organisation import update_settings

        if not values["commune_name"].strip():
            return "Chưa nhập «Tên xã/phường»."
        changes = {
            key: values[key]
            for key in (
                "commune_name",
                "commune_kind",
                "province",
                "chairman_name",
                "accountant_name",
                "preparer_name",
                "dialect",
                "rounding",
            )
        }
        return lambda s: update_settings(s, changes, actor=backend.actor)

    return FieldsDialog(
        "BẮT ĐẦU: THÔNG TIN ĐƠN VỊ",
        [
            ("commune_kind", "Loại đơn vị", "select", "xã"),
            ("commune_name", "Tên xã/phường", "text", ""),
            ("province", "Tỉnh/thành phố", "select", ""),
            ("chairman_name", "Chủ tịch", "text", ""),
            ("accountant_name", "Kế toán", "text", ""),
            ("preparer_name", "Người lập biểu", "text", ""),
            ("dialect", "Đọc số tiền", "select", "bac"),
            ("rounding", "Làm tròn tiền thưởng", "select", "up"),
        ],
        build,
        success="Đã lưu thông tin đơn vị.",
        intro="Cơ sở dữ liệu còn trống. Nhập thông tin xã; sửa lại được ở Thiết lập (F10).",
        options={
            "commune_kind": KIND_OPTIONS,
            "province": PROVINCE_OPTIONS,
            "dialect": DIALECT_OPTIONS,
            "rounding": ROUNDING_OPTIONS,
        },
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
