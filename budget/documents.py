"""The documents for signing, each listed once: its key, its Vietnamese title,
the file it is saved as by default, the parameters it takes and its writer.

``budget export <key>``, the terminal app's export dialog and the README's table
of documents are all built from :data:`DOCUMENTS`; :func:`export_document` is
the one function both front ends call. Adding a document means one
:class:`Document` here and its writer (the Excel work lives in budget.excel).

Light at import time (the TUI reads the titles before its first frame): the
writers import SQLAlchemy, the services and openpyxl when they run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from budget.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from budget.norms import Norms
    from budget.progress import OnProgress, OnRows
    from budget.services.campaigns import CampaignInfo
    from budget.services.organisation import OrgSettings

#: Parameter kinds: free text, a date ("15/03/2024" or ISO), a whole number, an on/off flag.
TEXT, DATE, INT, FLAG = "text", "date", "int", "flag"


@dataclass(frozen=True)
class Param:
    name: str  # keyword of export_document and of the writer
    option: str  # the command-line option
    kind: str  # TEXT, DATE, INT or FLAG
    help: str  # Vietnamese, shown by --help
    label: str = ""  # the field's name in an error line (dates)
    #: A voucher number: the voucher kinds it may name (payment, advance,
    #: settlement), which the TUI offers in a list (voucher_choices).
    vouchers: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentContext:
    """What a writer reads from: an open session and the campaign it exports."""

    session: Session
    norms: Norms
    campaign: CampaignInfo
    org: OrgSettings
    #: Told the rows done and the rows in all by the long writers (the register's
    #: documents); it may raise budget.progress.Cancelled before the file is written.
    progress: OnProgress | None = None

    def rows_progress(self, total: int | None) -> OnRows | None:
        """The writer's per-row callback for ``total`` rows (told 0 at once)."""
        progress = self.progress
        if progress is None:
            return None
        progress(0, total)
        return lambda done: progress(done, total)


@dataclass(frozen=True)
class Exported:
    path: Path
    rows: int
    message: str  # the line `budget export` prints


Writer = Callable[..., Exported]  # (context, out, *, force, **params) -> Exported


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    stem: str  # default file name, without .xlsx
    help: str  # what `budget export <key> --help` says
    params: tuple[Param, ...]
    writer: Writer
    #: The province's (a reviewer's roll-up of every commune), not one campaign's:
    #: the TUI's dialog offers it to a province reviewer only, and first.
    province_wide: bool = False

    @property
    def file_name(self) -> str:
        return f"{self.stem}.xlsx"

    def takes(self, name: str) -> bool:
        return any(p.name == name for p in self.params)


# -- writers -------------------------------------------------------------------------
def _estimate(
    ctx: DocumentContext,
    out: Path,
    *,
    force: bool,
    version_no: int | None = None,
    draft: bool = False,
    doc_date: date | None = None,
) -> Exported:
    from budget.excel.estimate_export import export_estimate
    from budget.services.estimates import estimate_view
    from budget.services.versions import latest_version

    if draft:
        version_no = latest_version(ctx.session, ctx.campaign.id).version_no
    view = estimate_view(ctx.session, ctx.campaign.id, version_no)
    result = export_estimate(view, ctx.org, out, doc_date=doc_date, force=force)
    message = f"Đã xuất dự toán phiên bản {view.version_no}: {result.path}"
    return Exported(result.path, result.rows, message)


def _settlement(
    ctx: DocumentContext,
    out: Path,
    *,
    force: bool,
    as_of: date | None = None,
    doc_date: date | None = None,
) -> Exported:
    from budget.excel.settlement_export import export_settlement
    from budget.reports.reconcile import reconcile
    from budget.reports.register import VoucherFilter, iter_vouchers

    rec = reconcile(ctx.session, ctx.campaign.id, as_of=as_of, norms=ctx.norms)
    flt = VoucherFilter(date_to=as_of)
    vouchers = iter_vouchers(ctx.session, ctx.campaign.id, flt)
    bases = settlement_bases(ctx, as_of)
    on_rows = ctx.rows_progress(_count(ctx, flt))
    result = export_settlement(
        rec, vouchers, ctx.org, out, doc_date=doc_date, bases=bases, force=force, progress=on_rows
    )
    message = f"Đã xuất báo cáo quyết toán ({result.rows} chứng từ): {result.path}"
    return Exported(result.path, result.rows, message)


