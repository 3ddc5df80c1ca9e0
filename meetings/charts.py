"""Small bar charts drawn on the server as SVG (templates/includes/bar_chart.html): no script, nothing fetched.

The chart is one image with a text alternative that gives every value; the same numbers are in a
table beside it for readers who want to follow the links.
"""

from dataclasses import dataclass

from django.utils.translation import ngettext

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 70
BAR_AREA = 260
VALUE_WIDTH = 40


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: int

    height: int = BAR_HEIGHT
    label_x: int = LABEL_WIDTH - 8
    bar_x: int = LABEL_WIDTH

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def value_x(self) -> int:
        return self.bar_x + self.width + 6


@dataclass
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA

    @property
    def width(self) -> int:
        return self.label_width + self.bar_area + VALUE_WIDTH


def bar_chart(title: str, rows: list[tuple[str, int]], describe) -> BarChart:
    """A horizontal bar chart of (label, value) rows; describe(label, value) words one row for the text alternative."""
    largest = max((value for _, value in rows), default=0)
    bars = [
        Bar(
            label=label,
            value=value,
            y=index * (BAR_HEIGHT + GAP),
            # A value above zero always shows, however small beside the largest.
            width=round(BAR_AREA * value / largest) if largest and value else 0,
        )
        for index, (label, value) in enumerate(rows)
    ]
    for bar in bars:
        if bar.value and bar.width < 2:
            bar.width = 2
    description = "; ".join(describe(label, value) for label, value in rows)
    return BarChart(title=title, description=description, bars=bars, height=max(len(rows), 1) * (BAR_HEIGHT + GAP))


def interventions_chart(title: str, rows: list[tuple[str, int]]) -> BarChart:
    """A chart of interventions counted by label (a goal, a year)."""
    return bar_chart(
        title,
        rows,
        lambda label, count: (
            ngettext("%(label)s: %(count)d intervention", "%(label)s: %(count)d interventions", count)
            % {"label": label, "count": count}
        ),
    )


def passages_chart(title: str, rows: list[tuple[str, int]]) -> BarChart:
    """A chart of passages counted by year."""
    return bar_chart(
        title,
        rows,
        lambda year, count: (
            ngettext("%(year)s: %(count)d passage", "%(year)s: %(count)d passages", count)
            % {"year": year, "count": count}
        ),
    )
