"""The terminal app: the accountant's workplace and the chairman's summary.

``make_app`` is the one factory the CLI and the tests use. Nothing heavy is
imported before the first frame: the database opens in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from budget.i18n import tr
from tui.backend import Backend, error_text
from tui.idle_gc import CHECK_EVERY, IdleCollector
from tui.messages import DataChanged, ShowVouchers
from tui.screens.base import DataScreen

T = TypeVar("T")

SCREENS_BY_KEY = [
    # (mode, key, label)
    ("dashboard", "f2", "Tổng quan"),
    ("estimate", "f3", "Dự toán"),
    ("vouchers", "f4", "Chứng từ"),
    ("awards", "f5", "Khen thưởng"),
    ("reconcile", "f6", "Đối chiếu"),
    ("summary", "f7", "Tổng hợp CT"),
    ("audit", "f9", "Nhật ký"),
    ("province", "f11", "Tổng hợp tỉnh"),
    ("campaigns", "f12", "Các kế hoạch"),
]
#: Screens only a province reviewer is offered (key, palette); others are told why.
REVIEWER_MODES = {"province"}

#: mode -> (module, screen class). A screen's module is imported when the mode is
#: first shown, so the first frame pays only for the screen it paints.
SCREEN_MODULES = {
    "dashboard": ("tui.screens.dashboard", "DashboardScreen"),
    "estimate": ("tui.screens.estimate", "EstimateScreen"),
    "vouchers": ("tui.screens.vouchers", "VouchersScreen"),
    "awards": ("tui.screens.awards", "AwardsScreen"),
    "reconcile": ("tui.screens.reconcile", "ReconcileScreen"),
    "summary": ("tui.screens.summary", "SummaryScreen"),
    "audit": ("tui.screens.audit", "AuditScreen"),
    "campaigns": ("tui.screens.campaigns", "CampaignsScreen"),
    "province": ("tui.screens.province", "ProvinceScreen"),
}


def _lazy_screen(module: str, name: str) -> Callable[[], Screen[Any]]:
    def build() -> Screen[Any]:
        import importlib

        screen: Screen[Any] = getattr(importlib.import_module(module), name)()
        return screen

    return build


def _modes() -> dict[str, str | Callable[[], Screen[Any]]]:
    return {mode: _lazy_screen(module, name) for mode, (module, name) in SCREEN_MODULES.items()}


def _freeze_heap() -> None:
    """What the app built to open (modules, the ORM, the norms, the first screen) lives
    as long as the app: keep it out of the collector's full passes, which otherwise
    walk all of it (measured 170-240 ms on a loaded machine, in the middle of a save)."""
    import gc

    gc.collect(1)  # the young garbage first: frozen objects are never collected
    gc.freeze()


def _palette_provider() -> type[Any]:
    from tui.palette import FoldingSystemCommands

    return FoldingSystemCommands


class BudgetApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Kinh phí phong trào thi đua"
    SUB_TITLE = "Đang mở cơ sở dữ liệu…"
    COMMAND_PALETTE_BINDING = "ctrl+p"
    COMMANDS = {_palette_provider}  # noqa: RUF012 - accent-free search (tui/palette.py)
    BINDINGS = [
        # The F-keys show in the F-key bar (tui/widgets/keybar.py), which always fits.
        Binding("f1", "help", "Trợ giúp", show=False),
        *[Binding(key, f"go('{mode}')", label, show=False) for mode, key, label in SCREENS_BY_KEY],
        Binding("f8", "export", "Xuất Excel", show=False),
        Binding("f10", "settings", "Thiết lập", show=False),
        Binding("ctrl+t", "toggle_dark", "Sáng/tối", show=False),
        Binding("ctrl+z", "undo", "Hoàn tác", show=False),
        Binding("ctrl+q", "quit", "Thoát", priority=True),
        Binding(
            "ctrl+p",
            "command_palette",
            "Bảng lệnh",
            show=False,
            priority=True,
            tooltip="Mở bảng lệnh",
        ),
    ]

    def __init__(self, backend: Backend, *, summary: bool = False) -> None:
        self.MODES = _modes()  # type: ignore[misc]
        # Start straight on the screen the user asked for: no default screen painted first.
        self.DEFAULT_MODE = "summary" if summary else "dashboard"  # type: ignore[misc]
        super().__init__()
        self.title = tr(self.TITLE)
        self.sub_title = tr(self.SUB_TITLE)
        self.backend = backend
        self.summary_mode = summary
        self.ready = False
        self.theme = "textual-dark"
        #: Undos of this session's draft edits, newest last (budget.services.draft_undo).
        self.undo_stack: list[Any] = []
        self.idle_gc = IdleCollector()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification in the interface language (the catalogue's fixed
        messages and titles; a message built from data stays as written)."""
        super().notify(
            tr(message), title=tr(title), severity=severity, timeout=timeout, markup=markup
        )

    # -- start-up -------------------------------------------------------------------
    def on_mount(self) -> None:
        self.idle_gc.start()
        self.set_interval(CHECK_EVERY, self.idle_gc.tick)
        self.open_backend()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.idle_gc.touch()  # she is at the keyboard: no full collection now
        await super().on_event(event)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_backend(self) -> None:
        try:
            need = self.backend.setup_needed()
            if need is not None:
                self.call_from_thread(self._start_setup, need)
                return
            info = self.backend.open()
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            self.call_from_thread(self._open_failed, error_text(exc, "open"))
            return
        self.call_from_thread(self._opened, info.title, info.code)

    def _start_setup(self, need: str) -> None:
        """First run: the commune's settings, then the first plan, then the data."""
        from tui.modals.setup import first_plan_dialog, organisation_dialog

        def plan_done(result: object) -> None:
            if result is None:
                self._open_failed("Chưa có kế hoạch: nhấn r để lập kế hoạch đầu tiên.")
                return
            self.open_backend()

        def org_done(result: object) -> None:
            if result is None:
                self._open_failed("Chưa có đơn vị: nhấn r để nhập thông tin xã.")
                return
            self.push_screen(first_plan_dialog(self.backend), plan_done)

        if need == "organisation":
            self.push_screen(organisation_dialog(self.backend), org_done)
        else:
            self.push_screen(first_plan_dialog(self.backend), plan_done)

    def _opened(self, title: str, code: str) -> None:
        first = not self.ready
        self.ready = True
        mark = f" · {tr('chỉ xem')}" if self.backend.read_only else ""
        self.sub_title = f"{code}{mark} · {title}"
        if first and self.backend.reviewer and not self.summary_mode:
            # A province reviewer's work is the roll-up: start there (F2 for one commune).
            self.switch_mode("province")
        self.refresh_screens()
        self.call_after_refresh(_freeze_heap)

    def _open_failed(self, message: str) -> None:
        self.sub_title = tr("Không mở được dữ liệu")
        self.notify(message, title="Lỗi", severity="error", timeout=30)
        screen = self.screen
        if isinstance(screen, DataScreen):
            screen.show_error(message)

    # -- data changes -------------------------------------------------------------------
    def refresh_screens(self) -> None:
        """Mark every data screen stale and reload the one on show."""
        for screen in self._all_data_screens():
            screen.stale = True
        current = self.screen
        if isinstance(current, DataScreen):
            current.reload()

    def _all_data_screens(self) -> Iterable[DataScreen]:
        for stack in self._screen_stacks.values():
            for screen in stack:
                if isinstance(screen, DataScreen):
                    yield screen

    def on_data_changed(self, _: DataChanged) -> None:
        self.refresh_screens()

    async def on_show_vouchers(self, message: ShowVouchers) -> None:
        from tui.screens.vouchers import VouchersScreen

        await self.switch_mode("vouchers")
        screen = self.screen
        if isinstance(screen, VouchersScreen):
            screen.filter_line(message.line)

    def perform(
        self,
        action: Callable[[Any], T],
        *,
        done: Callable[[T], None] | None = None,
        failed: Callable[[str], None] | None = None,
        success: str | None = None,
        then_read: Callable[[Any, T], Any] | None = None,
    ) -> None:
        """Run ``action(session)`` as one transaction in a worker thread.

        One write at a time: while one runs, another is refused with a message
        (dialogs also disable their Save button and Ctrl+S meanwhile).

        ``then_read(session, result)``, if given, runs in the same worker after the
        commit, in a read session (what a screen shows of the write, read without a
        second worker); ``done`` then gets ``(result, what it read)``, or
        ``(result, None)`` if that read failed (the write stands). Everything the UI
        does after the write (the toast, the stale screens, ``done``) happens in one
        hand-back to the UI thread, so a dialog closes and its screen shows the
        change in the same refresh."""
        if any(w.group == "write" and not w.is_finished for w in self.workers):
            self.notify("Đang ghi dữ liệu, xin chờ xong rồi thử lại.", severity="warning")
            return
        self._perform(action, done, failed, success, then_read)

    @work(thread=True, exclusive=True, group="write", exit_on_error=False)
    def _perform(
        self,
        action: Callable[[Any], T],
        done: Callable[[Any], None] | None,
        failed: Callable[[str], None] | None,
        success: str | None,
        then_read: Callable[[Any, T], Any] | None = None,
    ) -> None:
        try:
            result = self.backend.write(action)
        except Exception as exc:  # noqa: BLE001 - the message goes to the screen
            message = error_text(exc, "write")
            if failed is not None:
                self.call_from_thread(failed, message)
            else:
                self.call_from_thread(self.notify, message, title="Lỗi", severity="error")
            return
        from budget.services.draft_undo import Tracked

        undo = None
        if isinstance(result, Tracked):  # a draft edit: Ctrl+Z can take it back
            undo = result.undo
            result = result.value
        outcome: Any = result
        if then_read is not None:
            try:
                seen = self.backend.read(lambda session: then_read(session, result))
            except Exception:  # noqa: BLE001 - saved; the screen re-reads instead
                seen = None
            outcome = (result, seen)
        self.call_from_thread(self._written, outcome, undo, done, success)

    def _written(
        self,
        outcome: Any,
        undo: Any,
        done: Callable[[Any], None] | None,
        success: str | None,
    ) -> None:
        """On the UI thread, once a write committed: the one hand-back of ``_perform``."""
        if undo is not None:
            self.undo_stack.append(undo)
        if success:
            self.notify(success, title="Đã lưu")
        try:
            # Stale first: ``done`` may close a dialog and bring a screen back, and a
            # screen that showed the change itself (and said so) is not re-read.
            self.refresh_screens()
            if done is not None:
                done(outcome)
        except Exception as exc:  # noqa: BLE001 - saved; only the display failed
            self.notify(error_text(exc, "write"), title="Lỗi", severity="error")

    def choose_campaign(self, code: str) -> None:
        """Work on campaign ``code``: this user's choice, remembered for their next
        session (the database's current campaign is the commune's, not this user's,
        and is left alone)."""

        def find(session: Any) -> Any:
            from budget.services.campaigns import find_campaign

            return find_campaign(session, code)

        try:
            info = self.backend.read(find)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.notify(error_text(exc), title="Lỗi", severity="error")
            return
        self.backend.choose_campaign(info)
        self._opened(info.title, info.code)
        self.notify(f"Đang làm việc với kế hoạch {info.code}.", title="Đã chọn")

    # -- actions ----------------------------------------------------------------------
    def action_go(self, mode: str) -> None:
        if mode in REVIEWER_MODES and not self.backend.reviewer:
            if self.ready:
                self.notify(
                    "Tổng hợp tỉnh dành cho người rà soát cấp tỉnh; "
                    "số liệu của xã xem ở Các kế hoạch (F12).",
                    severity="warning",
                )
            return
        self.switch_mode(mode)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def _refuse_read_only(self) -> bool:
        """In the chairman's read-only view, say so instead of opening a writing dialog."""
        if self.backend.read_only:
            self.notify(self.backend.refusal, severity="warning")
        return self.backend.read_only

    def action_export(self) -> None:
        # An export writes a file on the machine that runs the app (in a browser:
        # the server), so the read-only view refuses it too.
        if not self.ready:
            return
        if not self.backend.may_export:
            self.notify(self.backend.refusal, severity="warning")
            return
        from tui.modals.export import ExportDialog

        self.push_screen(ExportDialog())

    def action_settings(self) -> None:
        if not self.ready or self._refuse_read_only():
            return
        from tui.modals.settings import SettingsDialog

        self.push_screen(SettingsDialog())

    async def action_quit(self) -> None:
        """Ctrl+Q: a dialog with unsaved changes asks first."""
        ask = getattr(self.screen, "confirm_discard", None)
        if ask is not None:
            ask(self.exit)
            return
        self.exit()

    def action_undo(self) -> None:
        """Ctrl+Z: take back this session's last draft edit, through the core."""
        if not self.ready or not isinstance(self.screen, DataScreen):
            return  # a dialog is open: its own fields handle Ctrl+Z
        if not self.undo_stack:
            from budget.services.draft_undo import NOTHING

            self.notify(NOTHING, severity="warning")
            return
        if any(w.group == "write" and not w.is_finished for w in self.workers):
            self.notify("Đang ghi dữ liệu, xin chờ xong rồi thử lại.", severity="warning")
            return
        item = self.undo_stack.pop()
        actor = self.backend.actor

        def action(session: Any) -> str:
            from budget.services.draft_undo import undo

            return undo(session, item, actor=actor)

        self.perform(action, done=lambda message: self.notify(message, title="Hoàn tác"))

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for mode, key, label in SCREENS_BY_KEY:
            if mode in REVIEWER_MODES and not self.backend.reviewer:
                continue
            yield SystemCommand(
                f"Mở: {label}",
                f"Chuyển tới màn hình {label} ({key.upper()})",
                lambda mode=mode: self.switch_mode(mode),
            )
        yield SystemCommand(
            "Xuất Excel", "Dự toán, quyết toán, danh sách thưởng, tổng hợp", self.action_export
        )
        yield SystemCommand(
            "Thiết lập đơn vị", "Tên xã, người ký, cách đọc số, làm tròn", self.action_settings
        )
        yield SystemCommand("Trợ giúp", "Danh sách phím tắt", self.action_help)
        yield SystemCommand("Giao diện sáng/tối", "Đổi màu nền", self.action_toggle_dark)
        yield SystemCommand("Thoát", "Đóng chương trình", self.exit)

    def on_unmount(self) -> None:
        self.idle_gc.stop()
        self.backend.close()

    def _handle_exception(self, error: Exception) -> None:
        """A dialog's error closes the dialog, not the app (tui/recovery.py)."""
        from tui.recovery import recover

        if not recover(self, error):
            super()._handle_exception(error)


def make_app(
    *,
    db: str | None = None,
    norms_files: tuple[str, ...] = (),
    summary: bool = False,
    read_only: bool = False,
) -> BudgetApp:
    """The app for the CLI and for the tests."""
    return BudgetApp(Backend(db, norms_files, read_only=read_only), summary=summary)
