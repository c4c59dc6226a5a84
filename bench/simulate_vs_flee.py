"""Benchmark and validate Haven's simulator side by side with flee 3.1.

Runs both on the same Flee input sets (flee's own small test set and FabFlee's Syria 2017 set from
../shared/data/flee/), Flee unseeded several times for a spread, Haven with seeds 0..N-1, and prints
wall time, time per agent per day, peak memory and the averaged relative difference against the
observed camp counts. Then a synthetic scale run of Haven alone (3 million agents, 100 days).

flee 3.1 is installed in its own virtual environment, bench/.venv-flee (git-ignored; created on
first use), so it never becomes a dependency of Haven. Every run is a fresh process, so that peak
memory (ru_maxrss above the process's own baseline after reading the inputs) is that run's alone.

    .venv/bin/python bench/simulate_vs_flee.py                      # everything (about 10 minutes)
    .venv/bin/python bench/simulate_vs_flee.py --flee-runs 3 --syria-days 120 --scale-agents 300000
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.simulate import FleeInputs

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "flee"
VENV = ROOT / "bench" / ".venv-flee"
FLEE_PY = VENV / "bin" / "python"

# Runs inside bench/.venv-flee: the day loop of flee 3.1's runscripts/run.py, timed.
FLEE_DRIVER = r"""
import json, os, resource, sys, time
from flee import flee, spawning, InputGeography
from flee.datamanager import handle_refugee_data, read_period
from flee.SimulationSettings import SimulationSettings

inp, data, days, yml = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
started = time.perf_counter()
SimulationSettings.ReadFromYML(yml)
start_date, _ = read_period.read_conflict_period(os.path.join(inp, "sim_period.csv"))
SimulationSettings.ConflictInputFile = os.path.join(inp, "conflicts.csv")
e = flee.Ecosystem()
ig = InputGeography.InputGeography()
ig.ReadConflictInputCSV(SimulationSettings.ConflictInputFile)
ig.ReadLocationsFromCSV(os.path.join(inp, "locations.csv"))
ig.ReadLinksFromCSV(os.path.join(inp, "routes.csv"))
ig.ReadClosuresFromCSV(os.path.join(inp, "closures.csv"))
e, lm = ig.StoreInputGeographyInEcosystem(e)
d = handle_refugee_data.RefugeeTable(
    csvformat="generic", data_directory=data, start_date=start_date, data_layout="data_layout.csv",
    population_scaledown_factor=SimulationSettings.optimisations["PopulationScaleDownFactor"],
)
d.ReadL1Corrections(os.path.join(inp, "registration_corrections.csv"))
camps = e.get_camp_names()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
for name in camps:
    spawning.add_initial_refugees(e, d, lm[name])
loop = time.perf_counter()
agent_days, sim, obs = 0, [], []
for t in range(days):
    ig.AddNewConflictZones(e, t)
    spawning.spawn_daily_displaced(e, t, d)
    spawning.refresh_spawn_weights(e)
    e.enact_border_closures(t)
    e.evolve()
    agent_days += e.numAgents()
    sim.append([lm[c].numAgents for c in camps])
    obs.append([d.get_field(c, t) for c in camps])
end = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"wall": end - started, "loop": end - loop, "agent_days": agent_days,
                  "agents": e.numAgents(),
                  "peak": peak - baseline, "sim": sim, "obs": obs}))
