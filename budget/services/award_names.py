"""Recipient names: refuse invisible ones, find the same person twice in a decision."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from budget.errors import Term, ValidationError

#: Characters that draw nothing on their own: combining marks, format characters
#: (zero-width space, joiners, direction marks), separators and a few fillers.
_FILLERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def visible(text: str) -> str:
    """``text`` without anything that leaves no mark on paper."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFD", text)
        if unicodedata.category(ch)[0] not in ("M", "Z", "C")
        and not ch.isspace()
        and ch not in _FILLERS
    )


def check_visible(text: str, field: str) -> None:
    """Refuse a name that would print as blank (e.g. only accents or zero-width)."""
    if not visible(text):
        raise ValidationError(
            "«{field}» không có chữ nào nhìn thấy được (chỉ có dấu hoặc ký tự ẩn).",
            field=Term(field),
        )


def name_key(name: str) -> str:
    """NFC, case-folded, spaces collapsed: "  nguyễn  VĂN an" == "Nguyễn Văn An"."""
    text = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass(frozen=True)
class Duplicate:
    name: str
    title: str
    #: STT already in the decision, or None when the same list names it twice.
    position: int | None


class DuplicateRecipientError(ValidationError):
    """The same name twice in one decision; the caller may confirm and retry."""

    def __init__(self, message: str, duplicates: tuple[Duplicate, ...], **params: object) -> None:
        super().__init__(message, **params)
        self.duplicates = duplicates


def duplicate_text(duplicates: tuple[Duplicate, ...]) -> str:
    parts = []
    for d in duplicates:
        where = f"đã có ở STT {d.position}" if d.position else "có hai lần trong danh sách"
        parts.append(f"«{d.name}»{f' ({d.title})' if d.title else ''} {where}")
    return "; ".join(parts)


def find_duplicates(
    existing: list[tuple[int, str, str]], incoming: list[tuple[str, str]]
) -> tuple[Duplicate, ...]:
    """``existing``: (position, name, title) already in the decision;
    ``incoming``: (name, title) about to be added, in order."""
    seen: dict[str, Duplicate] = {name_key(n): Duplicate(n, t, p) for p, n, t in existing}
    found = []
    for name, title in incoming:
        key = name_key(name)
        if key in seen:
            first = seen[key]
            found.append(first if first.position else Duplicate(name, title, None))
        else:
            seen[key] = Duplicate(name, title, None)
    return tuple(found)