def _count(ctx: DocumentContext, flt: Any) -> int | None:
    """The register's rows under ``flt``, counted only when someone listens."""
    if ctx.progress is None:
        return None
    from budget.reports.register import count_vouchers

    return count_vouchers(ctx.session, ctx.campaign.id, flt)


def settlement_bases(ctx: DocumentContext, as_of: date | None) -> list[str]:
    """ "Căn cứ …" of the year-end report, from the database: the plan's local bases
    (the commune's own decisions and plan, the plan's number and date filled in),
    then each decision approving the estimate or an adjustment in force on ``as_of``."""
    from budget.dates import format_date
    from budget.excel.estimate_export import filled_basis
    from budget.services.versions import approved_versions

    org = ctx.org
    commune = f"{org.commune_kind} {org.commune_name}"
    bases = [
        filled_basis(basis, ctx.campaign, org.commune_name)
        for basis in ctx.campaign.legal_bases
        if "Ủy ban nhân dân" in basis or "UBND" in basis
    ]
    versions = [
        v
        for v in approved_versions(ctx.session, ctx.campaign.id)
        if v.decision_number
        and (as_of is None or v.decision_date is None or v.decision_date <= as_of)
    ]
    campaign = ctx.campaign
    if campaign.number:
        plan = f"Kế hoạch số {campaign.number}"
        if campaign.plan_date is not None:
            plan += f" ngày {format_date(campaign.plan_date)}"
    else:
        plan = campaign.title[:1].lower() + campaign.title[1:]
    for index, version in enumerate(versions):
        what = "phê duyệt dự toán" if index == 0 else "phê duyệt điều chỉnh, bổ sung dự toán"
        when = f" ngày {format_date(version.decision_date)}" if version.decision_date else ""
        bases.append(
            f"Căn cứ Quyết định số {version.decision_number}{when} của Chủ tịch "
            f"UBND {commune} về việc {what} kinh phí thực hiện {plan};"
        )
    return bases


def _payout(
    ctx: DocumentContext, out: Path, *, force: bool, decision: str | None = None
) -> Exported:
    from budget.excel.payout_export import export_payout, rounding_note
    from budget.services.awards import decision_view, list_decisions

    if decision is None:
        decisions = list_decisions(ctx.session, ctx.campaign.id, ctx.norms)
        if not decisions:
            raise NotFoundError("Kế hoạch chưa có quyết định khen thưởng nào.")
        decision = decisions[-1].number
    view = decision_view(ctx.session, ctx.campaign.id, decision, ctx.norms)
    salary = ctx.norms.base_salary_on(view.decision_date)
    note = rounding_note(view, salary.amount, salary.source)
    result = export_payout(view, ctx.org, out, year=ctx.campaign.year, rule_note=note, force=force)
    message = (
        f"Đã xuất danh sách nhận thưởng theo quyết định {view.number} "
        f"({result.rows} người/tập thể): {result.path}"
    )
    return Exported(result.path, result.rows, message)


def _summary(ctx: DocumentContext, out: Path, *, force: bool) -> Exported:
    from budget.excel.summary_export import export_summary
    from budget.reports.chairman import chairman_view

    view = chairman_view(ctx.session, ctx.campaign.id, ctx.norms)
    result = export_summary(view, ctx.org, out, force=force)
    return Exported(result.path, result.rows, f"Đã xuất trang tổng hợp: {result.path}")


def _voucher(ctx: DocumentContext, number: str | None):  # type: ignore[no-untyped-def]
    from budget.services.vouchers import find_voucher

    if not number:
        raise ValidationError("Cần số chứng từ (--voucher), ví dụ PC-0001.")
    return find_voucher(ctx.session, ctx.campaign.id, number)


def _c41bb(ctx: DocumentContext, out: Path, *, force: bool, voucher: str | None = None) -> Exported:
    from budget.excel.form_c41bb import export_c41bb

    found = _voucher(ctx, voucher)
    result = export_c41bb(found, ctx.org, out, force=force)
    return Exported(result.path, 1, f"Đã xuất phiếu chi {found.number}: {result.path}")


def _c202a(ctx: DocumentContext, out: Path, *, force: bool, voucher: str | None = None) -> Exported:
    from budget.excel.form_c202a import export_c202a

    found = _voucher(ctx, voucher)
    result = export_c202a(found, ctx.org, out, force=force)
    return Exported(result.path, 1, f"Đã xuất giấy rút dự toán cho {found.number}: {result.path}")


