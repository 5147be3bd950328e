"""The command palette matches without accents: "xuat excel" finds "Xuất Excel".

Both the query and each candidate are folded with the core's ``fold`` for
matching; the highlight is Textual's own.
"""

from __future__ import annotations

from textual.command import Provider
from textual.fuzzy import Matcher
from textual.system_commands import SystemCommandsProvider

from budget.text import fold


class FoldingMatcher(Matcher):
    def __init__(self, query: str, **kwargs: object) -> None:
        super().__init__(fold(query), **kwargs)  # type: ignore[arg-type]

    def match(self, candidate: str) -> float:
        return super().match(_folded(candidate))


def _folded(candidate: str) -> str:
    import unicodedata

    return fold(unicodedata.normalize("NFC", candidate))


class FoldingSystemCommands(SystemCommandsProvider):
    def matcher(self, user_input: str, case_sensitive: bool = False) -> Matcher:
        return FoldingMatcher(
            user_input, match_style=self.match_style, case_sensitive=case_sensitive
        )


PROVIDERS: set[type[Provider]] = {FoldingSystemCommands}
