"""The words of the domain, in one place: voucher types (their Vietnamese names
and number prefixes), the statuses of estimates and of register rows, the
register's type filter and the usage thresholds.

Pure Python, no SQLAlchemy: the TUI uses it before its first frame, and the
models, services, reports, CLI and TUI all take their words from here. A new
voucher type is one more entry in ``VOUCHER_TYPES`` below and nothing else
(tests/unit/test_vocabulary.py checks that every front end offers it).
"""

from __future__ import annotations

from dataclasses import dataclass

# -- what a voucher row does to its line ---------------------------------------------
#: payment: spent += amount; advance: committed += amount; settlement of an
#: advance: committed -= advance, spent += settled; reversal: the negated row.
PAYMENT, ADVANCE, SETTLEMENT, REVERSAL = "payment", "advance", "settlement", "reversal"
KINDS = (PAYMENT, ADVANCE, SETTLEMENT, REVERSAL)


@dataclass(frozen=True)
class VoucherType:
    code: str
    #: The document's name, as on the form (C2-02a/NS ...).
    label: str
    #: The running number the tool gives it: PC-0007.
    prefix: str
    #: The name in pickers (the new-voucher form, the register's filter).
    pick: str
    #: The register's narrow column.
    short: str
    #: PAYMENT or ADVANCE for the types a user records; SETTLEMENT for the one
    #: the tool writes itself when an advance is settled.
    kind: str

    @property
    def user_entered(self) -> bool:
        return self.kind != SETTLEMENT


SETTLEMENT_TYPE = "thanh_toan_tam_ung"

#: Every voucher type, in the order the front ends list them.
VOUCHER_TYPE_LIST: tuple[VoucherType, ...] = (
    VoucherType("phieu_chi", "Phiếu chi", "PC", "Phiếu chi", "Phiếu chi", PAYMENT),
    VoucherType(
        "rut_du_toan",
        "Giấy rút dự toán (C2-02a/NS)",
        "RDT",
        "Giấy rút dự toán (C2-02a/NS)",
        "Rút dự toán",
        PAYMENT,
    ),
    VoucherType("uy_nhiem_chi", "Ủy nhiệm chi", "UNC", "Ủy nhiệm chi", "UNC", PAYMENT),
    VoucherType("tam_ung", "Giấy đề nghị tạm ứng", "TU", "Tạm ứng", "Tạm ứng", ADVANCE),
    VoucherType(
        SETTLEMENT_TYPE,
        "Giấy đề nghị thanh toán tạm ứng (C2-03/NS)",
        "TT",
        "Thanh toán tạm ứng",
        "TT tạm ứng",
        SETTLEMENT,
    ),
)
TYPES_BY_CODE = {t.code: t for t in VOUCHER_TYPE_LIST}

#: code -> (label, prefix): the types a user records, and every type.
VOUCHER_TYPES = {t.code: (t.label, t.prefix) for t in VOUCHER_TYPE_LIST if t.user_entered}
INTERNAL_TYPES = {t.code: (t.label, t.prefix) for t in VOUCHER_TYPE_LIST if not t.user_entered}
ALL_TYPES = VOUCHER_TYPES | INTERNAL_TYPES
#: Types an award decision can be paid with (money leaves: not an advance).
PAYMENT_TYPES = tuple(t.code for t in VOUCHER_TYPE_LIST if t.kind == PAYMENT)

#: (label, code) pairs for pickers: the new-voucher form and the register filter.
TYPE_CHOICES = [(t.pick, t.code) for t in VOUCHER_TYPE_LIST if t.user_entered]
REGISTER_TYPE_FILTER = [(t.pick, t.code) for t in VOUCHER_TYPE_LIST]
SHORT_TYPE_LABELS = {t.code: t.short for t in VOUCHER_TYPE_LIST}

# -- estimate versions ------------------------------------------------------------------
DRAFT, SUBMITTED, APPROVED = "draft", "submitted", "approved"
ESTIMATE_STATUS_LABELS = {DRAFT: "Dự thảo", SUBMITTED: "Đã trình", APPROVED: "Đã phê duyệt"}

