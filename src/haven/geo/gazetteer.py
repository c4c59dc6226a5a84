"""The gazetteer: resolve a place name as reports write it to ranked OCHA places, offline.

``Gazetteer.from_store(store)`` indexes every place a store holds (admin units and communities: their
English and Arabic names and alternate names) plus the GeoNames alternate names shipped with Haven,
each linked to the OCHA community it names. ``resolve("Saraqeb")`` then returns a :class:`Resolution`:
its status (resolved, ambiguous or unresolved) and the ranked :class:`Candidate` places, each with
p-code, level, point, admin chain and a score in 0-1.

Matching, in falling order of score: the same normalised name (``names.normalize``), the same
``soft_form``, the same consonant ``skeleton`` (scored by the soft forms' similarity), and a fuzzy
match of soft forms (rapidfuzz). Context then weighs the candidates: a governorate, district or
sub-district named in ``context`` (or after a comma: ``"Dana, Idleb"``), nearby places (proximity to a
named community, or ``near`` points), and the country. A name that fits several unrelated places
about equally well is reported ambiguous with the competitors rather than guessed; a name that
matches an admin unit and a community inside it (Idleb the governorate and Idleb the city) is one
place at several levels, ordered by the level the query asks for ("Idlib province", ``level=1``) or
else community first.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz, process

from haven.errors import NotFoundError
from haven.geo.crs import distance_km
from haven.geo.names import is_arabic, normalize, skeleton, soft_form
from haven.model import Place
from haven.store import RecordFilter, Store

GEONAMES_FILE = "geonames_cities500_syria.csv"
GEONAMES_DATASET = "nw-syria-2020"

MARGIN = 0.05  # a rival within this much of the best makes the name ambiguous
MIN_SCORE = 0.75  # below this the best candidate is not taken
CONTEXT_MIN = 0.9  # a context word must match a place this well to count
NEAR_FULL_KM = 15.0  # proximity support is full within this distance ...
NEAR_ZERO_KM = 60.0  # ... and falls linearly to nothing here
CONTRADICTED = 0.6  # factor for a candidate that a named context contradicts
OTHER_COUNTRY = 0.3  # factor for a candidate in another country than the one named
LEVEL_MISMATCH = 0.9  # factor for a candidate at another level than the query names
FUZZY_CUTOFF = 80.0

LevelHint = int | Literal["largest"] | None

COUNTRIES: dict[str, str] = {
    normalize(name): code
    for code, names in {
        "SY": ("Syria", "Syrian Arab Republic", "سوريا", "سورية", "Suriye", "Syrie"),
        "TR": ("Turkey", "Türkiye", "Turkiye", "تركيا"),
        "LB": ("Lebanon", "لبنان"),
        "IQ": ("Iraq", "العراق"),
        "JO": ("Jordan", "الأردن"),
    }.items()
    for name in names
}

# Words around a name that say what kind of place it is, not which: "Idlib city", "southern Idleb".
_LEVEL_WORDS: dict[str, LevelHint] = {
    **dict.fromkeys(("city", "town", "village", "مدينه", "بلده", "قريه"), 4),
    **dict.fromkeys(("subdistrict", "nahiya", "nahia", "ناحيه"), 3),
    **dict.fromkeys(("district", "mantiqa", "mantika", "منطقه"), 2),
    **dict.fromkeys(("province", "governorate", "muhafaza", "muhafazah", "محافظه"), 1),
    **dict.fromkeys(("area", "region", "zone", "escalation"), "largest"),
}
_FILLER_WORDS = (
    "of the in near around outskirts suburbs suburb countryside rural de sub centre center camp camps "
    "north south east west northern southern eastern western northeast northwest southeast southwest "
    "northeastern northwestern southeastern southwestern central greater ريف شمال جنوب شرق غرب مركز"
)
_FILLER = frozenset(_FILLER_WORDS.split(" "))
_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


class Status(StrEnum):
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may mean. ``chain``: ``((pcode, name), ...)`` from the country down to the parent."""

    pcode: str
    name: str
    level: int
    point: tuple[float, float] | None  # (lon, lat)
    chain: tuple[tuple[str, str], ...]
    score: float
    matched_name: str
    match: str  # "exact", "variant" or "fuzzy"
    source: str  # where the matched name comes from: "ocha" or "geonames"
    name_ar: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "pcode": self.pcode,
            "name": self.name,
            "name_ar": self.name_ar,
            "level": self.level,
            "lon": self.point[0] if self.point else None,
            "lat": self.point[1] if self.point else None,
            "chain": [{"pcode": p, "name": n} for p, n in self.chain],
            "score": round(self.score, 4),
            "matched_name": self.matched_name,
            "match": self.match,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a name resolved to. ``best`` is the chosen place only when the status is resolved."""

    query: str
    status: Status
    candidates: tuple[Candidate, ...]
    searched: str = ""  # the name looked up, descriptors and context removed
    context_used: tuple[str, ...] = ()  # context words that named a known place or country
    note: str = ""

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.status is Status.RESOLVED and self.candidates else None

    def to_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "status": self.status.value,
            "searched": self.searched,
            "context_used": list(self.context_used),
            "note": self.note,
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass(frozen=True, slots=True)
class GeonamesPlace:
    """A row of the shipped GeoNames subset: a populated place with its names and OCHA sub-district."""

    geonameid: int
    name: str
    lon: float
    lat: float
    population: int
    adm3_pcode: str
    names: tuple[str, ...]


@dataclass(slots=True)
class _Query:
    name: str
    level: LevelHint = None
    context: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Match:
    place: int
    score: float
    name: str
    kind: str
    source: str


def read_geonames(path: str | Path | None = None) -> list[GeonamesPlace]:
    """The GeoNames subset shipped with Haven (or another file with the same columns)."""
    if path is None:
        resource = files("haven") / "data" / GEONAMES_DATASET / GEONAMES_FILE
        if not isinstance(resource, Path) or not resource.is_file():
            raise NotFoundError(f"the GeoNames names file {GEONAMES_FILE!r} is not installed ({resource})")
        path = resource
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            GeonamesPlace(
                geonameid=int(row["geonameid"]),
                name=row["name"],
                lon=float(row["longitude"]),
                lat=float(row["latitude"]),
                population=int(row["population"] or 0),
                adm3_pcode=row["ocha_adm3_pcode"],
                names=tuple(
                    dict.fromkeys([row["name"], *(n for n in row["alternatenames"].split("|") if n)])
                ),
            )
            for row in csv.DictReader(handle)
        ]


def name_similarity(query: str, name: str) -> tuple[float, str]:
    """How well two spellings agree, 0-1, and the kind of match: exact, variant, fuzzy or none."""
    if normalize(query) == normalize(name):
        return 1.0, "exact"
    q, n = soft_form(query), soft_form(name)
    if q and q == n:
        return 0.97, "variant"
    ratio = fuzz.ratio(q, n) / 100
    if skeleton(query) and skeleton(query) == skeleton(name):
        return 0.75 + 0.15 * ratio, "variant"
    if ratio * 100 >= FUZZY_CUTOFF:
        return 0.9 * ratio, "fuzzy"
    return 0.0, "none"


def _index_names(place: Place) -> list[str]:
    """A place's names plus their bare forms: "Dana (Al Bab)" → "Dana", "سراقب - حلب" → "سراقب".

    OCHA writes the area that tells same-named communities apart in brackets or after " - "; that part
    is not a name of the community, so only what comes before it is indexed.
    """
    names = place.all_names()
    for name in list(names):
        bare = _BRACKETS.sub(" ", name).strip()
        names.extend(p.strip() for p in (bare, re.split(r"\s+[-–]\s+", bare)[0]) if p.strip())
    names.extend(_arabic_size_forms(names))
    return list(dict.fromkeys(n for n in names if normalize(n)))


# OCHA's English names translate the size word Arabic names end with ("Big Orm" is أورم الكبرى);
# reports transliterate it ("Orm al-Kubra", "Urum al-Kubra", "Oweinat Kabira").
_SIZE_FORMS = {
    "big": ("al-Kubra", "al-Kabir", "al-Kabira", "Kabir", "Kabira", "Kbir", "Kbira"),
    "small": ("al-Sughra", "al-Saghir", "al-Saghira", "Saghir", "Saghira", "Sghir", "Sghira"),
}


def _arabic_size_forms(names: list[str]) -> list[str]:
    forms = []
    for name in names:
        size, _, rest = name.partition(" ")
        for suffix in _SIZE_FORMS.get(size.casefold(), ()) if rest else ():
            forms.append(f"{rest} {suffix}")
    return forms


class Gazetteer:
    """An in-memory index of place names; build it once per store and resolve many names against it."""

    def __init__(
        self,
        places: Iterable[Place],
        geonames: Iterable[GeonamesPlace] = (),
        *,
        link_km: float = 8.0,
    ) -> None:
        self.places: list[Place] = list(places)
        self._by_pcode = {p.pcode: i for i, p in enumerate(self.places)}
        self._exact: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        self._soft: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        self._skeleton: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for i, place in enumerate(self.places):
            for name in _index_names(place):
                self._add(i, name, "ocha")
        self.geonames_linked: dict[int, str] = {}  # geonameid -> p-code
        self.geonames_unlinked: list[GeonamesPlace] = []
        self._link_geonames(list(geonames), link_km)
        self._soft_keys = list(self._soft)
        self._cache: dict[tuple[str, tuple[str, ...], LevelHint, bool], Resolution] = {}

    @classmethod
    def from_store(
        cls, store: Store, *, geonames: bool = True, exclude_geonames: Iterable[int] = ()
    ) -> Gazetteer:
        """Index the places in ``store``; with ``geonames``, add the shipped GeoNames names to them.

        ``exclude_geonames`` leaves out GeoNames rows by id (the benchmark holds its test rows out).
        """
        excluded = set(exclude_geonames)
        rows = [g for g in read_geonames() if g.geonameid not in excluded] if geonames else []
        return cls(store.list("place", RecordFilter()), rows)

    # ------------------------------------------------------------ building
    def _add(self, place: int, name: str, source: str) -> None:
        entry = (place, name, source)
        for table, key in (
            (self._exact, normalize(name)),
            (self._soft, soft_form(name)),
            (self._skeleton, skeleton(name)),
        ):
            if key and entry not in table[key]:
                table[key].append(entry)

    def _link_geonames(self, rows: list[GeonamesPlace], link_km: float) -> None:
        """Give each GeoNames place's names to the community in its sub-district it names, if near enough."""
        by_adm3: dict[str, list[int]] = defaultdict(list)
        for i, place in enumerate(self.places):
            if place.level == 4 and len(place.parents) >= 4:
                by_adm3[place.parents[3]].append(i)
        for row in rows:
            best: tuple[float, float, int] | None = None
            for i in by_adm3.get(row.adm3_pcode, ()):
                place = self.places[i]
                if place.point is None:
                    continue
                distance = distance_km(place.point, (row.lon, row.lat))
                if distance > link_km:
                    continue
                similarity = max(
                    name_similarity(g, n)[0] for g in row.names for n in _index_names(place)
                    if is_arabic(g) == is_arabic(n)
                )  # fmt: skip
                if similarity >= 0.8 and (best is None or (similarity, -distance) > (best[0], -best[1])):
                    best = (similarity, distance, i)
            if best is None:
                self.geonames_unlinked.append(row)
                continue
            self.geonames_linked[row.geonameid] = self.places[best[2]].pcode
            for name in row.names:
                self._add(best[2], name, "geonames")

    # ------------------------------------------------------------ resolving
    def resolve(
        self,
        name: str,
        context: str | Sequence[str] | None = None,
        *,
        level: LevelHint = None,
        near: Sequence[tuple[float, float]] = (),
        limit: int = 5,
        fuzzy: bool = True,
    ) -> Resolution:
        """Resolve one name. ``context``: place names or a country that the name lies in or near.

        ``level`` asks for an admin level (0-4) or ``"largest"`` when a name is both an admin unit and
        a community in it; ``near`` gives (lon, lat) points the place should be close to. With
        ``fuzzy=False`` only the same name, soft form or consonant skeleton matches: a caller that would
        never take a fuzzy match is spared the fuzzy search over every indexed name (the costliest step).
        """
        contexts = [context] if isinstance(context, str) else list(context or ())
        key = (name, tuple(contexts), level, fuzzy)
        if not near and key in self._cache:
            return self._cache[key]
        resolution = self._resolve(name, contexts, level, near, limit, fuzzy)
        if not near:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = resolution
        return resolution

    def resolve_many(
        self,
        names: Sequence[str],
        context: str | Sequence[str] | None = None,
        *,
        limit: int = 5,
        fuzzy: bool = True,
    ) -> list[Resolution]:
        """Resolve names that occur together (one report): the ones that resolve help place the ambiguous."""
        first = [self.resolve(n, context, limit=limit, fuzzy=fuzzy) for n in names]
        points = [r.best.point for r in first if r.best is not None and r.best.point is not None]
        if not points:
            return first
        return [
            self.resolve(n, context, near=points, limit=limit, fuzzy=fuzzy)
            if r.status is Status.AMBIGUOUS
            else r
            for n, r in zip(names, first, strict=True)
        ]

    def clear_cache(self) -> None:
        """Forget the names resolved so far (they are remembered until there are 50,000)."""
        self._cache.clear()

    def _resolve(
        self,
        text: str,
        contexts: list[str],
        level: LevelHint,
        near: Sequence[tuple[float, float]],
        limit: int,
        fuzzy: bool = True,
    ) -> Resolution:
        query = parse_query(text)
        hint = level if level is not None else query.level
        scored = self._matches(query.name, fuzzy=fuzzy)
        if not scored:
            return Resolution(text, Status.UNRESOLVED, (), query.name, note="no place has a name like this")
        factors, used = self._context_factors(list(scored), [*query.context, *contexts], near)
        ranked: list[tuple[float, _Match]] = []
        for i, match in scored.items():
            score = match.score * factors.get(i, 1.0)
            if isinstance(hint, int) and self.places[i].level != hint:
                score *= LEVEL_MISMATCH
            ranked.append((score, match))
        ranked.sort(key=lambda sm: (-sm[0], _level_key(self.places[sm[1].place].level, hint), sm[1].place))
        ordered, status, note = self._decide(ranked, hint)
        candidates = tuple(self._candidate(m, s) for s, m in ordered[:limit])
        return Resolution(text, status, candidates, query.name, tuple(used), note)

    def _matches(self, name: str, *, fuzzy: bool = True) -> dict[int, _Match]:
        """Every place with a name like ``name``, with the best score among its names (fuzzy matches
        only with ``fuzzy``)."""
        if not normalize(name):
            return {}
        found: dict[int, _Match] = {}

        def offer(entries: Iterable[tuple[int, str, str]]) -> None:
            for place, indexed, source in entries:
                score, kind = name_similarity(name, indexed)
                old = found.get(place)
                if score > 0 and (old is None or score > old.score):
                    found[place] = _Match(place, score, indexed, kind, source)

        offer(self._exact.get(normalize(name), ()))
        offer(self._soft.get(soft_form(name), ()))
        offer(self._skeleton.get(skeleton(name), ()))
        soft = soft_form(name)
        if fuzzy and len(soft) >= 4 and not any(m.score >= 0.9 for m in found.values()):
            for key, _, _ in process.extract(
                soft, self._soft_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=25
            ):
                offer(self._soft[key])
        return found

    def _context_factors(
        self, places: list[int], contexts: list[str], near: Sequence[tuple[float, float]]
    ) -> tuple[dict[int, float], list[str]]:
        """A factor in (0, 1] per candidate: how well the context supports it."""
        factors = dict.fromkeys(places, 1.0)
        used: list[str] = []
        for raw in contexts:
            for part in _split_context(raw):
                country = COUNTRIES.get(normalize(part))
                if country:
                    used.append(part)
                    for i in places:
                        if self._country(i) != country:
                            factors[i] *= OTHER_COUNTRY
                    continue
                admins, points = self._context_places(part)
                if not admins and not points:
                    continue
                used.append(part)
                for i in places:
                    factors[i] *= CONTRADICTED + (1 - CONTRADICTED) * self._support(i, admins, points)
        if near:
            for i in places:
                factors[i] *= CONTRADICTED + (1 - CONTRADICTED) * self._support(i, set(), list(near))
        return factors, used

    def _context_places(self, part: str) -> tuple[set[str], list[tuple[float, float]]]:
        """The admin units (p-codes) and community points a context word names."""
        query = parse_query(part)
        admins: set[str] = set()
        points: list[tuple[float, float]] = []
        # A fuzzy match scores 0.9 x its ratio, under CONTEXT_MIN: the fuzzy search could not count here.
        for i, match in self._matches(query.name, fuzzy=False).items():
            if match.score < CONTEXT_MIN:
                continue
            place = self.places[i]
            if place.level < 4:
                admins.add(place.pcode)
            if place.level == 4 and place.point is not None:
                points.append(place.point)
        return admins, points

    def _support(self, i: int, admins: set[str], points: list[tuple[float, float]]) -> float:
        place = self.places[i]
        if admins and (place.pcode in admins or admins.intersection(place.parents)):
            return 1.0
        if not points or place.point is None:
            return 0.0
        distance = min(distance_km(place.point, p) for p in points)
        return max(0.0, min(1.0, (NEAR_ZERO_KM - distance) / (NEAR_ZERO_KM - NEAR_FULL_KM)))

    def _country(self, i: int) -> str:
        place = self.places[i]
        return place.parents[0] if place.parents else place.pcode[:2]

    def _related(self, a: int, b: int) -> bool:
        pa, pb = self.places[a], self.places[b]
        return pa.pcode in pb.parents or pb.pcode in pa.parents

    def _decide(
        self, ranked: list[tuple[float, _Match]], hint: LevelHint
    ) -> tuple[list[tuple[float, _Match]], Status, str]:
        """Order the top place's own levels by preference, then see whether an unrelated rival comes close."""
        top_score, top = ranked[0]
        family = [
            (s, m) for s, m in ranked
            if (m.place == top.place or self._related(m.place, top.place)) and s >= top_score - MARGIN
        ]  # fmt: skip
        family.sort(key=lambda sm: (_level_key(self.places[sm[1].place].level, hint), -sm[0]))
        members = {m.place for _, m in family}
        rest = [
            (s, m)
            for s, m in ranked
            if m.place not in members and not any(self._related(m.place, f) for f in members)
        ]
        related = [(s, m) for s, m in ranked if m.place not in members and (s, m) not in rest]
        ordered = [*family, *sorted([*rest, *related], key=lambda sm: -sm[0])]
        if top_score < MIN_SCORE:
            return ordered, Status.UNRESOLVED, f"no name matches well enough (best {top_score:.2f})"
        if rest and rest[0][0] >= top_score - MARGIN:
            rivals: list[int] = []  # one per unrelated place: Dana the sub-district goes with Dana the town
            for s, m in rest:
                if s >= top_score - MARGIN and not any(self._related(m.place, r) for r in rivals):
                    rivals.append(m.place)
            return (
                [*family, *rest, *related],
                Status.AMBIGUOUS,
                f"{len(rivals) + 1} unrelated places fit about equally well; name a governorate, district "
                f"or nearby place to choose",
            )
        return ordered, Status.RESOLVED, ""

    def _candidate(self, match: _Match, score: float) -> Candidate:
        place = self.places[match.place]
        chain = []
        for code in place.parents:
            j = self._by_pcode.get(code)
            if j is not None:
                chain.append((code, self.places[j].name_en))
        return Candidate(
            pcode=place.pcode,
            name=place.name_en,
            level=int(place.level),
            point=place.point,
            chain=tuple(chain),
            score=round(min(1.0, score), 4),
            matched_name=match.name,
            match=match.kind,
            source=match.source,
            name_ar=place.name_ar,
        )


