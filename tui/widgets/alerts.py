"""The alerts both the dashboard and the chairman's page show, most urgent first:
lines over the estimate, overspends with a reason, open advances, unpaid award
decisions, then lines at or over 90 %."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from tui.formatting import money, percent

if TYPE_CHECKING:
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
