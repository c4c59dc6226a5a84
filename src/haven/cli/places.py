"""``haven places find NAME``: resolve a place name with the gazetteer and print the candidates.

No ``from __future__ import annotations`` here: typer reads the annotations at run time.
"""

from typing import Annotated

import typer

from haven.cli.common import open_store
from haven.cli.output import console, print_json, print_table
from haven.geo.gazetteer import Gazetteer

places_app = typer.Typer(
    help="Places: resolve names as reports write them to OCHA p-codes.", no_args_is_help=True
)


@places_app.callback()
def places() -> None:
    """Places: resolve names as reports write them to OCHA p-codes."""


@places_app.command("find")
def find(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A place name in English transliteration or Arabic.")],
    context: Annotated[
        list[str] | None,
        typer.Option("--context", "-c", help="A governorate, district, nearby place or country; repeatable."),
    ] = None,
    level: Annotated[
        int | None, typer.Option("--level", min=0, max=4, help="Prefer this admin level (4 = community).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many candidates to show.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Find the places a name may mean, best first, and say whether it is resolved or ambiguous."""
    store = open_store(ctx)
    try:
        resolution = Gazetteer.from_store(store).resolve(name, context or None, level=level, limit=limit)
    finally:
        store.close()
    if as_json:
        print_json(resolution.to_dict())
        return
    rows = [
        (
            c.pcode,
            c.name,
            c.name_ar or "",
            f"adm{c.level}",
            " > ".join(n for _, n in c.chain if n),
            f"{c.point[1]:.5f}, {c.point[0]:.5f}" if c.point else "",
            f"{c.score:.2f}",
            f"{c.matched_name} ({c.match}, {c.source})",
        )
        for c in resolution.candidates
    ]
    used = f"; context used: {', '.join(resolution.context_used)}" if resolution.context_used else ""
    print_table(
        f"{name!r}: {resolution.status.value}{used}",
        ("p-code", "name", "Arabic", "level", "in", "lat, lon", "score", "matched"),
        rows,
        caption=resolution.note or None,
    )
    if not rows:
        console.print(f"no place matches {name!r}")
