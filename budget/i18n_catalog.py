"""The English catalogue: read and write ``budget.po``, compile ``budget.mo``.

``python -m budget.i18n_catalog`` collects every text the interface shows (the
help of every CLI command and option, and every literal passed to ``tr(...)`` in
budget/ and tui/), adds the new ones to ``budget/locale/en/LC_MESSAGES/budget.po``
with an empty translation, drops none, and compiles ``budget.mo`` beside it.
``--check`` changes nothing and exits 1 when a text has no translation or the
``.mo`` is stale (tests/unit/test_i18n.py runs the same check).

The ``.mo`` writer follows the GNU gettext file format (magic 0x950412de,
revision 0, sorted original and translation tables); the standard library's
:mod:`gettext` reads it.
"""

from __future__ import annotations

import ast
import builtins
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

from budget.i18n import DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
PO_HEADER = (
    "Project-Id-Version: budget\n"
    "Language: en\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
)


def po_path(lang: str = "en") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str = "en") -> Path:
    return po_path(lang).with_suffix(".mo")


# -- .po ------------------------------------------------------------------------
def _unquote(token: str) -> str:
    value = ast.literal_eval(token)
    if not isinstance(value, str):
        raise ValueError(token)
    return value


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (the header entry, msgid "", left out)."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key = "".join(msgid)
            if key:
                entries[key] = "".join(msgstr)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [_unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
        else:
            raise ValueError(f"{path}: dòng không đọc được: {raw!r}")
    flush()
    return entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [f'"{line}\\n"' for line in lines[:-1]]
    if lines[-1]:
        parts.append(f'"{lines[-1]}"')
    return '""\n' + "\n".join(parts)


def write_po(path: Path, entries: dict[str, str]) -> None:
    out = ["# English interface of budget. Documents the commune files stay Vietnamese.", ""]
    out += ['msgid ""', "msgstr " + _quote(PO_HEADER), ""]
    for msgid in sorted(entries):
        out += [f"msgid {_quote(msgid)}", f"msgstr {_quote(entries[msgid])}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")


# -- .mo ------------------------------------------------------------------------
def compile_mo(entries: dict[str, str]) -> bytes:
    """GNU .mo bytes of the translated entries (untranslated ones are left out,
    so gettext falls back to the Vietnamese text)."""
    pairs = sorted((k, v) for k, v in entries.items() if v)
    pairs.insert(0, ("", PO_HEADER))
    ids = [k.encode("utf-8") for k, _ in pairs]
    strs = [v.encode("utf-8") for _, v in pairs]
    count = len(pairs)
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + count * 8
    data_start = strs_table + count * 8
    offsets_ids: list[tuple[int, int]] = []
    blob = b""
    for item in ids:
        offsets_ids.append((len(item), data_start + len(blob)))
        blob += item + b"\0"
    offsets_strs: list[tuple[int, int]] = []
    for item in strs:
        offsets_strs.append((len(item), data_start + len(blob)))
        blob += item + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, count, ids_table, strs_table, 0, 0)
    out += b"".join(struct.pack("<2I", *pair) for pair in offsets_ids)
    out += b"".join(struct.pack("<2I", *pair) for pair in offsets_strs)
    return out + blob


# -- collecting the texts ---------------------------------------------------------
def tr_literals(paths: Iterable[Path]) -> set[str]:
    """Every string literal passed as the first argument of ``tr(...)``."""
    found: set[str] = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


#: Modules whose every domain error (``...Error("...")``) is in the catalogue, the
#: constant messages too; elsewhere only the templates (an error given values:
#: ``ValidationError("... {amount} ...", amount=...)``) are. See budget.errors.
ERROR_MODULES = (
    "budget/services/vouchers.py",
    "budget/services/approval.py",
    "budget/services/estimates.py",
    "budget/services/awards.py",
    "budget/services/award_lines.py",
    "budget/services/estimate_edit.py",
    "budget/services/versions.py",
    "budget/money.py",
    "budget/dates.py",
    "budget/text.py",
    "budget/progress.py",
)


#: Functions whose argument at that position is a field's name that ends up in an
#: error message as a Term (``clean_text(payee, "Người nhận")``).
TERM_ARGS = {
    "clean_text": 1,
    "parse_date": 1,
    "_check_date": 2,
    "_check_year": 2,
    "refuse_if_paid": 2,
}


def _call_name(node: ast.Call) -> str:
    return getattr(node.func, "id", None) or getattr(node.func, "attr", None) or ""


