"""Trợ giúp: every key, for every screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    (
        "Chung",
        [
            ("F1", "Trợ giúp (màn hình này)"),
            ("F2", "Tổng quan"),
            ("F3", "Dự toán"),
            ("F4", "Chứng từ"),
            ("F5", "Khen thưởng"),
            ("F6", "Đối chiếu dự toán - thực hiện"),
            ("F7", "Tổng hợp cho Chủ tịch"),
            ("F8", "Xuất Excel"),
            ("F9", "Nhật ký thao tác"),
            ("F10", "Thiết lập đơn vị"),
            ("Ctrl+P", "Bảng lệnh (tìm lệnh bằng tiếng Việt)"),
            ("Ctrl+T", "Giao diện sáng / tối"),
            ("Ctrl+Q", "Thoát"),
            ("Tab / Shift+Tab", "Chuyển ô nhập"),
            ("Esc", "Đóng hộp thoại"),
            ("Ctrl+S", "Lưu trong hộp thoại"),
        ],
    ),
    (
        "Dự toán (F3)",
        [
            ("a", "Thêm dòng (bản dự thảo)"),
            ("e / Enter", "Sửa dòng"),
            ("Delete", "Xóa dòng"),
            ("s", "Trình duyệt"),
            ("p", "Phê duyệt (số, ngày quyết định)"),
            ("b", "Trả lại bản đang trình"),
            ("d", "Lập điều chỉnh từ bản đã duyệt"),
            ("c", "So sánh với bản duyệt đầu tiên"),
            ("v", "Xem phiên bản khác"),
        ],
    ),
    (
        "Chứng từ (F4)",
        [
            ("n", "Chứng từ mới (hiện số còn lại của dòng khi gõ)"),
            ("x", "Hủy chứng từ"),
            ("t", "Thanh toán tạm ứng"),
            ("/", "Tìm (không dấu cũng được)"),
            ("Enter trong ô lọc", "Áp dụng bộ lọc"),
            ("Esc", "Bỏ lọc"),
            ("m", "Tải thêm"),
        ],
    ),
    (
        "Khen thưởng (F5)",
        [("n", "Quyết định mới"), ("a", "Thêm người / dán danh sách"), ("p", "Chi thưởng")],
    ),
    ("Đối chiếu (F6)", [("Enter", "Xem các chứng từ của dòng")]),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Đóng")]

    def compose(self) -> ComposeResult:
        lines = []
        for section, keys in KEYS:
            lines.append(f"[b]{section}[/b]")
            lines += [f"  [b cyan]{key:<20}[/] {what}" for key, what in keys]
            lines.append("")
        with VerticalScroll(classes="dialog"):
            yield Static("TRỢ GIÚP — PHÍM TẮT", classes="dialog-title")
            yield Static("\n".join(lines))

    def action_close(self) -> None:
        self.dismiss(None)
