"""The demo commune: UBND xã Phú Lý and its 2024 "Chính quyền thân thiện" year.

The story, in the order the accountant lived it: the estimate from the
template, approved in May; the launch conference in June; the model built
over the summer with an advance settled for less and a mistyped voucher
reversed; the sơ kết in July with its award decision paid; an adjustment in
September; a line overspent with a logged reason; the tổng kết in December
with an advance still open and its award decision not yet paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypedDict, Unpack

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.models import Organisation
from budget.norms import Norms
from budget.services import approval
from budget.services.awards import RecipientInput, add_recipients, create_decision, pay_decision
from budget.services.campaigns import CampaignInfo, create_campaign
from budget.services.estimate_edit import LineChange, set_line
from budget.services.estimates import estimate_view
from budget.services.organisation import create_organisation
from budget.services.vouchers import post_voucher, reverse_voucher, settle_advance

DEMO_TEMPLATE = "chinh-quyen-than-thien"
DEMO_YEAR = 2024
DEMO_ORG = {
    "commune_kind": "xã",
    "commune_name": "Phú Lý",
    "province": "Đồng Nai",
    "place_name": "Phú Lý",
    "chairman_name": "Nguyễn Hữu Bình",
    "accountant_name": "Trần Thị Thu Hà",
    "preparer_name": "Lê Minh Tuấn",
    # Example codes (fictional ĐVQHNS and KBNN codes) for the treasury forms.
    "unit_code": "1123456",
    "treasury_name": "Kho bạc Nhà nước khu vực XVI",
    "treasury_code": "2711",
    "chapter": "805",
    "sector_code": "340-341",
    "fund_code": "13",
    "cashier_name": "Phạm Thị Lan",
}

D = date

# (date, type, line, amount, payee, content)
PAYMENTS_BEFORE_ADJUSTMENT = [
    (
        D(2024, 6, 5),
        "phieu_chi",
        "I.1",
        1_650_000,
        "Cơ sở quảng cáo Minh Phát",
        "Trang trí khánh tiết hội nghị phát động thi đua",
    ),
    (
        D(2024, 6, 5),
        "phieu_chi",
        "I.2",
        1_350_000,
        "Hộ kinh doanh âm thanh Thành Đạt",
        "Thuê âm thanh, ánh sáng hội nghị phát động thi đua",
    ),
    (
        D(2024, 6, 5),
        "phieu_chi",
        "I.3",
        1_020_000,
        "Tiệm photocopy Hồng Nhung",
        "In tài liệu hội nghị phát động thi đua (85 bộ)",
    ),
    (
        D(2024, 6, 5),
        "phieu_chi",
        "I.4",
        3_280_000,
        "Căn tin UBND xã",
        "Nước uống giữa giờ hội nghị phát động (82 người)",
    ),
    (
        D(2024, 6, 5),
        "phieu_chi",
        "I.5",
        4_300_000,
        "Ban tổ chức hội nghị (danh sách ký nhận)",
        "Hỗ trợ tiền ăn đại biểu không hưởng lương (43 người)",
    ),
    (
        D(2024, 6, 20),
        "uy_nhiem_chi",
        "II.1",
        3_700_000,
        "Công ty TNHH Quảng cáo Đồng Nai Xanh",
        "Pano tuyên truyền mô hình Chính quyền thân thiện (2 cái)",
    ),
    (
        D(2024, 6, 20),
        "uy_nhiem_chi",
        "II.2",
        1_395_000,
        "Công ty TNHH Quảng cáo Đồng Nai Xanh",
        "Biển khẩu hiệu 4 xin, 4 luôn, 5 không (3 tấm)",
    ),
    (
        D(2024, 6, 24),
        "phieu_chi",
        "II.5",
        427_500,
        "Tiệm photocopy Hồng Nhung",
        "In, ép plastic bản cam kết thi đua của cán bộ, công chức (45 bản)",
    ),
    (
        D(2024, 7, 25),
        "phieu_chi",
        "III.1",
        1_250_000,
        "Cơ sở quảng cáo Minh Phát",
        "Trang trí hội nghị sơ kết phong trào thi đua",
    ),
    (
        D(2024, 7, 25),
        "phieu_chi",
        "III.2",
        570_000,
        "Tiệm photocopy Hồng Nhung",
        "In báo cáo sơ kết, chương trình hội nghị (60 bộ)",
    ),
    (
        D(2024, 7, 25),
        "phieu_chi",
        "III.3",
        2_320_000,
        "Căn tin UBND xã",
        "Nước uống giữa giờ hội nghị sơ kết (58 người)",
    ),
    (
        D(2024, 7, 25),
        "phieu_chi",
        "III.4",
        3_000_000,
        "Ban tổ chức hội nghị (danh sách ký nhận)",
        "Hỗ trợ tiền ăn đại biểu hội nghị sơ kết (30 người)",
    ),
    (
        D(2024, 8, 12),
        "rut_du_toan",
        "II.6",
        7_350_000,
        "Công ty TNHH Nội thất Biên Hòa",
        "Ghế chờ băng 4 chỗ cho khu vực chờ Bộ phận một cửa (3 bộ)",
    ),
    (
        D(2024, 8, 12),
        "rut_du_toan",
        "II.7",
        3_290_000,
        "Cửa hàng điện máy Tân Phú",
        "Cây nước nóng lạnh khu vực chờ",
    ),
    (
        D(2024, 8, 14),
        "phieu_chi",
        "II.8",
        1_690_000,
        "Cửa hàng điện máy Tân Phú",
        "Quạt treo tường khu vực chờ (2 cái)",
    ),
]

SO_KET_AWARDS = [
    ("Nguyễn Văn An", "Công chức Tư pháp - Hộ tịch", "giay_khen_ca_nhan"),
    ("Trần Thị Bích", "Công chức Văn phòng - Thống kê", "giay_khen_ca_nhan"),
    ("Lê Hoàng Cường", "Công chức Địa chính - Xây dựng", "giay_khen_ca_nhan"),
    ("Phạm Thị Dung", "Công chức Tài chính - Kế toán", "giay_khen_ca_nhan"),
    ("Võ Minh Đức", "Công chức Văn hóa - Xã hội", "giay_khen_ca_nhan"),
    ("Đặng Thị Hoa", "Người hoạt động không chuyên trách", "giay_khen_ca_nhan"),
    ("Bùi Văn Khánh", "Trưởng ấp Lý Lịch 1", "giay_khen_ca_nhan"),
    ("Huỳnh Thị Lan", "Chi hội trưởng Phụ nữ ấp Phú Thạch", "giay_khen_ca_nhan"),
    ("Bộ phận tiếp nhận và trả kết quả xã", "UBND xã Phú Lý", "giay_khen_tap_the"),
    ("Ấp Bàu Phụng", "xã Phú Lý", "giay_khen_tap_the"),
]

TONG_KET_AWARDS = [
    ("Nguyễn Văn An", "Công chức Tư pháp - Hộ tịch", "giay_khen_ca_nhan"),
    ("Trần Thị Bích", "Công chức Văn phòng - Thống kê", "giay_khen_ca_nhan"),
    ("Bộ phận tiếp nhận và trả kết quả xã", "UBND xã Phú Lý", "giay_khen_tap_the"),
    ("Hộ ông Nguyễn Văn Sáu", "ấp Lý Lịch 2", "giay_khen_ho_gia_dinh"),
]


@dataclass(frozen=True)
class DemoResult:
    campaign: CampaignInfo
    lines: int
    total: int
    vouchers: int


class _VoucherExtras(TypedDict, total=False):
    """What a demo voucher may add to post_voucher's fields."""

    number: str
    override_reason: str


