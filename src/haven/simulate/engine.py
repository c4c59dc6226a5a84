"""A vectorized re-implementation of flee 3.1's rules (see docs/simulation.md).

Agents are columns of numpy arrays, not objects: per agent a location (int32), a link (int32, -1 when
not travelling), progress on that link (float32), a planned path (int32 index into the path table,
-1 for none), the position on that path (int8) and the distance moved today (float32): 21 bytes, plus
4 more with ``avoid_short_stints`` and 1 with ``start_on_foot``. All randomness comes from one
``numpy.random.Generator``, so a seed gives the same run every time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from haven.simulate.flee_input import FleeInputs
from haven.simulate.network import Network, Timeline, compile_network
from haven.simulate.settings import Settings
from haven.simulate.validation import SimulationResult

CHUNK = 1 << 18  # agents handled at once; bounds the memory of temporaries to a few MB


@dataclass
class Agents:
    loc: np.ndarray
    link: np.ndarray
    progress: np.ndarray
    route: np.ndarray
    step: np.ndarray
    moved: np.ndarray
    recent: np.ndarray | None
    first_link: np.ndarray | None
    n: int = 0

    @classmethod
    def allocate(cls, size: int, settings: Settings) -> Agents:
        return cls(
            loc=np.zeros(size, dtype=np.int32),
            link=np.full(size, -1, dtype=np.int32),
            progress=np.zeros(size, dtype=np.float32),
            route=np.full(size, -1, dtype=np.int32),
            step=np.zeros(size, dtype=np.int8),
            moved=np.zeros(size, dtype=np.float32),
            recent=np.zeros(size, dtype=np.float32) if settings.avoid_short_stints else None,
            first_link=np.ones(size, dtype=bool) if settings.start_on_foot else None,
        )

    def add(self, counts: np.ndarray) -> None:
        """Append ``counts[i]`` new agents at location ``i``."""
        k = int(counts.sum())
        if k:
            self.loc[self.n : self.n + k] = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
            self.n += k

    @property
    def nbytes(self) -> int:
        arrays = [
            self.loc,
            self.link,
            self.progress,
            self.route,
            self.step,
            self.moved,
            self.recent,
            self.first_link,
        ]
        return sum(a.nbytes for a in arrays if a is not None)


@dataclass
class Schedule:
    new: np.ndarray  # agents to create per day (data-driven) or per day and location (conflict-driven)
    raw: np.ndarray  # flee's refugees_raw: the interpolated total, per day
    debt: np.ndarray  # flee's refugee_debt, per day


def spawn_schedule(inputs: FleeInputs, settings: Settings, days: int, rng: np.random.Generator) -> Schedule:
    """Agents to create each day (data-driven) or per day and location (conflict-driven, shape days × L).

    Data-driven (flee's default): the daily difference of the interpolated ``total`` series, minus
    the "refugee debt" that negative differences leave, with day 0 left to the camps' initial counts.
    """
    if settings.conflict_driven_spawning:
        net = compile_network(inputs, settings)
        timeline = Timeline(inputs, net, settings)
        pop = net.pop.copy()
        out = np.zeros((days, len(pop)), dtype=np.int64)
        for day in range(days):
            timeline.advance(day)
            hot = timeline.conflict > 0.0
            rate = settings.displaced_per_conflict_day * timeline.conflict
            if settings.spawn_mode == "pop_ratio":
                rate = rate * pop
            if settings.spawn_mode == "poisson":
                out[day, hot] = rng.poisson(rate[hot])
            else:
                out[day, hot] = np.trunc(rate[hot]).astype(np.int64)
            if settings.take_from_population:
                out[day] = np.minimum(out[day], pop.astype(np.int64))
                pop -= out[day]
        return Schedule(out, np.cumsum(out.sum(axis=1)), np.zeros(days, dtype=np.int64))
    new = np.zeros(days, dtype=np.int64)
    debts = np.zeros(days, dtype=np.int64)
    observed = inputs.observed
    if observed is None or observed.total is None:
        return Schedule(new, np.zeros(days, dtype=np.int64), debts)
    total = observed.total.daily(inputs.start_date, days, settings.hasten)
    debt = 0
    for day in range(days):
        diff = int(total[day] - total[day - 1]) if day > 0 else int(total[0])
        refs = diff - debt
        if day == 0 and settings.insert_day0:
            refs = 0
        if refs < 0:
            debt = -refs
            refs = 0
        elif debt > 0:
            debt = 0
        new[day] = refs
        debts[day] = debt
    return Schedule(new, total, debts)


def initial_camp_counts(inputs: FleeInputs, net: Network, settings: Settings) -> np.ndarray:
    """flee's ``add_initial_refugees``: each camp starts with its observed count on day 0."""
    counts = np.zeros(len(net.names), dtype=np.int64)
    if not settings.insert_day0 or inputs.observed is None:
        return counts
    for i, name in enumerate(net.names):
        series = inputs.observed.camps.get(name)
        if net.initial_camp[i] and series is not None:
            counts[i] = max(int(series.daily(inputs.start_date, 1, settings.hasten)[0]), 0)
    return counts


class Engine:
    """One simulation run; :func:`simulate` is the entry point."""

    def __init__(self, inputs: FleeInputs, settings: Settings, days: int, rng: np.random.Generator) -> None:
        self.inputs = inputs
        self.s = settings
        self.days = days
        self.rng = rng
        self.net = compile_network(inputs, settings)
        self.timeline = Timeline(inputs, self.net, settings)
        self.schedule = spawn_schedule(inputs, settings, days, rng)
        initial = initial_camp_counts(inputs, self.net, settings)
        self.agents = Agents.allocate(int(initial.sum() + self.schedule.new.sum()), settings)
        self.agents.add(initial)
        self.count = initial.astype(np.int64)  # agents at each location (not on a link)
        self.pop = self.net.pop.copy()
        self.unspawned = 0
        self._cdf: tuple[np.ndarray, np.ndarray] | None = None
        self._cdf_ends = np.zeros(0)
        self._valid = np.zeros(0, dtype=bool)
        self._valid_version = -1
        self._path_base = np.zeros(0)
        self._capped = np.flatnonzero(self.net.capacity >= 1)
        self._any_walk = bool((self.net.link_walk > 0).any())

    # -- location-level quantities, recomputed whenever counts change -------------------------------
    def cap_multiplier(self) -> np.ndarray:
        """flee's ``getCapMultiplier``: 1 below the buffer, 0 at capacity, linear in between."""
        out = np.ones(len(self.count))
        capped = self._capped
        if len(capped):
            cap = self.net.capacity[capped]
            buf = self.s.capacity_buffer
            n = self.count[capped].astype(np.float64)
            band = max(cap.min() * (1.0 - buf), 1e-12)
            mid = 1.0 - (n - buf * cap) / np.maximum(cap * (1.0 - buf), band)
            out[capped] = np.where(n <= buf * cap, 1.0, np.where(n >= cap, 0.0, mid))
        return out

    def scores(self, day: int) -> np.ndarray:
        """flee's ``updateLocationScore`` (score index 1) and the pop weighting of ``getEndPointScore``."""
        s, t = self.s, self.timeline
        score = np.ones(len(self.net.names))
        score[self.net.foreign] *= s.foreign_weight
        score[t.camp] *= s.camp_weight
        hot = t.conflict > 0.0
        if hot.any():
            decay = np.array([s.decay(day - int(x)) for x in t.time_of_conflict[hot]])
            score[hot] *= s.conflict_weight ** (decay * t.conflict[hot])
        if s.use_pop_for_loc_weight:
            score[~t.camp] *= np.minimum(1.0, self.pop[~t.camp]) ** s.pop_power_for_loc_weight
        return score

    def route_cdf(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-origin cumulative route weights, laid end to end: origin o occupies (o, o+1].

        Cached: recomputed only when the day's scores, the open links or a path end's capacity
        multiplier changed since the last call.
        """
        net, s = self.net, self.s
        ends = self.capmult[net.path_end]
        if self._cdf is not None and np.array_equal(ends, self._cdf_ends):
            return self._cdf
        if self._valid_version != self.timeline.version:
            valid = np.ones(len(net.path_end), dtype=bool)
            for j in range(net.path_links.shape[1]):
                column = net.path_links[:, j]
                used = column >= 0
                valid[used] &= self.timeline.link_open[column[used]]
            self._valid = valid
            self._valid_version = self.timeline.version
        valid = self._valid
        if s.awareness_level == 0:
            weight = np.ones(len(net.path_end))
        else:
            weight = (self._path_base * ends) ** s.weight_power
        weight = np.where(valid, weight, 0.0)
        n = len(net.names)
        origin = net.path_origin
        totals = np.bincount(origin, weights=weight, minlength=n)
        counts_valid = np.bincount(origin, weights=valid, minlength=n)
        # flee's normalizeWeights: all-zero weights become equal weights over the routes that exist
        zero = totals[origin] <= 0.0
        weight = np.where(zero, valid.astype(np.float64), weight)
        norm = np.where(zero, counts_valid[origin], totals[origin])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(norm > 0, weight / norm, 0.0)
        running = np.concatenate(([0.0], np.cumsum(share)))
        cdf = origin + (running[1:] - running[net.path_start[origin]])
        self._cdf = (cdf, counts_valid > 0)
        self._cdf_ends = ends
        return self._cdf

    # -- agent phases -------------------------------------------------------------------------------
    def choose_routes(self, who: np.ndarray) -> None:
        """Pick a path for agents ``who`` (all without a route) from their location's distribution."""
        a = self.agents
        origin = a.loc[who]
        ok = self.has_route[origin]
        who, origin = who[ok], origin[ok]
        u = self.rng.random(len(who))
        pick = np.searchsorted(self.cdf, origin + u, side="right")
        pick = np.clip(pick, self.net.path_start[origin], self.net.path_start[origin + 1] - 1)
        a.route[who] = pick
        a.step[who] = 0

    def try_move(
        self, who: np.ndarray, force_town: np.ndarray | None = None, drawn: bool = False
    ) -> np.ndarray:
        """flee's ``Person.evolve`` for agents ``who`` (not travelling); returns those that set off.

        ``drawn``: the move-chance draw was already made (in bulk) and these agents passed it.
        """
        if len(who) == 0:
            return who
        a, net, t = self.agents, self.net, self.timeline
        if not drawn:
            loc = a.loc[who]
            chance = self.movechance[loc]
            if force_town is not None:
                chance = np.where(force_town & t.town[loc], 1.0, chance)
            who = who[self.rng.random(len(who)) < chance]
            if len(who):
                self.cdf, self.has_route = self.route_cdf()
        need = who[a.route[who] < 0]
        if len(need):
            self.choose_routes(need)
        who = who[a.route[who] >= 0]
        route = a.route[who]
        link = net.path_links[route, a.step[who]]
        end = net.path_end[route]
        blocked = ~self.timeline.link_open[link] | (t.camp[end] & (self.capmult[end] < 0.5))
        a.route[who[blocked]] = -1  # flee: a closed link or a (nearly) full destination camp: stay
        who, link, route = who[~blocked], link[~blocked], route[~blocked]
        step = a.step[who] + 1
        done = step >= net.path_len[route]
        a.step[who] = step
        a.route[who[done]] = -1
        a.link[who] = link
        a.progress[who] = 0.0
        self.count -= np.bincount(a.loc[who], minlength=len(self.count))
        return who

    def finish_travel(self) -> None:
        """flee's ``finish_travel``: advance on links; on arrival go on while today's distance allows."""
        a = self.agents
        for first in range(0, a.n, CHUNK):
            last = min(first + CHUNK, a.n)
            self._travel(np.flatnonzero(a.link[first:last] >= 0) + first)

    def _travel(self, active: np.ndarray) -> None:
        a, net, s = self.agents, self.net, self.s
        while len(active):
            link = a.link[active]
            speed = net.link_speed[link].astype(np.float32)
            if a.first_link is not None:
                speed = np.where(a.first_link[active], np.float32(s.max_walk_speed), speed)
            if self._any_walk:
                walk = self.rng.random(len(active)) < net.link_walk[link]
                speed = np.where(walk, np.float32(s.max_walk_speed), speed)
            a.progress[active] += speed
            a.moved[active] += speed
            dist = net.link_dist[link]
            arrived = a.progress[active] > dist
            who, link, speed, dist = active[arrived], link[arrived], speed[arrived], dist[arrived]
            if a.first_link is not None:
                a.first_link[who] = False
            a.moved[who] += (dist - a.progress[who]).astype(np.float32)
            is_open = self.timeline.link_open[link]
            dest = np.where(is_open, net.link_dst[link], net.link_src[link])
            a.route[who[~is_open]] = -1  # Haven: turned back at a closed link, plan afresh
            a.loc[who] = dest
            a.link[who] = -1
            self.count += np.bincount(dest, minlength=len(self.count))
            again = is_open & (a.moved[who] < speed)
            who = who[again]
            force = None
            if a.recent is not None and len(who):
                force = (a.recent[who] + a.moved[who] / s.max_move_speed) / 2.0 < 0.5
            if len(who):
                self.capmult = self.cap_multiplier()
            active = self.try_move(who, force)

    def run(self) -> SimulationResult:
        a, net, s = self.agents, self.net, self.s
        days, n_loc = self.days, len(net.names)
        counts = np.zeros((days, n_loc), dtype=np.int64)
        totals = np.zeros(days, dtype=np.int64)
        spawned = np.zeros(days, dtype=np.int64)
        for day in range(days):
            self.timeline.advance(day)
            self.spawn(day, spawned)
            self.score = self.scores(day)
            self.capmult = self.cap_multiplier()
            end = net.path_end
            self._path_base = (s.weight_softening + self.score[end]) / (
                s.softening + net.path_dist
            ) ** s.distance_power
            self._cdf = None
            self.cdf, self.has_route = self.route_cdf()
            base = np.maximum(self.pop, net.capacity) / s.movechance_pop_base
            self.movechance: np.ndarray = self.timeline.movechance * base**s.movechance_pop_scale_factor
            chance = self.movechance.astype(np.float32)
            for first in range(0, a.n, CHUNK):  # in chunks, so that temporaries stay small
                last = min(first + CHUNK, a.n)
                draw = self.rng.random(last - first, dtype=np.float32)
                go = np.flatnonzero((a.link[first:last] < 0) & (draw < chance[a.loc[first:last]])) + first
                self.try_move(go, drawn=True)
            self.finish_travel()
            if a.recent is not None:
                a.recent[: a.n] = (a.recent[: a.n] + a.moved[: a.n] / s.max_move_speed) / 2.0
            a.moved[: a.n] = 0.0
            counts[day] = self.count
            totals[day] = a.n
        return SimulationResult.build(
            self.inputs,
            s,
            net.names,
            net.initial_camp,
            counts,
            totals,
            spawned,
            self.schedule.raw,
            self.schedule.debt,
            self.unspawned,
            a.nbytes,
        )

    def spawn(self, day: int, spawned: np.ndarray) -> None:
        if self.schedule.new.ndim == 2:
            counts = self.schedule.new[day]
        else:
            number = int(self.schedule.new[day])
            if number == 0:
                return
            weights = self.timeline.spawn_weights(day, self.pop)
            total = weights.sum()
            if total <= 0:
                self.unspawned += number  # flee asserts here; Haven counts them and goes on
                return
            counts = self.rng.multinomial(number, weights / total)
            if self.s.take_from_population:
                self.pop = np.maximum(self.pop - counts, 0.0)
        self.agents.add(counts)
        np.add(self.count, counts, out=self.count)
        spawned[day] = counts.sum()


def simulate(
    inputs: FleeInputs, days: int | None = None, seed: int = 0, settings: Settings | None = None
) -> SimulationResult:
    """Run Haven's simulator on a Flee input set for ``days`` (default: the set's ``Length``)."""
    chosen = settings if settings is not None else inputs.settings
    length = inputs.length if days is None else days
    if length < 1:
        raise ValueError("days must be at least 1")
    engine = Engine(inputs, chosen, length, np.random.default_rng(seed))
    return engine.run()
