"""Benchmark: how well the gazetteer resolves place names as reports write them, and how fast.

    .venv/bin/python bench/gazetteer.py            # evaluate bench/data/gazetteer_eval.csv
    .venv/bin/python bench/gazetteer.py --build    # rebuild it and the GeoNames subset from ../shared
    .venv/bin/python bench/gazetteer.py --misses dev   # list what the dev split gets wrong

The evaluation set (columns name, context, expected_pcode, origin, split) comes from four sources:

* ``key_events``: the curated key events' ``place_as_reported`` and their ``location_pcode``;
* ``geonames``: GeoNames names and alternate names of Syrian populated places (Latin or Arabic script,
  not GeoNames' lower-case machine transliterations), labelled with an OCHA community of the same
  sub-district: the nearest one within 5 km whose Arabic name is one of the GeoNames Arabic names, else
  the nearest within 1 km (labels from positions and Arabic names, never from Latin spellings); every
  spelling that equals an OCHA name of that community once normalised is left out;
* ``opensyria``: Open-Syria's English and Arabic names of governorates, districts and sub-districts that
  differ from OCHA's, written as "NAME governorate|district|sub-district";
  Each name appears twice: alone, and with the community's governorate as context;
* ``hand``: variants of famous places written for this benchmark, with and without context; a blank
  ``expected_pcode`` means the name must come back ambiguous.

``split``: GeoNames and Open-Syria rows are split by a hash of the row into ``dev`` (30 %, looked at
while tuning) and ``test`` (70 %, not looked at); ``key_events`` and ``hand`` rows are ``seen``: they
were written or read while the gazetteer was built. The headline figure is the ``test`` split.

GeoNames is also one of the gazetteer's name sources, so the evaluation builds the gazetteer without the
GeoNames rows that produced evaluation rows (``exclude_geonames``): a test name must be matched through
transliteration, not found in a table. The second run uses the gazetteer as shipped.
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import tempfile
import time
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
EVAL = ROOT / "bench" / "data" / "gazetteer_eval.csv"
GEONAMES_OUT = ROOT / "src" / "haven" / "data" / "nw-syria-2020" / "geonames_cities500_syria.csv"
GEONAMES_COLUMNS = (
    "geonameid",
    "name",
    "latitude",
    "longitude",
    "population",
    "ocha_adm3_pcode",
    "alternatenames",
)
COLUMNS = ("name", "context", "expected_pcode", "origin", "split")
MAX_NAMES_PER_PLACE = 6
LABEL_KM = 1.0
ARABIC_LABEL_KM = 5.0

# (name, context, expected p-code; "" = must be ambiguous)
HAND: list[tuple[str, str, str]] = [
    ("Saraqib", "", "C3916"),
    ("Saraqeb", "", "C3916"),
    ("Sarakeb", "", "C3916"),
    ("Saraqib city", "", "C3916"),
    ("سراقب", "", "C3916"),
    ("Serakib", "", "C3916"),
    ("Maarat al-Numan", "", "C3985"),
    ("Ma'arrat an-Nu'man", "", "C3985"),
    ("Maaret al-Noman", "", "C3985"),
    ("Marat al-Numan", "", "C3985"),
    ("Maarat Al Nouman", "", "C3985"),
    ("Ma‘arat al-Nu‘man", "", "C3985"),
    ("Maarat al-Nuuman", "", "C3985"),
    ("معرة النعمان", "", "C3985"),
    ("Jisr al-Shughur", "", "C4199"),
    ("Jisr ash-Shughur", "", "C4199"),
    ("Jisr al-Shugour", "", "C4199"),
    ("Jisr el-Shoghour", "", "C4199"),
    ("Cisr eş-Şugur", "", "C4199"),
    ("جسر الشغور", "", "C4199"),
    ("Idlib city", "", "C3871"),
    ("Idleb city", "", "C3871"),
    ("city of Idlib", "", "C3871"),
    ("Idlib", "", "C3871"),
    ("İdlib", "", "C3871"),
    ("Idlib province", "", "SY07"),
    ("Idleb governorate", "", "SY07"),
    ("محافظة إدلب", "", "SY07"),
    ("southern Idlib", "", "C3871"),
    ("Atmeh", "", "C4130"),
    ("Atma", "Idleb", "C4130"),
    ("Atmah", "", "C4130"),
    ("أطمة", "", "C4130"),
    ("Sarmada", "", "C4121"),
    ("Sermada", "", "C4121"),
    ("سرمدا", "", "C4121"),
    ("Dana", "", ""),
    ("Dana", "Idleb", ""),
    ("Dana", "Harim", "C4126"),
    ("Dana, Harim district", "", "C4126"),
    ("Dana", "Sarmada", "C4126"),
    ("Dana", "Al Bab", "C8154"),
    ("Dana, Aleppo", "", "C8154"),
    ("Dana", "Maarat al-Numan", "C3965"),
    ("Khan Shaykhun", "", "C3987"),
    ("Khan Sheikhoun", "", "C3987"),
    ("Kafr Nabl", "", "C4068"),
    ("Kafranbel", "", "C4068"),
    ("Kafr Nubl", "", "C4068"),
    ("Ariha", "Idlib", "C4278"),
    ("Harem", "", "C4115"),
    ("Salqeen", "", "C4140"),
    ("Azaz", "", "C1564"),
    ("A'zaz", "", "C1564"),
    ("Afrin", "", ""),
    ("Afrin", "Afrin district", "C1366"),
    ("al-Atarib", "", "C1022"),
    ("Atareb", "", "C1022"),
    ("Darat Izza", "", "C1139"),
    ("Balyun", "Jabal al-Zawiya", "C4302"),
    ("Ehsem", "", "C4295"),
    ("Ihsim", "", "C4295"),
    ("Kansafra", "", "C4309"),
    ("Termanin", "", "C4125"),
]

_LATIN_OR_ARABIC = set(range(0x20, 0x250)) | set(range(0x1E00, 0x1F00)) | set(range(0x2B0, 0x300))
_LATIN_OR_ARABIC |= set(range(0x600, 0x700)) | {0x2018, 0x2019, 0x200E, 0x200F}


def latin_or_arabic(name: str) -> bool:
    return bool(name) and all(ord(ch) in _LATIN_OR_ARABIC for ch in name)


def split_of(*parts: str) -> str:
    return "dev" if zlib.crc32("|".join(parts).encode()) % 10 < 3 else "test"


def km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def build(shared: Path) -> None:
    from haven.geo.names import is_arabic, normalize

    with open(
        shared / "places" / "geonames_cities500_syria_tr_border.csv", newline="", encoding="utf-8"
    ) as f:
        geonames = [r for r in csv.DictReader(f) if r["country_code"] == "SY"]
    with open(GEONAMES_OUT, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(GEONAMES_COLUMNS)
        for r in geonames:
            alternates = [n for n in r["alternatenames"].split("|") if latin_or_arabic(n)]
            writer.writerow([*(r[c] for c in GEONAMES_COLUMNS[:-1]), "|".join(alternates)])
    print(
        f"wrote {GEONAMES_OUT.relative_to(ROOT)}: {len(geonames)} rows, {GEONAMES_OUT.stat().st_size:,} bytes"
    )

    with open(shared / "places" / "ocha_syria_communities_aoc.csv", newline="", encoding="utf-8") as f:
        communities = list(csv.DictReader(f))
    by_adm3: dict[str, list[dict[str, str]]] = defaultdict(list)
    for c in communities:
        by_adm3[c["admin3pcode"]].append(c)

    rows: list[tuple[str, str, str, str, str]] = []
    with open(shared / "nw-syria-2020" / "key_events.csv", newline="", encoding="utf-8") as f:
        for e in csv.DictReader(f):
            if e["location_pcode"]:
                rows.append(
                    (e["place_as_reported"], "", e["location_pcode"], f"key_events:{e['event_id']}", "seen")
                )

    for g in geonames:
        lon, lat = float(g["longitude"]), float(g["latitude"])
        near = sorted(
            (km(lon, lat, float(c["longitude"]), float(c["latitude"])), c["admin4pcode"], c)
            for c in by_adm3.get(g["ocha_adm3_pcode"], ())
            if c["longitude"] and c["latitude"]
        )
        arabic = {normalize(n) for n in g["alternatenames"].split("|") if is_arabic(n)}
        same_arabic = [
            c for d, _, c in near if d <= ARABIC_LABEL_KM and normalize(c["admin4name_ar"]) in arabic
        ]
        if same_arabic:
            community = same_arabic[0]
        elif near and near[0][0] <= LABEL_KM:
            community = near[0][2]
        else:
            continue
        ocha = {
            normalize(community[k])
            for k in ("admin4name_en", "admin4name_ar", "location_name_en", "location_name_ar")
        }
        seen = set(ocha)
        names = []
        for name in [g["name"], *g["alternatenames"].split("|")]:
            if not latin_or_arabic(name) or (name.isascii() and name == name.lower()):
                continue  # other scripts, and GeoNames' lower-case machine transliterations ("sraqb")
            if normalize(name) in seen:
                continue
            seen.add(normalize(name))
            names.append(name)
        split = split_of("geonames", g["geonameid"])
        for name in names[:MAX_NAMES_PER_PLACE]:
            rows.append((name, "", community["admin4pcode"], f"geonames:{g['geonameid']}", split))
            rows.append(
                (
                    name,
                    community["admin1name_en"],
                    community["admin4pcode"],
                    f"geonames:{g['geonameid']}",
                    split,
                )
            )

    ocha_names: dict[str, set[str]] = defaultdict(set)
    for c in communities:
        for level in (1, 2, 3):
            ocha_names[c[f"admin{level}pcode"]] |= {
                normalize(c[f"admin{level}name_en"]),
                normalize(c[f"admin{level}name_ar"]),
            }
    kinds = {"1": ("governorate", "محافظة"), "2": ("district", "منطقة"), "3": ("sub-district", "ناحية")}
    with open(shared / "places" / "opensyria_admin_units_population.csv", newline="", encoding="utf-8") as f:
        for u in csv.DictReader(f):
            pcode, (en_word, ar_word) = u["ocha_pcode"], kinds[u["admin_level"]]
            if pcode not in ocha_names:
                continue
            for name, query in (
                (u["name_en"], f"{u['name_en']} {en_word}"),
                (u["name_ar"], f"{ar_word} {u['name_ar']}"),
            ):
                if name and normalize(name) not in ocha_names[pcode]:
                    rows.append(
                        (
                            query,
                            "",
                            pcode,
                            f"opensyria:{u['opensyria_id']}",
                            split_of("opensyria", pcode, name),
                        )
                    )

    rows.extend((name, context, expected, "hand", "seen") for name, context, expected in HAND)
    EVAL.parent.mkdir(parents=True, exist_ok=True)
    with open(EVAL, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[f"{row[3].split(':')[0]}/{row[4]}"] += 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"wrote {EVAL.relative_to(ROOT)}: {len(rows)} rows ({summary})")


def evaluate(rows: list[dict[str, str]], gazetteer: object, label: str) -> None:
    from haven.geo.gazetteer import Gazetteer, Status

    assert isinstance(gazetteer, Gazetteer)
    groups: dict[str, list[tuple[dict[str, str], object]]] = defaultdict(list)
    timings = []
    for row in rows:
        start = time.perf_counter()
        resolution = gazetteer.resolve(row["name"], row["context"] or None)
        timings.append(time.perf_counter() - start)
        origin = row["origin"].split(":")[0] + ("+context" if row["context"] else "")
        groups[f"{origin}/{row['split']}"].append((row, resolution))
        groups[f"all/{row['split']}"].append((row, resolution))
    print(f"\n{label}")
    header = ("n", 6), ("top-1", 8), ("top-3", 8), ("resolved", 10), ("right|res", 11), ("ambiguous", 11)
    print(f"  {'rows':<22}" + "".join(f"{h:>{w}}" for h, w in header) + f"{'unres.':>8}")
    for key in sorted(groups):
        items = groups[key]
        want = [(r, res) for r, res in items if r["expected_pcode"]]
        amb_rows = [(r, res) for r, res in items if not r["expected_pcode"]]
        n = len(want)
        if n:
            top1 = (
                sum(
                    bool(res.candidates) and res.candidates[0].pcode == r["expected_pcode"] for r, res in want
                )
                / n
            )
            top3 = sum(r["expected_pcode"] in [c.pcode for c in res.candidates[:3]] for r, res in want) / n
            resolved = [(r, res) for r, res in want if res.status is Status.RESOLVED]
            right = sum(res.best.pcode == r["expected_pcode"] for r, res in resolved) / max(1, len(resolved))
            ambiguous = sum(res.status is Status.AMBIGUOUS for _, res in want) / n
            unresolved = sum(res.status is Status.UNRESOLVED for _, res in want) / n
            print(
                f"  {key:<22}{n:>6}{top1:>8.1%}{top3:>8.1%}{len(resolved) / n:>10.1%}{right:>11.1%}"
                f"{ambiguous:>11.1%}{unresolved:>8.1%}"
            )
        if amb_rows:
            ok = sum(res.status is Status.AMBIGUOUS for _, res in amb_rows)
            print(f"  {key:<22}{len(amb_rows):>6}  must be ambiguous: {ok} of {len(amb_rows)} are")
    timings.sort()
    print(
        f"  timing: {len(timings)} names, median {statistics.median(timings) * 1e3:.2f} ms, "
        f"p95 {timings[int(0.95 * (len(timings) - 1))] * 1e3:.2f} ms, total {sum(timings):.2f} s (uncached)"
    )


def misses(rows: list[dict[str, str]], gazetteer: object, split: str) -> None:
    from haven.geo.gazetteer import Gazetteer

    assert isinstance(gazetteer, Gazetteer)
    for row in rows:
        if row["split"] != split or not row["expected_pcode"]:
            continue
        res = gazetteer.resolve(row["name"], row["context"] or None)
        got = res.candidates[0].pcode if res.candidates else "-"
        if got != row["expected_pcode"] or res.status.value != "resolved":
            alts = ", ".join(f"{c.pcode} {c.name} {c.score:.2f}" for c in res.candidates[:3])
            want = row["expected_pcode"]
            print(f"  {row['name']!r} ctx={row['context']!r} want {want} → {res.status.value}: {alts}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--build", action="store_true", help="rebuild the evaluation set from ../shared/data")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument(
        "--misses", choices=("dev", "seen"), help="list the rows of a split the gazetteer gets wrong"
    )
    args = parser.parse_args()
    if args.build:
        build(args.shared)
        return

    from haven.geo.gazetteer import Gazetteer
    from haven.services.reference import load_reference_crisis
    from haven.store import Store

    with open(EVAL, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "haven.db", create=True)
        start = time.perf_counter()
        load_reference_crisis(store)
        print(f"reference crisis loaded in {time.perf_counter() - start:.1f} s")
        held_out = {int(r["origin"].split(":")[1]) for r in rows if r["origin"].startswith("geonames:")}
        start = time.perf_counter()
        gazetteer = Gazetteer.from_store(store, exclude_geonames=held_out)
        print(
            f"gazetteer built in {time.perf_counter() - start:.2f} s: {len(gazetteer.places):,} places, "
            f"{len(gazetteer.geonames_linked)} GeoNames places linked ({len(held_out)} held out)"
        )
        if args.misses:
            misses(rows, gazetteer, args.misses)
            return
        evaluate(rows, gazetteer, "Without the GeoNames rows that made evaluation rows (the honest figure):")
        shipped = Gazetteer.from_store(store)
        print(
            f"\nshipped gazetteer: {len(shipped.geonames_linked)} GeoNames places linked, "
            f"{len(shipped.geonames_unlinked)} not linked"
        )
        evaluate(
            [r for r in rows if not r["origin"].startswith("geonames:")],
            shipped,
            "As shipped, all GeoNames names indexed (GeoNames rows left out: looked up, not resolved):",
        )
        names = [r["name"] for r in rows] * 3
        fresh = Gazetteer.from_store(store)
        start = time.perf_counter()
        for name in names:
            fresh.resolve(name)
        elapsed = time.perf_counter() - start
        print(f"\nthroughput: {len(names):,} names (each 3 times, cached after the first) in {elapsed:.2f} s")
        store.close()
    print("\nrerun: .venv/bin/python bench/gazetteer.py")


if __name__ == "__main__":
    main()
