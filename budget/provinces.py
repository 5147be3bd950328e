"""The provinces and centrally-run cities a commune can belong to, and the kinds of
commune-level unit: the lists the first-run set-up offers to choose from.

Since 01/7/2025 the country has 34 provincial units (Nghị quyết số 202/2025/QH15
ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh, Điều 1)
and the commune level is xã, phường or đặc khu (Luật Tổ chức chính quyền địa
phương số 72/2025/QH15 ngày 16/6/2025, Điều 2). A name outside the list (a
province before the merger, for an old year's data) can still be typed in the
settings (F10) or with ``budget org set --province``.
"""

from __future__ import annotations

#: No official text in this repository confirms the list word for word.
VERIFY = True
SOURCE = "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội, Điều 1"

#: The six centrally-run cities, then the 28 provinces, each in alphabetical order.
PROVINCES: tuple[str, ...] = (
    "Thành phố Hà Nội",
    "Thành phố Huế",
    "Thành phố Hải Phòng",
    "Thành phố Đà Nẵng",
    "Thành phố Hồ Chí Minh",
    "Thành phố Cần Thơ",
    "Tỉnh An Giang",
    "Tỉnh Bắc Ninh",
    "Tỉnh Cà Mau",
    "Tỉnh Cao Bằng",
    "Tỉnh Đắk Lắk",
    "Tỉnh Điện Biên",
    "Tỉnh Đồng Nai",
    "Tỉnh Đồng Tháp",
    "Tỉnh Gia Lai",
    "Tỉnh Hà Tĩnh",
    "Tỉnh Hưng Yên",
    "Tỉnh Khánh Hòa",
    "Tỉnh Lai Châu",
    "Tỉnh Lạng Sơn",
    "Tỉnh Lào Cai",
    "Tỉnh Lâm Đồng",
    "Tỉnh Nghệ An",
    "Tỉnh Ninh Bình",
    "Tỉnh Phú Thọ",
    "Tỉnh Quảng Ngãi",
    "Tỉnh Quảng Ninh",
    "Tỉnh Quảng Trị",
    "Tỉnh Sơn La",
    "Tỉnh Tây Ninh",
    "Tỉnh Thái Nguyên",
    "Tỉnh Thanh Hóa",
    "Tỉnh Tuyên Quang",
    "Tỉnh Vĩnh Long",
)

#: Commune-level units (the word on the heading: "ỦY BAN NHÂN DÂN PHƯỜNG …").
UNIT_KINDS: tuple[str, ...] = ("xã", "phường", "đặc khu")
