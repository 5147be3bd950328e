"""Vouchers posted in bulk (``import vouchers``, ``demo --vouchers``) are in the
audit chain: an untouched import verifies intact, a changed amount is named."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.conftest import CliResult

Cli = Callable[..., CliResult]

ROWS = [
    ["number", "type", "date", "line", "payee", "content", "amount"],
    ["", "phieu_chi", "15/12/2024", "IV.4", "Căn tin UBND xã", "Nước uống tổng kết", "1.200.000"],
    ["", "tam_ung", "16/12/2024", "IV.5", "Lê Minh Tuấn", "Tạm ứng tiền ăn", "2000000"],
    ["UNC-0010", "uy_nhiem_chi", "17/12/2024", "V.6", "Cơ sở in Tân Tiến", "In phôi", "1260000"],
]  # fmt: skip


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _ok(cli: Cli, *args: str) -> CliResult:
    result = cli(*args)
    assert result.code == 0, (args, result.out, result.err)
    return result


def _tamper(db_url: str, sql: str) -> None:
    """Raw SQL around the program, guards put back after: SQLite drops the guard
    trigger and recreates it; on PostgreSQL the test's superuser switches triggers
    off for the transaction."""
    engine = create_engine(db_url)
    trigger = "trg_vouchers_append_only_update"
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                ddl = conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": trigger}
                ).scalar_one()
                conn.execute(text(f"DROP TRIGGER {trigger}"))
                assert conn.execute(text(sql)).rowcount == 1
                conn.execute(text(ddl))
            else:
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                assert conn.execute(text(sql)).rowcount == 1
    finally:
        engine.dispose()


def _scalar(db_url: str, sql: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def _problems(result: CliResult) -> list[str]:
    """verify prints every problem; the last one comes as the ``Lỗi:`` line."""
    lines = [line.strip() for line in (result.out + result.err).splitlines() if line.strip()]
    return [line.removeprefix("Lỗi: ").split(" (tổng cộng")[0] for line in lines]


def test_an_imported_voucher_whose_amount_is_changed_is_named(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    _ok(cli, "demo")
    _ok(cli, "import", "vouchers", str(_csv(tmp_path / "v.csv", ROWS)))
    assert _ok(cli, "audit", "verify").out.strip() == "Nhật ký nguyên vẹn."
    # The three rows are on the import's own entry (one entry for a small file).
    assert (
        _scalar(
            db_url,
            "SELECT COUNT(*) FROM audit_content c JOIN audit_entries e ON e.id = c.entry_id "
            "WHERE e.action = 'import' AND c.table_name = 'vouchers'",
        )
        == 3
    )

    _tamper(db_url, "UPDATE vouchers SET amount = 9000000 WHERE number = 'UNC-0010'")
    result = cli("audit", "verify")
    assert result.code == 2
    assert _problems(result) == ["Chứng từ UNC-0010 bị sửa: số tiền 1.260.000 → 9.000.000."]


def test_a_many_batch_import_keeps_the_chain_and_covers_every_row(
    database,
    db_url: str,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from budget.demo import build_demo
    from budget.norms import load_norms
    from budget.services.audit_verify import verify
    from budget.services.voucher_import import import_vouchers

    with database.write_session() as session, session.begin():
        campaign = build_demo(session, load_norms(), actor="kiemthu").campaign.id
    rows = [ROWS[0]] + [
        ["", "phieu_chi", "20/12/2024", "IV.4", f"Người nhận {i}", "Nước uống", str(1000 * i)]
        for i in range(1, 6)
    ]
    before = _scalar(db_url, "SELECT COUNT(*) FROM audit_entries")
    with database.write_session() as session, session.begin():
        import_vouchers(
            session, campaign, _csv(tmp_path / "five.csv", rows), actor="kiemthu", batch_rows=2
        )
    # Batches of 2, 2, 1: two "post" entries, then the import's entry with the last row.
    assert _scalar(db_url, "SELECT COUNT(*) FROM audit_entries") == before + 3
    assert (
        _scalar(
            db_url,
            "SELECT COUNT(*) FROM audit_content c JOIN audit_entries e ON e.id = c.entry_id "
            f"WHERE e.id > {before} AND c.table_name = 'vouchers'",
        )
        == 5
    )
    with database.session() as session:
        assert verify(session).problems == ()
    _tamper(db_url, "UPDATE vouchers SET payee = 'Người khác' WHERE payee = 'Người nhận 2'")
    with database.session() as session:
        assert verify(session).problems == (
            "Chứng từ PC-0019 bị sửa: người nhận Người nhận 2 → Người khác.",
        )


def test_scale_demo_vouchers_are_in_the_chain(cli: Cli, db_url: str) -> None:
    _ok(cli, "demo", "--vouchers", "300")
    assert _ok(cli, "audit", "verify").out.strip() == "Nhật ký nguyên vẹn."
    victim = _scalar(db_url, "SELECT MAX(id) FROM vouchers WHERE kind = 'payment'")
    number = _scalar(db_url, f"SELECT seq FROM vouchers WHERE id = {victim}")
    _tamper(db_url, f"UPDATE vouchers SET amount = amount + 1 WHERE id = {victim}")
    result = cli("audit", "verify")
    assert result.code == 2
    (problem,) = _problems(result)
    assert problem.startswith("Chứng từ ") and f"-{number:04d} bị sửa: số tiền " in problem
