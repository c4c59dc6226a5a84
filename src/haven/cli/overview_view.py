"""Printing an :class:`~haven.services.overview.Overview`."""

from __future__ import annotations

from datetime import date, datetime

from rich import box

from haven.cli.output import console, print_json, print_table
from haven.model import Figure
from haven.services.answers import overview_answer
from haven.services.overview import FigureGroup, Overview, describe_value


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and (value.hour, value.minute) == (0, 0):
        value = value.date()
    return value.strftime("%d %b %Y %H:%M") if isinstance(value, datetime) else value.strftime("%d %b %Y")


def _counted(group: FigureGroup, figure: Figure) -> str:
    """What span a figure counts: 'since 01 Dec 2019' for running totals, else its window."""
    if group.since is None:
        return ""
    if figure.period_end is None or figure.period_end == figure.effective_date:
        return f"since {_day(group.since)}"
    return f"{_day(group.since)} – {_day(figure.period_end)}"


def _attribution(figure: Figure) -> str:
    publishers = "; ".join(dict.fromkeys(s.publisher for s in figure.sources))
    return f"{publishers}, {_day(figure.reported_on)}" if figure.reported_on else publishers


def show_overview(o: Overview, *, title: str | None = None, as_json: bool = False) -> None:
    if as_json:
        print_json(overview_answer(o))
        return
    console.rule(f"[bold]{title or 'Overview'}[/]")
    console.print(f"{o.area_name}, {_day(o.start) or '…'} to {_day(o.end) or '…'}\n")

    summary = []
    for group, figures in o.figures_by_metric.items():
        latest = figures[-1]
        values = [f.value for f in figures]
        spread = f"{min(values):,.0f}–{max(values):,.0f}" if len(figures) > 1 else ""
        summary.append(
            (
                group.label(),
                _counted(group, latest),
                describe_value(latest),
                _day(latest.effective_date),
                _attribution(latest),
                spread,
            )
        )
    print_table(
        "Key figures: the latest report of each",
        ["metric", "counted", "value", "as of", "source", "range reported"],
        summary,
        box=box.SIMPLE_HEAD,
    )
    every = [
        (
            _day(f.effective_date),
            group.label(),
            _counted(group, f),
            describe_value(f),
            f.area_name or f.area_pcode or "",
            _attribution(f),
        )
        for group, figures in o.figures_by_metric.items()
        for f in figures
    ]
    print_table(
        "Every reported figure",
        ["as of", "metric", "counted", "value", "area", "source"],
        every,
        caption="Sources disagree; every report is kept. `haven figures list --json` adds documents.",
        box=box.SIMPLE_HEAD,
    )
    e = o.events
    by_type = ", ".join(f"{n} {t}" for t, n in e.by_type.most_common())
    console.print(
        f"[bold]Events:[/] {e.events:,} ({by_type or 'none'}); fatalities low {e.fatalities_low:,.0f}, "
        f"best {e.fatalities_best:,.0f}, high {e.fatalities_high:,.0f}"
        + (f" ({e.events_without_high} events give no upper bound)" if e.events_without_high else ""),
        soft_wrap=False,
    )
    console.print(
        f"[bold]Displacement records:[/] {o.movements:,} ({o.displaced_in_movements:,.0f} people)"
        f" · [bold]IDP sites registered:[/] {o.sites:,}"
    )
    if o.agreements:
        print_table(
            "Agreements in force",
            ["from", "to", "kind", "name"],
            [
                (_day(a.effective_from), _day(a.effective_to), a.kind.value.replace("_", " "), a.name)
                for a in o.agreements
            ],
            box=box.SIMPLE_HEAD,
        )
    if o.crossings:
        print_table(
            "Crossings",
            ["name", f"status on {_day(o.end) or 'today'}"],
            [(c.name, s or "unknown") for c, s in o.crossings],
            box=box.SIMPLE_HEAD,
        )
