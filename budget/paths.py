"""Where things live: the database, user norms files and the shipped templates.

Nothing here touches the disk at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "budget"
DATABASE_ENV = "BUDGET_DATABASE_URL"
NORMS_ENV = "BUDGET_NORMS"
DEFAULT_DB_FILENAME = "budget.db"


def data_dir() -> Path:
    """The per-user data folder (platformdirs), e.g. ~/.local/share/budget."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / DEFAULT_DB_FILENAME


def resolve_database_url(db: str | os.PathLike[str] | None = None) -> str:
    """``--db`` wins, then ``BUDGET_DATABASE_URL``, then the default SQLite file.

    ``db`` may be a filesystem path or any SQLAlchemy URL.
    """
    chosen: str | os.PathLike[str] | None = db or os.environ.get(DATABASE_ENV) or None
    if chosen is None:
        return sqlite_url(default_database_path())
    text = os.fspath(chosen)
    if "://" in text:
        return text
    return sqlite_url(Path(text))


def sqlite_url(path: Path) -> str:
    return "sqlite:///" + str(path.expanduser().absolute())


def templates_dir() -> Path:
    """templates/ from the wheel (budget/_templates) or from a source checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_templates", package.parent / "templates"):
        if (candidate / "norms").is_dir():
            return candidate
    raise FileNotFoundError("templates/ not found beside the budget package")


def user_norms_files(extra: tuple[str, ...] | list[str] = ()) -> list[Path]:
    """User norms files: config_dir()/norms/*.toml, then BUDGET_NORMS, then ``extra``."""
    files: list[Path] = []
    user_folder = config_dir() / "norms"
    if user_folder.is_dir():
        files += sorted(user_folder.glob("*.toml"))
    env = os.environ.get(NORMS_ENV, "")
    files += [Path(p) for p in env.split(os.pathsep) if p]
    files += [Path(p) for p in extra]
    return files
