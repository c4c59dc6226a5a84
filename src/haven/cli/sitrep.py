"""``haven sitrep``: a situation report (a flash update) of one or more areas and a period, as PDF or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from haven.cli.common import open_store, parse_day
from haven.cli.output import console
from haven.io.temperature import read_temperatures
from haven.report import build_sitrep, write_sitrep
from haven.report.render import format_for


def sitrep(
    ctx: typer.Context,
    area: Annotated[
        list[str],
        typer.Option(
            help="P-code of the area: an admin unit or community, e.g. SY07. Several areas: "
            "comma-separated (SY07,SY02) or the option repeated; the report covers them together."
        ),
    ],
    start: Annotated[str, typer.Option("--from", help="First day of the period, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last day of the period, YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write: .pdf or .html.")],
    title: Annotated[
        str | None,
        typer.Option(help='Name of the whole, e.g. "Northwest Syria" (default: the areas\' names joined).'),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="pdf or html (default: from the suffix of --out).")
    ] = None,
    strict_areas: Annotated[
        bool, typer.Option(help="Leave out figures whose area is named only in words (no p-code).")
    ] = False,
    phase: Annotated[str, typer.Option(help="Sphere phase for the needs: initial or later.")] = "initial",
    climate: Annotated[
        str, typer.Option(help="Sphere climate for the needs: temperate or cold (covered space).")
    ] = "temperate",
    temperatures: Annotated[
        Path | None,
        typer.Option(help="Daily temperatures (CSV: place, date, min, max) to count nights below freezing."),
    ] = None,
    produced: Annotated[
        str | None, typer.Option(help="The date the report states it was produced (default: today).")
    ] = None,
) -> None:
    """Write a situation report (flash update) of one or more areas and a period, as PDF or HTML."""
    chosen = format_for(out, fmt)  # a bad suffix or format stops before any work
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    assert first is not None and last is not None  # both options are required
    series = read_temperatures(temperatures) if temperatures else None
    report = build_sitrep(
        open_store(ctx),
        area,
        first,
        last,
        title=title,
        produced=parse_day(produced, "--produced"),
        strict_areas=strict_areas,
        phase=phase,
        climate=climate,
        temperatures=series,
    )
    path = write_sitrep(report, out, chosen)
    console.print(
        f"{report.title}, {report.period}: {chosen.upper()} written to {path} "
        f"({path.stat().st_size / 1024:,.0f} KB; {len(report.key_figures)} figures, "
        f"{report.events.events} events, {len(report.sources)} sources)"
    )


__all__ = ["sitrep"]