"""


def ensure_flee() -> None:
    if FLEE_PY.exists():
        return
    print(f"creating {VENV} with flee==3.1 ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(FLEE_PY), "-m", "pip", "install", "-q"]
    # flee's declared dependencies include mpi4py, muscle3 and plotting; the serial model needs only these
    subprocess.run([*pip, "--no-deps", "flee==3.1"], check=True)
    subprocess.run([*pip, "numpy", "pandas", "pyyaml", "beartype"], check=True)


def run_flee(case: dict, days: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        handle.write(f"optimisations:\n  hasten: {case['hasten']}\n")
        yml = handle.name
    try:
        done = subprocess.run(
            [str(FLEE_PY), "-c", FLEE_DRIVER, str(case["inputs"]), str(case["data"]), str(days), yml],
            check=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    finally:
        os.unlink(yml)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    from haven.simulate.validation import averaged_relative_difference

    result["ard"] = averaged_relative_difference(result["sim"], result["obs"])
    result["ard_rescaled"] = averaged_relative_difference(result["sim"], result["obs"], rescaled=True)
    return result


def _haven_worker(case: dict, days: int, seed: int, queue: multiprocessing.Queue) -> None:
    import resource

    from haven.simulate import Settings, load_flee_inputs, simulate

    started = time.perf_counter()
    if case.get("synthetic"):
        inputs = synthetic_inputs(case["agents"], days)
    else:
        inputs = load_flee_inputs(
            case["inputs"], data_folder=case["data"], settings=Settings(hasten=case["hasten"])
        )
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    loop = time.perf_counter()
    result = simulate(inputs, days=days, seed=seed)
    end = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    queue.put(
        {
            "wall": end - started,
            "loop": end - loop,
            "agent_days": int(result.agents.sum()),
            "agents": int(result.agents[-1]),
            "peak": peak - baseline,
            "state_bytes": result.agent_bytes,
            "ard": result.averaged_relative_difference(),
            "ard_rescaled": result.averaged_relative_difference(True),
        }
    )


def run_haven(case: dict, days: int, seed: int) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_haven_worker, args=(case, days, seed, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def synthetic_inputs(agents: int, days: int) -> FleeInputs:
    """A made-up country: 20 conflict zones, 40 towns, 20 camps abroad, all of ``agents`` spawned on day 0."""
    import numpy as np

    from haven.simulate import FleeInputs, Location, Route, Settings
    from haven.simulate.observed import ObservedData, Series

    rng = np.random.default_rng(7)
    locations, routes = [], []
    for i in range(80):
        kind = "conflict_zone" if i < 20 else "town" if i < 60 else "camp"
        country = "Home" if i < 60 else ("East" if i % 2 else "West")
        pop = int(rng.integers(50_000, 2_000_000)) if i < 20 else (agents // 15 if kind == "camp" else 0)
        x, y = float(rng.uniform(0, 10)), float(rng.uniform(0, 10)) + (3.0 if kind == "camp" else 0.0)
        locations.append(Location(f"L{i}", "R", country, y, x, kind, 0 if i < 20 else None, pop))
    coords = np.array([[loc.lat, loc.lon] for loc in locations])
    seen = set()
    for i in range(80):
        near = np.argsort(((coords - coords[i]) ** 2).sum(axis=1))[1:4]
        for j in near:
            key = (min(i, int(j)), max(i, int(j)))
            if key not in seen:
                seen.add(key)
                km = float(np.sqrt(((coords[i] - coords[j]) ** 2).sum()) * 100 + 20)
                routes.append(Route(f"L{key[0]}", f"L{key[1]}", round(km, 1)))
    start = date(2020, 1, 1)
    total = Series(
        "total", "<synthetic>", (start, start + timedelta(days=days)), np.array([agents, agents], float)
    )
    observed = ObservedData("<synthetic>", total, {})
    settings = Settings(insert_day0=False)
    return FleeInputs(
        "<synthetic>", tuple(locations), tuple(routes), (), None, start, days, observed, settings
    )


def summarize(label: str, model: str, runs: list[dict], flee_per: float | None) -> list[str]:
    per = statistics.mean(r["loop"] / r["agent_days"] * 1e6 for r in runs)
    peak = max(r["peak"] for r in runs)
    agents = max(r["agents"] for r in runs)
    ard = [r["ard"] for r in runs]
    ardr = [r["ard_rescaled"] for r in runs]
    speed = f"{flee_per / per:,.0f}×" if flee_per else "–"
    return [
        label,
        model,
        str(len(runs)),
        f"{statistics.mean(r['wall'] for r in runs):.2f}",
        f"{per:.4f}",
        speed,
        f"{peak / 2**20:.1f}",
        f"{peak / agents:.0f}" if agents else "-",
        f"{statistics.mean(ard):.4f} ({min(ard):.4f}–{max(ard):.4f})",
        f"{statistics.mean(ardr):.4f} ({min(ardr):.4f}–{max(ardr):.4f})",
    ]


def table(rows: list[list[str]]) -> str:
    header = [
        "input set",
        "model",
        "runs",
        "wall s",
        "µs/agent-day",
        "speed-up",
        "peak MB",
        "bytes/agent",
        "avg rel diff mean (min–max)",
        "rescaled mean (min–max)",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--flee-runs", type=int, default=10)
    parser.add_argument("--haven-runs", type=int, default=10)
    parser.add_argument("--syria-days", type=int, default=365, help="at most 1581 (conflicts.csv ends there)")
    parser.add_argument("--syria-hasten", type=int, default=100, help="flee's population scale-down factor")
    parser.add_argument("--scale-agents", type=int, default=3_000_000)
    parser.add_argument("--scale-days", type=int, default=100)
    parser.add_argument("--skip-flee", action="store_true")
    args = parser.parse_args()
    cases = [
        {
            "label": "flee test set",
            "inputs": SHARED / "flee_test_input_csv",
            "data": SHARED / "flee_test_input_csv" / "refugee_data",
            "hasten": 1,
            "days": 10,
        },
        {
            "label": f"syria2017_adm2, {args.syria_days} d, hasten {args.syria_hasten}",
            "inputs": SHARED / "syria2017_adm2" / "input_files",
            "data": SHARED / "syria2017_adm2" / "source_data",
            "hasten": args.syria_hasten,
            "days": args.syria_days,
        },
    ]
    if not args.skip_flee:
        ensure_flee()
    rows = []
    for case in cases:
        flee_per = None
        if not args.skip_flee:
            runs = []
            for i in range(args.flee_runs):
                runs.append(run_flee(case, case["days"]))
                print(
                    f"  flee run {i + 1}/{args.flee_runs} on {case['label']}: {runs[-1]['loop']:.1f} s",
                    flush=True,
                )
            flee_per = statistics.mean(r["loop"] / r["agent_days"] * 1e6 for r in runs)
            rows.append(summarize(case["label"], "flee 3.1 (unseeded)", runs, None))
        runs = [run_haven(case, case["days"], seed) for seed in range(args.haven_runs)]
        print(f"  haven: {args.haven_runs} runs on {case['label']}", flush=True)
        rows.append(summarize(case["label"], "Haven (seeds 0..)", runs, flee_per))
    full = dict(cases[1], hasten=1, label=f"syria2017_adm2, {args.syria_days} d, full scale")
    # speed-up against flee's time per agent-day on this set at hasten 100 (flee is too slow at full scale)
    rows.append(summarize(full["label"], "Haven (seed 0)", [run_haven(full, full["days"], 0)], flee_per))
    scale = {"synthetic": True, "agents": args.scale_agents}
    result = run_haven(scale, args.scale_days, 0)
    print()
    print(table(rows))
    print()
    per = result["loop"] / result["agent_days"] * 1e6
    print(
        f"Scale run (Haven, synthetic, {args.scale_agents:,} agents × {args.scale_days} days): "
        f"{result['loop']:.1f} s simulating ({result['wall']:.1f} s with set-up), {per:.4f} µs/agent-day, "
        f"peak {result['peak'] / 2**20:.0f} MB = {result['peak'] / args.scale_agents:.0f} bytes/agent "
        f"(agent state {result['state_bytes'] / args.scale_agents:.0f} bytes/agent)"
    )
    print()
    print("Rerun: .venv/bin/python bench/simulate_vs_flee.py " + shlex.join(sys.argv[1:]))


if __name__ == "__main__":
    main()
