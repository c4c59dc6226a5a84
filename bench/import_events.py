"""Benchmark: import N generated ACLED-format rows into a fresh SQLite database.

Prints rows per second and the importing process's peak memory for each size, so that
"memory flat in file size" can be read off by comparing sizes.

    .venv/bin/python bench/import_events.py                  # 100,000 and 1,000,000 rows
    .venv/bin/python bench/import_events.py --rows 200000    # one size
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from haven.io.acled import ACLED_COLUMNS
from haven.model import ACLED_TAXONOMY

ACTORS = [
    ("Military Forces of Syria (2000-)", "State forces"),
    ("Military Forces of Russia (2000-)", "External/Other forces"),
    ("Military Forces of Turkey (2016-)", "External/Other forces"),
    ("Hayat Tahrir al-Sham", "Rebel groups"),
    ("National Front for Liberation", "Rebel groups"),
    ("Civilians (Syria)", "Civilians"),
]
PLACES = [
    ("Idleb", "Idleb", "Idleb", "Idleb", 35.929, 36.635),
    ("Idleb", "Idleb", "Saraqab", "Saraqab", 35.861, 36.806),
    ("Idleb", "Al Ma'ra", "Ma'arrat An Nu'man", "Ma'arrat An Nu'man", 35.648, 36.677),
    ("Idleb", "Harim", "Dana", "Sarmada", 36.178, 36.722),
    ("Idleb", "Ariha", "Ihsem", "Balyun", 35.696, 36.504),
    ("Aleppo", "Jebel Saman", "Atareb", "Atareb", 36.139, 36.829),
]
SOURCES = ["SOHR", "Syrian Civil Defence", "SANA", "Anadolu Agency", "Step Agency", "Orient News"]
PAIRS = [(t, s) for t, subs in ACLED_TAXONOMY.items() for s in subs]


def generate(path: Path, rows: int, seed: int = 2020) -> None:
    rng = random.Random(seed)
    start = date(2019, 12, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(ACLED_COLUMNS)
        for i in range(rows):
            event_type, sub = rng.choice(PAIRS)
            a1, a2 = rng.sample(ACTORS, 2)
            adm1, adm2, adm3, loc, lat, lon = rng.choice(PLACES)
            day = start + timedelta(days=rng.randrange(0, 120))
            fatalities = rng.choice((0, 0, 0, 1, 2, 3, 5, 8, 19, 34))
            values = {
                "event_id_cnty": f"SYR{i + 1:07d}",
                "event_date": day.isoformat(),
                "year": day.year,
                "time_precision": rng.choice((1, 1, 1, 2, 3)),
                "disorder_type": "Political violence",
                "event_type": event_type,
                "sub_event_type": sub,
                "actor1": a1[0],
                "assoc_actor_1": "",
                "inter1": a1[1],
                "actor2": a2[0],
                "assoc_actor_2": "",
                "inter2": a2[1],
                "interaction": f"{a1[1]}-{a2[1]}",
                "civilian_targeting": "Civilian targeting" if a2[1] == "Civilians" else "",
                "iso": 760,
                "region": "Middle East",
                "country": "Syria",
                "admin1": adm1,
                "admin2": adm2,
                "admin3": adm3,
                "location": loc,
                "latitude": f"{lat + rng.uniform(-0.02, 0.02):.4f}",
                "longitude": f"{lon + rng.uniform(-0.02, 0.02):.4f}",
                "geo_precision": rng.choice((1, 1, 2, 3)),
                "source": "; ".join(rng.sample(SOURCES, rng.choice((1, 1, 2)))),
                "source_scale": "National",
                "notes": f"On {day:%d %B %Y}, {a1[0]} and {a2[0]} ({sub.lower()}) near {loc}.",
                "fatalities": fatalities,
                "tags": "",
                "timestamp": 1582900000 + i,
            }
            out.writerow([values[c] for c in ACLED_COLUMNS])


def _raw_floor(csv_path: str, folder: Path, rows: int) -> float:
    """Rows/s of plain sqlite3 executemany of the same events into the same table and indexes.

    No parsing, validation, hashing or sources: the ceiling for any importer on this schema.
    """
    import sqlite3

    from haven.io.acled import AcledImporter
    from haven.io.reading import CsvRows
    from haven.store import Store
    from haven.store.mapping import event_to_row

    db_path = folder / "floor.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    Store.open(db_path, create=True).close()
    importer = AcledImporter()
    prepared = []
    for i, cells in enumerate(CsvRows(csv_path)):
        if i == rows:
            break
        event = importer.event(cells, "acled")
        row = event_to_row(event)
        row.update(
            id=i + 1, dataset="acled", record_id=event.key.record_id, revision=1, content_hash="0" * 32
        )
        row["date_start"] = row["date_start"].isoformat()
        prepared.append(row)
    names = list(prepared[0])
    values = [tuple(r[n] for n in names) for r in prepared]
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    sql = f"INSERT INTO events ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    started = time.perf_counter()
    connection.executemany(sql, values)
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return len(values) / elapsed


def _import(csv_path: str, db_path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from haven.io.acled import AcledImporter
    from haven.io.base import run_import
    from haven.store import Store

    store = Store.open(db_path, create=True)
    started = time.perf_counter()
    report = run_import(store, AcledImporter(), csv_path)
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((report.inserted, elapsed, peak_mib))


def measure(rows: int, folder: Path) -> tuple[int, float, float]:
    csv_path = folder / f"acled_{rows}.csv"
    if not csv_path.exists():
        generate(csv_path, rows)
    db_path = folder / f"bench_{rows}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()  # type: ignore[type-arg]
    # a fresh process per size, so its peak memory is this import's alone
    child = multiprocessing.get_context("spawn").Process(
        target=_import, args=(str(csv_path), str(db_path), queue)
    )
    child.start()
    result = queue.get()
    child.join()
    return result  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, action="append", help="rows to import (repeatable)")
    parser.add_argument("--dir", type=Path, help="where to keep generated files (default: a temp dir)")
    args = parser.parse_args()
    sizes = args.rows or [100_000, 1_000_000]
    folder = args.dir or Path(tempfile.mkdtemp(prefix="haven-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"ACLED import benchmark ({sys.platform}, Python {sys.version.split()[0]}), files in {folder}")
    print(f"{'rows':>10} {'seconds':>9} {'rows/s':>10} {'peak MiB':>9}")
    for rows in sizes:
        inserted, elapsed, peak = measure(rows, folder)
        assert inserted == rows, f"imported {inserted} of {rows}"
        print(f"{rows:>10,} {elapsed:>9.1f} {rows / elapsed:>10,.0f} {peak:>9.0f}")
    floor_rows = min(sizes[0], 100_000)
    floor = _raw_floor(str(folder / f"acled_{sizes[0]}.csv"), folder, floor_rows)
    print(
        f"ceiling: plain sqlite3 executemany of {floor_rows:,} prepared rows, same table: {floor:,.0f} rows/s"
    )
    print(f"rerun: .venv/bin/python bench/import_events.py {' '.join(f'--rows {n}' for n in sizes)}")


if __name__ == "__main__":
    main()
