"""Displacement simulation: a fast, vectorized re-implementation of Flee's rules.

inputs = load_flee_inputs("path/to/flee/input")   # locations.csv, routes.csv, ... refugee data
result = simulate(inputs, days=100, seed=0)
result.write_out_csv("out.csv")
result.averaged_relative_difference()
"""

from __future__ import annotations

from haven.simulate.engine import simulate
from haven.simulate.ensemble import forecast_scenario, run_ensemble
from haven.simulate.flee_input import Closure, ConflictTable, FleeInputs, Location, Route, load_flee_inputs
from haven.simulate.scenario import Advance, ScenarioSpec, build_scenario, run_scenario
from haven.simulate.settings import Settings, read_settings
from haven.simulate.validation import SimulationResult, averaged_relative_difference

__all__ = [
    "Advance",
    "Closure",
    "ConflictTable",
    "FleeInputs",
    "Location",
    "Route",
    "ScenarioSpec",
    "Settings",
    "SimulationResult",
    "averaged_relative_difference",
    "build_scenario",
    "forecast_scenario",
    "load_flee_inputs",
    "read_settings",
    "run_ensemble",
    "run_scenario",
    "simulate",
]