def has_data(session: Session) -> bool:
    return session.execute(select(Organisation.id).limit(1)).first() is not None


def build_demo(session: Session, norms: Norms, *, actor: str) -> DemoResult:
    """Fill an empty database with the demo commune's whole year."""
    create_organisation(session, code="phu-ly", actor=actor, **DEMO_ORG)
    campaign = create_campaign(
        session,
        norms,
        year=DEMO_YEAR,
        actor=actor,
        template_key=DEMO_TEMPLATE,
        number="45/KH-UBND",
        plan_date=D(2024, 5, 20),
    )
    cid = campaign.id
    approval.submit(session, cid, actor=actor)
    approval.approve(
        session, cid, decision_number="52/QĐ-UBND", decision_date=D(2024, 5, 27), actor=actor
    )
    posted = 0

    def pay(
        day: date,
        vtype: str,
        line: str,
        amount: int,
        payee: str,
        content: str,
        **extra: Unpack[_VoucherExtras],
    ) -> str:
        nonlocal posted
        posted += 1
        return post_voucher(
            session,
            cid,
            line_code=line,
            amount=amount,
            entry_date=day,
            payee=payee,
            content=content,
            actor=actor,
            vtype=vtype,
            **extra,
        ).number

    for row in PAYMENTS_BEFORE_ADJUSTMENT:
        pay(*row)
    # An advance for the banners, settled for less than advanced.
    advance = pay(
        D(2024, 6, 25),
        "tam_ung",
        "II.3",
        2_280_000,
        "Lê Minh Tuấn",
        "Tạm ứng làm băng rôn tuyên truyền treo tại trụ sở và các ấp",
    )
    settle_advance(session, cid, advance, amount=2_240_000, entry_date=D(2024, 7, 8), actor=actor)
    posted += 1
    # A mistyped shelf price, reversed and entered again.
    wrong = pay(
        D(2024, 8, 14),
        "phieu_chi",
        "II.9",
        1_080_000,
        "Cơ sở mộc Tân Hiệp",
        "Kệ để tài liệu, báo chí khu vực chờ",
    )
    reverse_voucher(
        session,
        cid,
        wrong,
        reason="Ghi nhầm số tiền (hóa đơn 1.180.000 đồng)",
        actor=actor,
        entry_date=D(2024, 8, 15),
    )
    posted += 1
    pay(
        D(2024, 8, 15),
        "phieu_chi",
        "II.9",
        1_180_000,
        "Cơ sở mộc Tân Hiệp",
        "Kệ để tài liệu, báo chí khu vực chờ",
    )
    # Sơ kết awards: decided, listed and paid.
    create_decision(
        session,
        cid,
        number="120/QĐ-UBND",
        decision_date=D(2024, 7, 25),
        actor=actor,
        title="Khen thưởng sơ kết phong trào thi đua “Chính quyền thân thiện” 6 tháng đầu năm 2024",
        lines=("V.1", "V.2"),  # the sơ kết lines, chosen as the accountant would
    )
    add_recipients(
        session,
        cid,
        "120/QĐ-UBND",
        [RecipientInput(n, f, t) for n, t, f in SO_KET_AWARDS],
        norms,
        actor=actor,
    )
    payout = pay_decision(
        session, cid, "120/QĐ-UBND", norms, actor=actor, entry_date=D(2024, 7, 30)
    )
    posted += len(payout.vouchers)
    # September adjustment: a third pano for the new ấp office, more guests at tổng kết.
    approval.adjust(
        session,
        cid,
        actor=actor,
        reason="Bổ sung pano cho nhà văn hóa ấp; tăng đại biểu dự tổng kết",
    )
    set_line(session, norms, cid, "II.1", change=LineChange(quantity="3"), actor=actor)
    set_line(session, norms, cid, "IV.5", change=LineChange(quantity="60"), actor=actor)
    approval.submit(session, cid, actor=actor)
    approval.approve(
        session, cid, decision_number="95/QĐ-UBND", decision_date=D(2024, 9, 10), actor=actor
    )
    pay(
        D(2024, 9, 18),
        "uy_nhiem_chi",
        "II.1",
        1_850_000,
        "Công ty TNHH Quảng cáo Đồng Nai Xanh",
        "Pano tuyên truyền đặt tại nhà văn hóa ấp Bàu Phụng",
    )
    # Reading materials cost more than estimated: paid with a logged reason.
    pay(
        D(2024, 10, 3),
        "phieu_chi",
        "II.10",
        1_045_000,
        "Bưu điện văn hóa xã Phú Lý",
        "Đặt báo, tài liệu hướng dẫn thủ tục hành chính cho khu vực chờ",
        override_reason="Giá báo năm 2024 tăng theo thông báo của Bưu điện tỉnh",
    )
    # Tổng kết: an advance still open, documents printed, awards decided but not paid yet.
    pay(
        D(2024, 12, 10),
        "tam_ung",
        "IV.1",
        1_500_000,
        "Lê Minh Tuấn",
        "Tạm ứng trang trí hội nghị tổng kết phong trào thi đua",
    )
    pay(
        D(2024, 12, 12),
        "phieu_chi",
        "IV.3",
        1_080_000,
        "Tiệm photocopy Hồng Nhung",
        "In báo cáo tổng kết phong trào thi đua (90 bộ)",
    )
    create_decision(
        session,
        cid,
        number="210/QĐ-UBND",
        decision_date=D(2024, 12, 20),
        actor=actor,
        title="Khen thưởng tổng kết phong trào thi đua “Chính quyền thân thiện” năm 2024",
        lines=("V.3", "V.4", "V.5"),  # the tổng kết lines
    )
    add_recipients(
        session,
        cid,
        "210/QĐ-UBND",
        [RecipientInput(n, f, t) for n, t, f in TONG_KET_AWARDS],
        norms,
        actor=actor,
    )
    view = estimate_view(session, cid)
    return DemoResult(campaign=campaign, lines=len(view.lines), total=view.total, vouchers=posted)
