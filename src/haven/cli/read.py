"""``haven read FILE...`` and ``haven review list|accept|correct|reject``: the reading review queue.

No ``from __future__ import annotations`` here: typer reads the annotations at run time.
"""

from typing import Annotated, Any

import typer
from rich.markup import escape

from haven.cli.common import open_store, parse_day
from haven.cli.output import console, print_json
from haven.geo.gazetteer import Gazetteer
from haven.read.candidates import Candidate
from haven.read.documents import load_documents
from haven.read.review import accept, correct, queue_document, read_all, reject


def _summary(candidate: Candidate) -> str:
    record = candidate.record
    if candidate.kind == "zone":
        return f"zone {record['kind']}: {record.get('recipe')} includes {record.get('includes')}"
    if candidate.kind == "event":
        return (
            f"{record.sub_event_type or record.event_type} {record.date_start} "
            f"{record.location_name or ''} {record.place_pcode or ''} fatalities {record.fatalities}"
        )
    if candidate.kind == "agreement":
        return f"{record.kind.value} {record.parties} to {record.effective_to}"
    return f"{record.metric} {record.subgroup} {record.qualifier.value} {record.value:,.0f}"


def read(
    ctx: typer.Context,
    files: Annotated[list[str], typer.Argument(help="Text, HTML or PDF files, or folders.")],
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Who published the documents.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    no_store: Annotated[bool, typer.Option("--no-store", help="Only print; keep nothing.")] = False,
) -> None:
    """Read reports and propose figures, events, agreements and zones, each with the words it came from."""
    day = parse_day(published, "--published")
    # Places resolve against the database's gazetteer either way; --no-store only skips the queue.
    store = open_store(ctx)
    gazetteer = Gazetteer.from_store(store)
    out: list[dict[str, Any]] = []
    for doc in load_documents(files, published=day, publisher=publisher):
        candidates = read_all(doc, gazetteer)
        added: list[int] = []
        if not no_store:
            _, added = queue_document(store, doc, candidates)
        out.append({"path": doc.path, "candidates": candidates, "queued": len(added)})
    if as_json:
        print_json(
            [
                {
                    "path": d["path"],
                    "queued": d["queued"],
                    "candidates": [
                        {
                            "kind": c.kind,
                            "summary": _summary(c),
                            "confidence": c.confidence,
                            "spans": [
                                {
                                    "field": e.field,
                                    "start": e.span.start,
                                    "end": e.span.end,
                                    "text": c.text_of(e.field),
                                }
                                for e in c.evidence
                            ],
                        }
                        for c in d["candidates"]
                    ],
                }
                for d in out
            ]
        )
        return
    for d in out:
        console.print(
            f"[bold]{escape(str(d['path']))}[/bold]: {len(d['candidates'])} candidates, {d['queued']} queued"
        )
        for c in d["candidates"]:
            console.print(f"  [cyan]{c.kind}[/cyan] {escape(_summary(c))} ({c.confidence:.2f})")
            for e in c.evidence:
                console.print(f"      {e.field}: [reverse]{escape(c.text_of(e.field) or '')}[/reverse]")


review_app = typer.Typer(help="The review queue of what `haven read` proposed.", no_args_is_help=True)


@review_app.command("list")
def review_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="under_review, accepted, corrected, rejected.")] = None,
    kind: Annotated[str | None, typer.Option(help="figure, event, agreement, zone.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List candidates in the review queue."""
    items = open_store(ctx).review_queue(status=status, kind=kind)
    if as_json:
        print_json(items)
        return
    for item in items:
        match = f" matches {item['matches']}" if item["matches"] else ""
        console.print(
            f"{item['id']:>5} {item['status']:<13} {item['kind']:<9} {escape(item['record_key'])} "
            f"({item['confidence']:.2f}){escape(match)}"
        )


@review_app.command("accept")
def review_accept(
    ctx: typer.Context, candidate: Annotated[int, typer.Argument(help="Candidate id.")]
) -> None:
    """Accept a candidate: write its record (events stay under review until verified)."""
    accept(open_store(ctx), candidate)
    console.print(f"accepted {candidate}")


@review_app.command("correct")
def review_correct(
    ctx: typer.Context,
    candidate: Annotated[int, typer.Argument(help="Candidate id.")],
    changes: Annotated[list[str], typer.Argument(help="field=value, e.g. fatalities=5/6/7.")],
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
) -> None:
    """Correct fields of a candidate; the record as read stays in its revision history."""
    pairs = dict(change.split("=", 1) for change in changes)
    correct(open_store(ctx), candidate, pairs, note)
    console.print(f"corrected {candidate}")


@review_app.command("reject")
def review_reject(
    ctx: typer.Context,
    candidate: Annotated[int, typer.Argument(help="Candidate id.")],
    note: Annotated[str, typer.Option(help="Why it is rejected (required).")],
) -> None:
    """Reject a candidate with a note."""
    reject(open_store(ctx), candidate, note)
    console.print(f"rejected {candidate}")
