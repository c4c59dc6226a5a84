"""``haven zone ...``, ``haven profile border`` and ``haven compliance``: the spatial commands.

Each command parses its options, calls one library function in ``haven.geo`` or ``haven.analysis`` and
prints a table, JSON (``--json``) or writes GeoJSON (``--geojson FILE``). No ``from __future__ import
annotations``: typer reads the annotations at run time.
"""

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from shapely.geometry import mapping

from haven.analysis.compliance import ComplianceReport, compliance_report
from haven.cli.common import FromOption, JsonOption, ToOption, open_store, parse_day
from haven.cli.output import console, print_json, print_table
from haven.errors import HavenError
from haven.geo.inside import ZoneContents, area_km2, compare_zones, contents_geojson, what_is_inside
from haven.geo.profile import DEFAULT_BANDS_KM, border_profile
from haven.geo.zones import (
    buffer_recipe,
    contains,
    create_zone,
    describe,
    geojson_recipe,
    smallest_buffer,
)
from haven.model import Zone
from haven.services.answers import zone_answer, zone_summary
from haven.store import Store

zone_app = typer.Typer(help="Zones: named areas stored with the recipe that made them.", no_args_is_help=True)
profile_app = typer.Typer(help="Profiles of people and events by distance.", no_args_is_help=True)

GeoJsonOption = Annotated[
    Path | None, typer.Option("--geojson", help="Also write the zones and results to this GeoJSON file.")
]
PlaceOption = Annotated[
    list[str] | None, typer.Option("--place", help="P-code of a place to test (repeatable), e.g. C3871.")
]


def _write_geojson(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    console.print(f"GeoJSON written to {path}")


def _zone_feature(zone: Zone) -> dict[str, Any]:
    properties = {"name": zone.name, "description": zone.description, "recipe": zone.recipe}
    return {"type": "Feature", "geometry": mapping(zone.geometry), "properties": properties}


# ---------------------------------------------------------------- zone
@zone_app.command("create")
def zone_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name of the new zone (an existing one is replaced).")],
    buffer: Annotated[
        str | None, typer.Option(help="Buffer this line zone, e.g. turkey-syria-border or m4-highway.")
    ] = None,
    distance: Annotated[float | None, typer.Option(help="Buffer distance, in --unit.")] = None,
    unit: Annotated[str, typer.Option(help="km, mi or m.")] = "km",
    side: Annotated[str, typer.Option(help="both, left or right of the line's direction.")] = "both",
    within: Annotated[
        str | None, typer.Option(help="Keep only the part inside this p-code, e.g. SY: the Syrian side.")
    ] = None,
    reach: Annotated[
        str | None,
        typer.Option(help="Instead of --distance: the smallest buffer that takes in this place (p-code)."),
    ] = None,
    admin: Annotated[
        list[str] | None, typer.Option(help="Admin unit p-code (repeatable): their union.")
    ] = None,
    from_geojson: Annotated[
        Path | None, typer.Option("--from-geojson", help="A polygon from GeoJSON.")
    ] = None,
    union: Annotated[list[str] | None, typer.Option(help="Union of these zones (repeatable).")] = None,
    intersection: Annotated[
        list[str] | None, typer.Option(help="Intersection of these zones (repeatable).")
    ] = None,
    difference: Annotated[
        list[str] | None, typer.Option(help="The first zone minus the others (repeatable).")
    ] = None,
    recipe: Annotated[str | None, typer.Option(help="A recipe as JSON (see docs/spatial.md).")] = None,
    description: Annotated[
        str | None, typer.Option(help="Description (default: the recipe in words).")
    ] = None,
    place: PlaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a zone from a recipe: a buffer of a line, admin units, GeoJSON, or other zones combined."""
    store = open_store(ctx)
    recipes: list[dict[str, Any]] = []
    reached = None
    if buffer:
        if reach:
            reached = smallest_buffer(store, buffer_recipe(buffer, 0, side=side, within=within), reach)
            # 1 m wider than the distance to the place, so the place is inside
            recipes.append(
                buffer_recipe(buffer, round(reached.distance_km + 0.001, 3), side=side, within=within)
            )
        elif distance is None:
            raise HavenError("--buffer needs --distance (or --reach PCODE)")
        else:
            recipes.append(buffer_recipe(buffer, distance, unit, side=side, within=within))
    if admin:
        recipes.append({"op": "admin", "pcodes": list(admin)})
    if from_geojson:
        recipes.append(geojson_recipe(from_geojson))
    for op, names in (("union", union), ("intersection", intersection), ("difference", difference)):
        if names:
            recipes.append({"op": op, "of": list(names)})
    if recipe:
        try:
            recipes.append(json.loads(recipe))
        except json.JSONDecodeError as exc:
            raise HavenError(f"--recipe is not JSON ({exc})") from None
    if len(recipes) != 1:
        raise HavenError(
            "give exactly one of --buffer, --admin, --from-geojson, --union, --intersection, "
            "--difference, --recipe"
        )
    zone = create_zone(store, name, recipes[0], description)
    inside = {pcode: _contains(store, zone, pcode) for pcode in place or []}
    result: dict[str, Any] = {
        "name": zone.name,
        "description": zone.description,
        "recipe": zone.recipe,
        "area_km2": area_km2(zone.geometry),
        "places": inside,
    }
    if reached:
        result["reach"] = reached
    if as_json:
        print_json(result)
        return
    console.print(f"zone [bold]{zone.name}[/]: {zone.description}, {result['area_km2']:,.0f} km²")
    if reached:
        console.print(
            f"smallest buffer taking in {reached.name} ({reached.pcode}): {reached.distance_km:.2f} km "
            f"(geodesic distance to the line {reached.geodesic_km:.2f} km)"
        )
    for pcode, yes in inside.items():
        console.print(f"{pcode} {store.place(pcode).name_en}: {'inside' if yes else 'not inside'}")


def _contains(store: Store, zone: Zone, pcode: str) -> bool:
    return contains(zone, store.place(pcode))


@zone_app.command("list")
def zone_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the zones with their recipes."""
    zones = open_store(ctx).zones()
    rows = [zone_summary(z) for z in zones]
    if as_json:
        print_json(rows)
        return
    print_table(
        "Zones",
        ["name", "recipe", "geometry", "km²", "description"],
        [(r["name"], r["op"], r["geometry"], f"{r['area_km2']:,.0f}", r["description"]) for r in rows],
    )


@zone_app.command("show")
def zone_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The zone.")],
    as_json: JsonOption = False,
    geojson: GeoJsonOption = None,
) -> None:
    """Show a zone: its recipe, description, bounds and area; --geojson writes its geometry."""
    zone = open_store(ctx).zone(name)
    data = zone_answer(zone)
    if geojson:
        _write_geojson(geojson, {"type": "FeatureCollection", "features": [_zone_feature(zone)]})
    if as_json:
        print_json(data)
        return
    console.print(f"[bold]{zone.name}[/]: {zone.description or describe(zone.recipe)}")
    console.print(f"recipe: {json.dumps(zone.recipe)[:2000]}", soft_wrap=True)
    console.print(f"{data['geometry']}, bounds {', '.join(f'{b:.4f}' for b in data['bounds'])}, "
                  f"{data['area_km2']:,.0f} km²")  # fmt: skip


