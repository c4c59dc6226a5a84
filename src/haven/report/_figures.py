"""Which reported figures a report of one or more areas shows, and its key figures.

A figure belongs to the report of some areas when it describes

* one of the areas or a unit inside one (its p-code is the area's, or the area is in its admin chain);
* a wider unit that holds one of the areas (its p-code is in the area's chain, such as the country);
* an area named only in words ("Northwest Syria"). Haven cannot place such a figure, so, as
  ``haven figures reconcile`` does by default, it is kept and shown with the name its source gave;
  ``strict_areas`` leaves these out.

A figure p-coded to any other unit is left out. Every key figure says which area it describes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from haven.analysis.flows import AdminIndex
from haven.analysis.reconcile import ReconcileRules, area_label, describe, reconcile_figures
from haven.model import Figure, Place
from haven.report._format import day, period
from haven.report._sources import Citation, SourceList
from haven.services.overview import FigureGroup, group_order


def figures_for_areas(
    figures: Iterable[Figure], areas: Sequence[Place], index: AdminIndex, *, strict_areas: bool = False
) -> list[Figure]:
    """The figures a report of ``areas`` shows (see the module docstring)."""
    codes = {area.pcode for area in areas}
    wider = {code for area in areas for code in area.parents}
    kept = []
    for figure in figures:
        code = figure.area_pcode
        if code is None:
            if not strict_areas:
                kept.append(figure)
        elif code in codes or code in wider or not codes.isdisjoint(index.chain(code)):
            kept.append(figure)
    return kept


@dataclass(frozen=True)
class KeyFigure:
    """One quantity: its latest best value and the range of every report of it in the period."""

    group: FigureGroup
    label: str  # "displaced · children"
    counted: str  # "since 1 Dec 2019", "1 Feb – 29 Feb 2020", or "" for a stock
    area: str  # the area the latest report describes
    best: str  # "almost 1,000,000": the best value of the latest reports, as hedged
    best_value: float
    as_of: date | None
    low: str
    high: str
    reports: int
    publishers: tuple[str, ...]  # of every report of the quantity in the period
    citation: Citation  # of the latest reports, the ones the best value comes from
    flags: tuple[str, ...]  # the latest reports disagree, or describe different areas

    @property
    def range_text(self) -> str:
        return self.low if self.low == self.high else f"{self.low}–{self.high}"


def key_figures(
    figures: Sequence[Figure], sources: SourceList, rules: ReconcileRules | None = None
) -> list[KeyFigure]:
    """A key figure per quantity counted (metric, subgroup, counting start), most important first."""
    groups: dict[FigureGroup, list[Figure]] = defaultdict(list)
    for figure in figures:
        groups[FigureGroup(figure.metric, figure.subgroup, figure.period_start)].append(figure)
    out = []
    for group in sorted(groups, key=group_order):
        members = groups[group]
        reconciled = reconcile_figures(members, rules)
        latest = max(reconciled, key=lambda r: (r.last_day or date.min, r.latest.reported_on or date.min))
        best = latest.best_figure
        counted = ""
        if group.since is not None:
            # a count "as of" its last day runs "since" its start; one over a stated window names it
            running = best.as_of is not None and best.period_end in (None, best.as_of)
            counted = f"since {day(group.since)}" if running else period(group.since, best.effective_date)
        values = [f.value for f in members]
        published = [f.reported_on for f in latest.reports if f.reported_on]
        out.append(
            KeyFigure(
                group=group,
                label=group.label().replace("idps", "IDPs").replace(" pct", " (%)"),
                counted=counted,
                area=area_label(best),
                best=latest.best_text(),
                best_value=latest.best,
                as_of=latest.last_day,
                low=describe(min(values), percent=latest.percent),
                high=describe(max(values), percent=latest.percent),
                reports=len(members),
                publishers=tuple(dict.fromkeys(s.publisher for f in members for s in f.sources)),
                citation=sources.cite(
                    [s for f in latest.reports for s in f.sources], max(published, default=None)
                ),
                flags=tuple(latest.flags),
            )
        )
    return out


def headline_figures(figures: Sequence[KeyFigure], limit: int = 6) -> list[KeyFigure]:
    """One figure per metric for the front page: the whole population counted ("all"), the most
    reported counting start, the earliest on a tie; other subgroups only when a metric has no "all"."""
    best: dict[str, KeyFigure] = {}
    for figure in figures:
        held = best.get(figure.group.metric)
        rank = (figure.group.subgroup != "all", -figure.reports, figure.group.since or date.min)
        if held is None or rank < (held.group.subgroup != "all", -held.reports, held.group.since or date.min):
            best[figure.group.metric] = figure
    return list(best.values())[:limit]


__all__ = ["KeyFigure", "figures_for_areas", "headline_figures", "key_figures"]
