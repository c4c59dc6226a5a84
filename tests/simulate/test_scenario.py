"""Scenarios built from the reference crisis: graph invariants, knobs, conservation, seeds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from shapely import Point

from haven.errors import NotFoundError, ValidationError
from haven.geo.crs import geodesic_km
from haven.services.reference import load_reference_crisis
from haven.simulate import load_flee_inputs, simulate
from haven.simulate.network import Timeline, compile_network
from haven.simulate.scenario import (
    Advance,
    Scenario,
    ScenarioSpec,
    border_strip,
    build_scenario,
    knn_pairs,
    miles,
    run_scenario,
)
from haven.store import Store

START = date(2020, 2, 1)
IDLIB_CITY = "C3871"


@pytest.fixture(scope="module")
def ref(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("ref") / "haven.db", create=True)
    load_reference_crisis(store)
    yield store
    store.close()


def small(**knobs: object) -> ScenarioSpec:
    """Idleb governorate, 8 days, about 200-300 agents."""
    values: dict[str, object] = {"start": START, "days": 8, "people_per_agent": 300}
    values.update(knobs)
    return ScenarioSpec(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def offensive(ref: Store) -> Scenario:
    return build_scenario(ref, small(advances=(Advance((IDLIB_CITY,), 3),)))


def test_graph_from_communities_sites_and_crossings(ref: Store, offensive: Scenario) -> None:
    sc = offensive
    communities = [p for p in ref.list("place") if p.level == 4 and p.parents[1:2] == ("SY07",)]
    assert len(sc.indices("community")) == len(communities) == 688
    assert len(sc.indices("site")) == 1126  # every site hosted in Idleb
    assert [sc.labels[i] for i in sc.indices("crossing")] == ["Bab al-Hawa"]  # Bab al-Salam is too far
    kinds = {loc.name: loc.kind for loc in sc.inputs.locations}
    assert all(kinds[sc.inputs.locations[i].name] == "camp" for i in sc.indices("site"))
    index = sc.inputs.index()
    for route in sc.inputs.routes:  # a route is never shorter than the straight line
        a, b = index[route.start], index[route.end]
        if sc.kinds[a] == sc.kinds[b] == "community":
            straight = geodesic_km(sc.points[[a]], sc.points[[b]])[0]
            assert route.distance == pytest.approx(straight * 1.3, abs=0.06)
    hosts = {(r.start, r.end) for r in sc.inputs.routes}
    for i in sc.indices("site"):
        assert (sc.host[i], sc.inputs.locations[i].name) in hosts
    foreign = [loc for loc in sc.inputs.locations if loc.country != "Syria"]
    assert [loc.country for loc in foreign] == ["Turkey"]


def test_nearest_neighbour_graph_is_connected() -> None:
    rng = np.random.default_rng(3)
    far_apart = np.vstack([rng.random((30, 2)), rng.random((5, 2)) + 5.0])  # two clusters
    pairs = knn_pairs(far_apart, 3)
    reach = {0}
    frontier = [0]
    while frontier:
        node = frontier.pop()
        for a, b in pairs:
            for x, y in ((a, b), (b, a)):
                if x == node and y not in reach:
                    reach.add(y)
                    frontier.append(y)
    assert reach == set(range(35))


def test_conflict_from_events_and_advance(offensive: Scenario) -> None:
    first, highest = offensive.conflict_zones[IDLIB_CITY]
    assert (first, highest) == (0, 1.0)  # the 15 January strike is in the 30-day window
    net = compile_network(offensive.inputs, offensive.inputs.settings)
    timeline = Timeline(offensive.inputs, net, offensive.inputs.settings)
    city = offensive.inputs.index()[IDLIB_CITY]
    seen = []
    for day in range(offensive.spec.days):
        timeline.advance(day)
        seen.append(timeline.conflict[city])
    assert seen[0] == pytest.approx(1 / 3)  # one event of three for full intensity
    assert seen[3:] == [1.0] * (offensive.spec.days - 3)  # the offensive reaches it on day 3
    assert timeline.time_of_conflict[city] == 3


def test_unknown_place_and_bad_knobs(ref: Store) -> None:
    with pytest.raises(NotFoundError, match="no community 'Atlantis'"):
        build_scenario(ref, small(advances=(Advance(("Atlantis",), 1),)))
    with pytest.raises(ValidationError, match="flight_rate"):
        small(flight_rate=2.0)


def test_people_are_conserved_and_runs_are_seeded(offensive: Scenario) -> None:
    a = run_scenario(offensive, seed=4)
    b = run_scenario(offensive, seed=4)
    c = run_scenario(offensive, seed=5)
    assert 100 < a.agents[-1] < 1000
    assert np.array_equal(a.counts, b.counts)
    assert not np.array_equal(a.counts, c.counts)
    assert (a.counts >= 0).all()
    assert np.array_equal(a.counts.sum(axis=1), a.agents)  # all at a location at the end of each day
    assert np.array_equal(np.cumsum(a.spawned), a.agents)
    assert a.unspawned == 0


def test_plain_input_sets_run_as_with_simulate(flee_copy: Path) -> None:
    inputs = load_flee_inputs(flee_copy)
    assert np.array_equal(run_scenario(inputs, 10, seed=2).counts, simulate(inputs, 10, seed=2).counts)


def _crossing_arrivals(ref: Store, sealed: bool, seeds: range) -> int:
    near = build_scenario(ref, small())
    crossing = near.inputs.index()["crossing:X1"]
    beside = [r.start for r in near.inputs.routes if r.end == "crossing:X1"]
    sc = build_scenario(ref, small(advances=(Advance(tuple(beside), 0),), border_sealed=sealed))
    assert sc.inputs.locations[crossing].name == "crossing:X1"
    return sum(int(run_scenario(sc, seed=s).counts[:, crossing].sum()) for s in seeds)


def test_sealed_border_lets_nobody_beyond_the_crossings(ref: Store) -> None:
    assert _crossing_arrivals(ref, sealed=False, seeds=range(3)) > 0
    assert _crossing_arrivals(ref, sealed=True, seeds=range(3)) == 0


def test_safe_zone_attracts_more_than_without(ref: Store) -> None:
    strip = border_strip(ref, 10.0)
    knobs = {"advances": (Advance((IDLIB_CITY,), 0),), "days": 10}
    declared = build_scenario(ref, small(safe_zone=strip, **knobs))
    plain = build_scenario(ref, small(zones={"safe zone": strip}, **knobs))
    inside = declared.zones["safe zone"]
    assert np.array_equal(inside, plain.zones["safe zone"]) and len(inside) > 50
    attractive = [float(declared.inputs.locations[i].attributes["attractiveness"]) for i in inside]
    assert attractive == [3.0] * len(inside)
    with_zone = sum(int(run_scenario(declared, seed=s).counts[-1, inside].sum()) for s in range(3))
    without = sum(int(run_scenario(plain, seed=s).counts[-1, inside].sum()) for s in range(3))
    assert with_zone > 1.2 * without


def test_border_strip_is_on_the_syrian_side(ref: Store) -> None:
    strip = border_strip(ref, miles(20))
    host = ref.place("C4130").point  # hosts the most sites, a few km from the border
    assert host is not None and strip.covers(Point(*host))
    assert not strip.covers(Point(36.567, 36.268))  # Reyhanli, Turkey, 5 km from the border
    assert not strip.covers(Point(37.117, 36.717))  # Kilis, Turkey
