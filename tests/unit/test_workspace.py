"""The workspace both front ends share (budget/workspace.py): who is acting, and the
campaign each user chose, kept per user and never taken from (nor written to) the
commune-wide current campaign."""

from __future__ import annotations

import json
from typing import Any

import pytest

from budget.db import READ_ONLY_MESSAGE
from budget.errors import DatabaseError
from budget.workspace import CHOICES_FILE, CampaignChoices, Workspace
from tests.unit.hostile_office import ACC_A_NAME, PG_OFFICE, USERS, Office, _url_as


def _two_plans(db_url: str, norms: Any) -> tuple[int, int]:
    """Phú Lý with plans "cqtt-a" then "cqtt-b" of 2026; "cqtt-b", made last, is the
    commune's current campaign."""
    from budget.db import open_database
    from budget.services.campaigns import create_campaign
    from budget.services.organisation import create_organisation

    database = open_database(db_url)
    with database.session() as s, s.begin():
        create_organisation(s, code="phu-ly", actor="admin", commune_name="Phú Lý")
        ids = [
            create_campaign(
                s,
                norms,
                year=2026,
                actor="admin",
                template_key="chinh-quyen-than-thien",
                code=code,
            ).id
            for code in ("cqtt-a", "cqtt-b")
        ]
    database.dispose()
    return ids[0], ids[1]


def _current(db_url: str) -> int | None:
    from budget.db import open_database
    from budget.services.organisation import get_organisation

    database = open_database(db_url)
    with database.session() as s:
        current = get_organisation(s).current_campaign_id
    database.dispose()
    return current


def _opened(db_url: str) -> tuple[int, int | None]:
    """A new session's workspace: the campaign it opens on (id, year)."""
    workspace = Workspace(db_url)
    try:
        info = workspace.open_campaign()
        return info.id, workspace.campaign_year
    finally:
        workspace.close()


def _choose(db_url: str, campaign_id: int) -> None:
    from budget.models import Campaign
    from budget.services.campaigns import campaign_info

    workspace = Workspace(db_url)
    try:
        campaign = workspace.read(lambda s: campaign_info(s.get(Campaign, campaign_id)))
        workspace.choose_campaign(campaign)
    finally:
        workspace.close()


