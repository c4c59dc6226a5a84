"""Benchmark: how well Haven reads figures and events from prose, and how fast.

    .venv/bin/python bench/extraction.py                 # report the held-out test split
    .venv/bin/python bench/extraction.py --split dev     # the split looked at while tuning
    .venv/bin/python bench/extraction.py --split all --misses   # list what is missed or extra

The labelled set is ``bench/data/extraction/NN-name.txt`` with gold ``NN-name.json``: our own texts in the
style of wire reports, UN updates and editorials about northwest Syria, 2019-20. Each JSON gives the
publication date, the split (``dev``: documents 01-08, read while the rules were tuned; ``test``:
documents 09-16, written before the rules were last changed and not tuned on), the figures (value,
metric, subgroup) and the events (ACLED sub-event type, community p-code or null, date).

Scoring, per document, on multisets: a figure field scores ``value``; ``metric`` scores (value, metric);
``subgroup`` scores (value, subgroup); ``overall`` scores (value, metric, subgroup). Event fields score
``type``, ``place``, ``date`` on their own and ``overall`` the triple. Vague amounts are labelled with
the least they can mean ("dozens" = 24, "tens of thousands" = 20,000), as the reader reads them.

Speed: documents of about 1,000 words, made by joining the set's texts (the set's own texts are
150-250 words), read one after another on one core with figures (and events, when importable);
spaCy's model is loaded before timing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from haven.read import ReadDocument, document_from_text
from haven.read.documents import nlp
from haven.read.figures import extract_figures

DATA = Path(__file__).parent / "data" / "extraction"
FIGURE_FIELDS: dict[str, Callable[[dict[str, Any]], Hashable]] = {
    "value": lambda f: float(f["value"]),
    "metric": lambda f: (float(f["value"]), f["metric"]),
    "subgroup": lambda f: (float(f["value"]), f["subgroup"]),
    "overall": lambda f: (float(f["value"]), f["metric"], f["subgroup"]),
}
EVENT_FIELDS: dict[str, Callable[[dict[str, Any]], Hashable]] = {
    "type": lambda e: e["type"],
    "place": lambda e: e["place"],
    "date": lambda e: e["date"],
    "overall": lambda e: (e["type"], e["place"], e["date"]),
}


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, predicted: Iterable[Hashable], gold: Iterable[Hashable]) -> None:
        p, g = Counter(predicted), Counter(gold)
        hits = sum((p & g).values())
        self.tp += hits
        self.fp += sum(p.values()) - hits
        self.fn += sum(g.values()) - hits

    def prf(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def load_set(split: str) -> list[tuple[Path, ReadDocument, dict[str, Any]]]:
    items = []
    for text_path in sorted(DATA.glob("*.txt")):
        gold = json.loads(text_path.with_suffix(".json").read_text(encoding="utf-8"))
        if split != "all" and gold["split"] != split:
            continue
        doc = document_from_text(
            text_path.read_text(encoding="utf-8"), published=date.fromisoformat(gold["published"])
        )
        items.append((text_path, doc, gold))
    return items


def figure_rows(doc: ReadDocument) -> list[dict[str, Any]]:
    return [
        {
            "value": c.record.value,
            "metric": c.record.metric,
            "subgroup": c.record.subgroup,
            "text": c.text_of("value"),
        }
        for c in extract_figures(doc)
    ]


def event_reader() -> tuple[Callable[[ReadDocument], list[dict[str, Any]]] | None, str]:
    """The events reader with a gazetteer of the reference crisis, or None and why not."""
    try:
        from haven.read.events import extract_events
    except ImportError as error:
        return None, f"haven.read.events is not importable ({error})"
    from haven.geo import Gazetteer
    from haven.services.reference import load_reference_crisis
    from haven.store import Store

    folder = tempfile.mkdtemp(prefix="haven-bench-")
    store = Store.open(Path(folder) / "haven.db", create=True)
    load_reference_crisis(store)
    gazetteer = Gazetteer.from_store(store)

    def read(doc: ReadDocument) -> list[dict[str, Any]]:
        rows = []
        for candidate in extract_events(doc, gazetteer):
            event = candidate.record
            start = event.date_start
            rows.append(
                {
                    "type": event.sub_event_type,
                    "place": event.place_pcode,
                    "date": (start.date() if hasattr(start, "date") else start).isoformat()
                    if start
                    else None,
                }
            )
        return rows

    return read, ""


def report(title: str, scores: dict[str, Score]) -> None:
    print(f"\n{title}")
    print(f"  {'field':<10} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for name, score in scores.items():
        p, r, f = score.prf()
        print(f"  {name:<10} {p:6.3f} {r:6.3f} {f:6.3f}  {score.tp:3d} {score.fp:3d} {score.fn:3d}")


def speed(read_events: Callable[[ReadDocument], list[dict[str, Any]]] | None) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))]
    docs_text: list[str] = []
    current: list[str] = []
    for text in texts * 8:
        current.append(text)
        if sum(len(t.split()) for t in current) >= 1000:
            docs_text.append("\n\n".join(current))
            current = []
    words = sum(len(t.split()) for t in docs_text) / len(docs_text)
    nlp()
    for label, with_events in (("figures", False), ("figures + events", True)):
        if with_events and read_events is None:
            continue
        started = time.perf_counter()
        for text in docs_text:
            doc = document_from_text(text, published=date(2020, 2, 20))
            extract_figures(doc)
            if with_events and read_events is not None:
                read_events(doc)
        elapsed = time.perf_counter() - started
        print(
            f"speed ({label}): {len(docs_text)} documents of {words:,.0f} words on average "
            f"in {elapsed:.2f} s: {len(docs_text) / elapsed:.1f} documents/s (one core)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="test")
    parser.add_argument("--misses", action="store_true", help="list missed and extra records per document")
    args = parser.parse_args(argv)
    items = load_set(args.split)
    read_events, why = event_reader()
    figure_scores = {name: Score() for name in FIGURE_FIELDS}
    event_scores = {name: Score() for name in EVENT_FIELDS}
    for path, doc, gold in items:
        predicted = figure_rows(doc)
        for name, key in FIGURE_FIELDS.items():
            figure_scores[name].add(map(key, predicted), map(key, gold["figures"]))
        predicted_events = read_events(doc) if read_events else []
        if read_events:
            for name, key in EVENT_FIELDS.items():
                event_scores[name].add(map(key, predicted_events), map(key, gold["events"]))
        if args.misses:
            _misses(path, "figure", predicted, gold["figures"], FIGURE_FIELDS["overall"])
            if read_events:
                _misses(path, "event", predicted_events, gold["events"], EVENT_FIELDS["overall"])
    print(f"extraction benchmark: split {args.split!r}, {len(items)} documents")
    report("figures (value; (value, metric); (value, subgroup); all three)", figure_scores)
    if read_events:
        report("events (type; place p-code; date; all three)", event_scores)
    else:
        print(f"\nevents: not evaluated ({why})")
    print()
    speed(read_events)
    print(f"\nrerun: .venv/bin/python bench/extraction.py --split {args.split}")
    return 0


def _misses(
    path: Path,
    kind: str,
    predicted: list[dict[str, Any]],
    gold: list[dict[str, Any]],
    key: Callable[[dict[str, Any]], Hashable],
) -> None:
    p, g = Counter(map(key, predicted)), Counter(map(key, gold))
    for item in (g - p).elements():
        print(f"{path.name}: missed {kind} {item}")
    for item in (p - g).elements():
        print(f"{path.name}: extra  {kind} {item}")


if __name__ == "__main__":
    sys.exit(main())
