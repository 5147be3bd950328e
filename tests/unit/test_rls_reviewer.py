"""The province reviewer (issue 13, item 5) as a hostile psql-like session.

The office is the province of tests/unit/test_province_report.py: An Hòa and
Bình Lợi in ninh-binh, Cầu Giấy in ha-nam. The reviewer of ninh-binh logs in as
a real LOGIN role and must read exactly An Hòa's and Bình Lợi's rows, write
nothing (INSERT, UPDATE, DELETE on every table), and not climb into a writer by
SET ROLE, SET SESSION AUTHORIZATION, the SECURITY DEFINER functions, its own
objects, or the reviewers' table. Afterwards the data is exactly as set up.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_ENV, pg_schema_url, run_cli
from tests.unit.hostile_office import PG_OFFICE, _attempt, _fails
from tests.unit.test_province_report import build_province

pytestmark = PG_OFFICE

SUFFIX = uuid.uuid4().hex[:6]
REVIEWER = f"rev_nb_{SUFFIX}"
ACCOUNTANT = f"acc_ah_{SUFFIX}"
DENIED = "permission denied"


@dataclass
class Province:
    url: str
    schema: str
    ids: dict[str, int]  # an_hoa, binh_loi, cau_giay; line_ah, version_ah, campaign_cg

    def login(self, user: str) -> Any:
        import psycopg

        u = make_url(os.environ[PG_ENV])
        return psycopg.connect(
            host=u.host or "127.0.0.1",
            port=u.port or 5432,
            dbname=u.database,
            user=user,
            options=f"-csearch_path={self.schema}",
            autocommit=True,
        )

    def url_as(self, user: str) -> str:
        return make_url(self.url).set(username=user).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def province(norms) -> Iterator[Province]:  # type: ignore[no-untyped-def]
    from budget.db import open_database
    from budget.services.admin import add_reviewer, add_user, setup_office

    with pg_schema_url(os.environ[PG_ENV]) as url:
        db = open_database(url)
        build_province(db, norms)
        with db.session() as s, s.begin():
            schema = setup_office(s)
            add_user(s, name=ACCOUNTANT, commune="an-hoa", role="accountant", actor="admin")
            add_reviewer(s, name=REVIEWER, province="ninh-binh", actor="admin")
            row = s.execute(
                text(
                    "SELECT (SELECT id FROM organisations WHERE code = 'an-hoa'), "
                    "(SELECT id FROM organisations WHERE code = 'binh-loi'), "
                    "(SELECT id FROM organisations WHERE code = 'cau-giay'), "
                    "(SELECT min(l.id) FROM estimate_lines l JOIN estimate_versions v "
                    " ON v.id = l.version_id JOIN campaigns c ON c.id = v.campaign_id "
                    " WHERE c.code = 'du-phong'), "
                    "(SELECT v.id FROM estimate_versions v JOIN campaigns c "
                    " ON c.id = v.campaign_id WHERE c.code = 'du-phong'), "
                    "(SELECT id FROM campaigns WHERE code = 'cqtt-cg')"
                )
            ).one()
        db.dispose()
        keys = ("an_hoa", "binh_loi", "cau_giay", "line_ah", "version_ah", "campaign_cg")
        try:
            yield Province(url, schema, dict(zip(keys, row, strict=True)))
        finally:
            admin = create_engine(os.environ[PG_ENV], isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                for name in (REVIEWER, ACCOUNTANT):
                    conn.execute(text(f'DROP OWNED BY "{name}"'))
                    conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
            admin.dispose()


def _state(p: Province) -> list[Any]:
    """Every row count and money total, and the province codes, read as the owner."""
    with p.login("postgres") as conn:
        return [
            conn.execute(sql).fetchall()
            for sql in (
                "SELECT code, province_code, province, chairman_name FROM organisations "
                "ORDER BY code",
                "SELECT organisation_id, count(*), sum(amount) FROM vouchers "
                "GROUP BY organisation_id ORDER BY 1",
                "SELECT count(*) FROM audit_entries",
                "SELECT id, status FROM estimate_versions ORDER BY id",
                "SELECT count(*), sum(amount) FROM estimate_lines",
                "SELECT organisation_id, opening_balance FROM fund_registers",
                "SELECT count(*) FROM campaigns",
                "SELECT rolname, province_code FROM budget_province_reviewers",
            )
        ]


@pytest.fixture
def unchanged(province: Province) -> Iterator[None]:
    before = _state(province)
    yield
    assert _state(province) == before


def test_the_reviewer_reads_every_commune_of_its_province_and_no_other(
    province: Province,
) -> None:
    p, ids = province, province.ids
    with p.login(REVIEWER) as conn:
        one = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        assert one("SELECT code FROM organisations ORDER BY code") == [("an-hoa",), ("binh-loi",)]
        # Worked out by hand: 3 vouchers in An Hòa, 1 in Bình Lợi; Cầu Giấy's 700.000 hidden.
        assert one("SELECT count(*), sum(amount) FROM vouchers") == [(4, 3_050_000)]
        assert one("SELECT count(*) FROM campaigns") == [(3,)]
        for table, column in (
            ("vouchers", "organisation_id"),
            ("campaigns", "organisation_id"),
            ("audit_entries", "organisation_id"),
            ("audit_heads", "org_key"),
            ("organisations", "id"),
        ):
            assert one(f"SELECT count(*) FROM {table} WHERE {column} = {ids['cau_giay']}") == [
                (0,)
            ], table
        assert one(
            f"SELECT count(*) FROM estimate_versions WHERE campaign_id = {ids['campaign_cg']}"
        ) == [(0,)]
        assert one(f"SELECT budget_role({ids['an_hoa']})") == [("reviewer",)]
        assert one(f"SELECT budget_role({ids['cau_giay']})") == [(None,)]
        assert one("SELECT budget_reviewer_provinces()") == [(["ninh-binh"],)]


WRITES = [
    "INSERT INTO {s}.vouchers (organisation_id, campaign_id, kind, type, year, number, "
    "entry_date, payee, content, amount, spent_delta, committed_delta, line_code, mlnsnn, "
    "reason, entered_by, entered_at, search_key) SELECT organisation_id, id, 'payment', "
    "'phieu_chi', 2024, 'FORGED', '2024-05-01', 'x', 'x', 1000, 1000, 0, 'I.1', '6657', '', "
    "'x', now(), 'x' FROM {s}.campaigns WHERE code = 'cqtt-ah'",
    "UPDATE {s}.organisations SET chairman_name = 'Kẻ gian'",
    "UPDATE {s}.organisations SET province_code = 'ha-nam'",
    "UPDATE {s}.estimate_versions SET status = 'approved' WHERE status = 'draft'",
    "UPDATE {s}.estimate_lines SET amount = amount + 1",
    "DELETE FROM {s}.vouchers",
    "DELETE FROM {s}.estimate_lines",
    "DELETE FROM {s}.audit_entries",
    "INSERT INTO {s}.audit_entries (at, actor, organisation_id, action, entity, entity_id, "
    "summary, reason, prev_hash, hash) SELECT now(), 'x', id, 'x', 'x', '', '', '', '', "
    "md5(random()::text) FROM {s}.organisations",
    "INSERT INTO {s}.fund_registers (organisation_id, year, source, opening_balance, "
    "created_at, created_by) SELECT id, 2030, 'quy_tdkt', 1, now(), 'x' FROM {s}.organisations",
    "INSERT INTO {s}.campaigns (organisation_id, code, year, title) SELECT id, 'x', 2024, 'x' "
    "FROM {s}.organisations",
    "INSERT INTO {s}.budget_province_reviewers VALUES (session_user, 'ha-nam', NULL)",
    "INSERT INTO {s}.budget_memberships VALUES (session_user, 1, 'accountant', NULL)",
    "SELECT * FROM {s}.budget_memberships",
    "SELECT * FROM {s}.budget_province_reviewers",
    "TRUNCATE {s}.vouchers",
    "LOCK TABLE {s}.vouchers IN ACCESS EXCLUSIVE MODE",
]


@pytest.mark.parametrize(
    "sql", WRITES, ids=[w.split(" {s}.")[0] + f"-{i}" for i, w in enumerate(WRITES)]
)
def test_the_reviewer_writes_nothing(province: Province, unchanged: None, sql: str) -> None:
    with province.login(REVIEWER) as conn:
        _fails(_attempt(conn, sql.format(s=province.schema)), DENIED)


ESCAPES = [
    ("SET ROLE budget_accountants", "permission denied"),
    ("SET ROLE budget_chairmen", "permission denied"),
    ("SET ROLE postgres", "permission denied"),
    ("SET SESSION AUTHORIZATION postgres", "permission denied"),
    ("SELECT {s}.budget_lock_organisation({a})", "only a writer of this commune"),
    ("SELECT {s}.budget_remove_line({line})", "only an accountant of this commune"),
    ("SELECT {s}.budget_clear_version({version})", "only an accountant of this commune"),
    ("SELECT pg_advisory_xact_lock(8472, {a})", None),  # not refused without a superuser
    ("CREATE TEMP TABLE budget_memberships (rolname text)", "permission denied"),
    (
        "CREATE FUNCTION {s}.budget_readable() RETURNS integer[] LANGUAGE sql "
        "SECURITY DEFINER AS 'SELECT ARRAY[{c}]'",
        "permission denied",
    ),
    ("CREATE SCHEMA rev_own", "permission denied"),
    ("ALTER ROLE CURRENT_USER SET search_path = public", None),  # its own setting only
    ("GRANT budget_accountants TO CURRENT_USER", "must have admin option"),
]


@pytest.mark.parametrize("sql, match", ESCAPES, ids=[e[0][:30] for e in ESCAPES])
def test_the_reviewer_cannot_climb_into_a_writer(
    province: Province, unchanged: None, sql: str, match: str | None
) -> None:
    ids = province.ids
    statement = sql.format(
        s=province.schema,
        a=ids["an_hoa"],
        c=ids["cau_giay"],
        line=ids["line_ah"],
        version=ids["version_ah"],
    )
    with province.login(REVIEWER) as conn:
        outcome = _attempt(conn, statement)
        if match is not None:
            assert isinstance(outcome, str) and match in outcome, outcome
        # Whatever the statement did in its (rolled back) transaction, the reviewer
        # still cannot write and still sees no commune of another province.
        _fails(_attempt(conn, WRITES[0].format(s=province.schema)), DENIED)
        seen = conn.execute(
            f"SELECT count(*) FROM vouchers WHERE organisation_id = {ids['cau_giay']}"
        ).fetchall()
        assert seen == [(0,)]
    with province.login("postgres") as conn:
        conn.execute(f'ALTER ROLE "{REVIEWER}" RESET search_path')


def test_a_commune_accountant_cannot_leave_its_province(
    province: Province, unchanged: None
) -> None:
    """province_code is out of the writers' column rights: a commune cannot hide from
    its province's reviewer (or slip into another's sight)."""
    s = province.schema
    with province.login(ACCOUNTANT) as conn:
        _fails(_attempt(conn, f"UPDATE {s}.organisations SET province_code = ''"), DENIED)
        # Its other settings stay writable (the column rights of budget admin setup).
        assert _attempt(conn, f"UPDATE {s}.organisations SET chairman_name = 'Mới'") == 1


def test_the_tool_refuses_every_write_of_the_reviewer_with_one_line(
    province: Province, unchanged: None
) -> None:
    from budget.db import REVIEWER_MESSAGE, open_database
    from budget.errors import DatabaseError

    url = province.url_as(REVIEWER)
    db = open_database(url)
    try:
        assert db.reviewer_provinces == ("ninh-binh",)
        with pytest.raises(DatabaseError, match=REVIEWER_MESSAGE):
            db.write_session()
    finally:
        db.dispose()
    added = run_cli(
        "--db",
        url,
        "voucher",
        "add",
        "--campaign",
        "cqtt-ah",
        "--line",
        "I.1",
        "--amount",
        "1.000",
        "--date",
        "2024-06-10",
        "--payee",
        "Kẻ gian",
        "--content",
        "Thử ghi",
    )
    assert added.code == 2
    assert added.err.strip() == f"Lỗi: {REVIEWER_MESSAGE}"
    # The roll-up needs no --province: the reviewer sees its own province only.
    report = run_cli("--db", url, "report", "province", "--format", "csv")
    assert report.code == 0, report.err
    assert [line.split(",")[0] for line in report.out.splitlines()[1:]] == [
        "an-hoa",
        "an-hoa",
        "binh-loi",
    ]


def test_admin_keeps_reviewers_and_commune_users_apart(province: Province) -> None:
    from budget.db import open_database
    from budget.errors import ValidationError
    from budget.services.admin import add_reviewer, add_user, list_users

    db = open_database(province.url)
    try:
        with (
            db.session() as s,
            s.begin(),
            pytest.raises(ValidationError, match="tài khoản rà soát cấp tỉnh"),
        ):
            add_user(s, name=REVIEWER, commune="an-hoa", role="viewer", actor="admin")
        with (
            db.session() as s,
            s.begin(),
            pytest.raises(ValidationError, match="đã có quyền tại một xã"),
        ):
            add_reviewer(s, name=ACCOUNTANT, province="ninh-binh", actor="admin")
        with (
            db.session() as s,
            s.begin(),
            pytest.raises(ValidationError, match="Chưa có đơn vị nào thuộc tỉnh «quang-tri»"),
        ):
            add_reviewer(s, name="rev_qt_x", province="quang-tri", actor="admin")
        with db.session() as s:
            users = [(u.name, u.commune, u.role) for u in list_users(s)]
        assert (REVIEWER, "tỉnh ninh-binh", "reviewer") in users
        assert (ACCOUNTANT, "an-hoa", "accountant") in users
    finally:
        db.dispose()
