"""The CLI's own help texts in the interface language.

click keeps each command's help and each option's help on the command objects,
which live as long as the process.  :func:`localize` sets them from the
Vietnamese originals (kept on first sight) through :func:`budget.i18n.tr`, so the
same process can show either language (the tests run the CLI in-process).
"""

from __future__ import annotations

import click

from budget.i18n import tr

_ORIGINAL = "_budget_vi_text"
_COMMAND_FIELDS = ("help", "short_help", "epilog")
_PARAM_FIELDS = ("help", "prompt")


def _originals(obj: object, fields: tuple[str, ...]) -> dict[str, str | None]:
    saved: dict[str, str | None] | None = getattr(obj, _ORIGINAL, None)
    if saved is None:
        saved = {name: getattr(obj, name, None) for name in fields}
        setattr(obj, _ORIGINAL, saved)
    return saved


def _subcommands(command: click.Command) -> list[click.Command]:
    if not isinstance(command, click.Group) or type(command).__name__ == "LazyGroup":
        return []  # the root's commands are localized as they load
    return list(command.commands.values())


def localize(command: click.Command) -> None:
    """Set ``command``'s texts (and its options' and subcommands') to the language."""
    for name, original in _originals(command, _COMMAND_FIELDS).items():
        setattr(command, name, tr(original) if isinstance(original, str) else original)
    for param in command.params:
        for name, original in _originals(param, _PARAM_FIELDS).items():
            if isinstance(original, str):
                setattr(param, name, tr(original))
    if hasattr(command, "_help_option"):
        command._help_option = None  # click caches -h/--help with its text: make it anew
    for sub in _subcommands(command):
        localize(sub)


def _texts_of(command: click.Command, found: set[str]) -> None:
    for original in _originals(command, _COMMAND_FIELDS).values():
        if isinstance(original, str) and original:
            found.add(original)
    for param in command.params:
        for original in _originals(param, _PARAM_FIELDS).values():
            if isinstance(original, str) and original:
                found.add(original)
    for sub in _subcommands(command):
        _texts_of(sub, found)


def cli_texts() -> set[str]:
    """Every help text of every command, as written in Vietnamese."""
    import importlib

    from budget.cli import COMMANDS, cli

    found: set[str] = set()
    _texts_of(cli, found)
    for module_name, attribute in COMMANDS.values():
        _texts_of(getattr(importlib.import_module(module_name), attribute), found)
    return found


__all__ = ["cli_texts", "localize"]
