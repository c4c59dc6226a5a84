"""``haven simulate``: run a Flee input set, or forecast a scenario built from the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from haven.cli.common import open_store
from haven.cli.output import console, print_json, print_table
from haven.errors import ValidationError

if TYPE_CHECKING:
    from haven.simulate.ensemble import Forecast

simulate_app = typer.Typer(
    help="Displacement forecasts: Flee input sets and scenarios from Haven's data.", no_args_is_help=True
)


@simulate_app.command("flee-inputs")
def flee_inputs(
    folder: Annotated[
        Path, typer.Argument(help="A Flee input set: locations.csv, routes.csv, ... and data.")
    ],
    days: Annotated[int | None, typer.Option(help="Days to simulate [default: the set's Length].")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    out: Annotated[Path, typer.Option("--out", help="Folder for out.csv.")] = Path("."),
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run a Flee input set; write Flee's out.csv and print the error against the camp data."""
    from haven.simulate import load_flee_inputs, simulate

    inputs = load_flee_inputs(folder)
    result = simulate(inputs, days=days, seed=seed)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "out.csv"
    result.write_out_csv(target)
    summary = {
        "input": inputs.folder,
        "days": result.days,
        "seed": seed,
        "agents": int(result.agents[-1]),
        "camps_with_data": len(result.camps),
        "averaged_relative_difference": result.averaged_relative_difference(),
        "averaged_relative_difference_rescaled": result.averaged_relative_difference(rescaled=True),
        "out_csv": str(target),
        "warnings": list(inputs.warnings),
    }
    if as_json:
        print_json(summary)
        return
    console.print(
        f"{inputs.folder}: {result.days} days, seed {seed}, {summary['agents']:,} agents at the end; "
        f"{len(result.camps)} camps with data",
        soft_wrap=True,
    )
    console.print(
        f"averaged relative difference {summary['averaged_relative_difference']:.4f} "
        f"(rescaled {summary['averaged_relative_difference_rescaled']:.4f})"
    )
    console.print(f"written: {target}")