def _contents_rows(results: list[ZoneContents]) -> list[tuple[str, list[Any]]]:
    def fmt(value: float) -> str:
        return f"{value:,.0f}"

    rows: list[tuple[str, list[Any]]] = [
        ("area km²", [fmt(r.area_km2) for r in results]),
        ("communities", [fmt(r.communities) for r in results]),
        ("population", [fmt(r.population) for r in results]),
        ("IDPs", [fmt(r.idps) for r in results]),
        ("IDP sites", [fmt(r.sites) for r in results]),
        ("events", [fmt(r.events) for r in results]),
    ]
    types = sorted({t for r in results for t in r.events_by_type})
    rows += [(f"  {t}", [fmt(r.events_by_type.get(t, 0)) for r in results]) for t in types]
    rows += [
        ("fatalities low/best/high",
         [f"{r.fatalities.low:,.0f} / {r.fatalities.best:,.0f} / {r.fatalities.high:,.0f}" for r in results]),
        ("people arriving", [fmt(r.movements.arrivals) for r in results]),
        ("people leaving", [fmt(r.movements.departures) for r in results]),
        ("crossings", [", ".join(f"{c['name']} ({c['status']})" for c in r.crossings) for r in results]),
    ]  # fmt: skip
    places = sorted({p for r in results for p in r.places})
    rows += [(f"{p} inside?", ["yes" if r.places[p] else "no" for r in results]) for p in places]
    return rows


def _print_contents(results: list[ZoneContents]) -> None:
    first = results[0]
    window = f"{first.start or 'the start'} to {first.end or 'the end'}"
    print_table(
        f"What is inside, {window}",
        ["", *[r.zone for r in results]],
        [(label, *values) for label, values in _contents_rows(results)],
        caption=f"population basis: {first.population_basis} (not the window); "
        f"fatalities high counts best where no ceiling is given",
    )


@zone_app.command("inside")
def zone_inside(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The zone.")],
    start: FromOption = None,
    end: ToOption = None,
    place: PlaceOption = None,
    as_json: JsonOption = False,
    geojson: GeoJsonOption = None,
) -> None:
    """What is inside a zone: communities, population, IDPs, sites, events, fatalities, movements."""
    store = open_store(ctx)
    zone = store.zone(name)
    result = what_is_inside(
        store, zone, parse_day(start, "--from"), parse_day(end, "--to"), places=list(place or [])
    )
    if geojson:
        _write_geojson(geojson, contents_geojson([result], [zone]))
    if as_json:
        print_json(result)
    else:
        _print_contents([result])


