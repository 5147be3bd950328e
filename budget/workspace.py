"""One workspace for both front ends: the database, the norms, who is acting, the
campaign this user works on, and the units of work.

The CLI's ``AppContext`` (budget/cli/context.py) and the TUI's ``Backend``
(tui/backend.py) are thin adapters over it. Everything heavy (SQLAlchemy, the
norms, the services) is imported when first needed, so a front end can import
this module before its first frame.

The campaign a user chose is theirs: it is kept per database and per actor in
the user's data folder (``chosen_campaigns.json``), so the next session opens on
it again. The commune's "current campaign" in the database is only where a user
starts who has chosen nothing (or whose choice no longer exists or is no longer
visible to them); loading a screen never changes either.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from budget.db import Database
    from budget.norms import Norms
    from budget.services.campaigns import CampaignInfo

T = TypeVar("T")

#: The file in the user data folder that remembers each user's chosen campaign.
CHOICES_FILE = "chosen_campaigns.json"


class CampaignChoices:
    """Each user's chosen campaign id, per database: a small JSON file
    ``{database: {actor: campaign_id}}``. A file that cannot be read counts as
    empty and a failed save is ignored: the choice then lasts for this session only."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path

    @property
    def path(self) -> Path:
        if self._path is None:
            from budget.paths import data_dir

            self._path = data_dir() / CHOICES_FILE
        return self._path

    def _load(self) -> dict[str, dict[str, int]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(db): {str(a): c for a, c in users.items() if isinstance(c, int)}
            for db, users in data.items()
            if isinstance(users, dict)
        }

    def get(self, database: str, actor: str) -> int | None:
        return self._load().get(database, {}).get(actor)

    def set(self, database: str, actor: str, campaign_id: int) -> None:
        data = self._load()
        data.setdefault(database, {})[actor] = campaign_id
        path = self.path
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)


