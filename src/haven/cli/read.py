"""``haven read FILE...`` and ``haven review list|accept|verify|dispute|correct|reject``: the review queue.

Decisions go through :mod:`haven.services.review`, as the web's do: holds, permissions and the audit log
apply to both.

No ``from __future__ import annotations`` here: typer reads the annotations at run time.
"""

import getpass
from typing import Annotated, Any

import typer
from rich.markup import escape

from haven.cli.common import open_store, parse_day
from haven.cli.output import console, print_json
from haven.geo.gazetteer import Gazetteer
from haven.model import Role, User
from haven.read.candidates import Candidate
from haven.read.documents import load_documents
from haven.read.review import queue_document, read_all
from haven.services import review
from haven.services.review import Decision


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


def _item(item: str) -> tuple[str, str]:
    """A candidate id (``12``) or an event key (``dataset:record_id``)."""
    return ("candidate", item) if item.isdigit() else ("event", item)


def _cli_user() -> User:
    """Whoever can open the database file from the shell decides as an administrator; the audit log
    records them as ``cli:<login>``."""
    return User(f"cli:{getpass.getuser()}", Role.ADMIN)


ItemArgument = Annotated[str, typer.Argument(help="Candidate id, or event key dataset:record_id.")]


def _decide(
    ctx: typer.Context, item: str, decision: Decision, note: str | None, changes: dict[str, str]
) -> None:
    kind, key = _item(item)
    outcome = review.decide(open_store(ctx), _cli_user(), kind, key, decision, note, changes or None)
    console.print(f"{outcome.entry.action.removeprefix('review.')} {kind} {escape(key)}")


@review_app.command("accept")
def review_accept(
    ctx: typer.Context, candidate: Annotated[int, typer.Argument(help="Candidate id.")]
) -> None:
    """Accept a candidate: write its record (events stay under review until verified)."""
    _decide(ctx, str(candidate), Decision.VERIFY, None, {})


@review_app.command("verify")
def review_verify(
    ctx: typer.Context, item: ItemArgument, note: Annotated[str | None, typer.Option(help="Why.")] = None
) -> None:
    """Verify an event (or accept a candidate)."""
    _decide(ctx, item, Decision.VERIFY, note, {})


@review_app.command("dispute")
def review_dispute(
    ctx: typer.Context,
    item: ItemArgument,
    note: Annotated[str, typer.Option(help="What is disputed (required).")],
) -> None:
    """Mark an event disputed, with a note."""
    _decide(ctx, item, Decision.DISPUTE, note, {})


@review_app.command("correct")
def review_correct(
    ctx: typer.Context,
    item: ItemArgument,
    changes: Annotated[list[str], typer.Argument(help="field=value, e.g. fatalities=5/6/7.")],
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
) -> None:
    """Correct fields of a candidate or an event; the previous state stays in its revision history."""
    pairs = {}
    for change in changes:
        name, equals, value = change.partition("=")
        if not equals:
            raise typer.BadParameter(f"{change!r} is not field=value", param_hint="CHANGES")
        pairs[name] = value
    _decide(ctx, item, Decision.CORRECT, note, pairs)


@review_app.command("reject")
def review_reject(
    ctx: typer.Context,
    item: ItemArgument,
    note: Annotated[str, typer.Option(help="Why it is rejected (required).")],
) -> None:
    """Reject a candidate or an event with a note."""
    _decide(ctx, item, Decision.REJECT, note, {})
