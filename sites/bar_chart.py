"""Bar charts drawn on the server as SVG: the geometry here, the markup in sites/includes/bar_chart.html.

No chart library and no script: the page reads the same on a phone, with JavaScript off and offline, and
CSP's `style-src` is not involved (bar sizes are SVG attributes, colours come from site.css classes).
The viewBox is sized for a 375-px phone (1 unit ≈ 1 CSS pixel there) and scales up on wider screens.
"""

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 340, 150
LEFT, BOTTOM, TOP = 34, 18, 8
ROW_HEIGHT, ROW_LABEL = 22, 96


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: object
    label: str  # what the bar is, for its <title>
    tone: int  # which series: the CSS class bar-tone-N

    @property
    def end(self):
        """Where a row's value is written: just past its bar."""
        return self.x + self.width + 4


@dataclass
class Chart:
    kind: str  # "columns" (a value per month) or "rows" (a value per category)
    width: int
    height: int
    bars: list = field(default_factory=list)
    labels: list = field(default_factory=list)  # (x, y, text) under columns / beside rows
    ticks: list = field(default_factory=list)  # (y, text) of the value axis
    legend: list = field(default_factory=list)  # (tone, series label)
    caption: str = ""


def nice_ceiling(value):
    """The axis top: 1, 2 or 5 × a power of ten at or above `value`."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _short(value):
    if value >= 10_000:
        return f"{value / 10_000:g}万"
    return f"{value:g}"


def columns(categories, series, *, percent=False, caption=""):
    """Grouped columns: for each category (a month) one bar per series (label, values, unit)."""
    top = 100 if percent else nice_ceiling(max((v or 0 for _, vs in series for v in vs), default=0))
    plot_h = HEIGHT - BOTTOM - TOP
    group = (WIDTH - LEFT) / max(len(categories), 1)
    bar_w = group * 0.8 / max(len(series), 1)
    chart = Chart("columns", WIDTH, HEIGHT, caption=caption)
    chart.ticks = [(TOP + plot_h * (1 - f), _short(top * f) + ("%" if percent else "")) for f in (0, 0.5, 1)]
    for index, category in enumerate(categories):
        x0 = LEFT + index * group + group * 0.1
        chart.labels.append((x0 + group * 0.4, HEIGHT - 4, category))
        for tone, (label, values) in enumerate(series):
            value = values[index]
            h = plot_h * float(value or 0) / top
            chart.bars.append(
                Bar(x0 + tone * bar_w, TOP + plot_h - h, bar_w * 0.9, h, value, f"{category} {label}", tone)
            )
    chart.legend = [(tone, label) for tone, (label, _) in enumerate(series)]
    return chart


def rows(items, *, caption=""):
    """Horizontal bars, one per (label, value), longest for the largest."""
    top = nice_ceiling(max((v or 0 for _, v in items), default=0))
    chart = Chart("rows", WIDTH, ROW_HEIGHT * len(items) + 4, caption=caption)
    span = WIDTH - ROW_LABEL - 40
    for index, (label, value) in enumerate(items):
        y = 2 + index * ROW_HEIGHT
        chart.labels.append((ROW_LABEL - 4, y + ROW_HEIGHT * 0.65, label))
        w = span * float(value or 0) / top
        chart.bars.append(Bar(ROW_LABEL, y + 3, w, ROW_HEIGHT - 8, value, label, index % 4))
    return chart
