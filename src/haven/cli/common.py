"""What every command shares: the database named by ``--db``, dates from options, common options."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from haven.errors import HavenError
from haven.io.reading import read_date
from haven.store import Store

FromOption = Annotated[str | None, typer.Option("--from", help="Start of the period, YYYY-MM-DD.")]
ToOption = Annotated[str | None, typer.Option("--to", help="End of the period, YYYY-MM-DD.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print as JSON.")]


def open_store(ctx: typer.Context, *, create: bool = False) -> Store:
    """The database the global ``--db`` option (or ``HAVEN_DB``) names."""
    return Store.open((ctx.obj or {}).get("db"), create=create)


def parse_day(value: str | None, option: str) -> date | None:
    """A date given to ``option``, or a one-line error naming the option."""
    if value is None:
        return None
    try:
        return read_date(value)
    except ValueError:
        raise HavenError(f"{option} {value!r} is not a date (expected YYYY-MM-DD)") from None