class Workspace:
    """The database (opened on first use), the norms, the actor, this user's
    campaign, and the units of work, for one front-end session."""

    def __init__(
        self,
        db_option: str | None,
        norms_files: tuple[str, ...] = (),
        *,
        read_only: bool = False,
        choices: CampaignChoices | None = None,
    ) -> None:
        self.db_option = db_option
        self.norms_files = norms_files
        #: The chairman's view (``budget tui --read-only``, ``budget serve``): the
        #: database is opened read-only and every write is refused with one line.
        self.read_only = read_only
        #: Asked for at the start (the chairman's view, ``budget serve``), not only
        #: taken on because the login turned out to be a province reviewer.
        self.asked_read_only = read_only
        self.choices = choices if choices is not None else CampaignChoices()
        self._database: Database | None = None
        self._norms: Norms | None = None
        self._login: str | None = None
        self._login_known = False
        self.campaign_id: int | None = None
        self.campaign_year: int | None = None

    # -- what it holds ------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._database is not None

    @property
    def database(self) -> Database:
        if self._database is None:
            from budget.db import open_database

            self._database = open_database(self.db_option, read_only=self.read_only)
        return self._database

    @property
    def norms(self) -> Norms:
        if self._norms is None:
            from budget.norms import load_norms
            from budget.paths import user_norms_files

            self._norms = load_norms(user_norms_files(list(self.norms_files)))
        return self._norms

    @property
    def actor(self) -> str:
        """On PostgreSQL the database login's name (a commune member's); otherwise
        --user / BUDGET_USER, else the operating-system user."""
        from budget.services.actor import current_actor, login_actor

        if not self._login_known and self.database.engine.dialect.name == "postgresql":
            with self.database.session() as session:
                self._login = login_actor(session)
            self._login_known = True
        return self._login or current_actor()

    @property
    def database_key(self) -> str:
        """The database as the choice file names it (its URL, password hidden)."""
        from budget.paths import resolve_database_url

        url = resolve_database_url(self.db_option)
        if "://" in url and "@" in url:
            from sqlalchemy.engine import make_url

            return make_url(url).render_as_string(hide_password=True)
        return url

    @property
    def reviewer_provinces(self) -> tuple[str, ...]:
        """The codes of the provinces this login reviews (PostgreSQL), else ()."""
        return self.database.reviewer_provinces

    @property
    def reviewer(self) -> bool:
        """The login is a province reviewer (PostgreSQL): it reads and writes nothing."""
        return bool(self.reviewer_provinces)

    @property
    def refusal(self) -> str:
        """The one line a refused write shows."""
        from budget.db import READ_ONLY_MESSAGE, REVIEWER_MESSAGE

        return REVIEWER_MESSAGE if self.reviewer else READ_ONLY_MESSAGE

    # -- the campaign -------------------------------------------------------------------
    def setup_needed(self) -> str | None:
        """ "organisation" on an empty database, "campaign" when the commune has no
        plan yet, else None (the read-only view never sets anything up)."""
        from sqlalchemy import func, select

        from budget.models import Campaign, Organisation

        if self.read_only:
            return None
        if self.reviewer:
            self.read_only = True  # a province reviewer sets nothing up
            return None
        self.norms  # noqa: B018 - load the norms off the UI thread too
        with self.reading() as session:
            if not session.execute(select(func.count(Organisation.id))).scalar_one():
                return "organisation"
            if not session.execute(select(func.count(Campaign.id))).scalar_one():
                return "campaign"
        return None

    def open_campaign(self) -> CampaignInfo:
        """The campaign to work on: the one this user chose (in this session, else
        remembered from an earlier one) while it exists and is visible, else the
        commune's current campaign. Never records a choice."""
        from budget.models import Campaign
        from budget.services.campaigns import campaign_info, find_campaign

        self.norms  # noqa: B018 - load the norms off the UI thread too
        if self.reviewer:
            self.read_only = True  # the province reviewer's view: every write refused
        wanted = self.campaign_id
        if wanted is None:
            wanted = self.choices.get(self.database_key, self.actor)
        with self.reading() as session:
            chosen = session.get(Campaign, wanted) if wanted is not None else None
            info = campaign_info(chosen) if chosen is not None else find_campaign(session)
        self.campaign_id = info.id
        self.campaign_year = info.year
        return info

    def choose_campaign(self, info: CampaignInfo) -> None:
        """This user now works on ``info``; remembered for their next session."""
        self.campaign_id = info.id
        self.campaign_year = info.year
        self.choices.set(self.database_key, self.actor, info.id)

    def campaign(self) -> int:
        assert self.campaign_id is not None, "no campaign"
        return self.campaign_id

    # -- units of work ------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error; refused
        at once in the read-only view."""
        if self.read_only:
            from budget.errors import DatabaseError

            raise DatabaseError(self.refusal)
        with self.database.write_session() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.database.session() as session:
            yield session

    def read(self, fn: Callable[[Session], T]) -> T:
        with self.reading() as session:
            return fn(session)

    def write(self, fn: Callable[[Session], T]) -> T:
        with self.transaction() as session:
            return fn(session)

    def session(self) -> Session:
        """A session for a long read (an export streams the register through it)."""
        return self.database.session()

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Workspace(db={self.db_option!r}, campaign={self.campaign_id})"


class OverWorkspace:
    """What a front end's adapter (``AppContext``, ``Backend``) passes straight
    through to its workspace."""

    workspace: Workspace

    @property
    def db_option(self) -> str | None:
        return self.workspace.db_option

    @property
    def norms_files(self) -> tuple[str, ...]:
        return self.workspace.norms_files

    @property
    def norms(self) -> Norms:
        return self.workspace.norms

    @property
    def actor(self) -> str:
        """--user / BUDGET_USER on SQLite; on PostgreSQL the database login's name."""
        return self.workspace.actor

    def close(self) -> None:
        self.workspace.close()


__all__ = ["CHOICES_FILE", "CampaignChoices", "OverWorkspace", "Workspace"]
