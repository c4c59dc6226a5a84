"""A simulation's results, Flee's ``out.csv`` and its error against the observed camp counts.

The error is Flee's "averaged relative difference" (``plot_flee_output.plot_errors``): for each day the
sum over camps of |simulated − observed| divided by the observed total in those camps (at least 1),
averaged over the days. The rescaled variant first scales the simulated camp counts so that their
total equals the observed total, which removes errors in the overall number of arrivals.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from haven.simulate.flee_input import FleeInputs
from haven.simulate.settings import Settings


def averaged_relative_difference(sim: np.ndarray, data: np.ndarray, rescaled: bool = False) -> float:
    """Flee's averaged relative difference of ``sim`` against ``data`` (both days × camps)."""
    sim = np.asarray(sim, dtype=np.float64)
    data = np.asarray(data, dtype=np.float64)
    if sim.size == 0:
        return float("nan")
    observed_total = data.sum(axis=1)
    if rescaled:
        sim_total = sim.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(sim_total > 0, observed_total / sim_total, 0.0)
        sim = sim * factor[:, None]
    diff = np.abs(sim - data).sum(axis=1) / np.maximum(observed_total, 1.0)
    return float(diff.mean())


@dataclass(frozen=True)
class SimulationResult:
    names: tuple[str, ...]
    start_date: date
    counts: np.ndarray = field(repr=False)  # days × locations: agents at each location after each day
    agents: np.ndarray = field(repr=False)  # agents in the simulation (at locations or on links), per day
    spawned: np.ndarray = field(
        repr=False
    )  # agents created per day (day 0 excludes the camps' initial counts)
    raw_total: np.ndarray = field(repr=False)  # flee's refugees_raw: interpolated observed total, per day
    debt: np.ndarray = field(repr=False)  # flee's refugee_debt, per day
    camps: tuple[int, ...]  # location indices of the camps compared with observed data
    observed: np.ndarray = field(repr=False)  # days × camps: observed (interpolated) counts
    unspawned: int = 0  # agents the data asked for when no location could spawn them
    agent_bytes: int = 0  # bytes held by the agent arrays

    @classmethod
    def build(
        cls,
        inputs: FleeInputs,
        settings: Settings,
        names: tuple[str, ...],
        initial_camp: np.ndarray,
        counts: np.ndarray,
        agents: np.ndarray,
        spawned: np.ndarray,
        raw: np.ndarray,
        debt: np.ndarray,
        unspawned: int,
        agent_bytes: int,
    ) -> SimulationResult:
        days = counts.shape[0]
        camps: list[int] = []
        columns: list[np.ndarray] = []
        if inputs.observed is not None:
            for i in np.flatnonzero(initial_camp):
                series = inputs.observed.camps.get(names[i])
                if series is not None:
                    camps.append(int(i))
                    columns.append(series.daily(inputs.start_date, days, settings.hasten))
        observed = np.stack(columns, axis=1) if columns else np.zeros((days, 0), dtype=np.int64)
        return cls(
            names,
            inputs.start_date,
            counts,
            agents,
            spawned,
            raw,
            debt,
            tuple(camps),
            observed,
            unspawned,
            agent_bytes,
        )

    @property
    def days(self) -> int:
        return int(self.counts.shape[0])

    def camp_counts(self) -> np.ndarray:
        """days × camps: simulated counts in the camps that have observed data."""
        return self.counts[:, list(self.camps)]

    def averaged_relative_difference(self, rescaled: bool = False) -> float:
        return averaged_relative_difference(self.camp_counts(), self.observed, rescaled)

    def location(self, name: str) -> np.ndarray:
        return self.counts[:, self.names.index(name)]

    def write_out_csv(self, path: str | Path) -> None:
        """Write Flee's ``out.csv`` layout (run.py of flee 3.x), one row per day."""
        sim = self.camp_counts()
        names = [self.names[i] for i in self.camps]
        header = ["Day", "Date"]
        for name in names:
            header += [f"{name} sim", f"{name} data", f"{name} error"]
        header += [
            "Total error",
            "refugees in camps (UNHCR)",
            "total refugees (simulation)",
            "raw UNHCR refugee count",
            "refugees in camps (simulation)",
            "refugee_debt",
        ]
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(header)
            for day in range(self.days):
                row: list[object] = [day, (self.start_date + timedelta(days=day)).isoformat()]
                abs_errors = []
                for j in range(len(names)):
                    s, d = int(sim[day, j]), int(self.observed[day, j])
                    rel = 0.0 if d < 0.00001 else round(abs(s / d - 1), 4)
                    abs_errors.append(abs(s - d))
                    row += [s, d, rel]
                raw = int(self.raw_total[day])
                total_error = float(sum(abs_errors)) / raw if raw > 0 else 0.0
                row += [
                    total_error,
                    int(self.observed[day].sum()),
                    int(self.agents[day]),
                    raw,
                    int(sim[day].sum()),
                    int(self.debt[day]),
                ]
                out.writerow(row)
