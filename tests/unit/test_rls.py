"""A shared PostgreSQL office: PostgreSQL itself keeps communes apart and roles
in their lane (row-level security), checked with raw SQL as each user."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError

from tests.conftest import PG_ENV, pg_schema_url
from tests.unit.hostile_office import drop_logins, seed_office

pytestmark = [
    pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set"),
    # setup_office changes cluster roles and function rights: one worker at a time
    # (two at once fail with "tuple concurrently updated"), under --dist loadgroup.
    pytest.mark.xdist_group("pg_office"),
]


def _as_user(url: str, user: str) -> str:
    return make_url(url).set(username=user, password=None).render_as_string(hide_password=False)


@pytest.fixture
def office(norms) -> Iterator[dict[str, object]]:  # type: ignore[no-untyped-def]
    """Two communes, A with an approved estimate and a draft awaiting approval in a
    second campaign, B with an approved estimate; four users."""
    from budget.db import open_database

    suffix = uuid.uuid4().hex[:6]
    users = {key: f"{key}_{suffix}" for key in ("acc_a", "chair_a", "view_a", "acc_b")}
    with pg_schema_url(os.environ[PG_ENV]) as url:
        db = open_database(url)
        with db.session() as s, s.begin():
            seeded = seed_office(s, norms, users)
        db.dispose()
        ids = {"a": seeded["campaign_a"], "b": seeded["campaign_b"], "pending": seeded["pending"]}
        try:
            yield {"url": url, "users": users, "ids": ids}
        finally:
            drop_logins(users.values())


def _run(url: str, user: str, sql: str, **params: object) -> list[tuple]:  # type: ignore[type-arg]
    engine = create_engine(_as_user(url, user))
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def _voucher_sql(campaign_ref: str) -> str:
    return (
        "INSERT INTO vouchers (organisation_id, campaign_id, kind, type, year, number, "
        "entry_date, payee, content, amount, spent_delta, committed_delta, line_code, mlnsnn, "
        "reason, entered_by, entered_at, search_key) "
        f"SELECT organisation_id, id, 'payment', 'phieu_chi', 2024, 'X-' || md5(random()::text), "
        "'2024-05-01', 'x', 'x', 1000, 1000, 0, 'I.2', '6657', '', 'x', now(), 'x' "
        f"FROM campaigns WHERE code = '{campaign_ref}'"
    )


def test_a_commune_sees_only_its_own_rows(office):  # type: ignore[no-untyped-def]
    url, users = office["url"], office["users"]
    for table, expected in (("organisations", 1), ("campaigns", 2), ("vouchers", 1)):
        rows = _run(url, users["acc_a"], f"SELECT COUNT(*) FROM {table}")
        assert rows == [(expected,)], table
    names = _run(url, users["acc_b"], "SELECT commune_name FROM organisations")
    assert names == [("Bình Lợi",)]
    payees = _run(url, users["view_a"], "SELECT payee FROM vouchers")
    assert payees == [("Người nhận a",)]
    lines = _run(url, users["acc_b"], "SELECT COUNT(*) FROM estimate_lines")
    assert lines == [(30,)]  # B's one version of 30 lines; A's 60 lines stay hidden


def test_an_accountant_cannot_write_into_another_commune(office):  # type: ignore[no-untyped-def]
    url, users = office["url"], office["users"]
    # B's campaign is invisible to A's accountant: the INSERT ... SELECT finds nothing,
    # and a forged row naming B outright is refused by the policy.
    assert _run(url, users["acc_a"], _voucher_sql("cqtt-b") + " RETURNING id") == []
    b_org = _run(url, users["acc_b"], "SELECT id FROM organisations")[0][0]
    b_campaign = office["ids"]["b"]
    with pytest.raises(DBAPIError, match="row-level security"):
        _run(
            url,
            users["acc_a"],
            "INSERT INTO vouchers (organisation_id, campaign_id, kind, type, year, number, "
            "entry_date, payee, content, amount, spent_delta, committed_delta, line_code, "
            "mlnsnn, reason, entered_by, entered_at, search_key) VALUES (:o, :c, 'payment', "
            "'phieu_chi', 2024, 'FORGED', '2024-05-01', 'x', 'x', 1, 1, 0, 'I.1', '6657', '', "
            "'x', now(), 'x')",
            o=b_org,
            c=b_campaign,
        )
    assert (
        _run(
            url,
            users["acc_a"],
            f"UPDATE organisations SET chairman_name = 'x' WHERE id = {b_org} RETURNING id",
        )
        == []
    )
    assert _run(url, users["acc_b"], "SELECT chairman_name FROM organisations") == [("",)]


def test_the_accountant_posts_but_viewer_and_chairman_cannot(office):  # type: ignore[no-untyped-def]
    url, users = office["url"], office["users"]
    assert len(_run(url, users["acc_a"], _voucher_sql("cqtt-a") + " RETURNING id")) == 1
    for who in ("view_a", "chair_a"):
        # Refused by the role's table rights (0005) or, failing that, by the row policy.
        with pytest.raises(DBAPIError, match="permission denied|row-level security"):
            _run(url, users[who], _voucher_sql("cqtt-a"))
    with pytest.raises(DBAPIError, match="permission denied|row-level security"):
        _run(
            url,
            users["view_a"],
            "INSERT INTO audit_entries (at, actor, organisation_id, "
            "action, entity, entity_id, summary, reason, prev_hash, hash) SELECT now(), 'x', "
            "id + 1000, 'x', 'x', '', '', '', '', md5(random()::text) FROM organisations",
        )
    with pytest.raises(DBAPIError, match="permission denied"):
        _run(url, users["view_a"], "UPDATE organisations SET chairman_name = 'x' RETURNING id")
    assert _run(url, users["acc_a"], "SELECT COUNT(*) FROM vouchers") == [(2,)]


def test_only_the_chairman_approves(office):  # type: ignore[no-untyped-def]
    url, users = office["url"], office["users"]
    pending = office["ids"]["pending"]
    approve = (
        "UPDATE estimate_versions SET status = 'approved', decision_number = '9/QĐ', "
        f"decision_date = '2025-02-01' WHERE campaign_id = {pending} RETURNING id"
    )
    # A submitted version is out of the accountant's reach: the update matches no row.
    assert _run(url, users["acc_a"], approve) == []
    with pytest.raises(DBAPIError, match="permission denied"):  # a viewer updates nothing
        _run(url, users["view_a"], approve)
    assert len(_run(url, users["chair_a"], approve)) == 1
    status = _run(
        url, users["view_a"], f"SELECT status FROM estimate_versions WHERE campaign_id = {pending}"
    )
    assert status == [("approved",)]


def test_the_tool_itself_runs_as_a_commune_user(office, norms):  # type: ignore[no-untyped-def]
    from budget.db import open_database
    from budget.errors import NotFoundError
    from budget.services.campaigns import find_campaign
    from budget.services.organisation import get_organisation
    from budget.services.vouchers import post_voucher

    db = open_database(_as_user(office["url"], office["users"]["acc_a"]))
    try:
        with db.write_session() as s, s.begin():
            assert get_organisation(s).commune_name == "An Hòa"
            campaign = find_campaign(s, "cqtt-a")
            posted = post_voucher(
                s,
                campaign.id,
                line_code="I.2",
                amount=200_000,
                entry_date=date(2024, 5, 2),
                payee="Âm thanh",
                content="Thuê âm thanh",
                actor="acc_a",
            )
            assert posted.balance.spent == 200_000
        with db.session() as s, pytest.raises(NotFoundError):
            find_campaign(s, "cqtt-b")
    finally:
        db.dispose()


def test_users_cannot_read_the_memberships(office):  # type: ignore[no-untyped-def]
    with pytest.raises(ProgrammingError, match="permission denied"):
        _run(office["url"], office["users"]["acc_a"], "SELECT * FROM budget_memberships")
