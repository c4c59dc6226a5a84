"""Ensembles on Dask: many seeds of one input set, summarised as median and 5-95% bands.

``run_ensemble(inputs, runs=200)`` starts a Dask ``LocalCluster`` (or connects to ``scheduler``, a
``tcp://host:port`` address, with the same code), sends the inputs to every worker once (``scatter``)
and then only seeds: each task is one run and returns its counts as int32, restricted to the locations
asked for (``keep``) plus the sums over groups of locations (``groups``, e.g. zones), so that results
stay small. Bands are computed over runs for each location (or group) and day; a group's band is taken
over the runs' group sums, never by adding locations' bands.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from haven.errors import ValidationError
from haven.simulate.flee_input import FleeInputs
from haven.simulate.scenario import Scenario, run_scenario

QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class Bands:
    """Per day (rows) and column: the 5% quantile, the median and the 95% quantile over runs."""

    names: tuple[str, ...]
    low: np.ndarray = field(repr=False)
    median: np.ndarray = field(repr=False)
    high: np.ndarray = field(repr=False)

    @classmethod
    def over_runs(cls, names: Sequence[str], runs: np.ndarray, scale: float = 1.0) -> Bands:
        """Bands of ``runs`` (runs × days × columns), multiplied by ``scale``."""
        if runs.shape[0] == 0:
            raise ValidationError("no runs to summarise")
        low, median, high = np.quantile(runs.astype(np.float64) * scale, QUANTILES, axis=0)
        return cls(tuple(names), low, median, high)

    def column(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        j = self.names.index(name)
        return self.low[:, j], self.median[:, j], self.high[:, j]


@dataclass(frozen=True)
class EnsembleResult:
    """Counts of every run for the kept locations and the groups (agents, int32)."""

    start_date: date
    seeds: tuple[int, ...]
    names: tuple[str, ...]  # the kept locations
    runs: np.ndarray = field(repr=False)  # runs × days × kept locations
    group_names: tuple[str, ...] = ()
    group_runs: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0), np.int32), repr=False)

    @property
    def days(self) -> int:
        return int(self.runs.shape[1])

    def bands(self, scale: float = 1.0) -> Bands:
        return Bands.over_runs(self.names, self.runs, scale)

    def group_bands(self, scale: float = 1.0) -> Bands:
        return Bands.over_runs(self.group_names, self.group_runs, scale)


def run_one(
    inputs: FleeInputs, days: int, seed: int, keep: np.ndarray | None, groups: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """One run (on a worker): the kept columns and the group sums of its counts, as int32."""
    counts = run_scenario(inputs, days, seed).counts
    kept = counts if keep is None else counts[:, keep]
    sums = np.stack([counts[:, g].sum(axis=1) for g in groups], axis=1) if groups else np.zeros((days, 0))
    return kept.astype(np.int32), sums.astype(np.int32)


def _local_cluster(workers: int, processes: bool) -> Any:
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=processes,
        dashboard_address=":0",  # a free port: never the default 8787 another cluster may hold
        scheduler_port=0,
    )


def run_ensemble(
    inputs: FleeInputs,
    runs: int = 200,
    *,
    days: int | None = None,
    first_seed: int = 0,
    scheduler: str | Any | None = None,
    workers: int | None = None,
    processes: bool = True,
    keep: Sequence[int] | np.ndarray | None = None,
    groups: Mapping[str, Sequence[int] | np.ndarray] | None = None,
) -> EnsembleResult:
    """Run seeds ``first_seed .. first_seed + runs - 1`` in parallel on Dask.

    ``scheduler``: None starts a ``LocalCluster`` of ``workers`` single-threaded workers (default: the
    number of CPUs, at most 4; ``processes=False`` keeps them as threads in this process) and closes it
    afterwards; a string is a scheduler address (``tcp://host:8786``); a ``distributed.Client`` is used
    as it is and left open.
    """
    from distributed import Client

    if runs < 1:
        raise ValidationError(f"an ensemble of {runs} runs; expected at least 1")
    length = inputs.length if days is None else days
    if length < 1:
        raise ValidationError(f"days is {length}; expected at least 1")
    kept_idx = None if keep is None else np.asarray(keep, dtype=np.int64)
    group_items = list((groups or {}).items())
    group_idx = tuple(np.asarray(idx, dtype=np.int64) for _, idx in group_items)
    names = inputs.locations
    kept_names = (
        tuple(loc.name for loc in names) if kept_idx is None else tuple(names[i].name for i in kept_idx)
    )
    seeds = tuple(range(first_seed, first_seed + runs))

    cluster = None
    if isinstance(scheduler, Client):
        client, own_client = scheduler, False
    elif scheduler is None:
        cluster = _local_cluster(workers or min(os.cpu_count() or 1, 4), processes)
        client, own_client = Client(cluster), True
    else:
        client, own_client = Client(scheduler), True
    try:
        shared = client.scatter(inputs, broadcast=True)  # the inputs travel once; tasks carry seeds
        futures = client.map(
            run_one, [shared] * runs, [length] * runs, seeds, keep=kept_idx, groups=group_idx
        )
        results = client.gather(futures)
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()
    return EnsembleResult(
        start_date=inputs.start_date,
        seeds=seeds,
        names=kept_names,
        runs=np.stack([r[0] for r in results]),
        group_names=tuple(name for name, _ in group_items),
        group_runs=np.stack([r[1] for r in results]),
    )


def _run_here(
    inputs: FleeInputs, seeds: tuple[int, ...], days: int, keep: np.ndarray, groups: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, np.ndarray]:
    results = [run_one(inputs, days, seed, keep, groups) for seed in seeds]
    return np.stack([r[0] for r in results]), np.stack([r[1] for r in results])


@dataclass(frozen=True)
class Forecast:
    """A scenario's forecast: people (agents × people per agent) per site and per zone, per day."""

    scenario: Scenario
    ensemble: EnsembleResult
    sites: Bands  # columns: site p-codes
    zones: Bands  # columns: zone names

    @property
    def dates(self) -> list[date]:
        from datetime import timedelta

        return [self.scenario.spec.start + timedelta(days=d) for d in range(self.ensemble.days)]

    def top_sites(self, n: int = 10) -> list[str]:
        """The ``n`` sites with the largest median on the last day (ties: by p-code)."""
        last = self.sites.median[-1]
        order = sorted(range(len(self.sites.names)), key=lambda j: (-last[j], self.sites.names[j]))
        return [self.sites.names[j] for j in order[:n]]

    def site_rows(self, n: int | None = None) -> list[dict[str, Any]]:
        """Per site: its label, host community and the last day's band, largest median first."""
        sc = self.scenario
        index = sc.inputs.index()
        rows = []
        for code in self.top_sites(len(self.sites.names) if n is None else n):
            low, median, high = self.sites.column(code)
            i = index[code]
            rows.append(
                {
                    "site": code,
                    "name": sc.labels[i],
                    "host_community": sc.host[i],
                    "low": round(float(low[-1]), 1),
                    "median": round(float(median[-1]), 1),
                    "high": round(float(high[-1]), 1),
                }
            )
        return rows

    def as_dict(self, sites: int | None = None) -> dict[str, Any]:
        """JSON-ready: the scenario, and daily bands for the zones and the sites (largest first)."""

        def series(bands: Bands, name: str) -> dict[str, list[float]]:
            low, median, high = bands.column(name)
            return {
                key: np.round(v, 1).tolist() for key, v in (("p5", low), ("median", median), ("p95", high))
            }

        return {
            "scenario": self.scenario.summary(),
            "runs": len(self.ensemble.seeds),
            "seeds": [self.ensemble.seeds[0], self.ensemble.seeds[-1]],
            "dates": self.dates,
            "unit": "people displaced during the forecast, present at the location at the end of the day",
            "zones": {name: series(self.zones, name) for name in self.zones.names},
            "sites": [{**row, **series(self.sites, row["site"])} for row in self.site_rows(sites)],
        }


def forecast_scenario(
    scenario: Scenario,
    runs: int = 1,
    *,
    first_seed: int = 0,
    scheduler: str | Any | None = None,
    workers: int | None = None,
    processes: bool = True,
) -> Forecast:
    """Forecast arrivals per site and per zone: one run here, or an ensemble on Dask.

    A single run without a scheduler runs in this process; anything else goes through
    :func:`run_ensemble`. Counts are agents times ``people_per_agent``.
    """
    sites = scenario.indices("site")
    groups = {name: idx for name, idx in scenario.zones.items()}
    inputs = scenario.inputs
    if runs == 1 and scheduler is None:
        kept, sums = _run_here(
            inputs, (first_seed,), inputs.length, sites, tuple(np.asarray(g) for g in groups.values())
        )
        result = EnsembleResult(
            inputs.start_date,
            (first_seed,),
            tuple(inputs.locations[i].name for i in sites),
            kept,
            tuple(groups),
            sums,
        )
    else:
        result = run_ensemble(
            inputs,
            runs,
            first_seed=first_seed,
            scheduler=scheduler,
            workers=workers,
            processes=processes,
            keep=sites,
            groups=groups,
        )
    scale = float(scenario.people_per_agent)
    return Forecast(scenario, result, result.bands(scale), result.group_bands(scale))


__all__ = [
    "QUANTILES",
    "Bands",
    "EnsembleResult",
    "Forecast",
    "forecast_scenario",
    "run_ensemble",
    "run_one",
]