def _voucher_list(ctx: DocumentContext, out: Path, *, force: bool) -> Exported:
    from budget.excel.voucher_list import export_voucher_list
    from budget.reports.register import VoucherFilter, iter_vouchers

    rows = iter_vouchers(ctx.session, ctx.campaign.id)
    on_rows = ctx.rows_progress(_count(ctx, VoucherFilter()))
    result = export_voucher_list(
        rows, ctx.org, out, year=ctx.campaign.year, force=force, progress=on_rows
    )
    return Exported(
        result.path, result.rows, f"Đã xuất bảng kê {result.rows} chứng từ: {result.path}"
    )


def _meal_paid(ctx: DocumentContext, codes: list[str]) -> dict[str, tuple[int, str]]:
    """line code -> (net amount paid, numbers of the payments still standing)."""
    from budget.reports.register import VoucherFilter, iter_vouchers
    from budget.vocabulary import POSTED

    paid: dict[str, tuple[int, str]] = {}
    for code in codes:
        rows = list(iter_vouchers(ctx.session, ctx.campaign.id, VoucherFilter(line=code)))
        numbers = ", ".join(v.number for v in rows if v.status == POSTED and v.spent_delta > 0)
        paid[code] = (sum(v.spent_delta for v in rows), numbers)
    return paid


def _meals(ctx: DocumentContext, out: Path, *, force: bool, part: str | None = None) -> Exported:
    from budget.excel.meal_list import export_meal_list, find_part, is_meal_line, meal_list
    from budget.services.estimates import estimate_view

    view = estimate_view(ctx.session, ctx.campaign.id, None)
    chosen = find_part(view, part)
    paid = _meal_paid(ctx, [line.code for line in chosen.lines if is_meal_line(line)])
    data = meal_list(view, part, paid)
    result = export_meal_list(data, view, ctx.org, out, force=force)
    message = (
        f"Đã xuất danh sách nhận tiền ăn phần {data.part.code} "
        f"({data.delegates} đại biểu): {result.path}"
    )
    return Exported(result.path, result.rows, message)


def _part_settlement(
    ctx: DocumentContext,
    out: Path,
    *,
    force: bool,
    part: str | None = None,
    as_of: date | None = None,
    doc_date: date | None = None,
) -> Exported:
    from budget.excel.meal_list import find_part
    from budget.excel.part_settlement import export_part_settlement
    from budget.reports.reconcile import reconcile
    from budget.reports.register import VoucherFilter, iter_vouchers
    from budget.services.estimates import estimate_view

    code = find_part(estimate_view(ctx.session, ctx.campaign.id, None), part).code
    rec = reconcile(ctx.session, ctx.campaign.id, as_of=as_of, norms=ctx.norms)
    vouchers = iter_vouchers(ctx.session, ctx.campaign.id, VoucherFilter(part=code, date_to=as_of))
    result = export_part_settlement(
        rec, code, vouchers, ctx.org, out, doc_date=doc_date, force=force
    )
    message = f"Đã xuất quyết toán phần {code} ({result.rows} chứng từ): {result.path}"
    return Exported(result.path, result.rows, message)


# -- the registry ----------------------------------------------------------------------
_DOC_DATE = Param("doc_date", "--date", DATE, "Ngày ghi trên văn bản.", "Ngày văn bản")
PAYMENT_KINDS = ("payment",)


def _voucher_param(kinds: tuple[str, ...], example: str) -> Param:
    return Param("voucher", "--voucher", TEXT, f"Số chứng từ, ví dụ {example}.", vouchers=kinds)


