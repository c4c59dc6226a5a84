"""A daily series from reported cumulative figures ("displaced since 1 December", reported on many days).

How the estimate is made, step by step:

1. The figures of one metric, subgroup and counting start are reconciled
   (:func:`haven.analysis.reconcile.reconcile_figures`): reports of the same day become one point with
   a best value and the range the sources gave.
2. Each report's own uncertainty comes from its qualifier: an exact figure is itself; "about X" is
   X ± ``margin`` (10% by default); "over X" and "at least X" are X to X × (1 + margin); "almost X"
   and "up to X" are X × (1 - margin) to X. A point's band spans all its reports' bands.
3. A cumulative count cannot fall, so the best values are made non-decreasing (each is at least the
   one before), and the bands likewise (low as a running maximum from the start, high as a running
   minimum from the end).
4. The counting start is a point at zero. Days between points are interpolated linearly (best, low
   and high alike); nothing is extrapolated past the last report. The daily number of newly counted
   people is the day-to-day difference of the best estimate.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from haven.analysis.reconcile import CEILINGS, FLOORS, FigureReconciliation, ReconcileRules, reconcile_figures
from haven.errors import ValidationError
from haven.model import Figure, Qualifier


@dataclass(frozen=True)
class SeriesPoint:
    """One reconciled report day: the estimate and its band."""

    day: date
    low: float
    best: float
    high: float
    reconciliation: FigureReconciliation | None  # None for the counting start


@dataclass(frozen=True)
class DailyEstimate:
    day: date
    low: float
    best: float
    high: float
    new: float  # best today minus best yesterday
    observed: bool  # a report holds for this day


@dataclass
class CumulativeSeries:
    metric: str
    subgroup: str
    since: date | None
    points: list[SeriesPoint]
    days: list[DailyEstimate]

    @property
    def label(self) -> str:
        text = self.metric.replace("_", " ")
        if self.subgroup != "all":
            text += f" ({self.subgroup.replace('_', ' ')})"
        return text + (f" since {self.since:%d %b %Y}" if self.since else "")

    def on(self, day: date) -> DailyEstimate:
        for estimate in self.days:
            if estimate.day == day:
                return estimate
        raise ValidationError(
            f"the series has no estimate for {day} (it covers {self.days[0].day} to {self.days[-1].day})"
        )


def report_band(figure: Figure, margin: float = 0.1) -> tuple[float, float]:
    """The range one report allows, from its qualifier (see the module docstring)."""
    value = figure.value
    if figure.qualifier == Qualifier.EXACT:
        return value, value
    if figure.qualifier in FLOORS:
        return value, value * (1 + margin)
    if figure.qualifier in CEILINGS:
        return value * (1 - margin), value
    return value * (1 - margin), value * (1 + margin)


def cumulative_series(
    figures: Iterable[Figure],
    metric: str = "displaced",
    subgroup: str = "all",
    since: date | None = None,
    *,
    rules: ReconcileRules | None = None,
    margin: float = 0.1,
) -> CumulativeSeries:
    """The daily estimate of a cumulative count; ``since`` defaults to the most reported counting start."""
    if not 0 <= margin < 1:
        raise ValidationError(f"margin must be from 0 to below 1, got {margin}")
    chosen = [f for f in figures if f.metric == metric and f.subgroup == subgroup and f.effective_date]
    if since is None:
        starts = [f.period_start for f in chosen if f.period_start]
        since = max(set(starts), key=lambda d: (starts.count(d), -d.toordinal())) if starts else None
    chosen = [f for f in chosen if f.period_start == since]
    if not chosen:
        raise ValidationError(
            f"no figures of {metric} ({subgroup}) counted since {since or 'an unstated day'} "
            "to build a series from"
        )
    points: list[SeriesPoint] = []
    if since is not None:
        points.append(SeriesPoint(since, 0.0, 0.0, 0.0, None))
    for rec in reconcile_figures(chosen, rules):
        bands = [report_band(f, margin) for f in rec.reports]
        day = rec.last_day or rec.first_day
        assert day is not None
        low = min(min(b[0] for b in bands), rec.best)
        high = max(max(b[1] for b in bands), rec.best)
        points.append(SeriesPoint(day, low, rec.best, high, rec))
    points.sort(key=lambda p: p.day)
    points = _monotone(points)
    return CumulativeSeries(metric, subgroup, since, points, _daily(points))


def _monotone(points: list[SeriesPoint]) -> list[SeriesPoint]:
    best = low = 0.0
    out: list[SeriesPoint] = []
    for p in points:
        best, low = max(best, p.best), max(low, p.low)
        out.append(SeriesPoint(p.day, min(low, best), best, max(p.high, best), p.reconciliation))
    high = float("inf")
    for i in range(len(out) - 1, -1, -1):
        p = out[i]
        high = min(high, p.high)
        out[i] = SeriesPoint(p.day, p.low, p.best, max(high, p.best), p.reconciliation)
    return out


def _daily(points: list[SeriesPoint]) -> list[DailyEstimate]:
    days: list[DailyEstimate] = []
    previous_best: float | None = None
    observed = {p.day for p in points if p.reconciliation is not None}
    for a, b in zip(points, [*points[1:], points[-1]], strict=True):
        span = (b.day - a.day).days
        steps = range(span) if span else range(1)
        for step in steps:
            t = step / span if span else 0.0
            day = a.day + timedelta(days=step)
            best = a.best + (b.best - a.best) * t
            low = a.low + (b.low - a.low) * t
            high = a.high + (b.high - a.high) * t
            new = 0.0 if previous_best is None else best - previous_best
            days.append(DailyEstimate(day, low, best, high, new, day in observed))
            previous_best = best
    return days


def plot_series(series: CumulativeSeries, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Draw the estimate, its band and every report; PNG or SVG by the file's suffix."""
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg"):
        raise ValidationError(f"a chart is written as .png or .svg, not {out.suffix or 'no suffix'} ({out})")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    days = np.array([d.day for d in series.days], dtype="datetime64[D]")
    fig, ax = plt.subplots(figsize=(9, 4.8))
    try:
        ax.fill_between(
            days, [d.low for d in series.days], [d.high for d in series.days], alpha=0.25, label="band"
        )
        ax.plot(days, [d.best for d in series.days], linewidth=2, label="daily estimate")
        for point in series.points:
            rec = point.reconciliation
            if rec is None:
                continue
            for figure in rec.reports:
                colour = "tab:red" if rec.contradiction else "black"
                ax.plot(
                    np.array([point.day], dtype="datetime64[D]"),
                    [figure.value],
                    marker="o",
                    color=colour,
                    markersize=4,
                )
        ax.set_title(title or series.label)
        ax.set_ylabel("people")
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.legend(loc="upper left")
        fig.autofmt_xdate()
        fig.tight_layout()
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out)
    finally:
        plt.close(fig)
    return out


__all__ = [
    "CumulativeSeries",
    "DailyEstimate",
    "SeriesPoint",
    "cumulative_series",
    "plot_series",
    "report_band",
]
