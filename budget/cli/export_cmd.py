"""``budget export``: the documents for signing, as Excel workbooks.

One subcommand per document of the registry (budget.documents): its options
are the document's parameters, its work is budget.documents.export_document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from budget.cli.context import AppContext, pass_app
from budget.cli.options import campaign_option
from budget.documents import DOCUMENTS, FLAG, INT, Document, Param


@click.group()
def export() -> None:
    """Xuất Excel theo mẫu hành chính: dự toán, quyết toán, danh sách thưởng, tổng hợp."""


def _option(param: Param) -> Any:
    if param.kind == FLAG:
        return click.option(param.option, param.name, is_flag=True, help=param.help)
    kind = int if param.kind == INT else str
    return click.option(param.option, param.name, type=kind, default=None, help=param.help)


class ExportProgress:
    """The terminal's progress line (budget.cli.progress) of an export, made when
    the document first says how many rows it has (only the register's do)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.line: Any = None

    def __call__(self, done: int, total: int | None) -> None:
        if self.line is None:
            from budget.cli.progress import Progress

            self.line = Progress(self.label, total)
        self.line(done)

    def close(self) -> None:
        if self.line is not None:
            self.line.close()


def _command(doc: Document) -> click.Command:
    def run(
        app: AppContext, campaign: str | None, out: Path, force: bool, pdf: bool, **raw: Any
    ) -> None:
        from budget.documents import check_output, export_document, parse_params
        from budget.services.campaigns import find_campaign

        check_output(out, force)
        if pdf:
            from budget.excel.pdf import check_pdf

            check_pdf(out, force=force)  # before any work: say how to install it
        params = parse_params(doc, raw)
        line = ExportProgress(f"Đang xuất {out.name}")
        try:
            with app.reading() as session:
                info = find_campaign(session, campaign)
                result = export_document(
                    session, app.norms, info.id, doc.key, out, force=force, progress=line, **params
                )
        finally:
            line.close()
        click.echo(result.message)
        if pdf:
            from budget.excel.pdf import to_pdf

            click.echo(f"Đã chuyển sang PDF: {to_pdf(result.path, force=force)}")

    func: Any = pass_app(run)
    for param in reversed(doc.params):
        func = _option(param)(func)
    func = click.option(
        "--pdf", "pdf", is_flag=True, help="Chuyển thêm sang PDF (cần LibreOffice)."
    )(func)
    func = click.option(
        "--force", "force", is_flag=True, help="Ghi đè nếu tệp đã có (ghi an toàn, không nửa vời)."
    )(func)
    func = click.option(
        "--out", "out", required=True, type=click.Path(path_type=Path), help="Tệp .xlsx sẽ ghi."
    )(func)
    func = campaign_option(func)
    return click.command(doc.key, help=doc.help)(func)


for _doc in DOCUMENTS:
    export.add_command(_command(_doc))