DOCUMENTS: tuple[Document, ...] = (
    Document(
        "estimate",
        "Dự toán kinh phí",
        "du-toan",
        "Dự toán kinh phí.",
        (
            Param(
                "version_no",
                "--version",
                INT,
                "Phiên bản (mặc định: bản đã duyệt hiện hành, nếu chưa có thì bản mới nhất).",
            ),
            Param("draft", "--draft", FLAG, "Xuất bản dự thảo mới nhất."),
            _DOC_DATE,
        ),
        _estimate,
    ),
    Document(
        "settlement",
        "Báo cáo quyết toán",
        "quyet-toan",
        "Báo cáo tình hình thực hiện / quyết toán: theo dòng, theo tiểu mục, sổ chứng từ.",
        (Param("as_of", "--as-of", DATE, "Số liệu đến ngày.", "Ngày số liệu"), _DOC_DATE),
        _settlement,
    ),
    Document(
        "payout",
        "Danh sách nhận tiền thưởng",
        "danh-sach-thuong",
        "Danh sách nhận tiền thưởng theo quyết định, có cột ký nhận.",
        (
            Param(
                "decision",
                "--decision",
                TEXT,
                "Số quyết định khen thưởng (mặc định: quyết định mới nhất).",
            ),
        ),
        _payout,
    ),
    Document(
        "summary",
        "Tổng hợp cho Chủ tịch",
        "tong-hop",
        "Trang tổng hợp của Chủ tịch (một trang A4): số liệu đến thời điểm xuất, tiến độ "
        "theo phần, biểu đồ chi theo tháng và các cảnh báo.",
        (),
        _summary,
    ),
)
DOCUMENTS += (
    Document(
        "c41bb",
        "Phiếu chi (C41-BB)",
        "phieu-chi",
        "Phiếu chi mẫu C41-BB (chế độ kế toán theo ngày chứng từ) cho một chứng từ.",
        (_voucher_param(PAYMENT_KINDS, "PC-0001"),),
        _c41bb,
    ),
    Document(
        "c202a",
        "Giấy rút dự toán NSNN (C2-02a/NS)",
        "giay-rut-du-toan",
        "Giấy rút dự toán ngân sách nhà nước mẫu C2-02a/NS cho một khoản chi.",
        (_voucher_param(PAYMENT_KINDS, "PC-0001"),),
        _c202a,
    ),
    Document(
        "vouchers",
        "Bảng kê chứng từ",
        "bang-ke-chung-tu",
        "Bảng kê chứng từ có kẻ ô, ngày thật và cộng trang.",
        (),
        _voucher_list,
    ),
)


# -- advances: the accounting forms and the treasury's (issue 10, item 3) ---------------
def _advance(ctx: DocumentContext, number: str | None):  # type: ignore[no-untyped-def]
    """The advance voucher ``number`` (Giấy đề nghị tạm ứng), still in force."""
    found = _voucher(ctx, number)
    if found.kind != "advance":
        raise ValidationError("Chứng từ «{number}» không phải giấy tạm ứng.", number=found.number)
    if _reversed(ctx, found.id):
        raise ValidationError("Tạm ứng «{number}» đã bị hủy.", number=found.number)
    return found


def _reversed(ctx: DocumentContext, voucher_id: int) -> bool:
    from sqlalchemy import select

    from budget.models import Voucher

    query = select(Voucher.id).where(Voucher.reverses_id == voucher_id)
    return ctx.session.execute(query).first() is not None


def _settled(ctx: DocumentContext, number: str | None):  # type: ignore[no-untyped-def]
    """(settlement, advance) for a settlement voucher's number, or an advance's
    (its settlement in force); a reversed settlement is refused."""
    from sqlalchemy import select

    from budget.models import Voucher

    found = _voucher(ctx, number)
    if found.kind == "advance":
        candidates = ctx.session.execute(
            select(Voucher)
            .where(Voucher.settles_id == found.id, Voucher.kind == "settlement")
            .order_by(Voucher.id)
        ).scalars()
        live = [v for v in candidates if not _reversed(ctx, v.id)]
        if not live:
            raise ValidationError("Tạm ứng «{number}» chưa được thanh toán.", number=found.number)
        found = live[-1]
    elif found.kind != "settlement":
        raise ValidationError(
            "Chứng từ «{number}» không phải chứng từ thanh toán tạm ứng.", number=found.number
        )
    elif _reversed(ctx, found.id):
        raise ValidationError("Chứng từ thanh toán «{number}» đã bị hủy.", number=found.number)
    advance = ctx.session.get(Voucher, found.settles_id)
    if advance is None:
        raise NotFoundError("Không có giấy tạm ứng của chứng từ «{number}».", number=found.number)
    return found, advance


def _c42(ctx: DocumentContext, out: Path, *, force: bool, voucher: str | None = None) -> Exported:
    from budget.excel.form_c42 import export_c42

    found = _advance(ctx, voucher)
    result = export_c42(found, ctx.org, out, force=force)
    return Exported(result.path, 1, f"Đã xuất giấy đề nghị tạm ứng {found.number}: {result.path}")


def _c43bb(ctx: DocumentContext, out: Path, *, force: bool, voucher: str | None = None) -> Exported:
    from budget.excel.form_c43bb import export_c43bb

    settlement, advance = _settled(ctx, voucher)
    result = export_c43bb(settlement, advance, ctx.org, out, force=force)
    message = (
        f"Đã xuất giấy thanh toán tạm ứng {settlement.number} "
        f"(tạm ứng {advance.number}): {result.path}"
    )
    return Exported(result.path, 1, message)