def _advance(text: str) -> tuple[tuple[str, ...], int, float]:
    """``PLACE[+PLACE...]:DAY[:INTENSITY]``, e.g. ``C3871:10`` (Idlib city from day 10)."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0].strip():
        raise ValidationError(
            f"--advance {text!r}: expected PLACE:DAY or PLACE:DAY:INTENSITY, e.g. C3871:10 for Idlib city "
            "from day 10 (several places: C3871+C3916:10)"
        )
    try:
        day = int(parts[1])
        intensity = float(parts[2]) if len(parts) == 3 else 1.0
    except ValueError:
        raise ValidationError(
            f"--advance {text!r}: the day must be a whole number and the intensity a number in (0, 1]"
        ) from None
    return tuple(p.strip() for p in parts[0].split("+") if p.strip()), day, intensity


@simulate_app.command("scenario")
def scenario(
    ctx: typer.Context,
    start: Annotated[str, typer.Option(help="First day of the forecast, YYYY-MM-DD.")] = "2020-02-01",
    days: Annotated[int, typer.Option(help="Days to forecast.")] = 30,
    area: Annotated[
        list[str] | None,
        typer.Option(help="P-code of an area to model (repeat for several) [default: SY07]."),
    ] = None,
    advance: Annotated[
        list[str] | None,
        typer.Option(help="Offensive reaching places: PLACE:DAY[:INTENSITY], e.g. C3871:10 (repeatable)."),
    ] = None,
    border_sealed: Annotated[bool, typer.Option("--border-sealed", help="Close every crossing.")] = False,
    safe_zone: Annotated[str | None, typer.Option(help="Name of a stored zone declared a safe zone.")] = None,
    safe_zone_border_km: Annotated[
        float | None,
        typer.Option(help="Declare a safe zone this deep along the stored border (20 miles = 32.19 km)."),
    ] = None,
    attractiveness: Annotated[float, typer.Option(help="Safe zone's score multiplier.")] = 3.0,
    window: Annotated[int, typer.Option(help="Days of events before --start that make conflict zones.")] = 30,
    flight_rate: Annotated[
        float, typer.Option(help="Share of a conflict zone's people fleeing per day at intensity 1.")
    ] = 0.02,
    people_per_agent: Annotated[int, typer.Option(help="People one agent stands for.")] = 100,
    site_capacity: Annotated[
        int, typer.Option(help="Assumed room for newcomers in a site of unknown capacity (0: unlimited).")
    ] = 1000,
    ensemble: Annotated[int, typer.Option(help="Runs (seeds) in the ensemble.")] = 1,
    seed: Annotated[int, typer.Option(help="First seed.")] = 0,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://...) [default: a LocalCluster].")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="LocalCluster workers [default: CPUs, at most 4].")
    ] = None,
    top: Annotated[int, typer.Option(help="Sites in the table and the chart.")] = 12,
    out: Annotated[
        Path | None, typer.Option(help="Folder for forecast.json and bands.png (sites' bands).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the forecast as JSON.")] = False,
) -> None:
    """Forecast arrivals per site and per zone for a scenario built from the database."""
    from haven.simulate.ensemble import forecast_scenario
    from haven.simulate.scenario import Advance, ScenarioSpec, border_strip, build_scenario

    try:
        first = date.fromisoformat(start)
    except ValueError:
        raise ValidationError(f"--start {start!r} is not a date; expected YYYY-MM-DD") from None
    store = open_store(ctx)
    zone = None
    if safe_zone and safe_zone_border_km is not None:
        raise ValidationError("give --safe-zone or --safe-zone-border-km, not both")
    if safe_zone_border_km is not None:
        zone = border_strip(store, safe_zone_border_km)
    spec = ScenarioSpec(
        start=first,
        days=days,
        area=tuple(area or ("SY07",)),
        window_days=window,
        advances=tuple(Advance(*_advance(a)) for a in advance or ()),
        border_sealed=border_sealed,
        safe_zone=zone if zone is not None else safe_zone,
        safe_zone_attractiveness=attractiveness,
        people_per_agent=people_per_agent,
        flight_rate=flight_rate,
        site_capacity=site_capacity,
    )
    built = build_scenario(store, spec)
    store.close()
    result = forecast_scenario(built, ensemble, first_seed=seed, scheduler=scheduler, workers=workers)
    if out is not None:
        import json

        from haven.services.serialize import to_jsonable

        out.mkdir(parents=True, exist_ok=True)
        (out / "forecast.json").write_text(
            json.dumps(to_jsonable(result.as_dict()), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        plot_bands(result, out / "bands.png", top)
    if as_json:
        print_json(result.as_dict(sites=top))
        return
    _show(result, top, out)


def _show(result: Forecast, top: int, out: Path | None) -> None:
    summary = result.scenario.summary()
    runs = len(result.ensemble.seeds)
    last = result.dates[-1]
    console.print(
        f"Scenario {summary['start']} + {summary['days']} days: {summary['communities']:,} communities, "
        f"{summary['sites']:,} sites, crossings {', '.join(summary['crossings']) or 'none'}; "
        f"{summary['conflict_zones']} conflict zones; about {summary['people_to_flee']:,} people flee; "
        f"{runs} run{'s' if runs > 1 else ''}",
        soft_wrap=True,
    )
    for note in summary["notes"]:
        console.print(f"  · {note}", soft_wrap=True)
    zones = result.zones
    print_table(
        f"Displaced people present on {last} per zone (5% / median / 95%)",
        ["zone", "p5", "median", "p95"],
        [
            (name, f"{zones.low[-1, j]:,.0f}", f"{zones.median[-1, j]:,.0f}", f"{zones.high[-1, j]:,.0f}")
            for j, name in enumerate(zones.names)
        ],
    )
    print_table(
        f"Arrivals per site on {last}, the {top} largest (5% / median / 95%)",
        ["site", "name", "host", "p5", "median", "p95"],
        [
            (
                r["site"],
                r["name"],
                r["host_community"],
                f"{r['low']:,.0f}",
                f"{r['median']:,.0f}",
                f"{r['high']:,.0f}",
            )
            for r in result.site_rows(top)
        ],
    )
    if out is not None:
        console.print(f"written: {out / 'forecast.json'}, {out / 'bands.png'}")


def plot_bands(result: Forecast, path: Path, top: int = 12) -> None:
    """A PNG of the median and 5-95% band per day for the ``top`` sites (matplotlib, Agg)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    codes = result.top_sites(top)
    cols = 3 if len(codes) > 4 else max(len(codes), 1)
    rows = max((len(codes) + cols - 1) // cols, 1)
    figure = Figure(figsize=(4 * cols, 2.6 * rows), layout="constrained")
    FigureCanvasAgg(figure)
    days = list(range(result.ensemble.days))
    index = result.scenario.inputs.index()
    for k, code in enumerate(codes):
        ax = figure.add_subplot(rows, cols, k + 1)
        low, median, high = result.sites.column(code)
        ax.fill_between(days, low, high, alpha=0.3, label="5–95%")
        ax.plot(days, median, label="median")
        ax.set_title(f"{result.scenario.labels[index[code]]} ({code})", fontsize=9)
        ax.set_xlabel(f"days from {result.scenario.spec.start}", fontsize=8)
        ax.set_ylabel("people", fontsize=8)
        ax.tick_params(labelsize=7)
        if k == 0:
            ax.legend(fontsize=7)
    figure.suptitle(f"Arrivals per site, {len(result.ensemble.seeds)} runs")
    figure.savefig(path, dpi=100)


__all__ = ["plot_bands", "simulate_app"]