def test_a_users_choice_persists_per_user(
    db_url: str, norms: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = _two_plans(db_url, norms)
    monkeypatch.setenv("BUDGET_USER", "an")
    assert _opened(db_url) == (b, 2026)  # nothing chosen: the commune's current plan
    _choose(db_url, a)
    # The next session of the same user opens on the plan they chose ...
    assert _opened(db_url) == (a, 2026)
    # ... while the commune's current campaign is still "cqtt-b" ...
    assert _current(db_url) == b
    # ... and another user, who chose nothing, starts there.
    monkeypatch.setenv("BUDGET_USER", "binh")
    assert _opened(db_url) == (b, 2026)
    monkeypatch.setenv("BUDGET_USER", "an")
    assert _opened(db_url) == (a, 2026)


def test_reopening_keeps_the_choice_when_the_commune_moves_on(db_url: str, norms: Any) -> None:
    from budget.services.organisation import get_organisation, set_current_campaign

    a, b = _two_plans(db_url, norms)
    workspace = Workspace(db_url)
    try:
        assert workspace.open_campaign().id == b
        _choose(db_url, a)  # another of this user's sessions chose "cqtt-a" meanwhile
        assert workspace.open_campaign().id == b  # this session's choice stands
        with workspace.transaction() as s:  # the commune's current plan changes back and forth
            set_current_campaign(s, get_organisation(s).id, a)
            set_current_campaign(s, get_organisation(s).id, b)
        assert workspace.open_campaign().id == b  # a reload never rewrites the campaign
    finally:
        workspace.close()
    assert _opened(db_url)[0] == a  # the next session opens on the remembered choice


def test_a_choice_that_no_longer_exists_falls_back_to_the_current_plan(
    db_url: str, norms: Any
) -> None:
    a, b = _two_plans(db_url, norms)
    workspace = Workspace(db_url)
    workspace.choices.set(workspace.database_key, "kiemthu", b + 1000)
    assert workspace.open_campaign().id == b
    workspace.close()
    # The file holds database -> user -> campaign id, nothing else.
    workspace = Workspace(db_url)
    workspace.open_campaign()
    _choose(db_url, a)
    saved = json.loads(workspace.choices.path.read_text(encoding="utf-8"))
    assert saved == {workspace.database_key: {"kiemthu": a}}
    assert workspace.choices.path.name == CHOICES_FILE
    workspace.close()


def test_an_unreadable_choice_file_counts_as_empty(tmp_path: Any) -> None:
    path = tmp_path / CHOICES_FILE
    path.write_text("{not json", encoding="utf-8")
    choices = CampaignChoices(path)
    assert choices.get("sqlite:///x.db", "an") is None
    choices.set("sqlite:///x.db", "an", 7)
    assert CampaignChoices(path).get("sqlite:///x.db", "an") == 7
    assert CampaignChoices(path).get("sqlite:///x.db", "binh") is None
    assert CampaignChoices(path).get("sqlite:///y.db", "an") is None


def test_actor_is_the_configured_user_outside_a_commune_login(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite: --user / BUDGET_USER. PostgreSQL as the owner, who is no commune's
    # member (the test server's superuser): the same.
    monkeypatch.setenv("BUDGET_USER", "Nguyễn Văn An")
    workspace = Workspace(db_url)
    try:
        assert workspace.actor == "Nguyễn Văn An"
    finally:
        workspace.close()


def test_the_read_only_workspace_refuses_a_write_before_it_starts(db_url: str, norms: Any) -> None:
    _two_plans(db_url, norms)
    workspace = Workspace(db_url, read_only=True)
    try:
        with pytest.raises(DatabaseError) as refused, workspace.transaction():
            pass
        assert str(refused.value) == READ_ONLY_MESSAGE
        assert workspace.setup_needed() is None
    finally:
        workspace.close()


def test_both_front_ends_delegate_to_one_workspace(
    db_url: str, norms: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budget.cli.context import AppContext
    from tui.backend import Backend

    a, b = _two_plans(db_url, norms)
    monkeypatch.setenv("BUDGET_USER", "an")
    backend = Backend(db_url)
    try:
        assert backend.open().id == b
        _choose(db_url, a)
        assert (backend.campaign(), backend.campaign_year) == (b, 2026)
        assert backend.actor == "an" and backend.workspace.campaign_id == b
    finally:
        backend.close()
    backend = Backend(db_url)
    try:
        assert backend.open().id == a  # the TUI reopens on this user's choice
    finally:
        backend.close()
    context = AppContext(db_option=db_url)
    try:
        assert context.actor == "an"
        with context.reading() as s:
            from budget.services.organisation import get_organisation

            assert get_organisation(s).current_campaign_id == b  # the CLI's current plan
    finally:
        context.close()


@PG_OFFICE[0]
@PG_OFFICE[1]
def test_on_postgresql_the_actor_is_the_login_and_choices_stay_in_its_commune(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUDGET_USER", "someone-else")
    workspace = Workspace(_url_as(office.url, USERS["acc_a"]))
    try:
        # The login's name as its membership shows it (``budget admin user --name``).
        assert workspace.actor == ACC_A_NAME
        # A choice naming commune B's campaign (forged in the file) is not visible
        # to A's accountant: the workspace opens on A's current campaign (2025) instead.
        workspace.choices.set(workspace.database_key, ACC_A_NAME, office.campaign_b)
        info = workspace.open_campaign()
        assert (info.organisation_id, info.id) == (office.org_a, office.pending)
    finally:
        workspace.close()
