"""``--db`` is accepted after the subcommand too (``budget demo --db X``), as a
user writes it: it is moved in front of the subcommand before click parses."""

from __future__ import annotations

GLOBAL_VALUE_OPTIONS = ("--db", "--lang")


def hoist_global_options(argv: list[str]) -> list[str]:
    """Move every ``--db X`` / ``--db=X`` to the front; stop at ``--``."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        if arg in GLOBAL_VALUE_OPTIONS and i + 1 < len(argv):
            front += [arg, argv[i + 1]]
            i += 2
            continue
        if any(arg.startswith(f"{name}=") for name in GLOBAL_VALUE_OPTIONS):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def language_flag(argv: list[str]) -> str | None:
    """The value of ``--lang X`` / ``--lang=X`` before any ``--`` (click checks it
    again; this early look lets ``--help`` and click's own texts use it)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


__all__ = ["hoist_global_options", "language_flag"]