def _error_name(node: ast.Call) -> bool:
    """A domain error (not Python's own TypeError, ...), a Cancelled or a Term."""
    name = _call_name(node)
    if hasattr(builtins, name):
        return False
    return name.endswith("Error") or name in ("Cancelled", "Term", "Phrase")


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def error_texts(paths: Iterable[Path]) -> set[str]:
    """Domain error messages and the interface words and pieces put in them
    (``Term("...")``, ``Phrase("...", row=...)``): every one in :data:`ERROR_MODULES`,
    the templates everywhere; plus the string
    constants named ``*_MESSAGE`` in those modules."""
    found: set[str] = set()
    for path in paths:
        whole = path.relative_to(ROOT).as_posix() in ERROR_MODULES
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _error_name(node) and node.args:
                first = _text(node.args[0])
                term = _call_name(node) == "Term"
                if first is not None and (whole or node.keywords or term):
                    found.add(first)
            elif isinstance(node, ast.Call) and _call_name(node) in TERM_ARGS:
                position = TERM_ARGS[_call_name(node)]
                label = _text(node.args[position]) if len(node.args) > position else None
                if label is not None:
                    found.add(label)
            elif whole and isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                names = [getattr(t, "id", "") for t in node.targets]
                if any(n.endswith("_MESSAGE") for n in names) and isinstance(node.value.value, str):
                    found.add(node.value.value)
    return found


#: names whose string arguments (calls) or tuple items (assignments) are texts,
#: with the positions that are texts: Binding("f1", "help", "Trợ giúp"), ...
_EVERY = None  # every position
_TEXT_CALLS: dict[str, tuple[int, ...] | None] = {
    "Binding": (2,),
    "compose_buttons": (0, 1),
    "headers": _EVERY,
}
_TEXT_LISTS = {"COLUMNS", "columns"}
_TEXT_NAMES = {"TITLE", "SUB_TITLE"}
_TEXT_TABLES = {
    "BINDINGS": (2,),
    "FKEYS": (1, 2),
    "SCREENS_BY_KEY": (2,),
    "WIDGET_KEYS": (1,),
    "TEXT_FIELDS": (1,),
    "CHOICES": (1,),
}


def _strings_at(items: list[ast.expr], positions: tuple[int, ...] | None) -> set[str]:
    """The string constants among ``items`` at ``positions`` (None: at any)."""
    return {
        item.value
        for i, item in enumerate(items)
        if (positions is None or i in positions)
        and isinstance(item, ast.Constant)
        and isinstance(item.value, str)
    }


def table_texts(paths: Iterable[Path]) -> set[str]:
    """Key descriptions and labels written in tables and Binding(...) calls."""
    found: set[str] = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in _TEXT_CALLS:
                    found |= _strings_at(list(node.args), _TEXT_CALLS[name])
                    for keyword in node.keywords:
                        if keyword.arg in ("description", "save", "cancel", "tooltip"):
                            found |= _strings_at([keyword.value], (0,))
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {getattr(t, "id", None) for t in targets}
                if names & _TEXT_NAMES and node.value is not None:
                    found |= _strings_at([node.value], (0,))
                if names & _TEXT_LISTS and isinstance(node.value, ast.List | ast.Tuple):
                    found |= _strings_at(list(node.value.elts), _EVERY)
                for table, positions in _TEXT_TABLES.items():
                    if table in names and isinstance(node.value, ast.List):
                        for row in node.value.elts:
                            if isinstance(row, ast.Tuple):
                                found |= _strings_at(list(row.elts), positions)
    return found


def source_files() -> list[Path]:
    return sorted(
        path
        for folder in ("budget", "tui")
        for path in (ROOT / folder).rglob("*.py")
        if "locale" not in path.parts
    )


def interface_texts() -> set[str]:
    from budget.cli.help_texts import cli_texts
    from budget.i18n_texts import EXTRA_TEXTS

    files = source_files()
    tui_files = [path for path in files if path.is_relative_to(ROOT / "tui")]
    budget_files = [path for path in files if path.is_relative_to(ROOT / "budget")]
    found = cli_texts() | tr_literals(files) | table_texts(tui_files) | set(EXTRA_TEXTS)
    found |= error_texts(budget_files)
    return {text for text in found if text.strip()}


def update(check: bool = False) -> list[str]:
    """Bring the .po and .mo up to date; return the problems (check mode)."""
    path = po_path()
    entries = read_po(path) if path.exists() else {}
    wanted = interface_texts()
    problems = [f"chưa dịch: {text!r}" for text in sorted(wanted) if not entries.get(text)]
    merged = dict(entries)
    for text in wanted:
        merged.setdefault(text, "")
    compiled = compile_mo(merged)
    stale = not mo_path().exists() or mo_path().read_bytes() != compiled
    if check:
        if merged != entries:
            problems.append("budget.po thiếu mục mới (chạy: python -m budget.i18n_catalog)")
        if stale:
            problems.append("budget.mo cũ hơn budget.po (chạy: python -m budget.i18n_catalog)")
        return problems
    write_po(path, merged)
    mo_path().write_bytes(compiled)
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    problems = update(check="--check" in args)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
