"""Interface texts that reach :func:`budget.i18n.tr` through a variable (a table
of labels, a message built elsewhere), so the catalogue collector cannot see
them as ``tr("...")`` literals.  Listing them here keeps them in the catalogue."""

from __future__ import annotations

EXTRA_TEXTS: tuple[str, ...] = (
    # the one-line messages of budget.cli.main
    "Lỗi:",
    "Đã hủy.",
    "Đã dừng.",
    "(xem «budget --help»)",
    # columns the estimate screen adds to a version's table
    "Ban đầu",
    "Chênh lệch",
    # the settings dialog's success lines and the dialogs' progress line
    "Đã lưu thiết lập.",
    "Đã lưu thiết lập. Ngôn ngữ mới có hiệu lực khi mở lại ứng dụng.",
    "Đang ghi…",
    # refused writes (budget.db READ_ONLY_MESSAGE, REVIEWER_MESSAGE), raised as
    # DatabaseError and translated when shown (budget.errors)
    "Đang ở chế độ chỉ xem: không thể thay đổi dữ liệu.",
    "Tài khoản rà soát cấp tỉnh chỉ được xem: không thể thay đổi dữ liệu.",
    # a cancelled export (tui/modals/export.py STOPPED, raised as Cancelled)
    "Đã hủy xuất: không có tệp nào được ghi.",
    # what the export and import dialogs say when Esc can no longer stop them
    # (tui/modals/export.py CANNOT_CANCEL, budget.progress.CANNOT_CANCEL)
    "Đang lưu tệp: không hủy được nữa; tệp được ghi trọn vẹn, "
    "hoặc không ghi gì nếu có lỗi. Xin chờ xong.",
    "Đang ghi vào sổ: không hủy được nữa, vì việc ghi đã bắt đầu; tệp được ghi trọn vẹn, "
    "hoặc không ghi gì nếu có lỗi. Xin chờ xong.",
    # budget.progress.CANCELLED, the default message of Cancelled
    "Đã hủy: chưa ghi gì vào sổ.",
)
