"""Charts as server-rendered SVG: no script, no library, readable by screen readers (a title and a
description, and the page shows the same numbers as a table beside each chart). Lines differ by
dash as well as colour, and bars carry their numbers as text: never colour alone."""

from collections.abc import Sequence

from markupsafe import Markup, escape

from app.stats.schemas import MonthCountRead, PrincipleAdoptionRead

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
# Colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
CERTAIN, POSSIBLE = "#1f4e79", "#8a4b08"
STATUS_COLOURS = {
    "implemented": "#1b5e20",
    "in_progress": "#1f4e79",
    "planned": "#6a1b9a",
    "not_started": "#8a4b08",
    "not_applicable": "#555555",
}


def _svg(title: str, description: str, body: str, height: int = HEIGHT) -> Markup:
    # Every text put into the markup is escaped (titles, labels) or a number.
    return Markup(  # noqa: S704
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(description)}</desc>{body}</svg>'
    )


def _nice_top(largest: int) -> int:
    """The axis' top: four equal whole steps reaching at least `largest`."""
    return 4 * max(1, -(-largest // 4))


def timeline(months: Sequence[MonthCountRead]) -> Markup:
    """Companies endorsing at each month's end: certainly (a solid line) and possibly (dashed)."""
    if not months:
        return _svg("Companies endorsing over time", "No endorsements are recorded.", "")
    top = _nice_top(max(m.possibly_endorsing for m in months))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(months) - 1, 1)

    def point(index: int, value: int) -> str:
        return f"{LEFT + index * step:.1f},{TOP + plot_h - value / top * plot_h:.1f}"

    parts = []
    for tick in range(0, top + 1, top // 4):
        y = TOP + plot_h - tick / top * plot_h
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for index, month in enumerate(months):
        if month.month.endswith("-01") or index == 0:
            x = LEFT + index * step
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
                f"{escape(month.month[:4])}</text>"
            )
    for colour, dash, field in (
        (POSSIBLE, "6 4", "possibly_endorsing"),
        (CERTAIN, "", "certainly_endorsing"),
    ):
        line = " ".join(point(i, getattr(m, field)) for i, m in enumerate(months))
        style = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2.5"{style}/>'
        )
    last = months[-1]
    description = (
        f"From {months[0].month} to {last.month}. At the end of {last.month}, "
        f"{last.certainly_endorsing} companies certainly and {last.possibly_endorsing} possibly "
        "endorsing. The table below gives every month."
    )
    return _svg("Companies endorsing the principles, month by month", description, "".join(parts))


def adoption(rows: Sequence[PrincipleAdoptionRead]) -> Markup:
    """Per principle, a bar of endorsing companies by the status they last reported."""
    bar_h, gap, label_w = 22, 10, 70
    height = TOP + len(rows) * (bar_h + gap) + BOTTOM
    widest = max((sum(r.by_status.values()) for r in rows), default=0) or 1
    scale = (WIDTH - LEFT - label_w - RIGHT) / widest
    parts = []
    for index, row in enumerate(rows):
        y = TOP + index * (bar_h + gap)
        label = escape(row.principle)
        parts.append(
            f'<text x="{LEFT + label_w - 8}" y="{y + 16}" text-anchor="end">{label}</text>'
        )
        x = float(LEFT + label_w)
        for status, count in row.by_status.items():
            if not count:
                continue
            width = count * scale
            colour = STATUS_COLOURS.get(str(status.value), "#333333")
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{bar_h}" fill="{colour}"/>'
            )
            if width >= 18:  # noqa: PLR2004 - room for a number
                parts.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + 16}" text-anchor="middle" '
                    f'class="on-colour">{count}</text>'
                )
            x += width
    description = (
        "For each principle, endorsing companies by the status in their latest published "
        "update. The table below gives every number."
    )
    return _svg("Reported implementation by principle", description, "".join(parts), height)
