"""The office the hostile-session tests attack (issue 14, item 1), and their helpers.

Two communes A (An Hòa) and B (Bình Lợi). A viewer, an accountant and a
chairman of A log in as real LOGIN roles (psycopg, trust on 127.0.0.1) and
attack: temporary tables shadowing the tables the row-level security reads,
objects of their own on the search path, table rights, locks, a forged actor.
Every attack must fail (an error, or no row touched) and afterwards B's data
and A's submitted estimate are exactly as set up, and B's audit chain verifies.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_ENV, pg_schema_url

PG_OFFICE = [
    pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set"),
    # setup_office changes cluster roles and function rights: one worker at a time
    # (two at once fail with "tuple concurrently updated"), under --dist loadgroup.
    pytest.mark.xdist_group("pg_office"),
]

DENIED = "permission denied"
RLS = "row-level security"
SUFFIX = uuid.uuid4().hex[:6]
USERS = {k: f"rls_{k}_{SUFFIX}" for k in ("view_a", "acc_a", "chair_a", "acc_b")}
ACC_A_NAME = "Lê Thị Kế Toán"


@dataclass
class Office:
    url: str  # the owner's (superuser's) URL, search_path pinned to the schema
    schema: str
    org_a: int
    org_b: int
    campaign_a: int
    campaign_b: int
    pending: int  # A's 2025 campaign, its estimate submitted and awaiting approval
    pending_version: int
    approved_version_a: int
    voucher_b: int
    version_b: int
    part_b: int
    fund_b: int

    def login(self, key: str, *, search_path: str | None = None) -> Any:
        import psycopg

        u = make_url(os.environ[PG_ENV])
        return psycopg.connect(
            host=u.host or "127.0.0.1",
            port=u.port or 5432,
            dbname=u.database,
            user=USERS[key],
            options=f"-csearch_path={search_path or self.schema}",
        )

    def owner(self) -> Any:
        return self.login_as("postgres")

    def login_as(self, role: str) -> Any:
        import psycopg

        u = make_url(os.environ[PG_ENV])
        return psycopg.connect(
            host=u.host or "127.0.0.1",
            port=u.port or 5432,
            dbname=u.database,
            user=role,
            options=f"-csearch_path={self.schema}",
            autocommit=True,
        )


def _url_as(url: str, user: str) -> str:
    return make_url(url).set(username=user, password=None).render_as_string(hide_password=False)


#: (key, role, commune) of the four logins both offices have.
LOGINS = (
    ("view_a", "viewer", "xa-a"),
    ("acc_a", "accountant", "xa-a"),
    ("chair_a", "chairman", "xa-a"),
    ("acc_b", "accountant", "xa-b"),
)


def seed_office(
    s: Any, norms: Any, users: Mapping[str, str], shown: Mapping[str, str] = {}
) -> dict[str, Any]:
    """Set up the two-commune office in session ``s`` (the owner's): A (An Hòa) and B
    (Bình Lợi), each with a 2024 campaign whose estimate is approved and one voucher
    of 100.000 đ on I.1; A's 2025 campaign submitted and awaiting approval; the four
    ``users`` (key -> login name, ``shown`` their display names). Returns the schema
    and the ids: org_a, org_b, campaign_a, campaign_b, pending."""
    from budget.services import approval
    from budget.services.admin import add_commune, add_user, setup_office
    from budget.services.campaigns import create_campaign
    from budget.services.vouchers import post_voucher

    ids: dict[str, Any] = {"schema": setup_office(s)}
    for code, name in (("xa-a", "An Hòa"), ("xa-b", "Bình Lợi")):
        ids[f"org_{code[-1]}"] = add_commune(s, code=code, name=name, actor="admin").id
    for key in ("a", "b"):
        info = create_campaign(
            s,
            norms,
            year=2024,
            actor="admin",
            org_code=f"xa-{key}",
            template_key="chinh-quyen-than-thien",
            code=f"cqtt-{key}",
        )
        approval.submit(s, info.id, actor="admin")
        approval.approve(
            s,
            info.id,
            decision_number=f"1/{key}",
            decision_date=date(2024, 3, 1),
            actor="admin",
        )
        post_voucher(
            s,
            info.id,
            line_code="I.1",
            amount=100_000,
            entry_date=date(2024, 4, 1),
            payee=f"Người nhận {key}",
            content="Trang trí",
            actor="admin",
        )
        ids[f"campaign_{key}"] = info.id
    pending = create_campaign(
        s,
        norms,
        year=2025,
        actor="admin",
        org_code="xa-a",
        template_key="chinh-quyen-than-thien",
        code="cqtt-a-2025",
    )
    approval.submit(s, pending.id, actor="admin")
    ids["pending"] = pending.id
    for key, role, commune in LOGINS:
        add_user(
            s,
            name=users[key],
            commune=commune,
            role=role,
            actor="admin",
            display_name=shown.get(key),
        )
    return ids


def drop_logins(names: Iterable[str]) -> None:
    """Drop the test logins, what they own and their own schemas (cluster-wide roles)."""
    admin = create_engine(os.environ[PG_ENV], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "own_{name}" CASCADE'))
            conn.execute(text(f'DROP OWNED BY "{name}"'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="module")
def office(norms) -> Iterator[Office]:  # type: ignore[no-untyped-def]
    from budget.db import open_database

    with pg_schema_url(os.environ[PG_ENV]) as url:
        db = open_database(url)
        with db.session() as s, s.begin():
            ids = seed_office(
                s, norms, USERS, {"acc_a": ACC_A_NAME, "chair_a": "Trần Văn Chủ Tịch"}
            )
            row = s.execute(
                text(
                    "SELECT (SELECT id FROM estimate_versions WHERE campaign_id = :p), "
                    "(SELECT id FROM estimate_versions WHERE campaign_id = :a), "
                    "(SELECT id FROM vouchers WHERE organisation_id = :b), "
                    "(SELECT id FROM estimate_versions WHERE campaign_id = :cb), "
                    "(SELECT min(p.id) FROM estimate_parts p JOIN estimate_versions v "
                    "ON v.id = p.version_id WHERE v.campaign_id = :cb)"
                ),
                {
                    "p": ids["pending"],
                    "a": ids["campaign_a"],
                    "b": ids["org_b"],
                    "cb": ids["campaign_b"],
                },
            ).one()
            fund_b = s.execute(
                text(
                    "INSERT INTO fund_registers (organisation_id, year, source, opening_balance, "
                    "created_at, created_by) VALUES (:b, 2024, 'quy_tdkt', 5000000, now(), "
                    "'admin') RETURNING id"
                ),
                {"b": ids["org_b"]},
            ).scalar_one()
        db.dispose()
        try:
            yield Office(
                url=url,
                schema=ids["schema"],
                org_a=ids["org_a"],
                org_b=ids["org_b"],
                campaign_a=ids["campaign_a"],
                campaign_b=ids["campaign_b"],
                pending=ids["pending"],
                pending_version=row[0],
                approved_version_a=row[1],
                voucher_b=row[2],
                version_b=row[3],
                part_b=row[4],
                fund_b=fund_b,
            )
        finally:
            drop_logins(USERS.values())


# -- what must never change -------------------------------------------------------------


def _state(office: Office) -> dict[str, Any]:
    """B's money and settings, its chain head, and A's estimates, read as the owner."""
    with office.owner() as conn:
        one = lambda sql, *p: conn.execute(sql, p).fetchall()  # noqa: E731
        return {
            "b_vouchers": one(
                "SELECT number, amount, payee, line_code, entered_by FROM vouchers "
                "WHERE organisation_id = %s ORDER BY id",
                office.org_b,
            ),
            "b_org": one(
                "SELECT commune_name, chairman_name, unit_code, cashier_name FROM organisations "
                "WHERE id = %s",
                office.org_b,
            ),
            "b_totals": one(
                "SELECT campaign_id, line_code, spent, committed, voucher_count FROM line_totals "
                "WHERE organisation_id = %s ORDER BY campaign_id, line_code",
                office.org_b,
            ),
            "b_head": one(
                "SELECT entry_count, head_hash FROM audit_heads WHERE org_key = %s", office.org_b
            ),
            "b_entries": one(
                "SELECT count(*), max(id) FROM audit_entries WHERE organisation_id = %s",
                office.org_b,
            ),
            "b_content": one(
                "SELECT count(*) FROM audit_content c JOIN audit_entries e ON e.id = c.entry_id "
                "WHERE e.organisation_id = %s OR c.organisation_id = %s",
                office.org_b,
                office.org_b,
            ),
            "b_campaign_vouchers": one(
                "SELECT count(*), coalesce(sum(amount), 0) FROM vouchers WHERE campaign_id = %s",
                office.campaign_b,
            ),
            "b_fund": one(
                "SELECT opening_balance, (SELECT count(*) FROM fund_allocations "
                "WHERE fund_id = r.id) FROM fund_registers r WHERE organisation_id = %s",
                office.org_b,
            ),
            "a_versions": one(
                "SELECT id, status, decision_number FROM estimate_versions v "
                "WHERE campaign_id IN (%s, %s) ORDER BY id",
                office.campaign_a,
                office.pending,
            ),
            "a_lines": one(
                "SELECT version_id, code, quantity, unit_price, amount FROM estimate_lines "
                "WHERE version_id IN (%s, %s) ORDER BY version_id, position",
                office.pending_version,
                office.approved_version_a,
            ),
            "a_vouchers": one(
                "SELECT count(*), coalesce(sum(amount), 0) FROM vouchers "
                "WHERE organisation_id = %s",
                office.org_a,
            ),
        }


@pytest.fixture(scope="module")
def baseline(office: Office) -> dict[str, Any]:
    state = _state(office)
    # Worked out by hand from the set-up: one payment of 100.000 đồng in B, nothing in
    # B's settings but its name; A's 2025 estimate submitted, its 2024 one approved.
    assert state["b_vouchers"] == [("PC-0001", 100_000, "Người nhận b", "I.1", "admin")]
    assert state["b_org"] == [("Bình Lợi", "", "", "")]
    assert state["b_campaign_vouchers"] == [(1, 100_000)]
    assert state["b_fund"] == [(5_000_000, 0)]
    assert [v[1:] for v in state["a_versions"]] == [("approved", "1/a"), ("submitted", None)]
    assert state["a_vouchers"] == [(1, 100_000)]
    assert len(state["a_lines"]) == 60  # two versions of the 30-line template
    assert state["b_head"][0][0] == state["b_entries"][0][0] > 0
    return state


@pytest.fixture
def unchanged(office: Office, baseline: dict[str, Any]) -> Iterator[None]:
    """After the test: B and A's estimates exactly as set up, B's chain intact."""
    yield
    after = _state(office)
    for key in baseline:
        if key != "a_vouchers":  # the actor test posts one honest voucher in A
            assert after[key] == baseline[key], key
    _assert_b_verifies(office)


def _assert_b_verifies(office: Office) -> None:
    from budget.db import open_database
    from budget.services.audit_verify import verify

    db = open_database(_url_as(office.url, USERS["acc_b"]))
    try:
        with db.session() as s:
            report = verify(s)
    finally:
        db.dispose()
    assert report.problems == ()
    assert [h.commune for h in report.heads] == ["xa-b"]


# -- helpers ------------------------------------------------------------------------------


def _attempt(conn: Any, sql: str, *params: object) -> int | str:
    """Run one statement and roll it back: rows affected/returned, or the error.

    Rolled back even when it succeeds, so that one hole found does not spoil the
    other cases' view of the victim's data."""
    import psycopg

    try:
        with conn.transaction(force_rollback=True):
            cur = conn.execute(sql, params or None)
            return cur.rowcount if cur.description is None else len(cur.fetchall())
    except psycopg.Error as exc:
        return str(exc).splitlines()[0]


def _fails(outcome: int | str, match: str | None = None) -> None:
    """The attack failed: it raised (with ``match`` in the message), or touched no row."""
    if isinstance(outcome, int):
        assert outcome == 0, f"attack touched {outcome} row(s)"
        assert match is None, f"expected an error «{match}», got 0 rows"
    else:
        assert match is None or match in outcome, outcome


def _voucher(org: object, campaign: object, number: str = "FORGED", **refs: object) -> str:
    """A raw payment of 9.000.000 đồng; ``org``/``campaign``/``refs`` may be ``{a}``-style
    placeholders filled in later (``{s}`` is the schema)."""
    columns = "".join(f", {k}" for k in refs)
    values = "".join(f", {v}" for v in refs.values())
    return (
        "INSERT INTO {s}.vouchers (organisation_id, campaign_id, kind, type, year, number, "
        "entry_date, payee, content, amount, spent_delta, committed_delta, line_code, mlnsnn, "
        f"reason, entered_by, entered_at, search_key{columns}) VALUES "
        f"({org}, {campaign}, 'payment', 'phieu_chi', 2024, '{number}', '2024-05-01', 'Kẻ gian', "
        f"'x', 9000000, 9000000, 0, 'I.1', '6657', '', 'Chủ tịch', now(), 'x'{values})"
    )


def _audit_entry(org: object, actor: str) -> str:
    return (
        "INSERT INTO {s}.audit_entries (at, actor, organisation_id, action, entity, entity_id, "
        f"summary, reason, prev_hash, hash) VALUES (now(), '{actor}', {org}, 'post', 'voucher', "
        "'FORGED', 'x', '', 'x', md5(random()::text))"
    )
