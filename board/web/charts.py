"""Small server-rendered SVG bar charts (no chart code in the browser)."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape


def bar_chart(
    points: list[tuple[date, int]],
    title: str,
    width: int = 560,
    height: int = 140,
    period: str = "week",
) -> Markup:
    """A bar per week (or per month: period="month"); every label escaped, sized by the largest."""
    pad, bottom = 4, 18
    top = max((count for _, count in points), default=0) or 1
    step = (width - 2 * pad) / max(len(points), 1)
    plot = height - bottom - pad
    label = escape(title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{label}"><title>{label}</title>'
    ]
    for i, (week, count) in enumerate(points):
        bar = plot * count / top
        x, y = pad + i * step, pad + plot - bar
        when = week.strftime("%B %Y") if period == "month" else f"week of {week.isoformat()}"
        tip = escape(f"{when}: {count}")
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" height="{bar:.1f}" '
            f'fill="#36c"><title>{tip}</title></rect>'
        )
    if points:
        first, last = escape(points[0][0].isoformat()), escape(points[-1][0].isoformat())
        parts.append(f'<text x="{pad}" y="{height - 4}" font-size="11">{first}</text>')
        parts.append(
            f'<text x="{width - pad}" y="{height - 4}" font-size="11" '
            f'text-anchor="end">{last}</text>'
        )
        parts.append(f'<text x="{pad}" y="{pad + 10}" font-size="11">max {top}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above
