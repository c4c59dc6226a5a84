"""Benchmark: "what is inside" a zone for a time window, over 1,000,000 events and 10,000 sites.

Builds (once, then reuses) a SQLite store with the reference crisis, N generated ACLED events imported
through the normal import path (``bench/import_events.py``'s generator, spread over the communities of
northwest Syria) and M generated IDP sites, then runs ``what_is_inside`` for random zones and windows.
Every answer is checked against a brute-force one: all events read once, every point in the window tested
with shapely against the zone, no bounding box and no index. Prints p50 and p95.

    .venv/bin/python bench/spatial.py                             # 1,000,000 events, 10,000 sites
    .venv/bin/python bench/spatial.py --events 100000 --queries 20 --dir /tmp/haven-spatial
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).parent))

import import_events
from haven.geo.inside import SpatialIndex, ZoneContents, what_is_inside
from haven.geo.zones import buffer_recipe, create_zone
from haven.io.acled import AcledImporter
from haven.io.base import run_import
from haven.model import AdminLevel, RecordKey, Site, SiteKind, Source
from haven.services.reference import load_reference_crisis
from haven.store import RecordFilter, Store

NW_GOVERNORATES = ("SY02", "SY05", "SY06", "SY07")  # Aleppo, Hama, Lattakia, Idleb
PERIOD_START = date(2019, 12, 1)  # import_events.generate spreads events over 120 days from here
PERIOD_DAYS = 120


def _communities(store: Store) -> list[tuple[str, str, str, str, float, float]]:
    """(adm1, adm2, adm3, community, lat, lon) of every community in northwest Syria."""
    places = store.list("place", RecordFilter(levels=(1, 2, 3, 4)))
    names = {p.pcode: p.name_en for p in places}
    found = []
    for p in places:
        if p.level == AdminLevel.ADM4 and p.point and p.parents[1:2] and p.parents[1] in NW_GOVERNORATES:
            adm1, adm2, adm3 = (names.get(code, code) for code in p.parents[1:4])
            found.append((adm1, adm2, adm3, p.name_en, p.point[1], p.point[0]))
    return sorted(found)


def build(db: Path, events: int, sites: int) -> None:
    store = Store.open(db, create=True)
    load_reference_crisis(store)
    communities = _communities(store)
    if store.count("event", RecordFilter(dataset="acled")) != events:
        csv_path = db.with_name(f"acled_{events}.csv")
        import_events.PLACES[:] = communities  # the generator's places: every community, not six
        started = time.perf_counter()
        import_events.generate(csv_path, events)
        report = run_import(store, AcledImporter(), csv_path)
        print(f"  {report.inserted:,} events imported in {time.perf_counter() - started:.0f} s")
        csv_path.unlink()
    if store.count("site", RecordFilter(dataset="bench-sites")) != sites:
        rng = random.Random(2020)
        kinds = list(SiteKind)
        source = Source("Haven benchmark", "generated sites")
        with store.importing("site", "bench-sites", "bench-sites") as writer:
            for i in range(sites):
                *_, name, lat, lon = rng.choice(communities)
                writer.add(
                    Site(
                        key=RecordKey("bench-sites", f"BS{i:06d}"),
                        name=f"{name} camp {i}",
                        kind=rng.choice(kinds),
                        point=(lon + rng.uniform(-0.03, 0.03), lat + rng.uniform(-0.03, 0.03)),
                        sources=[source],
                    )
                )
    store.close()


def brute_force_events(db: Path) -> dict[str, np.ndarray]:
    """Every located, non-deleted event, read once with plain sqlite3."""
    connection = sqlite3.connect(db)
    sites = connection.execute(
        "SELECT coalesce(s.lon, p.lon), coalesce(s.lat, p.lat) FROM sites s"
        " LEFT JOIN places p ON p.pcode = s.place_pcode WHERE s.deleted_at IS NULL"
    ).fetchall()
    rows = connection.execute(
        "SELECT lon, lat, date_start, coalesce(date_end, date_start), event_type,"
        " coalesce(fatalities_low, 0), coalesce(fatalities_best, 0), coalesce(fatalities_high, 0)"
        " FROM events WHERE deleted_at IS NULL AND lon IS NOT NULL AND lat IS NOT NULL"
    ).fetchall()
    connection.close()
    lon, lat, first, last, kind, low, best, high = zip(*rows, strict=True)
    return {
        "sites": shapely.points(np.array([xy for xy in sites if xy[0] is not None], dtype=float)),
        "points": shapely.points(np.column_stack([lon, lat])),
        "first": np.array([date.fromisoformat(d).toordinal() for d in first]),
        "last": np.array([date.fromisoformat(d).toordinal() for d in last]),
        "type": np.array(kind, dtype=object),
        "low": np.array(low, dtype=float),
        "best": np.array(best, dtype=float),
        "high": np.array(high, dtype=float),
    }


def check(
    found: ZoneContents, geometry: shapely.Geometry, start: date, end: date, all_events: dict[str, np.ndarray]
) -> None:
    """The fast answer equals the brute-force one: each point in the window tested against the zone."""
    in_window = (all_events["first"] <= end.toordinal()) & (all_events["last"] >= start.toordinal())
    inside = np.zeros(len(in_window), dtype=bool)
    inside[in_window] = shapely.contains(geometry, all_events["points"][in_window])
    expected = Counter(all_events["type"][inside].tolist())
    assert found.events == int(inside.sum()), (found.events, int(inside.sum()))
    assert found.events_by_type == dict(expected), (found.events_by_type, expected)
    assert found.fatalities.low == all_events["low"][inside].sum()
    assert found.fatalities.best == all_events["best"][inside].sum()
    assert found.sites == int(shapely.contains(geometry, all_events["sites"]).sum())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sites", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=40, help="timed queries (each one checked)")
    parser.add_argument("--dir", type=Path, help="where to keep the database (default: a temp dir)")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="haven-spatial-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"spatial_{args.events}_{args.sites}.db"
    print(f"Spatial benchmark ({sys.platform}, Python {sys.version.split()[0]}), database {db}")
    started = time.perf_counter()
    build(db, args.events, args.sites)
    print(f"  store ready in {time.perf_counter() - started:.0f} s")
    store = Store.open(db)
    zones = [
        create_zone(store, "bench-border-20mi", buffer_recipe("turkey-syria-border", 20, "mi", within="SY")),
        create_zone(store, "bench-border-30km", buffer_recipe("turkey-syria-border", 30, "km", within="SY")),
        create_zone(store, "bench-m4-6km", buffer_recipe("m4-highway", 6, "km")),
        create_zone(store, "bench-idleb", {"op": "admin", "pcodes": ["SY07"]}),
    ]
    all_events = brute_force_events(db)
    rng = random.Random(5)
    timings: list[float] = []
    counts: list[int] = []
    t0 = time.perf_counter()
    SpatialIndex.for_store(store)  # read once per process, and again after each import
    print(f"  index read from SQLite in {time.perf_counter() - t0:.1f} s (once, until the next import)")
    for _ in range(args.queries):
        zone = rng.choice(zones)
        start = PERIOD_START + timedelta(days=rng.randrange(0, PERIOD_DAYS - 7))
        end = start + timedelta(days=rng.choice((0, 6, 13, 29)))
        t0 = time.perf_counter()
        found = what_is_inside(store, zone, start, end)
        timings.append(time.perf_counter() - t0)
        counts.append(found.events)
        check(found, zone.geometry, start, end, all_events)
    ms = sorted(t * 1000 for t in timings)
    p50 = statistics.median(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(f"{args.queries} queries, each equal to the brute-force shapely answer")
    print(f"  events inside per query: median {int(statistics.median(counts)):,}, max {max(counts):,}")
    print(f"  what_is_inside: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms (goal: p95 < 200 ms)")
    rerun = f"--events {args.events} --sites {args.sites} --queries {args.queries} --dir {folder}"
    print(f"rerun: .venv/bin/python bench/spatial.py {rerun}")


if __name__ == "__main__":
    main()
