"""The app factory used by the CLI and by tests (a minimal shell for now).

Heavy imports (SQLAlchemy, the services) happen in a worker after the first
frame is painted.
"""

from __future__ import annotations

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static


class BudgetApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Kinh phí phong trào thi đua"
    BINDINGS = [Binding("q", "quit", "Thoát"), Binding("f1", "help", "Trợ giúp")]

    def __init__(
        self, *, db: str | None, norms_files: tuple[str, ...] = (), summary: bool = False
    ) -> None:
        super().__init__()
        self.db_option = db
        self.norms_files = norms_files
        self.summary_mode = summary

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Đang mở cơ sở dữ liệu…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.load_overview()

    @work(thread=True, exclusive=True)
    def load_overview(self) -> None:
        from budget.db import open_database
        from budget.errors import BudgetError
        from budget.money import format_vnd
        from budget.services.campaigns import find_campaign
        from budget.services.estimates import estimate_view
        from budget.services.organisation import get_organisation

        try:
            database = open_database(self.db_option)
            with database.session() as session:
                org = get_organisation(session)
                info = find_campaign(session)
                view = estimate_view(session, info.id)
            database.dispose()
            text = (
                f"ỦY BAN NHÂN DÂN {org.heading}\n\n{view.title}\n"
                f"Phiên bản {view.version_no} · {len(view.lines)} dòng · "
                f"tổng {format_vnd(view.total)} đồng"
            )
        except BudgetError as exc:
            text = f"Lỗi: {exc.message}"
        self.call_from_thread(self.query_one("#status", Static).update, text)

    def action_help(self) -> None:
        self.notify("q: thoát · F1: trợ giúp", title="Phím tắt")


def make_app(
    *, db: str | None = None, norms_files: tuple[str, ...] = (), summary: bool = False
) -> BudgetApp:
    return BudgetApp(db=db, norms_files=norms_files, summary=summary)
