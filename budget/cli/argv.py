"""``--db`` is accepted after the subcommand too (``budget demo --db X``), as a
user writes it: it is moved in front of the subcommand before click parses."""

from __future__ import annotations

GLOBAL_VALUE_OPTIONS = ("--db",)


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


__all__ = ["hoist_global_options"]
