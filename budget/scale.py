"""A province-sized demo: the Phú Lý year plus N vouchers over 45 lines,
inserted in bulk (executemany on SQLite, COPY on PostgreSQL).

The shape follows the normal demo: payments of every type, about 1 % of them
reversed, about 2 % advances of which most are settled, an award payout.
Everything is deterministic for a given N (seeded random).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Row, Table, func, select
from sqlalchemy.orm import Session

from budget import clock
from budget.demo import build_demo
from budget.models import Campaign, EstimateLine, Voucher
from budget.norms import Norms
from budget.services import approval, audit
from budget.services.audit_bulk import BulkCoverage
from budget.services.estimate_edit import LineChange, add_line, set_line
from budget.services.estimates import estimate_view
from budget.services.versions import current_approved
from budget.text import fold
from budget.vocabulary import ALL_TYPES, SETTLEMENT_TYPE

EXTRA_LINES = [
    ("Hội nghị tập huấn nghiệp vụ tiếp dân tại các ấp", "buổi", "6658"),
    ("In sổ tay hướng dẫn thủ tục hành chính", "cuốn", "6651"),
    ("Thuê xe đưa đón đại biểu", "chuyến", "6655"),
    ("Bồi dưỡng báo cáo viên", "buổi", "6652"),
    ("Văn phòng phẩm phục vụ phong trào", "gói", "6551"),
    ("Tuyên truyền trên hệ thống loa truyền thanh", "tháng", "6600"),
    ("Khảo sát mức độ hài lòng của người dân", "đợt", "6599"),
    ("Thuê hội trường hội nghị chuyên đề", "buổi", "6655"),
    ("Nước uống hội nghị chuyên đề", "người", "6699"),
    ("Hỗ trợ tiền ăn hội nghị chuyên đề", "người", "6658"),
    ("Biển chỉ dẫn tại Bộ phận một cửa", "cái", "6600"),
    ("Camera giám sát khu vực tiếp dân", "bộ", "6599"),
    ("Máy lấy số thứ tự", "cái", "6599"),
    ("Khen thưởng đột xuất gương người tốt việc tốt", "người", "6249"),
    ("Chi hỗ trợ khác cho phong trào", "đợt", "7758"),
]
PAYEES = [
    "Cơ sở quảng cáo Minh Phát",
    "Tiệm photocopy Hồng Nhung",
    "Căn tin UBND xã",
    "Công ty TNHH Quảng cáo Đồng Nai Xanh",
    "Cửa hàng điện máy Tân Phú",
    "Ban tổ chức hội nghị (danh sách ký nhận)",
    "Bưu điện văn hóa xã Phú Lý",
    "Cơ sở mộc Tân Hiệp",
    "Nhà hàng Bàu Phụng",
    "Lê Minh Tuấn",
]
CONTENTS = [
    "Chi hội nghị thi đua",
    "Mua vật tư xây dựng mô hình",
    "In tài liệu tuyên truyền",
    "Nước uống hội nghị",
    "Hỗ trợ tiền ăn đại biểu",
    "Trang trí khánh tiết",
    "Thuê âm thanh ánh sáng",
    "Văn phòng phẩm phong trào thi đua",
]
PAY_TYPES = ["phieu_chi"] * 6 + ["rut_du_toan"] * 3 + ["uy_nhiem_chi"]
COLUMNS = [
    "id",
    "organisation_id",
    "campaign_id",
    "kind",
    "type",
    "year",
    "number",
    "seq",
    "entry_date",
    "payee",
    "content",
    "amount",
    "spent_delta",
    "committed_delta",
    "line_code",
    "mlnsnn",
    "override_reason",
    "reverses_id",
    "settles_id",
    "award_decision_id",
    "reason",
    "entered_by",
    "entered_at",
    "search_key",
]

COVER_BATCH = 5000


@dataclass(frozen=True)
class ScaleResult:
    vouchers: int
    lines: int
    total_approved: int


def _widen_estimate(
    session: Session, norms: Norms, campaign_id: int, vouchers: int, actor: str
) -> None:
    """Version 3: every line scaled to carry the volume, plus 15 lines (45 in all)."""
    approval.adjust(session, campaign_id, actor=actor, reason="Mở rộng quy mô (dữ liệu lớn)")
    factor = max(1, vouchers // 25)
    view = estimate_view(session, campaign_id, 3)
    for line in view.lines:
        quantity = Decimal(line.quantity) * factor
        set_line(
            session,
            norms,
            campaign_id,
            line.code,
            change=LineChange(quantity=str(quantity)),
            actor=actor,
        )
    for index, (content, unit, code) in enumerate(EXTRA_LINES):
        part = "II" if index < 8 else "IV"
        add_line(
            session,
            norms,
            campaign_id,
            part=part,
            actor=actor,
            change=LineChange(
                content=content,
                unit=unit,
                quantity=str(factor * 4),
                unit_price=250_000 + 10_000 * index,
                mlnsnn=code,
            ),
        )
    approval.submit(session, campaign_id, actor=actor)
    approval.approve(
        session,
        campaign_id,
        decision_number="130/QĐ-UBND",
        decision_date=date(2024, 10, 1),
        actor=actor,
    )


def build_scale_demo(
    session: Session, norms: Norms, *, vouchers: int, actor: str, seed: int = 2024
) -> ScaleResult:
    """The normal demo, then ``vouchers`` more rows in bulk."""
    result = build_demo(session, norms, actor=actor)
    campaign_id = result.campaign.id
    _widen_estimate(session, norms, campaign_id, vouchers, actor)
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    current = current_approved(session, campaign_id)
    lines = session.execute(
        select(EstimateLine.code, EstimateLine.amount, EstimateLine.mlnsnn).where(
            EstimateLine.version_id == current.id
        )
    ).all()
    used = {
        code: int(total or 0)
        for code, total in session.execute(
            select(Voucher.line_code, func.sum(Voucher.spent_delta + Voucher.committed_delta))
            .where(Voucher.campaign_id == campaign_id)
            .group_by(Voucher.line_code)
        )
    }
    rows = _generate(
        campaign,
        lines,
        used,
        vouchers,
        actor,
        seed,
        next_id=int(session.execute(select(func.max(Voucher.id))).scalar() or 0) + 1,
        next_seq=_next_seqs(session, campaign),
    )
    _bulk_insert(session, rows)
    # Into the audit chain like any posting: canonical rows, one executemany a batch.
    coverage = BulkCoverage(
        session, actor=actor, organisation_id=campaign.organisation_id, source="dữ liệu lớn"
    )
    for start in range(0, len(rows), COVER_BATCH):
        batch = rows[start : start + COVER_BATCH]
        coverage.add((r[0], dict(zip(COLUMNS, r, strict=True))) for r in batch)
    audit.record(
        session,
        actor=actor,
        action="post",
        entity="voucher",
        entity_id="scale",
        summary=f"Dữ liệu lớn: thêm {len(rows)} chứng từ",
        organisation_id=campaign.organisation_id,
        items=coverage.take(),
    )
    return ScaleResult(len(rows), len(lines), sum(amount for _, amount, _ in lines))


def _next_seqs(session: Session, campaign: Campaign) -> dict[str, int]:
    return {
        vtype: int(seq or 0)
        for vtype, seq in session.execute(
            select(Voucher.type, func.max(Voucher.seq))
            .where(
                Voucher.organisation_id == campaign.organisation_id, Voucher.year == campaign.year
            )
            .group_by(Voucher.type)
        )
    }


def _generate(
    campaign: Campaign,
    lines: Sequence[Row[str, int, str]],
    used: dict[str, int],
    count: int,
    actor: str,
    seed: int,
    *,
    next_id: int,
    next_seq: dict[str, int],
) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    now = clock.now()
    codes = [code for code, _, _ in lines]
    room = {code: int((amount - used.get(code, 0)) * 0.9) for code, amount, _ in lines}
    mlnsnn = {code: code_ for code, _, code_ in lines}
    per_line = max(1, count // len(codes))
    start = date(campaign.year, 1, 2)
    keys = {(p, c): fold(f"{p} {c}") for p in PAYEES for c in CONTENTS}
    rows: list[tuple[Any, ...]] = []
    payments: list[tuple[int, str, str, int, date, str, str, str]] = []
    open_advances: list[tuple[int, str, int, date, str, str, str]] = []
    vid = next_id

    def number_for(vtype: str) -> tuple[str, int]:
        next_seq[vtype] = next_seq.get(vtype, 0) + 1
        seq = next_seq[vtype]
        return f"{ALL_TYPES[vtype][1]}-{seq:04d}", seq

    while len(rows) < count:
        code = codes[len(rows) % len(codes)]
        average = max(1000, room[code] // per_line)
        amount = max(1000, rng.randint(average // 2, average * 3 // 2) // 1000 * 1000)
        if amount > room[code]:
            amount = 1000
        room[code] -= amount
        day = start + timedelta(days=rng.randrange(360))
        payee, content = rng.choice(PAYEES), rng.choice(CONTENTS)
        roll = rng.random()
        if roll < 0.02:
            vtype = "tam_ung"
            number, seq = number_for(vtype)
            rows.append(
                (
                    vid,
                    campaign.organisation_id,
                    campaign.id,
                    "advance",
                    vtype,
                    campaign.year,
                    number,
                    seq,
                    day,
                    payee,
                    content,
                    amount,
                    0,
                    amount,
                    code,
                    mlnsnn[code],
                    None,
                    None,
                    None,
                    None,
                    "",
                    actor,
                    now,
                    fold(number) + " " + keys[(payee, content)],
                )
            )
            open_advances.append((vid, number, amount, day, payee, content, code))
        elif roll < 0.03 and payments:
            target = payments.pop(rng.randrange(len(payments)))
            tid, tnumber, ttype, tamount, tday, tpayee, tcontent, tcode = target
            rday = max(tday, day)
            rnumber = f"{tnumber}-H"
            rows.append(
                (
                    vid,
                    campaign.organisation_id,
                    campaign.id,
                    "reversal",
                    ttype,
                    campaign.year,
                    rnumber,
                    None,
                    rday,
                    tpayee,
                    f"Hủy chứng từ {tnumber}: ghi nhầm",
                    tamount,
                    -tamount,
                    0,
                    tcode,
                    mlnsnn[tcode],
                    None,
                    tid,
                    None,
                    None,
                    "ghi nhầm",
                    actor,
                    now,
                    fold(f"{rnumber} {tpayee} {tcontent}"),
                )
            )
            room[tcode] += tamount
        elif roll < 0.045 and open_advances:
            aid, anumber, aamount, aday, apayee, acontent, acode = open_advances.pop(
                rng.randrange(len(open_advances))
            )
            settled = aamount - rng.randrange(0, aamount // 10 + 1) // 1000 * 1000
            number, seq = number_for(SETTLEMENT_TYPE)
            rows.append(
                (
                    vid,
                    campaign.organisation_id,
                    campaign.id,
                    "settlement",
                    SETTLEMENT_TYPE,
                    campaign.year,
                    number,
                    seq,
                    max(aday, day),
                    apayee,
                    f"Thanh toán tạm ứng {anumber}",
                    aamount,
                    settled,
                    -aamount,
                    acode,
                    mlnsnn[acode],
                    None,
                    None,
                    aid,
                    None,
                    "",
                    actor,
                    now,
                    fold(f"{number} {apayee} thanh toan tam ung {anumber}"),
                )
            )
            room[acode] += aamount - settled
        else:
            vtype = PAY_TYPES[rng.randrange(len(PAY_TYPES))]
            number, seq = number_for(vtype)
            rows.append(
                (
                    vid,
                    campaign.organisation_id,
                    campaign.id,
                    "payment",
                    vtype,
                    campaign.year,
                    number,
                    seq,
                    day,
                    payee,
                    content,
                    amount,
                    amount,
                    0,
                    code,
                    mlnsnn[code],
                    None,
                    None,
                    None,
                    None,
                    "",
                    actor,
                    now,
                    fold(number) + " " + keys[(payee, content)],
                )
            )
            if len(payments) < 50_000:
                payments.append((vid, number, vtype, amount, day, payee, content, code))
        vid += 1
    return rows


def _bulk_insert(session: Session, rows: list[tuple[Any, ...]]) -> None:
    connection = session.connection()
    dialect = connection.dialect.name
    raw = connection.connection.dbapi_connection
    assert raw is not None
    if dialect == "postgresql":
        with raw.cursor() as cursor:  # type: ignore[attr-defined]
            with cursor.copy(f"COPY vouchers ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('vouchers', 'id'), "
                "(SELECT MAX(id) FROM vouchers))"
            )
            cursor.execute("ANALYZE vouchers")
        return
    placeholders = ", ".join("?" for _ in COLUMNS)
    # Building the secondary indexes once, after the rows are in, is several times
    # faster than maintaining them row by row (same transaction: all or nothing).
    indexes = list(cast(Table, Voucher.__table__).indexes)
    for index in indexes:
        index.drop(connection)
    # pysqlite's own cursor: its executemany takes any iterable of rows (a generator here).
    cursor = cast(sqlite3.Cursor, raw.cursor())
    cursor.execute("PRAGMA cache_size = -262144")  # 256 MB while the indexes are built
    try:
        cursor.executemany(
            f"INSERT INTO vouchers ({', '.join(COLUMNS)}) VALUES ({placeholders})",
            (
                (*r[:8], r[8].isoformat(), *r[9:22], r[22].strftime("%Y-%m-%d %H:%M:%S.%f"), r[23])
                for r in rows
            ),
        )
    finally:
        cursor.close()
    for index in indexes:
        index.create(connection)
    # Statistics, so the planner prefers the small partial indexes (overrides,
    # advances) over a campaign-wide one when a million rows share one campaign.
    connection.exec_driver_sql("ANALYZE")
