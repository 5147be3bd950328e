"""Going to a voucher number in the register by keyset (issue 16, item 8), on both
engines. Demo order by (date, id), worked out from budget/demo.py: PC-0013 is the
22nd of 26 vouchers, after PC-0012-H; II.9 holds PC-0012, PC-0012-H and PC-0013."""

from __future__ import annotations

from datetime import date

from budget.reports.register import (
    VoucherFilter,
    find_in_register,
    line_in_estimate,
    list_vouchers,
)
from budget.services.campaigns import find_campaign
from tests.tui.test_workflows import db_session, demo_url

__all__ = ["demo_url"]


def test_find_in_register_gives_the_key_and_the_rows_before(demo_url: str) -> None:
    with db_session(demo_url) as s:
        campaign = find_campaign(s).id
        found = find_in_register(s, campaign, VoucherFilter(), "pc-0013")
        assert found is not None
        key, before = found
        assert key[0] == date(2024, 8, 15)
        assert before == 21
        after = list_vouchers(s, campaign, limit=2, key=key)
        assert [v.number for v in after] == ["PC-0013", "UNC-0003"]
        above = list_vouchers(s, campaign, limit=2, key=key, newest_first=True)
        assert [v.number for v in above] == ["PC-0012-H", "PC-0012"]
        on_line = find_in_register(s, campaign, VoucherFilter(line="II.9"), "PC-0013")
        assert on_line is not None and on_line[1] == 2
        assert find_in_register(s, campaign, VoucherFilter(), "PC-9999") is None
        assert find_in_register(s, campaign, VoucherFilter(line="I.1"), "PC-0013") is None


def test_line_in_estimate(demo_url: str) -> None:
    with db_session(demo_url) as s:
        campaign = find_campaign(s).id
        assert line_in_estimate(s, campaign, "IV.2")
        assert not line_in_estimate(s, campaign, "IX.9")
