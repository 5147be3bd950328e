"""The TUI's door to the core: opens the database and norms off the UI thread and
runs each user action as one unit of work.

Heavy modules (SQLAlchemy, the services) are imported here lazily, after the
first frame is painted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from budget.db import Database
    from budget.norms import Norms
    from budget.services.campaigns import CampaignInfo

T = TypeVar("T")


class Backend:
    """Owns the database, the norms and the campaign the screens work on."""

    def __init__(
        self, db: str | None, norms_files: tuple[str, ...] = (), *, read_only: bool = False
    ) -> None:
        self.db_option = db
        self.norms_files = norms_files
        #: The chairman's view (``budget tui --read-only``, ``budget serve``): the
        #: database is opened read-only and every write is refused with one line.
        self.read_only = read_only
        self._database: Database | None = None
        self._norms: Norms | None = None
        self.campaign_id: int | None = None
        self.campaign_year: int | None = None

    # -- opening (call from a worker thread) -------------------------------------
    def setup_needed(self) -> str | None:
        """ "organisation" on an empty database, "campaign" when the commune has no
        plan yet, else None (the read-only view never sets anything up)."""
        from sqlalchemy import func, select

        from budget.db import open_database
        from budget.models import Campaign, Organisation
        from budget.norms import load_norms
        from budget.paths import user_norms_files

        if self.read_only:
            return None
        if self._database is None:
            self._database = open_database(self.db_option, read_only=self.read_only)
        if self._database.reviewer_provinces:
            self.read_only = True
            return None
        if self._norms is None:
            self._norms = load_norms(user_norms_files(list(self.norms_files)))
        with self._database.session() as session:
            if not session.execute(select(func.count(Organisation.id))).scalar_one():
                return "organisation"
            if not session.execute(select(func.count(Campaign.id))).scalar_one():
                return "campaign"
        return None

    def open(self) -> CampaignInfo:
        from budget.db import open_database
        from budget.models import Campaign
        from budget.norms import load_norms
        from budget.paths import user_norms_files
        from budget.services.campaigns import campaign_info, find_campaign

        if self._database is None:
            self._database = open_database(self.db_option, read_only=self.read_only)
        if self._database.reviewer_provinces:
            self.read_only = True  # the province reviewer's view: every write refused
        if self._norms is None:
            self._norms = load_norms(user_norms_files(list(self.norms_files)))
        with self._database.session() as session:
            # A campaign this user chose (the campaigns page) stays chosen; the
            # commune's current campaign is only the starting point.
            chosen = session.get(Campaign, self.campaign_id) if self.campaign_id else None
            info = campaign_info(chosen) if chosen is not None else find_campaign(session)
        self.campaign_id = info.id
        self.campaign_year = info.year
        return info

    @property
    def reviewer(self) -> bool:
        """The login is a province reviewer (PostgreSQL): it reads and writes nothing."""
        return self._database is not None and bool(self._database.reviewer_provinces)

    @property
    def refusal(self) -> str:
        """The one line a refused write shows."""
        from budget.db import READ_ONLY_MESSAGE, REVIEWER_MESSAGE

        return REVIEWER_MESSAGE if self.reviewer else READ_ONLY_MESSAGE

    @property
    def norms(self) -> Norms:
        assert self._norms is not None, "backend not opened"
        return self._norms

    @property
    def actor(self) -> str:
        from budget.services.actor import current_actor

        return current_actor()

    # -- units of work ----------------------------------------------------------------
    def read(self, fn: Callable[[Session], T]) -> T:
        assert self._database is not None, "backend not opened"
        with self._database.session() as session:
            return fn(session)

    def write(self, fn: Callable[[Session], T]) -> T:
        """One transaction: committed when ``fn`` returns, rolled back if it raises."""
        assert self._database is not None, "backend not opened"
        if self.read_only:
            from budget.errors import DatabaseError

            raise DatabaseError(self.refusal)
        with self._database.write_session() as session, session.begin():
            return fn(session)

    def session(self) -> Session:
        """A session for a long read (an export streams the register through it)."""
        assert self._database is not None, "backend not opened"
        return self._database.session()

    def campaign(self) -> int:
        assert self.campaign_id is not None, "no campaign"
        return self.campaign_id

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Backend(db={self.db_option!r}, campaign={self.campaign_id})"


def error_text(exc: BaseException, where: str = "tui") -> str:
    """A message for the user: one Vietnamese line (budget.failures); anything
    unexpected has its traceback in the log file the line names. ``where`` is
    kept for callers that say which part of the app failed."""
    from budget.failures import describe

    return describe(exc)[0]


__all__ = ["Backend", "error_text"]
