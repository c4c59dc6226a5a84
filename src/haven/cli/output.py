"""Printing: rich tables for people, JSON for programs."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from rich.box import HEAVY_HEAD, Box
from rich.console import Console, JustifyMethod
from rich.table import Table

from haven.services.serialize import to_jsonable

# Piped output (logs, `make demo`) gets room for the tables; a terminal keeps its own width.
console = Console(width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 120)
errors = Console(stderr=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(data), ensure_ascii=False, indent=2) + "\n")


_NO_WRAP = {"key", "date", "value", "as of", "counted", "range reported", "range", "spread"}


def print_table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    caption: str | None = None,
    box: Box = HEAVY_HEAD,
) -> None:
    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left", box=box)
    for column in columns:
        justify: JustifyMethod = (
            "right" if column.lower() in {"value", "fatalities", "individuals", "count", "events"} else "left"
        )
        table.add_column(column, justify=justify, overflow="fold", no_wrap=column in _NO_WRAP)
    for row in rows:
        table.add_row(*["" if cell is None else str(cell) for cell in row])
    console.print(table)


def sources_text(sources: Sequence[Any]) -> str:
    return "; ".join(dict.fromkeys(s.publisher for s in sources))
