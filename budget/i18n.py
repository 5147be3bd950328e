"""The interface language: Vietnamese by default, English on request.

The source language is Vietnamese: every text the user sees is written in
Vietnamese in the code and is its own message id.  :func:`tr` looks a text up in
the gettext catalogue of the chosen language (``budget/locale/<lang>/LC_MESSAGES/
budget.mo``, compiled from ``budget.po`` by :mod:`budget.i18n_catalog`) and falls
back to the Vietnamese text when the catalogue has no entry.

Only the interface is translated (command help, prompts, the one-line error
prefix, the TUI's keys, titles and buttons).  The documents the commune files
(estimates, payout lists, settlements, forms) are always Vietnamese: their
writers never call :func:`tr`.

The language is chosen, first match wins, by ``--lang`` (CLI and ``budget tui``),
the ``BUDGET_LANG`` environment variable, then the ``lang`` key of the user's
``preferences.json`` in the config folder (the TUI's settings dialog writes it).
"""

from __future__ import annotations

import gettext
import json
import os
from functools import cache
from pathlib import Path

LANGUAGE_ENV = "BUDGET_LANG"
DEFAULT_LANGUAGE = "vi"
#: code -> the language's own name, as the settings dialog lists them
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DOMAIN = "budget"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
PREFERENCES_FILE = "preferences.json"

_current = DEFAULT_LANGUAGE


def normalise(code: str | None) -> str | None:
    """``"en_US.UTF-8"`` -> ``"en"``; None for a language the app does not have."""
    if not code:
        return None
    short = code.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return short if short in LANGUAGES else None


def preferences_path() -> Path:
    from budget.paths import config_dir

    return config_dir() / PREFERENCES_FILE


def saved_language() -> str | None:
    """The language stored in the user's preferences, if any (never raises)."""
    try:
        data = json.loads(preferences_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return normalise(data.get("lang")) if isinstance(data, dict) else None


def save_language(code: str) -> None:
    """Store the user's choice (the TUI's settings dialog)."""
    from budget.safe_output import write_with

    lang = normalise(code)
    if lang is None:
        from budget.errors import ValidationError

        raise ValidationError(
            "Ngôn ngữ «{code}» không có; chọn một trong: {languages}.",
            code=code,
            languages=", ".join(LANGUAGES),
        )
    path = preferences_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    data["lang"] = lang
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_with(path, lambda target: target.write_text(payload, encoding="utf-8"), force=True)


def choose_language(flag: str | None = None) -> str:
    """Pick the language by the rules above and make it current."""
    for candidate in (flag, os.environ.get(LANGUAGE_ENV), saved_language()):
        lang = normalise(candidate)
        if lang is not None:
            set_language(lang)
            return lang
    set_language(DEFAULT_LANGUAGE)
    return DEFAULT_LANGUAGE


def set_language(code: str) -> None:
    global _current
    _current = normalise(code) or DEFAULT_LANGUAGE


def language() -> str:
    return _current


def is_vietnamese() -> bool:
    return _current == DEFAULT_LANGUAGE


@cache
def catalogue(code: str) -> gettext.NullTranslations:
    if code == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True)


def tr(text: str) -> str:
    """``text`` (Vietnamese, its own msgid) in the current language."""
    if _current == DEFAULT_LANGUAGE or not text:
        return text
    from budget.errors import Phrase

    if isinstance(text, Phrase):  # a message with values: its template is the msgid
        return str(text)
    return catalogue(_current).gettext(text)


__all__ = [
    "LANGUAGES",
    "LANGUAGE_ENV",
    "choose_language",
    "is_vietnamese",
    "language",
    "normalise",
    "save_language",
    "saved_language",
    "set_language",
    "tr",
]