def _level_key(level: int, hint: LevelHint) -> tuple[int, int]:
    if hint == "largest":
        return (level, 0)
    if isinstance(hint, int):
        return (abs(level - hint), -level)
    return (0, -level)  # community first: its chain holds the units above it


def _split_context(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;،؛]|\s+/\s+", text) if p.strip()]


def parse_query(text: str) -> _Query:
    """Split a reported place into the name to look up, a level hint and context.

    ``"Dana, Idleb"`` → name Dana, context Idleb; ``"Balyun (Jabal al-Zawiya)"`` → context in brackets;
    ``"Idlib city; Maaret Tamsrin"`` → the first place, the others as nearby context; ``"west of Saraqib"``,
    ``"Maarat al-Numan countryside"`` → descriptors dropped; ``"Idlib province"`` → level 1.
    """
    context = [a or b for a, b in _BRACKETS.findall(text)]
    text = _BRACKETS.sub(" ", text)
    parts = [p.strip() for p in re.split(r"[;,،؛]", text) if p.strip()]
    if not parts:
        return _Query("", None, context)
    head, context = parts[0], [*parts[1:], *context]
    tokens = re.sub(r"\bsub (district|districts)\b", r"sub\1", normalize(head)).split()
    hint: LevelHint = None
    kept = list(tokens)
    while kept and (kept[0] in _FILLER or kept[0] in _LEVEL_WORDS):
        hint = _LEVEL_WORDS.get(kept.pop(0), hint)
    while kept and (kept[-1] in _FILLER or kept[-1] in _LEVEL_WORDS):
        hint = _LEVEL_WORDS.get(kept.pop(), hint)
    if not kept:
        kept = tokens
        hint = None
    name = head if kept == tokens else " ".join(kept)
    return _Query(name, hint, context)


__all__ = [
    "Candidate",
    "Gazetteer",
    "GeonamesPlace",
    "Resolution",
    "Status",
    "name_similarity",
    "parse_query",
    "read_geonames",
]
