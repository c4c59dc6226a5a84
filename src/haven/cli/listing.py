"""``haven events|figures|movements|sites list``: one listing command per kind, same filters.

No ``from __future__ import annotations`` here: typer reads the closures' annotations at run time.
"""

from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from haven.cli.common import open_store, parse_day
from haven.cli.output import print_json, print_table, sources_text
from haven.errors import HavenError
from haven.model import Event, Figure, Movement, Site
from haven.services.overview import describe_value
from haven.services.serialize import record_to_dict
from haven.store import RecordFilter

KINDS = {"events": "event", "figures": "figure", "movements": "movement", "sites": "site", "places": "place"}


def kind_name(plural: str) -> str:
    if plural not in KINDS:
        raise HavenError(f"unknown record kind {plural!r} (expected one of {', '.join(KINDS)})")
    return KINDS[plural]


def _event_row(e: Event) -> Sequence[Any]:
    f = e.fatalities
    deaths = (
        ""
        if f.best is None
        else f"{f.best:g}" + (f" ({f.low:g}-{f.high:g})" if f.high not in (None, f.low) else "")
    )
    return (
        str(e.key),
        e.date_start,
        e.sub_event_type or e.event_type,
        e.location_name or e.place_pcode or "",
        e.actor1.name if e.actor1 else "",
        e.actor2.name if e.actor2 else "",
        deaths,
        e.status.value,
        sources_text(e.sources),
    )


def _figure_row(f: Figure) -> Sequence[Any]:
    return (
        str(f.key), f.effective_date, f.metric, f.subgroup, describe_value(f),
        f.area_name or f.area_pcode or "", sources_text(f.sources),
    )  # fmt: skip


def _movement_row(m: Movement) -> Sequence[Any]:
    return (
        str(m.key), f"{m.period_start}–{m.period_end}", m.movement_type,
        m.origin_name or m.origin_pcode or "?", m.dest_name or m.dest_pcode or "?", f"{m.individuals:,.0f}",
    )  # fmt: skip


def _site_row(s: Site) -> Sequence[Any]:
    return (str(s.key), s.name, s.kind.value, s.place_pcode or "", s.capacity_individuals or "")


_VIEWS: dict[str, tuple[list[str], Callable[[Any], Sequence[Any]]]] = {
    "event": (["key", "date", "type", "location", "actor 1", "actor 2", "fatalities", "status", "sources"],
              _event_row),
    "figure": (["key", "date", "metric", "subgroup", "value", "area", "sources"], _figure_row),
    "movement": (["key", "period", "type", "from", "to", "individuals"], _movement_row),
    "site": (["key", "name", "kind", "community", "capacity"], _site_row),
}  # fmt: skip


def _list_command(kind: str, type_help: str) -> Callable[..., None]:
    def list_records(
        ctx: typer.Context,
        start: Annotated[str | None, typer.Option("--from", help="Start of the period, YYYY-MM-DD.")] = None,
        end: Annotated[str | None, typer.Option("--to", help="End of the period, YYYY-MM-DD.")] = None,
        area: Annotated[str | None, typer.Option(help="P-code: this area and every unit below it.")] = None,
        types: Annotated[list[str] | None, typer.Option("--type", help=type_help)] = None,
        actor: Annotated[str | None, typer.Option(help="Part of an actor's name (events).")] = None,
        text: Annotated[str | None, typer.Option(help="Part of the notes or names.")] = None,
        dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
        deleted: Annotated[bool, typer.Option("--deleted", help="Include records deleted upstream.")] = False,
        limit: Annotated[int | None, typer.Option(help="At most this many records.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    ) -> None:
        where = RecordFilter(
            start=parse_day(start, "--from"),
            end=parse_day(end, "--to"),
            area=area,
            types=tuple(types or ()),
            actor=actor,
            text=text,
            dataset=dataset,
            include_deleted=deleted,
            limit=limit,
        )
        store = open_store(ctx)
        records = store.list(kind, where)
        if as_json:
            print_json([record_to_dict(r) for r in records])
            return
        columns, row = _VIEWS[kind]
        print_table(f"{len(records):,} {kind}s", columns, [row(r) for r in records])

    list_records.__doc__ = f"List {kind}s, filtered by period, area, type, actor and text."
    return list_records


def _sub_app(kind: str, type_help: str) -> typer.Typer:
    sub = typer.Typer(help=f"{kind.capitalize()}s in the database.", no_args_is_help=True)
    sub.command("list")(_list_command(kind, type_help))
    return sub


events_app = _sub_app("event", "ACLED event or sub-event type, e.g. 'Air/drone strike'. Repeatable.")
figures_app = _sub_app("figure", "Metric, e.g. displaced. Repeatable.")
movements_app = _sub_app("movement", "Movement type: displacement or return.")
sites_app = _sub_app("site", "Site kind: camp, informal_settlement, collective_centre, reception_centre.")
