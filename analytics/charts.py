"""Server-rendered SVG bar charts: geometry here, markup in templates/analytics/_bar_chart.html.

No JavaScript and no CDN. Each chart carries a <title> and <desc> (a one-sentence
summary a screen reader announces) and the template adds the figures as a table.
The bar colour (#006b6b on white) has a contrast ratio above 6:1.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.html import format_html_join

WIDTH = 640
HEIGHT = 180
BOTTOM = 24  # room for the first/last date labels
TOP = 24  # room for the "max" label above the tallest bar


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    summary: str
    bars: list
    width: int = WIDTH
    height: int = HEIGHT
    first_label: str = ""
    last_label: str = ""
    max_text: str = ""

    @property
    def baseline(self) -> int:
        return self.height - BOTTOM

    # Built here rather than in a template loop: a 90-day chart has 90 bars and 90 table
    # rows, and Django's template engine would spend more time on them than the figures.
    def bars_svg(self):
        return format_html_join(
            "\n",
            '<rect x="{}" y="{}" width="{}" height="{}" class="analytics-chart__bar"><title>{}: {}</title></rect>',
            ((b.x, b.y, b.width, b.height, b.label, b.value_text) for b in self.bars),
        )

    def table_rows(self):
        return format_html_join(
            "\n",
            '<tr><th scope="row">{}</th><td class="analytics-num">{}</td></tr>',
            ((b.label, b.value_text) for b in self.bars),
        )


def bar_chart(chart_id: str, title: str, series: list[tuple[date, int | Decimal]], fmt=str) -> BarChart:
    """A bar per day; `fmt` turns a value into text (money, counts)."""
    values = [value for _day, value in series]
    peak = max(values, default=0)
    plot_height = HEIGHT - BOTTOM - TOP
    slot = WIDTH / max(len(series), 1)
    bars = []
    for index, (day, value) in enumerate(series):
        height = float(value) / float(peak) * plot_height if peak else 0
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.1, 2),
                y=round(HEIGHT - BOTTOM - height, 2),
                width=round(slot * 0.8, 2),
                height=round(height, 2),
                label=day.strftime("%d %b %Y"),
                value_text=fmt(value),
            )
        )
    total = sum(values) if values else 0
    if peak:
        peak_day = series[values.index(peak)][0]
        summary = (
            f"{title}: {fmt(total)} in total over {len(series)} days; "
            f"highest {fmt(peak)} on {peak_day:%d %b %Y}."
        )
    else:
        summary = f"{title}: nothing recorded in these {len(series)} days."
    return BarChart(
        chart_id=chart_id,
        title=title,
        summary=summary,
        bars=bars,
        first_label=series[0][0].strftime("%d %b") if series else "",
        last_label=series[-1][0].strftime("%d %b") if series else "",
        max_text=fmt(peak),
    )