@zone_app.command("compare")
def zone_compare(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help="Two or more zones.")],
    start: FromOption = None,
    end: ToOption = None,
    place: PlaceOption = None,
    as_json: JsonOption = False,
    geojson: GeoJsonOption = None,
) -> None:
    """What is inside several zones, side by side."""
    store = open_store(ctx)
    zones = [store.zone(name) for name in names]
    results = compare_zones(
        store, zones, parse_day(start, "--from"), parse_day(end, "--to"), places=list(place or [])
    )
    if geojson:
        _write_geojson(geojson, contents_geojson(results, zones))
    if as_json:
        print_json(results)
    else:
        _print_contents(results)


# ---------------------------------------------------------------- profile
@profile_app.command("border")
def profile_border(
    ctx: typer.Context,
    line: Annotated[str, typer.Option(help="The line zone to measure from.")] = "turkey-syria-border",
    bands: Annotated[str, typer.Option(help="Band edges in km, comma-separated.")] = ",".join(
        f"{b:g}" for b in DEFAULT_BANDS_KM
    ),
    within: Annotated[str, typer.Option(help="Count only inside this p-code (the side of the line).")] = "SY",
    start: FromOption = None,
    end: ToOption = None,
    as_json: JsonOption = False,
) -> None:
    """People, IDPs, sites and events per distance band from a border (geodesic distances)."""
    try:
        edges = [float(b) for b in bands.split(",")]
    except ValueError:
        raise HavenError(f"--bands {bands!r} is not a list of numbers (expected e.g. 0,5,10,20)") from None
    result = border_profile(
        open_store(ctx), line, edges, within=within or None, start=parse_day(start, "--from"),
        end=parse_day(end, "--to"),
    )  # fmt: skip
    if as_json:
        print_json(result)
        return
    rows = [
        (f"{b.from_km:g}–{b.to_km:g} km" if b.to_km is not None else f"over {b.from_km:g} km",
         f"{b.communities:,}", f"{b.population:,.0f}", f"{b.idps:,.0f}", f"{b.sites:,}", f"{b.events:,}",
         f"{b.fatalities_best:,.0f}")
        for b in [*result.bands, result.total, result.beyond]
    ]  # fmt: skip
    rows[-2] = ("total", *rows[-2][1:])
    print_table(
        f"Distance from {line} (inside {within})",
        ["distance", "communities", "population", "IDPs", "IDP sites", "events", "fatalities"],
        rows,
        caption=f"population basis: {result.population_basis}; the last row is not in the total",
    )


# ---------------------------------------------------------------- compliance
def compliance(
    ctx: typer.Context,
    agreement: Annotated[str, typer.Argument(help="Agreement id, e.g. A4 (or dataset:id).")],
    zone: Annotated[str | None, typer.Option(help="Use this zone as the area (required if none).")] = None,
    before_days: Annotated[int, typer.Option(help="Days before the effective day to include.")] = 30,
    end: ToOption = None,
    as_json: JsonOption = False,
) -> None:
    """Events inside an agreement's area before and after it took effect; violations; daily series."""
    report = compliance_report(
        open_store(ctx), agreement, zone=zone, before_days=before_days, end=parse_day(end, "--to")
    )
    if as_json:
        print_json(report)
    else:
        _print_compliance(report)


def _print_compliance(report: ComplianceReport) -> None:
    console.print(f"[bold]{report.agreement}[/] {report.name}", soft_wrap=True)
    console.print(
        f"in force from {report.effective_from:%Y-%m-%d %H:%M}; area: {report.area} "
        f"({report.area_km2:,.0f} km²); report {report.start} to {report.end}"
    )
    console.print(
        f"events inside: {report.events_before} before, {report.events_after} after"
        + (
            f", {report.events_on_effective_day} on the effective day"
            if report.events_on_effective_day
            else ""
        )
    )
    print_table(
        "Events inside the area by actor",
        ["actor", "before", "after"],
        [(actor, c.get("before", 0), c.get("after", 0)) for actor, c in report.by_actor.items()],
    )
    print_table(
        f"Violations ({len(report.violations)})",
        ["key", "date", "type", "actor1", "actor2", "location", "fatalities"],
        [(v.key, v.day, v.sub_event_type or v.event_type, v.actor1, v.actor2, v.location, v.fatalities_best)
         for v in report.violations],
    )  # fmt: skip
    if report.first_violation:
        console.print(
            f"first violation {report.first_violation}, "
            f"{report.days_to_first_violation} days after taking effect"
        )
    else:
        console.print("no violation inside the area in the report's period")
    if report.deadline:
        d = report.deadline
        console.print(
            f"at the deadline {d.deadline:%Y-%m-%d %H:%M}: {d.events_week_before} events inside in the week "
            f"before, {d.events_week_after} in the week after ({d.territory_changes_after} territory changes)"
        )


__all__ = ["compliance", "profile_app", "zone_app"]
