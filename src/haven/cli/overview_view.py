"""Printing an :class:`~haven.services.overview.Overview`."""

from __future__ import annotations

from haven.cli.output import console, print_json, print_table, sources_text
from haven.services.overview import Overview, describe_value
from haven.services.serialize import record_to_dict


def _period(o: Overview) -> str:
    return f"{o.start or '…'} to {o.end or '…'}"


def show_overview(o: Overview, *, title: str | None = None, as_json: bool = False) -> None:
    if as_json:
        print_json(
            {
                "period": {"start": o.start, "end": o.end},
                "area": o.area,
                "events": {
                    "count": o.events.events,
                    "by_type": dict(o.events.by_type.most_common()),
                    "fatalities": {
                        "low": o.events.fatalities_low,
                        "best": o.events.fatalities_best,
                        "high": o.events.fatalities_high,
                    },
                },
                "figures": {
                    f"{metric}/{subgroup}": [record_to_dict(f) for f in figures]
                    for (metric, subgroup), figures in o.figures_by_metric.items()
                },
                "movements": {"count": o.movements, "individuals": o.displaced_in_movements},
                "sites": o.sites,
                "agreements": [record_to_dict(a) for a in o.agreements],
                "crossings": [{"name": c.name, "status": status} for c, status in o.crossings],
            }
        )
        return
    console.rule(f"[bold]{title or 'Overview'}[/] — {o.area_name}, {_period(o)}")
    rows = []
    for (metric, subgroup), figures in o.figures_by_metric.items():
        for figure in figures:
            rows.append(
                (
                    figure.effective_date,
                    metric if subgroup == "all" else f"{metric} ({subgroup})",
                    describe_value(figure),
                    figure.area_name or figure.area_pcode or "",
                    sources_text(figure.sources),
                    "; ".join(s.title for s in figure.sources if s.title),
                )
            )
    print_table(
        "Reported figures", ["as of", "metric", "value", "area", "source", "document"], rows,
        caption="Each figure as its source reported it; sources disagree and all are shown.",
    )  # fmt: skip
    e = o.events
    by_type = ", ".join(f"{n} {t}" for t, n in e.by_type.most_common())
    console.print(
        f"[bold]Events:[/] {e.events:,} ({by_type or 'none'}); fatalities low {e.fatalities_low:,.0f}, "
        f"best {e.fatalities_best:,.0f}, high {e.fatalities_high:,.0f}"
        + (f" ({e.events_without_high} events give no upper bound)" if e.events_without_high else "")
    )
    console.print(
        f"[bold]Movements:[/] {o.movements:,} displacement records, "
        f"{o.displaced_in_movements:,.0f} individuals"
        f" · [bold]IDP sites:[/] {o.sites:,}"
    )
    if o.agreements:
        print_table(
            "Agreements in force",
            ["from", "to", "kind", "name", "parties"],
            [
                (a.effective_from, a.effective_to or "", a.kind.value, a.name, "; ".join(a.parties))
                for a in o.agreements
            ],
        )
    if o.crossings:
        print_table(
            "Crossings",
            ["name", f"status on {o.end or 'today'}"],
            [(c.name, s or "unknown") for c, s in o.crossings],
        )
