"""The simulator's rules and invariants, on flee's test set and on small hand-made networks."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from haven.errors import InputError
from haven.simulate import (
    Closure,
    FleeInputs,
    Location,
    Route,
    Settings,
    averaged_relative_difference,
    load_flee_inputs,
    simulate,
)
from haven.simulate.engine import Engine
from haven.simulate.network import compile_network
from haven.simulate.observed import ObservedData, Series

from .conftest import FLEE_FIXTURE

START = date(2020, 1, 1)


def _series(name: str, *points: tuple[int, int]) -> Series:
    return Series(
        name,
        name,
        tuple(START + timedelta(days=d) for d, _ in points),
        np.array([float(v) for _, v in points]),
    )


def _inputs(
    locations: list[Location],
    routes: list[Route],
    total: int,
    *,
    camps: dict[str, int] | None = None,
    closures: tuple[Closure, ...] = (),
    settings: Settings | None = None,
    days: int = 20,
) -> FleeInputs:
    """All ``total`` agents spawn on day 0 in the conflict zones; camps start with ``camps`` counts."""
    observed = ObservedData(
        "<test>",
        _series("total", (0, total)),
        {name: _series(name, (0, n)) for name, n in (camps or {}).items()},
    )
    chosen = settings or Settings(insert_day0=False)
    return FleeInputs(
        "<test>", tuple(locations), tuple(routes), closures, None, START, days, observed, chosen
    )


def _loc(name: str, kind: str, country: str = "Home", population: int = 0) -> Location:
    return Location(name, "R", country, 0.0, 0.0, kind, 0 if kind == "conflict_zone" else None, population)


def test_flee_test_set_end_to_end() -> None:
    inputs = load_flee_inputs(FLEE_FIXTURE)
    result = simulate(inputs, seed=3)
    # The data's dates (2010) are all before the start (2020): every series is at its last value, so the
    # camps start with D 3000, E 2000, F 1000 and the total never changes: nobody spawns.
    assert result.agents.tolist() == [6000] * 10
    assert result.spawned.sum() == 0
    camps = result.camp_counts()
    assert [result.names[i] for i in result.camps] == ["D", "E", "F"]
    # Camp agents leave with chance 0.001 a day: about 6 a day of 6000, so after 10 days the camps still
    # hold nearly everyone, and each camp is within a few dozen of where it started.
    assert camps[-1].sum() >= 5900
    assert np.all(np.abs(camps[-1] - [3000, 2000, 1000]) < 60)
    assert result.averaged_relative_difference() < 0.02


def test_spawning_follows_the_interpolated_total(flee_copy: Path) -> None:
    (flee_copy / "sim_period.csv").write_text("StartDate,2010-01-01\nLength,10\n")
    result = simulate(load_flee_inputs(flee_copy), seed=0)
    # total: 10 on 2010-01-01, 100 on 2010-01-11 -> 10 + 9 t; the 10 of day 0 start in the camps (2 + 6 + 2)
    assert result.agents.tolist() == [10 + 9 * t for t in range(10)]
    assert result.spawned.tolist() == [0] + [9] * 9
    assert result.raw_total.tolist() == [10 + 9 * t for t in range(10)]


def test_spawn_weights_are_population_times_intensity() -> None:
    inputs = load_flee_inputs(FLEE_FIXTURE)
    engine = Engine(inputs, inputs.settings, 3, np.random.default_rng(0))
    engine.timeline.advance(0)
    # B's conflict starts on day 10 in locations.csv, but conflicts.csv makes it a conflict zone on day 0
    assert engine.timeline.spawn_weights(0, engine.pop).tolist() == [2e8, 1e9, 0, 0, 0, 0, 0]


def test_refugee_debt() -> None:
    inputs = _inputs(
        [_loc("A", "conflict_zone", population=1000), _loc("B", "camp")], [Route("A", "B", 10)], 0
    )
    total = _series("total", (0, 100), (1, 150), (2, 120), (3, 125), (4, 160))
    inputs = dataclasses.replace(inputs, observed=ObservedData("<test>", total, {}))
    result = simulate(inputs, days=5, settings=Settings())
    # day 0 goes to the camps (insert_day0); +50; -30 becomes a debt; +5 - 30 < 0 keeps a debt of 25; +35 - 25
    assert result.spawned.tolist() == [0, 50, 0, 0, 10]
    assert result.debt.tolist() == [0, 0, 30, 25, 0]


def _line(distance: float) -> list[Route]:
    return [Route("A", "B", distance)]


@pytest.mark.parametrize(
    ("distance", "arrival_day"), [(100.0, 0), (360.0, 1), (720.0, 2), (1000.0, 2), (1080.0, 3)]
)
def test_travel_at_the_configured_speed(distance: float, arrival_day: int) -> None:
    # Conflict zones are left with chance 1 on day 0; 360 km a day; arrival once progress exceeds distance.
    inputs = _inputs(
        [_loc("A", "conflict_zone", population=10), _loc("B", "camp", "Abroad")], _line(distance), 500
    )
    result = simulate(inputs, days=5)
    arrived = result.location("B")
    assert arrived[:arrival_day].sum() == 0
    assert arrived[arrival_day] == 500


def test_closed_border_holds_and_reopens() -> None:
    locations = [_loc("A", "conflict_zone", population=10), _loc("T", "town"), _loc("C", "camp", "Abroad")]
    routes = [Route("A", "T", 50), Route("T", "C", 50)]
    closure = (Closure("country", "Home", "Abroad", 0, 6),)
    result = simulate(_inputs(locations, routes, 2000, closures=closure), days=12, seed=1)
    camp = result.location("C")
    assert camp[:6].sum() == 0  # closed on days 0-5
    assert camp[-1] > 0  # open again from day 6
    assert np.all(result.counts >= 0)


def test_full_camp_receives_nobody() -> None:
    # Camp F is at capacity from day 0 (its data equal its capacity); camp G has room. Both one link away.
    locations = [
        _loc("A", "conflict_zone", population=10),
        _loc("F", "camp", population=300),
        _loc("G", "camp"),
    ]
    routes = [Route("A", "F", 50), Route("A", "G", 50)]
    inputs = _inputs(locations, routes, 3000, camps={"F": 300}, settings=Settings())
    total = _series("total", (0, 300), (1, 3300))
    inputs = dataclasses.replace(inputs, observed=ObservedData("<t>", total, inputs.observed.camps))  # type: ignore[union-attr]
    result = simulate(inputs, days=10, seed=2)
    assert result.location("F").max() <= 300
    assert result.location("G")[-1] > 2500


def test_agents_conserved_and_nothing_negative() -> None:
    inputs = load_flee_inputs(FLEE_FIXTURE)
    inputs = dataclasses.replace(inputs, start_date=date(2010, 1, 1))
    result = simulate(inputs, days=10, seed=5)
    assert np.all(result.counts >= 0)
    assert np.all(result.counts.sum(axis=1) <= result.agents)  # the rest are on links
    engine = Engine(inputs, inputs.settings, 10, np.random.default_rng(5))
    engine.run()
    a = engine.agents
    at_locations = np.bincount(a.loc[: a.n][a.link[: a.n] < 0], minlength=len(engine.net.names))
    assert at_locations.tolist() == engine.count.tolist()  # the running counts agree with the agents


def test_seeded_runs_repeat_and_seeds_differ() -> None:
    locations = [_loc("A", "conflict_zone", population=10)] + [_loc(f"T{i}", "town") for i in range(4)]
    routes = [Route("A", f"T{i}", 30 + 40 * i) for i in range(4)] + [
        Route("T0", "T1", 20),
        Route("T2", "T3", 20),
    ]
    inputs = _inputs(locations, routes, 5000, days=15)
    first, again, other = simulate(inputs, seed=11), simulate(inputs, seed=11), simulate(inputs, seed=12)
    assert np.array_equal(first.counts, again.counts)
    assert not np.array_equal(first.counts, other.counts)


def test_route_choice_prefers_near_and_safe_destinations() -> None:
    # From A: a camp 20 km away and a camp 380 km away; weights 1/(10+20) and 1/(10+380): 13 to 1.
    # Those reaching N on day 0 could move on, but camps are left with chance 0.001 only; F is not reached.
    locations = [_loc("A", "conflict_zone", population=10), _loc("N", "camp"), _loc("F", "camp")]
    inputs = _inputs(locations, [Route("A", "N", 20), Route("A", "F", 380)], 20000, days=1)
    result = simulate(inputs, days=1, seed=4)
    near = result.location("N")[0]
    assert abs(near / 20000 - 13 / 14) < 0.01


def test_paths_up_to_the_awareness_level() -> None:
    inputs = load_flee_inputs(FLEE_FIXTURE)
    one = compile_network(inputs, Settings(awareness_level=1))
    assert len(one.path_end) == 18  # one path per directed link
    two = compile_network(inputs, Settings(awareness_level=2))
    a = two.path_start[0], two.path_start[1]
    ends = sorted(two.names[e] for e in two.path_end[a[0] : a[1]])
    # A-B, A-C, then B's other neighbour C2, and C's other neighbours C2, D, E (never back to A)
    assert ends == ["B", "C", "C2", "C2", "D", "E"]


def test_out_csv_and_error(tmp_path: Path) -> None:
    result = simulate(load_flee_inputs(FLEE_FIXTURE), seed=0)
    path = tmp_path / "out.csv"
    result.write_out_csv(path)
    lines = path.read_text().splitlines()
    assert lines[0].startswith("Day,Date,D sim,D data,D error,E sim,")
    assert lines[0].endswith("refugees in camps (simulation),refugee_debt")
    assert len(lines) == 11
    first = lines[1].split(",")
    assert first[:2] == ["0", "2020-01-01"] and int(first[3]) == 3000


def test_averaged_relative_difference_by_hand() -> None:
    sim = np.array([[10, 0], [5, 5]])
    data = np.array([[5, 5], [5, 5]])
    # day 0: (5 + 5) / 10; day 1: 0
    assert averaged_relative_difference(sim, data) == pytest.approx(0.5)
    # rescaled: totals already equal, so the same
    assert averaged_relative_difference(sim, data, rescaled=True) == pytest.approx(0.5)
    assert averaged_relative_difference(
        np.array([[20, 0]]), np.array([[5, 5]]), rescaled=True
    ) == pytest.approx(1.0)


def test_agent_state_is_small() -> None:
    result = simulate(load_flee_inputs(FLEE_FIXTURE), seed=0)
    assert result.agent_bytes / result.agents[-1] <= 26


def test_unsupported_settings_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "simsetting.yml"
    path.write_text("spawn_rules:\n  flood_zone_spawning_only: True\n")
    with pytest.raises(InputError, match="does not implement flood-driven spawning"):
        load_flee_inputs(FLEE_FIXTURE, settings=path)
