"""The questions asked before a step that cannot be taken back, naming what becomes
final. One wording for both front ends: the TUI's confirmation dialogs and the
CLI's ``[c/K]`` prompts (budget/cli/confirm.py). Pure text: no database."""

from __future__ import annotations

from budget.money import format_vnd


def approve_question(version_no: int, total: int) -> str:
    return (
        f"Phê duyệt dự toán phiên bản {version_no} ({format_vnd(total)} đồng): "
        "sau khi duyệt không sửa được nữa. Phê duyệt?"
    )


def pay_question(number: str, total: int, recipients: int) -> str:
    return (
        f"Chi thưởng theo quyết định {number} ({format_vnd(total)} đồng, "
        f"{recipients} người/tập thể): sau khi chi, quyết định và danh sách người nhận "
        "không sửa được nữa. Chi thưởng?"
    )


def reverse_question(number: str, amount: int, line: str) -> str:
    return (
        f"Hủy chứng từ {number} ({format_vnd(amount)} đồng, dòng {line}): bút toán hủy "
        "ghi vào sổ, không xóa hay khôi phục được nữa. Hủy chứng từ?"
    )


def restore_question(backup: str) -> str:
    return (
        f"Khôi phục từ {backup}: toàn bộ dữ liệu hiện tại được thay bằng bản sao lưu "
        "(bản hiện tại được cất sang thư mục backups/). Khôi phục?"
    )