# -- a register row's status (worked out in SQL by budget.reports.register) ----------------
POSTED, REVERSED, REVERSAL_ROW, OPEN_ADVANCE, SETTLED_ADVANCE = (
    "posted",
    "reversed",
    "reversal",
    "open",
    "settled",
)
REGISTER_STATUS_LABELS = {
    POSTED: "Đã ghi",
    REVERSED: "Đã hủy",
    REVERSAL_ROW: "Bút toán hủy",
    OPEN_ADVANCE: "Tạm ứng chưa thanh toán",
    SETTLED_ADVANCE: "Tạm ứng đã thanh toán",
}
#: The TUI register's narrow status column.
REGISTER_STATUS_SHORT = {
    POSTED: "Đã ghi",
    REVERSED: "Đã hủy",
    REVERSAL_ROW: "Bút toán hủy",
    OPEN_ADVANCE: "Tạm ứng mở",
    SETTLED_ADVANCE: "Đã thanh toán",
}

# -- how much of a line is used ---------------------------------------------------------
#: A line at or over this share of its estimate is listed for the chairman.
NEAR_LIMIT_PERCENT = 90
#: Over this share (spent + committed above the estimate) a post needs a reason.
LIMIT_PERCENT = 100
OK, NEAR, OVER = "ok", "near", "over"
#: The chairman's page warns of a line or part at or over this share of its estimate.
WATCH_PERCENT = 80
#: The chairman's levels: under WATCH_PERCENT, watched, used up exactly, past the estimate.
WATCH, FULL = "watch", "full"


def usage_level(used: int, total: int) -> str:
    """OVER past the estimate, NEAR at or above NEAR_LIMIT_PERCENT, else OK
    (integer arithmetic: no rounding at the edge)."""
    if total <= 0:
        return OVER if used > 0 else OK
    if used * 100 > total * LIMIT_PERCENT:
        return OVER
    if used * 100 >= total * NEAR_LIMIT_PERCENT:
        return NEAR
    return OK


#: The chairman's alert groups (budget.reports.chairman), in the order and under the
#: headings every output of the page shows them, most urgent first.
ALERT_TITLES = {
    "lines_over": "Dòng vượt dự toán",
    "overspends": "Chứng từ chi vượt dự toán có lý do",
    "open_advances": "Tạm ứng chưa thanh toán",
    "unpaid_decisions": "Quyết định khen thưởng chưa chi",
    "lines_full": "Dòng đã dùng hết dự toán (100 %)",
    "lines_watch": f"Dòng đã dùng từ {WATCH_PERCENT} % đến dưới 100 %",
}


def watch_level(used: int, total: int) -> str:
    """The chairman's page's level: OVER past the estimate, FULL at exactly 100 %,
    WATCH at or over WATCH_PERCENT, else OK (integers: no rounding at the edge)."""
    if total <= 0:
        return OVER if used > 0 else OK
    if used > total:
        return OVER
    if used == total:
        return FULL
    if used * 100 >= total * WATCH_PERCENT:
        return WATCH
    return OK


#: The audit log's action codes as the log screen names them.
AUDIT_ACTION_LABELS = {
    "create": "Tạo mới",
    "edit": "Sửa",
    "delete": "Xóa",
    "post": "Ghi chứng từ",
    "reverse": "Hủy chứng từ",
    "settle": "Thanh toán tạm ứng",
    "override": "Chi vượt",
    "adjust": "Điều chỉnh dự toán",
    "submit": "Trình duyệt",
    "approve": "Phê duyệt",
    "return": "Trả lại",
    "pay": "Chi thưởng",
    "import": "Nhập dữ liệu",
    "settings": "Thiết lập",
    "ignore": "Bỏ qua",
    "append": "Bổ sung",
}

#: Keys of the audit entries' before/after details, in Vietnamese.
AUDIT_FIELD_LABELS = {
    "amount": "Số tiền",
    "approver": "Người duyệt",
    "code": "Mã",
    "committed": "Tạm ứng",
    "content": "Nội dung",
    "date": "Ngày",
    "decision_date": "Ngày quyết định",
    "decision_number": "Số quyết định",
    "form": "Hình thức",
    "line": "Dòng",
    "name": "Tên",
    "number": "Số",
    "payee": "Người nhận",
    "quantity": "Số lượng",
    "reason": "Lý do",
    "remaining": "Còn lại",
    "returned": "Hoàn lại",
    "reversal": "Bút toán hủy",
    "rounding": "Làm tròn",
    "settlement": "Chứng từ thanh toán",
    "signer": "Người ký",
    "spent": "Đã chi",
    "status": "Trạng thái",
    "template": "Mẫu",
    "total": "Tổng cộng",
    "type": "Loại",
    "vouchers": "Chứng từ",
    "year": "Năm",
    "dialect": "Cách đọc số",
    "chairman_name": "Chủ tịch",
    "accountant_name": "Kế toán",
    "commune_name": "Tên xã",
}