def _c203(ctx: DocumentContext, out: Path, *, force: bool, voucher: str | None = None) -> Exported:
    from budget.excel.form_c203 import export_c203

    settlement, advance = _settled(ctx, voucher)
    result = export_c203(settlement, advance, ctx.org, out, force=force)
    message = (
        f"Đã xuất giấy đề nghị thanh toán tạm ứng {settlement.number} "
        f"(tạm ứng {advance.number}): {result.path}"
    )
    return Exported(result.path, 1, message)


ADVANCE_KINDS = ("advance",)
#: The TUI lists settlements; the CLI also takes the advance's own number.
SETTLEMENT_KINDS = ("settlement",)

DOCUMENTS += (
    Document(
        "c42",
        "Giấy đề nghị tạm ứng (C42-HD)",
        "giay-de-nghi-tam-ung",
        "Giấy đề nghị tạm ứng (mẫu theo chế độ kế toán ngày chứng từ) cho một tạm ứng.",
        (_voucher_param(ADVANCE_KINDS, "TU-0001"),),
        _c42,
    ),
    Document(
        "c43bb",
        "Giấy thanh toán tạm ứng (C43-BB)",
        "giay-thanh-toan-tam-ung",
        "Giấy thanh toán tạm ứng C43-BB: số tạm ứng, số đã chi, chênh lệch "
        "(số chứng từ thanh toán TT-… hoặc số tạm ứng TU-…).",
        (_voucher_param(SETTLEMENT_KINDS, "TT-0001"),),
        _c43bb,
    ),
    Document(
        "c203",
        "Giấy đề nghị thanh toán tạm ứng (C2-03/NS)",
        "giay-de-nghi-thanh-toan-tam-ung",
        "Giấy đề nghị Kho bạc thanh toán tạm ứng, mẫu C2-03/NS "
        "(số chứng từ thanh toán TT-… hoặc số tạm ứng TU-…).",
        (_voucher_param(SETTLEMENT_KINDS, "TT-0001"),),
        _c203,
    ),
)

_PART = Param(
    "part",
    "--part",
    TEXT,
    "Phần của dự toán: mã (I, III, IV) hoặc khóa (phat_dong, so_ket, tong_ket).",
)
DOCUMENTS += (
    Document(
        "meals",
        "Danh sách nhận tiền hỗ trợ tiền ăn",
        "danh-sach-tien-an",
        "Danh sách đại biểu nhận tiền hỗ trợ tiền ăn của một hội nghị, có cột ký nhận.",
        (_PART,),
        _meals,
    ),
    Document(
        "part-settlement",
        "Quyết toán kinh phí hội nghị",
        "quyet-toan-hoi-nghi",
        "Quyết toán một hội nghị (phát động, sơ kết, tổng kết): dự toán, thực hiện, chứng từ.",
        (_PART, Param("as_of", "--as-of", DATE, "Số liệu đến ngày.", "Ngày số liệu"), _DOC_DATE),
        _part_settlement,
    ),
)


# -- the province's roll-up (issue 13, item 5) ----------------------------------------
def _province(
    ctx: DocumentContext,
    out: Path,
    *,
    force: bool,
    province: str | None = None,
    year: int | None = None,
) -> Exported:
    """Every commune the login sees in the province (a reviewer's: all of them),
    whatever campaign the context names: the same view as ``budget report province``."""
    from budget.excel.province_export import export_province
    from budget.reports.province import province_report

    report = province_report(ctx.session, province, year)
    result = export_province(report, out, force=force)
    message = f"Đã xuất tổng hợp cấp tỉnh năm {report.year}: {result.path}"
    return Exported(result.path, result.rows, message)


DOCUMENTS += (
    Document(
        "province",
        "Tổng hợp kinh phí cấp tỉnh",
        "tong-hop-tinh",
        "Tổng hợp cấp tỉnh: mọi kế hoạch của mọi xã, phường trong tỉnh, đã duyệt, đã chi, "
        "còn lại và số dư quỹ thi đua, khen thưởng.",
        (
            Param("province", "--province", TEXT, "Mã tỉnh (mặc định: tỉnh duy nhất)."),
            Param("year", "--year", INT, "Năm (mặc định: năm gần nhất có kế hoạch)."),
        ),
        _province,
        province_wide=True,
    ),
)
BY_KEY: Mapping[str, Document] = {d.key: d for d in DOCUMENTS}
#: The documents over the whole register: they tell their progress, row by row.
REGISTER_DOCUMENTS = frozenset({"settlement", "vouchers"})


