"""Charts for the printed report: the page's chart data drawn as horizontal bars in SVG, which
the PDF maker renders without a browser or JavaScript."""

from __future__ import annotations

from markupsafe import Markup, escape

#: the page's colours (Bootstrap's variables) as the printed report draws them
COLOURS = {
    "--bs-primary": "#0d6efd",
    "--bs-success": "#198754",
    "--bs-warning": "#ffc107",
    "--bs-danger": "#dc3545",
    "--bs-info": "#0dcaf0",
    "--bs-teal": "#20c997",
    "--bs-gray-500": "#adb5bd",
    "--bs-gray-300": "#dee2e6",
}
WIDTH, LABEL_WIDTH, VALUE_WIDTH, ROW, GAP = 640, 190, 50, 18, 4


def _series(chart: dict) -> list[dict]:
    if "series" in chart:
        return chart["series"]
    return [{"label": "", "values": chart["values"], "colour": "--bs-primary"}]


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def bar_chart(chart: dict, title: str, percent: bool = False) -> Markup:
    """Each label a row of stacked bars, scaled to the largest total (or to 100 for rates);
    the total is written at the row's end, and the series named below."""
    series = _series(chart)
    labels = chart["labels"]
    totals = [sum(s["values"][i] or 0 for s in series) for i in range(len(labels))]
    scale = 100 if percent else max(totals, default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    legend = len(series) > 1
    height = len(labels) * (ROW + GAP) + (ROW + GAP if legend else 0) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" class="report-chart" role="img" aria-label="{escape(title)}">'
    ]
    for row, label in enumerate(labels):
        y = GAP + row * (ROW + GAP)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW - 5}" text-anchor="end" font-size="11">'
            f"{escape(label)}</text>"
        )
        x = LABEL_WIDTH
        for item in series:
            value = item["values"][row] or 0
            width = span * value / scale
            colour = COLOURS.get(item.get("colour"), "#6c757d")
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{ROW}" fill="{colour}"/>'
            )
            x += width
        shown = "—" if all(s["values"][row] is None for s in series) else _number(totals[row])
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + ROW - 5}" font-size="11">'
            f"{shown}{'%' if percent and shown != '—' else ''}</text>"
        )
    if legend:
        y, x = height - ROW, LABEL_WIDTH
        for item in series:
            colour = COLOURS.get(item.get("colour"), "#6c757d")
            parts.append(f'<rect x="{x}" y="{y + 4}" width="10" height="10" fill="{colour}"/>')
            parts.append(
                f'<text x="{x + 14}" y="{y + 13}" font-size="11">{escape(item["label"])}</text>'
            )
            x += 14 + 12 * len(str(item["label"])) + 16
    parts.append("</svg>")
    return Markup("".join(parts))
