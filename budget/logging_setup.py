"""A rotating log file in the user data folder for errors nobody expected.

The front ends call :func:`setup_file_logging` once; anything logged under the
``budget`` logger (with its traceback) lands in :func:`log_path`, so a message
on screen can say where the details are.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOGGER_NAME = "budget"
LOG_FILENAME = "budget.log"
MAX_BYTES = 1_000_000
BACKUPS = 3

_handler: logging.Handler | None = None


def log_path() -> Path:
    """Where unexpected errors are written: <data dir>/logs/budget.log."""
    from budget.paths import data_dir

    return data_dir() / "logs" / LOG_FILENAME


def setup_file_logging(path: Path | None = None) -> Path:
    """Attach one rotating file handler to the ``budget`` logger (idempotent).

    Returns the file's path. If the folder cannot be created the handler is
    skipped (logging must never stop the app) and the path is still returned.
    """
    global _handler
    target = path or log_path()
    logger = logging.getLogger(LOGGER_NAME)
    if _handler is not None and getattr(_handler, "baseFilename", None) == str(target):
        return target
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
        _handler = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
    except OSError:
        return target
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.ERROR)
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.ERROR:
        logger.setLevel(logging.ERROR)
    _handler = handler
    return target


def log_unexpected(exc: BaseException, where: str) -> Path:
    """Write ``exc`` with its traceback to the log file; returns the file's path."""
    path = setup_file_logging()
    logging.getLogger(f"{LOGGER_NAME}.{where}").error(
        "unexpected error", exc_info=(type(exc), exc, exc.__traceback__)
    )
    return path


__all__ = ["log_path", "log_unexpected", "setup_file_logging"]