def document(kind: str) -> Document:
    if kind not in BY_KEY:
        raise ValidationError(
            "Không có văn bản «{kind}»: chọn một trong {by_key}.",
            kind=kind,
            by_key=", ".join(BY_KEY),
        )
    return BY_KEY[kind]


def check_output(out: Path, force: bool) -> Path:
    """Refuse a bad target before any database work (see budget.safe_output)."""
    from budget.safe_output import check_target

    if out.suffix.lower() != ".xlsx":
        raise ValidationError("Tệp xuất phải có đuôi .xlsx: «{out}».", out=out)
    return check_target(out, force=force)


def parse_params(doc: Document, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values of ``doc``'s parameters from text (a date as the user typed it);
    an empty or missing value is left out, so the writer's default applies."""
    from budget.dates import parse_date

    values: dict[str, Any] = {}
    for param in doc.params:
        value = raw.get(param.name)
        if value is None or value == "" or value is False:
            continue
        if param.kind == DATE and isinstance(value, str):
            value = parse_date(value, param.label or param.option)
        values[param.name] = value
    return values


def export_document(
    session: Session,
    norms: Norms,
    campaign_id: int,
    kind: str,
    out: Path,
    *,
    force: bool = False,
    progress: OnProgress | None = None,
    **params: Any,
) -> Exported:
    """Write document ``kind`` of campaign ``campaign_id`` to ``out`` (an .xlsx file,
    replaced only with ``force``); ``params`` are the document's own (typed or text).
    ``progress`` hears (rows done, rows in all) from the register's documents (the
    settlement, the voucher list); raising budget.progress.Cancelled from it stops
    the export before anything is written."""
    from budget.models import Campaign
    from budget.services.campaigns import campaign_info, organisation_of
    from budget.services.organisation import get_organisation

    doc = document(kind)
    unknown = sorted(set(params) - {p.name for p in doc.params})
    if unknown:
        raise ValidationError(
            "«{title}» không có tham số «{unknown}».", title=doc.title, unknown=", ".join(unknown)
        )
    check_output(out, force)
    values = parse_params(doc, params)
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError("Không có kế hoạch.")
    org = get_organisation(session, organisation_of(session, campaign_id).code)
    ctx = DocumentContext(session, norms, campaign_info(campaign), org, progress)
    return doc.writer(ctx, out, force=force, **values)


def voucher_choices(
    session: Session, campaign_id: int, kinds: tuple[str, ...], *, limit: int = 500
) -> list[tuple[str, str]]:
    """(label, number) of the campaign's posted vouchers of ``kinds`` not reversed,
    newest first (at most ``limit``): what a voucher parameter is picked from."""
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from budget.models import Voucher
    from budget.money import format_vnd

    reversal = aliased(Voucher)
    rows = session.execute(
        select(
            Voucher.number,
            Voucher.entry_date,
            Voucher.payee,
            Voucher.kind,
            Voucher.amount,
            Voucher.spent_delta,
        )
        .outerjoin(reversal, reversal.reverses_id == Voucher.id)
        .where(Voucher.campaign_id == campaign_id, Voucher.kind.in_(kinds), reversal.id.is_(None))
        .order_by(Voucher.entry_date.desc(), Voucher.id.desc())
        .limit(limit)
    ).all()
    choices = []
    for number, day, payee, kind, amount, spent in rows:
        shown = spent if kind == "settlement" else amount
        # the payee last: a narrow list cuts it, not the amount
        choices.append((f"{number} · {day:%d/%m/%Y} · {format_vnd(shown)} · {payee}", number))
    return choices


def markdown_table() -> str:
    """The README's table of documents (tests/unit/test_document_registry.py keeps them equal)."""
    rows = ["| Văn bản | Lệnh | Tệp mặc định | Tham số |", "|---|---|---|---|"]
    for doc in DOCUMENTS:
        options = ", ".join(f"`{p.option}`" for p in doc.params) or "—"
        rows.append(f"| {doc.title} | `budget export {doc.key}` | `{doc.file_name}` | {options} |")
    return "\n".join(rows)


__all__ = [
    "DOCUMENTS",
    "Document",
    "DocumentContext",
    "Exported",
    "Param",
    "check_output",
    "document",
    "export_document",
    "markdown_table",
    "parse_params",
    "voucher_choices",
]
