"""Reconciling numbers that several sources reported for the same thing.

Two figures describe the same thing when they share the metric and subgroup, start counting on the
same day (within ``date_tolerance_days``), hold for the same day (within the tolerance of the group's
first report) and describe the same area (see :class:`ReconcileRules.area_match`). Each group shows
every report, the low and high reported, the latest, the relative spread, a best value chosen by
documented rules, and a flag when the reports contradict each other beyond ``spread_tolerance``.

The rules, in the order ``ReconcileRules.order`` gives (the first that separates two reports wins):

``reliability``
    the better Admiralty grade of the report's sources (A best, F cannot be judged); a grade given for
    a publisher in ``publisher_grades`` overrides the one stored with the source.
``recency``
    the later publication (``reported_on``), then the later date the figure holds for: a later report
    of the same count usually corrects an earlier one.
``specificity``
    one point each for a stated as-of date, a p-coded area and an exact (unhedged) value.

Then, with ``respect_qualifiers``, the qualifiers bound the best value: "over X" and "at least X" are
floors, "almost X" and "up to X" ceilings; a best value below a floor is raised to it, one above a
ceiling lowered to it, and a floor above a ceiling is a contradiction. Two reports contradict when
they differ by more than ``spread_tolerance`` of the larger, unless the smaller is a floor or the larger
a ceiling (over 800,000 and 900,000 agree).

Event fatalities: :func:`reconcile_event_fatalities` groups events from several datasets that share
a day (within ``event_day_tolerance``) and a place (the same p-code or points within
``event_distance_km``), and reads the counts a curated event's notes name ("4 then 5 or 6 soldiers;
... said 7 soldiers and 1 civilian") with :func:`counts_in_notes`, by what they count.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from haven.errors import ValidationError
from haven.geo.crs import distance_km
from haven.model import Event, Figure, Qualifier, Reliability, Source

RULES = ("reliability", "recency", "specificity")
FLOORS = frozenset({Qualifier.OVER, Qualifier.AT_LEAST})
CEILINGS = frozenset({Qualifier.ALMOST, Qualifier.UP_TO})
_GRADES = "ABCDEF"


@dataclass(frozen=True)
class ReconcileRules:
    """How figures are grouped and how the best value is chosen (see the module docstring)."""

    order: tuple[str, ...] = RULES
    date_tolerance_days: int = 3
    spread_tolerance: float = 0.2
    respect_qualifiers: bool = True
    area_match: str = "loose"  # "loose": an area named only in words matches a p-coded one; "strict"
    publisher_grades: Mapping[str, Reliability] = field(default_factory=dict)
    event_day_tolerance: int = 1
    event_distance_km: float = 5.0

    def __post_init__(self) -> None:
        unknown = [rule for rule in self.order if rule not in RULES]
        if unknown or not self.order:
            raise ValidationError(
                f"unknown reconciliation rule(s) {', '.join(unknown) or '(none given)'} "
                f"(expected some of {', '.join(RULES)})"
            )
        if self.area_match not in ("loose", "strict"):
            raise ValidationError(f"area_match must be 'loose' or 'strict', got {self.area_match!r}")
        if not 0 <= self.spread_tolerance < 1:
            raise ValidationError(f"spread_tolerance must be from 0 to below 1, got {self.spread_tolerance}")
        if self.date_tolerance_days < 0:
            raise ValidationError("date_tolerance_days cannot be negative")

    def grade(self, sources: Sequence[Source]) -> Reliability:
        """The best grade among a report's sources, publisher overrides first."""
        overrides = {name.casefold(): grade for name, grade in self.publisher_grades.items()}
        grades = [overrides.get(s.publisher.casefold(), s.reliability) for s in sources]
        return min(grades, key=lambda g: _GRADES.index(g.value), default=Reliability.F)


def describe(value: float, qualifier: Qualifier = Qualifier.EXACT, *, percent: bool = False) -> str:
    """'over 948,000': a number as its source hedged it."""
    number = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    return qualifier.words + number + ("%" if percent else "")


def specificity(figure: Figure) -> int:
    """One point each for an as-of date, a p-coded area and an unhedged value."""
    return (
        int(figure.as_of is not None)
        + int(bool(figure.area_pcode))
        + int(figure.qualifier == Qualifier.EXACT)
    )


