"""The location graph as arrays: locations, directed links, loop-free paths and their daily state.

Everything here is agent-independent: it is what flee 3.1 keeps on its ``Location`` and ``Link``
objects, compiled once, plus a :class:`Timeline` that replays conflicts and closures day by day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from haven.simulate.flee_input import FleeInputs
from haven.simulate.settings import Settings


@dataclass
class Network:
    names: tuple[str, ...]
    country: np.ndarray  # int32 country code per location
    foreign: np.ndarray  # bool
    marker: np.ndarray  # bool
    pop: np.ndarray  # float64, population (0 for camps), already divided by hasten
    capacity: np.ndarray  # float64, camp capacity or -1
    initial_camp: np.ndarray  # bool, camps when the simulation starts (flee's get_camp_names)
    # directed links: link 2k and 2k+1 are the two directions of route k
    link_src: np.ndarray  # int32
    link_dst: np.ndarray  # int32
    link_dist: np.ndarray  # float64
    link_speed: np.ndarray  # float64 per link (route attribute max_move_speed or the setting)
    link_walk: np.ndarray  # float64 walk probability per link
    # loop-free paths, grouped by origin: paths of origin o are path_start[o] .. path_start[o+1]-1
    path_start: np.ndarray  # int64, L+1
    path_origin: np.ndarray  # int32
    path_end: np.ndarray  # int32
    path_dist: np.ndarray  # float64, total distance along the path
    path_links: np.ndarray  # int32, P × depth, -1 padded
    path_len: np.ndarray  # int8


def _paths(
    n: int, src: np.ndarray, dst: np.ndarray, dist: np.ndarray, marker: np.ndarray, awareness: int
) -> tuple[list[int], list[int], list[float], list[tuple[int, ...]]]:
    """flee's ``calculateLinkWeight`` recursion, unrolled: every loop-free path up to the awareness level.

    A marker endpoint gives no route of its own and does not use up a level of awareness.
    Awareness 0 (flee: a uniformly random link) gives one path per outgoing link.
    """
    out_links: list[list[int]] = [[] for _ in range(n)]
    for k in range(len(src)):
        out_links[int(src[k])].append(k)
    origins: list[int] = []
    ends: list[int] = []
    dists: list[float] = []
    links: list[tuple[int, ...]] = []
    depth_limit = max(awareness, 1)
    for origin in range(n):
        stack: list[tuple[int, float, tuple[int, ...], frozenset[int], int]] = [
            (k, 0.0, (), frozenset((origin,)), 1) for k in reversed(out_links[origin])
        ]
        while stack:
            link, prior, used, visited, step = stack.pop()
            end = int(dst[link])
            here = (*used, link)
            total = prior + float(dist[link])
            if marker[end]:
                step -= 1
            else:
                origins.append(origin)
                ends.append(end)
                dists.append(total)
                links.append(here)
            if depth_limit > step:
                seen = visited | {end}
                for nxt in reversed(out_links[end]):
                    if int(dst[nxt]) not in seen:
                        stack.append((nxt, total, here, seen, step + 1))
    return origins, ends, dists, links


def compile_network(inputs: FleeInputs, settings: Settings) -> Network:
    locs = inputs.locations
    n = len(locs)
    index = inputs.index()
    countries = sorted({loc.country for loc in locs})
    country = np.array([countries.index(loc.country) for loc in locs], dtype=np.int32)
    home = locs[0].country
    hasten = settings.hasten
    camp = np.array([loc.kind in ("camp", "idpcamp") for loc in locs])
    scaled = np.array([loc.population // hasten for loc in locs], dtype=np.float64)
    src, dst, dist, speed, walk = [], [], [], [], []
    for route in inputs.routes:
        a, b = index[route.start], index[route.end]
        max_speed = float(route.attributes.get("max_move_speed", settings.max_move_speed))
        walk_p = float(route.attributes.get("walk_probability", 0.0))
        for s, d in ((a, b), (b, a)):
            src.append(s)
            dst.append(d)
            dist.append(route.distance)
            speed.append(max_speed)
            walk.append(walk_p)
    marker = np.array([loc.kind == "marker" for loc in locs])
    link_src = np.array(src, dtype=np.int32)
    link_dst = np.array(dst, dtype=np.int32)
    link_dist = np.array(dist, dtype=np.float64)
    origins, ends, dists, links = _paths(n, link_src, link_dst, link_dist, marker, settings.awareness_level)
    depth = max((len(p) for p in links), default=1)
    path_links = np.full((len(links), depth), -1, dtype=np.int32)
    for i, p in enumerate(links):
        path_links[i, : len(p)] = p
    path_origin = np.array(origins, dtype=np.int32)
    path_start = np.searchsorted(path_origin, np.arange(n + 1)).astype(np.int64)
    return Network(
        names=tuple(loc.name for loc in locs),
        country=country,
        foreign=np.array([loc.country != home for loc in locs]),
        marker=marker,
        pop=np.where(camp, 0.0, scaled),
        capacity=np.where(camp, scaled, -1.0),
        initial_camp=camp.copy(),
        link_src=link_src,
        link_dst=link_dst,
        link_dist=link_dist,
        link_speed=np.array(speed, dtype=np.float64),
        link_walk=np.array(walk, dtype=np.float64),
        path_start=path_start,
        path_origin=path_origin,
        path_end=np.array(ends, dtype=np.int32),
        path_dist=np.array(dists, dtype=np.float64),
        path_links=path_links,
        path_len=np.array([len(p) for p in links], dtype=np.int8),
    )


class Timeline:
    """Location and link state that changes by date: conflicts (conflicts.csv) and closures.

    Call :meth:`advance` once per day, in order, before spawning. Mirrors flee 3.1's
    ``AddNewConflictZones`` and ``enact_border_closures`` (closures are two-way, as in run.py).
    """

    def __init__(self, inputs: FleeInputs, network: Network, settings: Settings) -> None:
        self.inputs = inputs
        self.settings = settings
        self.net = network
        n = len(network.names)
        kinds = [loc.kind for loc in inputs.locations]
        # a conflict zone whose conflict starts after day 0 starts as a town (flee's InputGeography)
        kinds = [
            "town" if k == "conflict_zone" and (loc.conflict_date or 0) > 0 else k
            for k, loc in zip(kinds, inputs.locations, strict=True)
        ]
        s = settings
        base = {
            "camp": s.camp_movechance,
            "idpcamp": s.idpcamp_movechance,
            "conflict_zone": s.conflict_movechance,
            "forward": 1.0,
            "marker": 1.0,
            "town": s.default_movechance,
        }
        self.movechance = np.array([base[k] for k in kinds], dtype=np.float64)
        self.camp = np.array([k in ("camp", "idpcamp") for k in kinds])
        self.camp |= self.movechance < 0.005  # flee: a location almost nobody leaves is a camp
        self.town = np.array([k == "town" for k in kinds]) & ~self.camp
        self.conflict = np.full(n, -1.0)
        for i, (k, loc) in enumerate(zip(kinds, inputs.locations, strict=True)):
            if k == "conflict_zone":
                self.conflict[i] = float(loc.attributes.get("conflict_intensity", 1.0))
        self.time_of_conflict = np.full(n, -1, dtype=np.int64)
        self.link_open = np.ones(len(network.link_src), dtype=bool)
        self.version = 0  # goes up whenever link_open changes
        self._columns = None
        if inputs.conflicts is not None:
            index = inputs.index()
            self._columns = np.array([index[name] for name in inputs.conflicts.names], dtype=np.int64)

    def _add_conflict(self, i: int, intensity: float, day: int) -> None:
        self.movechance[i] = self.settings.conflict_movechance
        self.conflict[i] = intensity
        self.town[i] = False
        self.time_of_conflict[i] = day

    def _remove_conflict(self, i: int) -> None:
        self.movechance[i] = self.settings.default_movechance
        self.conflict[i] = -1.0
        self.town[i] = True

    def _conflicts(self, day: int) -> None:
        table = self.inputs.conflicts
        if table is None or self._columns is None:
            for i, loc in enumerate(self.inputs.locations):  # Haven: conflict_date without conflicts.csv
                if loc.kind == "conflict_zone" and loc.conflict_date == day:
                    self._add_conflict(i, float(loc.attributes.get("conflict_intensity", 1.0)), day)
            return
        rows = table.intensity
        today = rows[min(day, len(rows) - 1)]
        before = rows[min(day - 1, len(rows) - 1)] if day > 0 else None
        for j, i in enumerate(self._columns):
            value = today[j]
            if value > 0.000001 and (before is None or before[j] < 0.000001):
                self._add_conflict(int(i), float(value), day)
            if before is not None and value < 0.000001 and before[j] == 1:
                self._remove_conflict(int(i))

    def _set_links(self, closure_kind: str, a: str, b: str, is_open: bool) -> None:
        net = self.net
        index = self.inputs.index()
        if closure_kind == "country":
            ca = self.inputs.locations
            countries = np.array([loc.country for loc in ca])
            src_c, dst_c = countries[net.link_src], countries[net.link_dst]
            mask = ((src_c == a) & (dst_c == b)) | ((src_c == b) & (dst_c == a))
        elif closure_kind == "location":
            i = index[a]
            mask = (net.link_src == i) | (net.link_dst == i)
        else:  # link
            i, j = index[a], index[b]
            mask = ((net.link_src == i) & (net.link_dst == j)) | ((net.link_src == j) & (net.link_dst == i))
        self.link_open[mask] = is_open
        self.version += 1

    def _set_camp(self, name: str, idp: bool, is_camp: bool) -> None:
        i = self.inputs.index()[name]
        s = self.settings
        self.conflict[i] = -1.0
        self.camp[i] = is_camp
        self.town[i] = not is_camp
        if is_camp:
            self.movechance[i] = s.idpcamp_movechance if idp else s.camp_movechance
        else:
            self.movechance[i] = s.default_movechance

    def _closures(self, day: int) -> None:
        for c in self.inputs.closures:
            for when, closing in ((c.start, True), (c.end, False)):
                if day != when:
                    continue
                if c.kind in ("country", "location", "link"):
                    self._set_links(c.kind, c.name1, c.name2, not closing)
                elif c.kind in ("camp", "idpcamp"):
                    # flee: a "camp" closure turns the camp into a town at its start, back at its end
                    self._set_camp(c.name1, c.kind == "idpcamp", not closing)

    def advance(self, day: int) -> None:
        self._conflicts(day)
        self._closures(day)

    def spawn_weights(self, day: int, pop: np.ndarray) -> np.ndarray:
        """flee's ``refresh_spawn_weights``: population × intensity × decay, conflict zones only."""
        weights = np.zeros(len(pop))
        hot = self.conflict > 0.0
        decay: np.ndarray | float = 1.0
        if self.settings.conflict_spawn_decay:
            decay = np.array([self.settings.decay(day - int(t)) for t in self.time_of_conflict[hot]])
        weights[hot] = pop[hot] * self.conflict[hot] * decay
        return weights
