"""Alerts, most urgent first. The dashboard's (:func:`alerts_text`): lines over the
estimate, overspends with a reason, open advances, unpaid award decisions, then
lines at or over 90 %. The chairman's page's (:func:`chairman_alerts_text`), drawn
from its view: the same kinds, grouped, with the lines from 80 %."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from budget.vocabulary import ALERT_TITLES
from tui.formatting import clip, day, money, percent

LINE_STYLE = {"over": "bold red", "full": "red", "watch": "yellow"}

if TYPE_CHECKING:
    from budget.reports.chairman import Alerts, LineAlert
    from budget.reports.summary import Summary


def alerts_text(s: Summary, content_width: int = 16) -> Text:
    text = Text()
    lines = [r for r in s.near_limit if r.figures.over]
    near = [r for r in s.near_limit if not r.figures.over]
    for line in lines:
        text.append("● VƯỢT   ", style="bold red")
        text.append(
            f"{line.code:<6}{line.content[:content_width]:<{content_width}} "
            f"{percent(line.figures.percent):>8}\n"
        )
    for code in s.overridden:
        text.append("● Chi vượt có lý do ", style="bold magenta")
        text.append(f"dòng {code}\n")
    for v in s.open_advances:
        text.append("● Tạm ứng chưa thanh toán ", style="bold cyan")
        text.append(f"{v.number} {money(v.amount)}\n")
    for d in s.unpaid_decisions:
        text.append("● QĐ thưởng chưa chi ", style="bold cyan")
        text.append(f"{d.number} {money(d.total)}\n")
    for line in near:
        text.append("● ≥90 %  ", style="bold yellow")
        text.append(
            f"{line.code:<6}{line.content[:content_width]:<{content_width}} "
            f"{percent(line.figures.percent):>8}\n"
        )
    if not text:
        text.append("Không có cảnh báo.", style="green")
    text.rstrip()
    return text


def chairman_alerts_text(a: Alerts, content_width: int = 24) -> Text:
    """The chairman's page's alerts (budget.reports.chairman.Alerts), in the groups
    and the order of every output of the page (ALERT_TITLES), most urgent first."""
    text = Text()

    def group(key: str, style: str, count: int) -> None:
        if text:
            text.append("\n")
        text.append(f"● {ALERT_TITLES[key]} ({count})\n", style=style)

    def line_rows(lines: tuple[LineAlert, ...]) -> None:
        for line in lines:
            f = line.figures
            text.append(f"  {line.code:<6}{clip(line.content, content_width):<{content_width}} ")
            text.append(f"{percent(f.percent):>8}", style=LINE_STYLE.get(line.level, ""))
            text.append(f"  còn {money(f.remaining)}\n")

    if a.over:
        group("lines_over", "bold red", len(a.over))
        line_rows(a.over)
    if a.overspends:
        group("overspends", "bold magenta", len(a.overspends))
        for o in a.overspends:
            text.append(f"  {o.number:<9}{o.line_code:<6}{money(o.amount):>11}  ")
            text.append(f"{clip(o.reason, content_width)}\n", style="italic")
    if a.open_advances:
        group("open_advances", "bold cyan", len(a.open_advances))
        for v in a.open_advances:
            text.append(f"  {v.number:<9}{v.line_code:<6}{money(v.amount):>11}  ")
            text.append(f"{v.age_days} ngày", style="bold")
            text.append(f"  {clip(v.payee, content_width)}\n")
    if a.unpaid_decisions:
        group("unpaid_decisions", "bold cyan", len(a.unpaid_decisions))
        for d in a.unpaid_decisions:
            text.append(
                f"  {clip(d.number, 11):<12}{day(d.decision_date)} {money(d.total):>10}"
                f"  {d.recipients} người/tập thể\n"
            )
    if a.full:
        group("lines_full", "red", len(a.full))
        line_rows(a.full)
    if a.watch:
        group("lines_watch", "bold yellow", len(a.watch))
        line_rows(a.watch)
    if not text:
        text.append("Không có cảnh báo.", style="green")
    text.rstrip()
    return text
