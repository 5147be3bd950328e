"""The TUI's door to the core: a thin adapter over ``budget.workspace.Workspace``,
which opens the database and norms off the UI thread and runs each user action as
one unit of work.

Heavy modules (SQLAlchemy, the services) are imported here lazily, after the
first frame is painted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from budget.workspace import OverWorkspace, Workspace

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from budget.db import Database
    from budget.services.campaigns import CampaignInfo

T = TypeVar("T")


class Backend(OverWorkspace):
    """The TUI's view of the core ``Workspace`` (budget/workspace.py): the database,
    the norms, the actor and the campaign this user works on."""

    def __init__(
        self, db: str | None, norms_files: tuple[str, ...] = (), *, read_only: bool = False
    ) -> None:
        self.workspace = Workspace(db, norms_files, read_only=read_only)

    @property
    def read_only(self) -> bool:
        """The chairman's view (``budget tui --read-only``, ``budget serve``)."""
        return self.workspace.read_only

    @property
    def reviewer(self) -> bool:
        """The login is a province reviewer (PostgreSQL): it reads and writes nothing."""
        return bool(self.reviewer_provinces)

    @property
    def reviewer_provinces(self) -> tuple[str, ...]:
        """The provinces this login reviews: () until the database is open, and for
        everyone but a province reviewer."""
        return self.workspace.reviewer_provinces if self.workspace.is_open else ()

    @property
    def may_export(self) -> bool:
        """An export writes a file where the app runs: refused in the chairman's view
        (in a browser that is the server), allowed to a province reviewer at a terminal."""
        return not self.read_only or (self.reviewer and not self.workspace.asked_read_only)

    @property
    def refusal(self) -> str:
        """The one line a refused write shows."""
        return self.workspace.refusal

    @property
    def _database(self) -> Database | None:
        """The open database, if any (tests break its sessions to probe the screens)."""
        return self.workspace._database

    @property
    def campaign_id(self) -> int | None:
        return self.workspace.campaign_id

    @campaign_id.setter
    def campaign_id(self, value: int | None) -> None:
        self.workspace.campaign_id = value

    @property
    def campaign_year(self) -> int | None:
        return self.workspace.campaign_year

    # -- opening (call from a worker thread) -------------------------------------
    def setup_needed(self) -> str | None:
        """ "organisation" on an empty database, "campaign" when the commune has no
        plan yet, else None (the read-only view never sets anything up)."""
        return self.workspace.setup_needed()

    def open(self) -> CampaignInfo:
        """The campaign this user chose (kept per user), else the commune's current one."""
        return self.workspace.open_campaign()

    def choose_campaign(self, info: CampaignInfo) -> None:
        """The user picked ``info`` (the campaigns page): theirs until they pick another."""
        self.workspace.choose_campaign(info)

    # -- units of work ----------------------------------------------------------------
    def read(self, fn: Callable[[Session], T]) -> T:
        return self.workspace.read(fn)

    def write(self, fn: Callable[[Session], T]) -> T:
        """One transaction: committed when ``fn`` returns, rolled back if it raises."""
        return self.workspace.write(fn)

    def session(self) -> Session:
        """A session for a long read (an export streams the register through it)."""
        return self.workspace.session()

    def campaign(self) -> int:
        return self.workspace.campaign()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Backend(db={self.db_option!r}, campaign={self.campaign_id})"


def error_text(exc: BaseException, where: str = "tui") -> str:
    """A message for the user: one Vietnamese line (budget.failures); anything
    unexpected has its traceback in the log file the line names. ``where`` is
    kept for callers that say which part of the app failed."""
    from budget.failures import describe

    return describe(exc)[0]


__all__ = ["Backend", "error_text"]
