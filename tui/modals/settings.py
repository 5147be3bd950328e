"""Thiết lập: the commune, signers, how amounts are read and rewards rounded."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from budget.i18n import LANGUAGES, language, tr
from tui.modals.base import FormDialog

TEXT_FIELDS = [
    ("commune_kind", "Loại đơn vị (xã/phường)"),
    ("commune_name", "Tên xã"),
    ("province", "Tỉnh/thành phố"),
    ("superior_body", "Cơ quan cấp trên"),
    ("place_name", "Địa danh ghi ngày tháng"),
    ("chairman_name", "Chủ tịch"),
    ("chairman_title", "Chức danh người duyệt"),
    ("accountant_name", "Kế toán"),
    ("preparer_name", "Người lập biểu"),
]
CHOICES = [
    ("dialect", "Đọc số tiền", [("Miền Bắc: linh, nghìn", "bac"), ("Miền Nam: lẻ, ngàn", "nam")]),
    ("rounding", "Làm tròn tiền thưởng", [("Lên hàng chục nghìn", "up"), ("Gần nhất", "nearest")]),
    (
        "collective_rule",
        "Thưởng tập thể",
        [
            ("Theo hệ số rồi làm tròn", "coefficient"),
            ("Gấp đôi mức cá nhân đã làm tròn", "twice_rounded"),
        ],
    ),
    (
        "household_rule",
        "Thưởng hộ gia đình",
        [
            ("Theo hệ số rồi làm tròn", "coefficient"),
            ("1,5 × mức cá nhân đã làm tròn", "multiple_rounded"),
        ],
    ),
]


class SettingsDialog(FormDialog):
    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(tr("THIẾT LẬP ĐƠN VỊ"), classes="dialog-title")
            with Grid(classes="form-grid"):
                for key, label in TEXT_FIELDS:
                    yield Label(tr(label))
                    yield Input(id=key)
                for key, label, options in CHOICES:
                    yield Label(tr(label))
                    yield Select(options, allow_blank=False, id=key, value=options[0][1])
                # the user's own choice, kept in her preferences, not in the commune's settings
                yield Label(tr("Ngôn ngữ giao diện"))
                yield Select(
                    [(name, code) for code, name in LANGUAGES.items()],
                    allow_blank=False,
                    id="interface_lang",
                    value=language(),
                )
            yield from self.compose_buttons("Lưu", "Đóng")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="settings-load", exit_on_error=False)
    def _load(self) -> None:
        from budget.services.organisation import get_organisation
        from tui.backend import error_text

        try:
            settings = self.budget_app.backend.read(get_organisation)
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, the app stays up
            message = error_text(exc, "settings")
            self.app.call_from_thread(self._load_failed, message)
            return
        self.app.call_from_thread(self._fill, settings)

    def _load_failed(self, message: str) -> None:
        self.set_error(message)
        self.notify(message, title="Lỗi", severity="error", timeout=10)
        self.set_busy(True)  # nothing loaded: saving would overwrite the settings with blanks

    def _fill(self, settings: Any) -> None:
        for key, _ in TEXT_FIELDS:
            self.query_one(f"#{key}", Input).value = getattr(settings, key) or ""
        for key, _, _ in CHOICES:
            self.query_one(f"#{key}", Select).value = getattr(settings, key)
        self.mark_clean()

    def action_save(self) -> None:
        changes: dict[str, Any] = {
            key: self.query_one(f"#{key}", Input).value for key, _ in TEXT_FIELDS
        }
        changes |= {key: self.query_one(f"#{key}", Select).value for key, _, _ in CHOICES}
        backend = self.budget_app.backend
        chosen = str(self.query_one("#interface_lang", Select).value)
        success = "Đã lưu thiết lập."
        if chosen != language():
            from budget.i18n import save_language

            try:
                save_language(chosen)
            except Exception as exc:  # noqa: BLE001 - a preferences file it cannot write
                from tui.backend import error_text

                self.set_error(error_text(exc, "settings"))
                return
            success = "Đã lưu thiết lập. Ngôn ngữ mới có hiệu lực khi mở lại ứng dụng."

        def action(session: Any) -> Any:
            from budget.services.organisation import update_settings

            return update_settings(session, changes, actor=backend.actor)

        self.write(action, success=success)
