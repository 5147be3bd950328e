"""A small year for the chairman's page, with every figure worked out by hand.

Built through the command line (tests/prepared.py builds it once per session);
"now" is 20/12/2024 08:00 (BUDGET_NOW, UTC), so ages are counted to 20/12/2024.

Estimate (version 1, QĐ 52/QĐ-UBND of 27/05/2024), 10.550.000 đồng:

  I.1   Thuê hội trường       1 × 2.000.000 = 2.000.000
  I.2   Nước uống đại biểu  100 ×    40.000 = 4.000.000
  I.3   In tài liệu          50 ×    20.000 = 1.000.000
  II.1  Giấy khen cá nhân     5 ×   710.000 = 3.550.000

Vouchers and decisions:

  PC-0001  10/06  I.1  2.000.000   -> I.1 used up exactly: 100,0 %
  TU-0001  15/06  I.2  3.300.000   advance, open: 3.300.000 / 4.000.000 = 82,5 %;
                                    15/06 -> 20/12 = 15+31+31+30+31+30+20 = 188 days
  PC-0002  05/07  I.3  1.200.000   past the line with a reason: 1.200.000 / 1.000.000
                                    = 120,0 %, remaining -200.000
  30/QĐ-UBND 01/08, 1 Giấy khen, paid (PC-0003, 01/08, II.1): 0,15 × 2.340.000 =
                                    351.000 -> 360.000 (up to ten thousands)
  31/QĐ-UBND 02/12, 2 Giấy khen, unpaid: 2 × 360.000 = 720.000

Parts: I approved 7.000.000, spent 2.000.000 + 1.200.000 = 3.200.000, advance
3.300.000, remaining 500.000, 6.500.000 / 7.000.000 = 92,857 -> 92,9 %;
II approved 3.550.000, spent 360.000, remaining 3.190.000, 10,14 -> 10,1 %.
Total: 10.550.000, spent 3.560.000, advance 3.300.000, remaining 3.690.000,
6.860.000 / 10.550.000 = 65,02 -> 65,0 %. Months: June 2.000.000 (the advance is
not spent), July 1.200.000, August 360.000.
"""

from __future__ import annotations

from decimal import Decimal

NOW = "2024-12-20T08:00:00"

STEPS: tuple[tuple[str, ...], ...] = (
    ("org", "set", "--commune-name", "Phú Lý", "--province", "Đồng Nai", "--place", "Phú Lý",
     "--chairman", "Nguyễn Hữu Bình"),
    ("plan", "new", "--year", "2024", "--number", "45/KH-UBND", "--date", "20/05/2024",
     "--code", "ct-2024", "--title", "Kế hoạch tổ chức phong trào thi đua năm 2024"),
    ("plan", "part", "add", "--title", "Hội nghị phát động"),
    ("plan", "part", "add", "--title", "Khen thưởng"),
    ("plan", "line", "add", "--part", "I", "--content", "Thuê hội trường", "--unit", "buổi",
     "--quantity", "1", "--unit-price", "2.000.000", "--mlnsnn", "6655"),
    ("plan", "line", "add", "--part", "I", "--content", "Nước uống đại biểu", "--unit", "người",
     "--quantity", "100", "--unit-price", "40.000", "--mlnsnn", "6699"),
    ("plan", "line", "add", "--part", "I", "--content", "In tài liệu", "--unit", "bộ",
     "--quantity", "50", "--unit-price", "20.000", "--mlnsnn", "6651"),
    ("plan", "line", "add", "--part", "II", "--content", "Giấy khen cá nhân", "--unit", "người",
     "--quantity", "5", "--unit-price", "710.000", "--mlnsnn", "6201"),
    ("plan", "submit"),
    ("plan", "approve", "--decision", "52/QĐ-UBND", "--date", "27/05/2024"),
    ("voucher", "add", "--line", "I.1", "--amount", "2.000.000", "--date", "10/06/2024",
     "--payee", "Nhà văn hóa xã", "--content", "Thuê hội trường hội nghị phát động"),
    ("voucher", "add", "--type", "tam_ung", "--line", "I.2", "--amount", "3.300.000",
     "--date", "15/06/2024", "--payee", "Lê Văn Bình", "--content", "Tạm ứng nước uống"),
    ("voucher", "add", "--line", "I.3", "--amount", "1.200.000", "--date", "05/07/2024",
     "--payee", "Tiệm photo Minh Khoa", "--content", "In tài liệu hội nghị",
     "--override-reason", "Tăng số đại biểu"),
    ("award", "new", "--number", "30/QĐ-UBND", "--date", "01/08/2024", "--line", "II.1"),
    ("award", "add", "30/QĐ-UBND", "--name", "Nguyễn Văn An", "--form", "giay_khen_ca_nhan"),
    ("award", "pay", "30/QĐ-UBND"),
    ("award", "new", "--number", "31/QĐ-UBND", "--date", "02/12/2024", "--line", "II.1"),
    ("award", "add", "31/QĐ-UBND", "--name", "Trần Thị Hoa", "--form", "giay_khen_ca_nhan"),
    ("award", "add", "31/QĐ-UBND", "--name", "Lê Văn Cường", "--form", "giay_khen_ca_nhan"),
)  # fmt: skip

AS_OF_LINE = "Số liệu tính đến 08:00 ngày 20/12/2024"
# (approved, spent, committed, remaining, percent)
TOTAL = (10_550_000, 3_560_000, 3_300_000, 3_690_000, Decimal("65.0"))
PARTS = {
    "I": (7_000_000, 3_200_000, 3_300_000, 500_000, Decimal("92.9")),
    "II": (3_550_000, 360_000, 0, 3_190_000, Decimal("10.1")),
}
MONTHS = {6: 2_000_000, 7: 1_200_000, 8: 360_000}
LINES_OVER = {"I.3": (1_000_000, 1_200_000, 0, -200_000, Decimal("120.0"))}
LINES_FULL = {"I.1": (2_000_000, 2_000_000, 0, 0, Decimal("100.0"))}
LINES_WATCH = {"I.2": (4_000_000, 0, 3_300_000, 700_000, Decimal("82.5"))}
# (number, line, amount, reason)
OVERSPENDS = [("PC-0002", "I.3", 1_200_000, "Tăng số đại biểu")]
# (number, line, amount, age in days)
ADVANCES = [("TU-0001", "I.2", 3_300_000, 188)]
# (number, recipients, total)
UNPAID = [("31/QĐ-UBND", 2, 720_000)]