def area_label(figure: Figure) -> str:
    if figure.area_name and figure.area_pcode:
        return f"{figure.area_name} ({figure.area_pcode})"
    return figure.area_name or figure.area_pcode or "area not given"


def _area_norm(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def areas_match(a: Figure, b: Figure, mode: str = "loose") -> bool:
    """Equal p-codes; or, neither p-coded, equal names; or, in loose mode, one named only in words."""
    if a.area_pcode and b.area_pcode:
        return a.area_pcode == b.area_pcode
    if not a.area_pcode and not b.area_pcode:
        return _area_norm(a.area_name) == _area_norm(b.area_name)
    return mode == "loose"


def consistent(low: Figure, high: Figure, tolerance: float) -> bool:
    """Whether two reports (``low.value <= high.value``) can both be right."""
    if low.value > high.value:
        low, high = high, low
    if low.qualifier in FLOORS or high.qualifier in CEILINGS:
        return True
    return high.value == 0 or (high.value - low.value) / high.value <= tolerance


@dataclass
class FigureReconciliation:
    """Reports of one quantity on (about) one day, and what to make of them."""

    metric: str
    subgroup: str
    since: date | None
    first_day: date | None
    last_day: date | None
    reports: list[Figure]
    low: float
    high: float
    best: float
    best_qualifier: Qualifier
    best_figure: Figure
    latest: Figure
    spread: float
    contradiction: bool
    areas_differ: bool
    reasons: list[str]
    flags: list[str]

    @property
    def label(self) -> str:
        text = self.metric.replace("_", " ")
        return text if self.subgroup == "all" else f"{text} · {self.subgroup.replace('_', ' ')}"

    @property
    def percent(self) -> bool:
        return self.metric.endswith("_pct") or self.subgroup.endswith("_pct")

    def best_text(self) -> str:
        return describe(self.best, self.best_qualifier, percent=self.percent)

    def range_text(self) -> str:
        if self.low == self.high:
            return describe(self.low, percent=self.percent)
        return f"{describe(self.low, percent=self.percent)}–{describe(self.high, percent=self.percent)}"


def _ranking(rules: ReconcileRules) -> Callable[[Figure], tuple[object, ...]]:
    def key(figure: Figure) -> tuple[object, ...]:
        parts: list[object] = []
        for rule in rules.order:
            if rule == "reliability":
                parts.append(_GRADES.index(rules.grade(figure.sources).value))
            elif rule == "recency":
                reported = figure.reported_on or figure.effective_date or date.min
                parts.append(-reported.toordinal())
                parts.append(-(figure.effective_date or date.min).toordinal())
            else:
                parts.append(-specificity(figure))
        parts.append(figure.key.record_id)  # a stable last resort
        return tuple(parts)

    return key


def _days(a: date | None, b: date | None) -> int | None:
    if a is None or b is None:
        return None if a is not b else 0
    return abs((a - b).days)


def group_figures(figures: Iterable[Figure], rules: ReconcileRules | None = None) -> list[list[Figure]]:
    """Figures that describe the same quantity on (about) the same day, each group in date order.

    Figures are taken in date order; each joins the first open group of its metric and subgroup whose
    first report is within the tolerance, whose counting start is within it too, and whose every
    report describes a matching area. Groups are looked up by area p-code, so a community table of
    thousands of rows groups in linear time.
    """
    rules = rules or ReconcileRules()
    tol = rules.date_tolerance_days
    ordered = sorted(
        figures,
        key=lambda f: (f.metric, f.subgroup, f.effective_date or date.max, f.reported_on or date.max),
    )
    groups: list[list[Figure]] = []
    bucket: tuple[str, str] | None = None
    by_pcode: dict[str, list[list[Figure]]] = defaultdict(list)
    unpcoded: list[list[Figure]] = []  # groups none of whose reports has a p-code
    for figure in ordered:
        if (figure.metric, figure.subgroup) != bucket or figure.effective_date is None:
            bucket = (figure.metric, figure.subgroup)
            by_pcode, unpcoded = defaultdict(list), []
        if figure.effective_date is None:
            groups.append([figure])
            continue
        if figure.area_pcode:
            candidates = by_pcode.get(figure.area_pcode, []) + (
                unpcoded if rules.area_match == "loose" else []
            )
        else:
            pcoded = [g for gs in by_pcode.values() for g in gs] if rules.area_match == "loose" else []
            candidates = unpcoded + pcoded
        joined = None
        for group in candidates:
            head = group[0]
            since_gap = _days(head.period_start, figure.period_start)
            day_gap = _days(head.effective_date, figure.effective_date)
            if since_gap is None or since_gap > tol or day_gap is None or day_gap > tol:
                continue
            if all(areas_match(member, figure, rules.area_match) for member in group):
                joined = group
                break
        if joined is None:
            joined = [figure]
            groups.append(joined)
            if not figure.area_pcode:
                unpcoded.append(joined)
        else:
            joined.append(figure)
            if figure.area_pcode and joined in unpcoded:
                unpcoded.remove(joined)
        if figure.area_pcode and not any(g is joined for g in by_pcode[figure.area_pcode]):
            by_pcode[figure.area_pcode].append(joined)
    return groups


def reconcile_group(group: Sequence[Figure], rules: ReconcileRules | None = None) -> FigureReconciliation:
    """Low, high, best (with the reasons), latest, spread and contradictions of one group."""
    rules = rules or ReconcileRules()
    if not group:
        raise ValidationError("cannot reconcile an empty group of figures")
    values = [f.value for f in group]
    low, high = min(values), max(values)
    ranked = sorted(group, key=_ranking(rules))
    chosen = ranked[0]
    reasons = [f"rules {' > '.join(rules.order)} pick {chosen.key.record_id} ({_publishers(chosen)})"]
    if len(group) == 1:
        reasons = [f"the only report ({_publishers(chosen)})"]
    best, qualifier = chosen.value, chosen.qualifier
    flags: list[str] = []
    if rules.respect_qualifiers:
        floors = [f for f in group if f.qualifier in FLOORS]
        ceilings = [f for f in group if f.qualifier in CEILINGS]
        floor = max(floors, key=lambda f: f.value, default=None)
        ceiling = min(ceilings, key=lambda f: f.value, default=None)
        if floor is not None and ceiling is not None and floor.value > ceiling.value:
            flags.append(
                f"'{describe(floor.value, floor.qualifier)}' ({floor.key.record_id}) is above "
                f"'{describe(ceiling.value, ceiling.qualifier)}' ({ceiling.key.record_id})"
            )
        elif floor is not None and best < floor.value:
            reasons.append(
                f"raised to the floor '{describe(floor.value, floor.qualifier)}' of {floor.key.record_id}"
            )
            best, qualifier = floor.value, Qualifier.AT_LEAST
        elif ceiling is not None and best > ceiling.value:
            reasons.append(
                f"lowered to the ceiling '{describe(ceiling.value, ceiling.qualifier)}' "
                f"of {ceiling.key.record_id}"
            )
            best, qualifier = ceiling.value, Qualifier.UP_TO
    for i, a in enumerate(group):
        for b in group[i + 1 :]:
            if not consistent(a, b, rules.spread_tolerance):
                small, large = sorted((a, b), key=lambda f: f.value)
                flags.append(
                    f"{describe(small.value, small.qualifier)} ({_publishers(small)}) vs "
                    f"{describe(large.value, large.qualifier)} ({_publishers(large)}): "
                    f"{(large.value - small.value) / large.value:.0%} apart, "
                    f"beyond the {rules.spread_tolerance:.0%} tolerance"
                )
    areas = {area_label(f) for f in group}
    if len(areas) > 1:
        flags.append("areas differ: " + "; ".join(sorted(areas)))
    days = [f.effective_date for f in group if f.effective_date]
    latest = max(group, key=lambda f: (f.reported_on or date.min, f.effective_date or date.min))
    return FigureReconciliation(
        metric=chosen.metric,
        subgroup=chosen.subgroup,
        since=chosen.period_start,
        first_day=min(days, default=None),
        last_day=max(days, default=None),
        reports=sorted(group, key=lambda f: (f.reported_on or date.min, f.key.record_id)),
        low=low,
        high=high,
        best=best,
        best_qualifier=qualifier,
        best_figure=chosen,
        latest=latest,
        spread=0.0 if high == 0 else (high - low) / high,
        contradiction=any(not f.startswith("areas differ") for f in flags),
        areas_differ=len(areas) > 1,
        reasons=reasons,
        flags=flags,
    )


def reconcile_figures(
    figures: Iterable[Figure],
    rules: ReconcileRules | None = None,
    *,
    metrics: Sequence[str] = (),
    contradictions_only: bool = False,
    informative_only: bool = False,
) -> list[FigureReconciliation]:
    """Group and reconcile figures; series of the same quantity come out together in date order.

    ``informative_only`` keeps groups with more than one report, or that belong to a series (the same
    metric, subgroup, counting start and area reported on several days); it drops the one-off stocks
    a community table gives, one per community.
    """
    rules = rules or ReconcileRules()
    chosen = [f for f in figures if not metrics or f.metric in metrics]
    result = [reconcile_group(group, rules) for group in group_figures(chosen, rules)]
    if contradictions_only:
        result = [r for r in result if r.contradiction]
    if informative_only:
        counts: dict[tuple[object, ...], int] = defaultdict(int)
        for r in result:
            counts[_series_key(r)] += 1
        result = [r for r in result if len(r.reports) > 1 or counts[_series_key(r)] > 1]
    return sorted(
        result,
        key=lambda r: (
            r.metric,
            r.subgroup != "all",
            r.subgroup,
            r.since or date.min,
            r.first_day or date.max,
        ),
    )


def _series_key(r: FigureReconciliation) -> tuple[object, ...]:
    return (r.metric, r.subgroup, r.since, area_label(r.best_figure))


def _publishers(figure: Figure) -> str:
    names = "; ".join(dict.fromkeys(s.publisher for s in figure.sources)) or "no source"
    when = f", {figure.reported_on:%d %b %Y}" if figure.reported_on else ""
    return names + when


# ---------------------------------------------------------------- counts named in event notes
COUNT_NOUNS: dict[str, str] = {
    **{w: "soldier" for w in ("soldier", "soldiers", "troops", "servicemen", "personnel")},
    **{w: "civilian" for w in ("civilian", "civilians")},
    **{w: "person" for w in ("people", "persons", "person", "dead", "deaths", "bodies")},
    **{w: "child" for w in ("child", "children", "kids")},
    **{w: "fighter" for w in ("fighter", "fighters", "combatants", "militants")},
    **{w: "woman" for w in ("woman", "women")},
}
_MONTHS = {m.casefold() for m in calendar.month_name[1:] + calendar.month_abbr[1:]} | {"sept"}
_CONNECTORS = {"then", "or", "and", "to", ",", "-", "–"}
_TOKEN = re.compile(r"(?<![\w.:/-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w:/]|\.\d|-\w)|[A-Za-z]+|[,–-]")
_CLAUSE = re.compile(r"[;.()]\s*|\s+per\s+")
_NOUN_WINDOW = 3


@dataclass(frozen=True)
class CountMention:
    """A number a text names, with what it counts when a following word says so ("7 soldiers")."""

    value: int
    noun: str | None
    clause: str


def counts_in_notes(text: str | None) -> list[CountMention]:
    """The counts a note names, in order. Dates, times, years and codes (Su-24, M4) are not counts.

    Numbers joined by "then", "or", "and", "to" or a comma share the word after the last of them:
    "4 then 5 or 6 soldiers" names three counts of soldiers.
    """
    found: list[CountMention] = []
    for clause in _CLAUSE.split(text or ""):
        tokens = [m.group(0) for m in _TOKEN.finditer(clause)]
        for i, token in enumerate(tokens):
            if not token[0].isdigit():
                continue
            value = int(token.replace(",", ""))
            before = tokens[i - 1].casefold() if i else ""
            after = tokens[i + 1].casefold() if i + 1 < len(tokens) else ""
            if before in _MONTHS or after in _MONTHS:
                continue
            last = i
            while (
                last + 2 < len(tokens)
                and tokens[last + 1].casefold() in _CONNECTORS
                and tokens[last + 2][0].isdigit()
            ):
                last += 2
            noun = None
            for word in tokens[last + 1 : last + 1 + _NOUN_WINDOW]:
                if word[0].isdigit():
                    break
                if word.casefold() in COUNT_NOUNS:
                    noun = COUNT_NOUNS[word.casefold()]
                    break
            if 1900 <= value <= 2100 and len(token) == 4 and noun is None:
                continue  # a year
            found.append(CountMention(value, noun, clause.strip()))
    return found


@dataclass
class EventFatalities:
    """The fatalities of one event as one or more datasets and notes report them."""

    events: list[Event]
    day: date
    place: str
    low: float | None
    best: float | None
    high: float | None
    best_from: str | None
    mentions: list[CountMention]
    counts_by_noun: dict[str, list[int]]
    spread: float
    contradiction: bool
    flags: list[str]


def same_event(a: Event, b: Event, rules: ReconcileRules) -> bool:
    """Same day (within tolerance) and same place (p-code, or points within the distance)."""
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    gap = max((b.date_start - a_end).days, (a.date_start - b_end).days, 0)
    if gap > rules.event_day_tolerance:
        return False
    if a.point and b.point:
        return distance_km(a.point, b.point) <= rules.event_distance_km
    return bool(a.place_pcode) and a.place_pcode == b.place_pcode


def reconcile_event_fatalities(
    events: Iterable[Event], rules: ReconcileRules | None = None, *, contradictions_only: bool = False
) -> list[EventFatalities]:
    """Events with fatalities (or counts in their notes), grouped across datasets and reconciled.

    low is the lowest low (or best) reported, high the highest high (or best); best is the best of
    the record whose sources grade highest, the higher count on a tie (tolls rise as bodies are
    found). A group is flagged when its low and high, or the counts its notes name of one kind of
    victim, differ by more than the tolerance.
    """
    rules = rules or ReconcileRules()
    candidates = [e for e in events if e.fatalities.is_known]
    groups: list[list[Event]] = []
    for event in sorted(candidates, key=lambda e: (e.date_start, e.key.dataset, e.key.record_id)):
        for group in groups:
            if any(same_event(member, event, rules) for member in group) and all(
                member.key.dataset != event.key.dataset for member in group
            ):
                group.append(event)
                break
        else:
            groups.append([event])
    result = [_reconcile_event_group(group, rules) for group in groups]
    return [r for r in result if r.contradiction] if contradictions_only else result


def _reconcile_event_group(group: list[Event], rules: ReconcileRules) -> EventFatalities:
    lows = [v for e in group for v in (e.fatalities.low, e.fatalities.best) if v is not None]
    highs = [v for e in group for v in (e.fatalities.high, e.fatalities.best) if v is not None]
    ranked = sorted(
        (e for e in group if e.fatalities.best is not None),
        key=lambda e: (_GRADES.index(rules.grade(e.sources).value), -(e.fatalities.best or 0)),
    )
    mentions = [m for e in group for m in counts_in_notes(e.notes)]
    by_noun: dict[str, list[int]] = defaultdict(list)
    for mention in mentions:
        if mention.value not in by_noun[mention.noun or "unspecified"]:
            by_noun[mention.noun or "unspecified"].append(mention.value)
    low, high = (min(lows) if lows else None), (max(highs) if highs else None)
    flags: list[str] = []
    tol = rules.spread_tolerance
    if low is not None and high and (high - low) / high > tol:
        flags.append(f"fatalities reported from {low:g} to {high:g}: {(high - low) / high:.0%} apart")
    for noun, counts in by_noun.items():
        if len(counts) > 1 and (max(counts) - min(counts)) / max(counts) > tol:
            flags.append(f"{noun} counts named: {', '.join(map(str, counts))}")
    first = group[0]
    return EventFatalities(
        events=group,
        day=first.date_start,
        place=first.location_name or first.place_pcode or "place not given",
        low=low,
        high=high,
        best=ranked[0].fatalities.best if ranked else None,
        best_from=str(ranked[0].key) if ranked else None,
        mentions=mentions,
        counts_by_noun=dict(by_noun),
        spread=0.0 if not high or low is None else (high - low) / high,
        contradiction=bool(flags),
        flags=flags,
    )


__all__ = [
    "COUNT_NOUNS",
    "RULES",
    "CountMention",
    "EventFatalities",
    "FigureReconciliation",
    "ReconcileRules",
    "areas_match",
    "consistent",
    "counts_in_notes",
    "describe",
    "group_figures",
    "reconcile_event_fatalities",
    "reconcile_figures",
    "reconcile_group",
    "same_event",
    "specificity",
]
