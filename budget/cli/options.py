"""Options several command groups share (light: no SQLAlchemy behind them)."""

from __future__ import annotations

import click

campaign_option = click.option(
    "--campaign",
    "campaign",
    default=None,
    metavar="CODE",
    help="Mã kế hoạch (mặc định: kế hoạch đang chọn).",
)
