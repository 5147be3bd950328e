"""Raw-SQL tampering with the money or the chain is found and described by audit verify."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import run_cli


@pytest.fixture
def demo_db(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.db"
    assert run_cli("--db", str(path), "demo").code == 0
    return path


def _raw(path, *statements: str) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(path)
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def _verify(path, *extra: str):  # type: ignore[no-untyped-def]
    return run_cli("--db", str(path), "audit", "verify", *extra)


def test_an_untampered_year_is_intact_and_its_head_is_shown(demo_db):  # type: ignore[no-untyped-def]
    result = _verify(demo_db)
    assert result.code == 0 and result.out.strip() == "Nhật ký nguyên vẹn."
    conn = sqlite3.connect(demo_db)
    count, head = conn.execute(
        "SELECT COUNT(*), (SELECT hash FROM audit_entries "
        "ORDER BY id DESC LIMIT 1) FROM audit_entries"
    ).fetchone()
    conn.close()
    shown = run_cli("--db", str(demo_db), "audit", "head")
    assert shown.out.strip() == f"Số bản ghi nhật ký: {count} · Mã đầu chuỗi: {head[:16]}"
    assert _verify(demo_db, "--expect-head", head[:16], "--expect-count", str(count)).code == 0
    wrong = _verify(demo_db, "--expect-count", str(count + 1))
    assert wrong.code == 2 and f"Số bản ghi nhật ký là {count}, không phải {count + 1}" in wrong.err


def test_an_edited_voucher_amount_is_named(demo_db):  # type: ignore[no-untyped-def]
    _raw(
        demo_db,
        "DROP TRIGGER trg_vouchers_append_only_update",
        "UPDATE vouchers SET amount = 9000000, spent_delta = 9000000 WHERE number = 'PC-0001'",
    )
    result = _verify(demo_db)
    assert result.code == 2
    assert (
        "Chứng từ PC-0001 bị sửa: số tiền 1.650.000 → 9.000.000; số đã chi 1.650.000 → 9.000.000."
        in result.out + result.err
    )


def test_an_edited_approved_line_is_named(demo_db):  # type: ignore[no-untyped-def]
    _raw(
        demo_db,
        "DROP TRIGGER trg_estimate_lines_frozen_update",
        "UPDATE estimate_lines SET amount = amount + 1000 WHERE code = 'I.1' AND version_id = "
        "(SELECT min(id) FROM estimate_versions)",
    )
    text = (r := _verify(demo_db)).out + r.err
    assert r.code == 2 and "Dòng I.1 của dự toán phiên bản 1 bị sửa: số tiền" in text


def test_deleting_the_last_entry_is_detected(demo_db):  # type: ignore[no-untyped-def]
    _raw(
        demo_db,
        "DROP TRIGGER trg_audit_append_only_delete",
        "DELETE FROM audit_entries WHERE id = (SELECT max(id) FROM audit_entries)",
    )
    text = (r := _verify(demo_db)).out + r.err
    assert r.code == 2 and "Đã xóa 1 mục cuối nhật ký của phu-ly (ghi nhận 41 mục, còn 40" in text


def test_deleting_all_entries_is_detected(demo_db):  # type: ignore[no-untyped-def]
    _raw(
        demo_db,
        "PRAGMA foreign_keys = OFF",
        "DROP TRIGGER trg_audit_append_only_delete",
        "DELETE FROM audit_entries",
    )
    text = (r := _verify(demo_db)).out + r.err
    assert r.code == 2 and "Đã xóa toàn bộ 41 mục nhật ký của phu-ly." in text


def test_reordering_two_entries_is_detected(demo_db):  # type: ignore[no-untyped-def]
    _raw(
        demo_db,
        "PRAGMA foreign_keys = OFF",
        "DROP TRIGGER trg_audit_append_only_update",
        "UPDATE audit_entries SET id = -5 WHERE id = 5",
        "UPDATE audit_entries SET id = 5 WHERE id = 6",
        "UPDATE audit_entries SET id = 6 WHERE id = -5",
    )
    text = (r := _verify(demo_db)).out + r.err
    assert r.code == 2 and "Mục nhật ký #5 và #6 bị đảo thứ tự." in text


def test_a_dropped_guard_is_reported(demo_db):  # type: ignore[no-untyped-def]
    _raw(demo_db, "DROP TRIGGER trg_audit_head_advance")
    text = (r := _verify(demo_db)).out + r.err
    assert r.code == 2 and "Thiếu hoặc bị sửa cơ chế bảo vệ: trg_audit_head_advance." in text


def test_in_english_the_chain_problems_read_in_english(demo_db):  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(demo_db)
    count = conn.execute("SELECT COUNT(*) FROM audit_entries").fetchone()[0]
    conn.close()
    wrong = run_cli(
        "--lang", "en", "--db", str(demo_db), "audit", "verify", "--expect-count", str(count + 2)
    )
    assert wrong.code == 2
    assert wrong.err.strip() == (
        f"Error: The audit log has {count} entries, not {count + 2} as noted. (problems found: 1)"
    )


def test_a_running_total_edited_around_the_program_is_named(demo_db):  # type: ignore[no-untyped-def]
    # A raw hand makes line II.1 look more spent than its vouchers say (a posting
    # would then be refused), or less (a line could overspend).
    _raw(
        demo_db,
        "DROP TRIGGER trg_line_totals_update",
        "UPDATE line_totals SET spent = spent + 1000000 WHERE line_code = 'II.1'",
    )
    result = _verify(demo_db)
    assert result.code == 2
    said = result.out + result.err
    assert (
        "Tổng lũy kế của dòng II.1 (kế hoạch cqtt-2024) không khớp các chứng từ của dòng." in said
    )
    assert "Thiếu hoặc bị sửa cơ chế bảo vệ: trg_line_totals_update" in said
