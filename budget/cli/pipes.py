"""Stdout closed early (``budget voucher list | head -1``): exit quietly.

Write commands commit before they print, so a broken pipe after the commit
neither rolls back nor claims anything: the data is kept and the exit is 141
(128 + SIGPIPE), as a shell pipeline expects.
"""

from __future__ import annotations

import os
import sys

BROKEN_PIPE_EXIT = 141


def quiet_broken_pipe() -> None:
    # Point stdout at /dev/null so the interpreter's final flush does not raise again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(BROKEN_PIPE_EXIT)


__all__ = ["BROKEN_PIPE_EXIT", "quiet_broken_pipe"]
