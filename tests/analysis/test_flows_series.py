from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from haven.analysis.flows import AdminIndex, bin_start, check_hnap, flows, flows_from_movements, net_change
from haven.analysis.series import cumulative_series, plot_series, report_band
from haven.errors import ValidationError
from haven.model import Movement, Qualifier, RecordKey
from haven.services.reference import load_reference_crisis
from haven.store import RecordFilter, Store


@pytest.fixture(scope="module")
def crisis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(Path(tmp_path_factory.mktemp("ref")) / "haven.db", create=True)
    load_reference_crisis(store)
    yield store
    store.close()


def test_hnap_totals_check_out(crisis: Store) -> None:
    checks = {c.pcode: c for c in check_hnap(crisis)}
    assert all(c.agrees for c in checks.values())
    assert checks["SY07"].od_matrix == checks["SY07"].communities == 32_057
    assert checks["SY02"].od_matrix == pytest.approx(23_330.9) and checks["SY02"].communities == 23_331
    od_total = sum(m.individuals for m in crisis.list("movement", RecordFilter(dataset="hnap-od")))
    assert sum(c.haven_od for c in checks.values()) == pytest.approx(od_total)


def test_flows_at_governorate_level_match_the_od_matrix(crisis: Store) -> None:
    table = flows(crisis, level=1, freq="month", dataset="hnap-od")
    assert table.datasets == ["hnap-od"]
    idleb_to_aleppo = crisis.get("movement", RecordKey("hnap-od", "od:2018-12:SY07:SY02")).individuals
    assert table.matrix()[("SY07", "SY02")] == pytest.approx(idleb_to_aleppo)
    assert table.top("destination", 1)[0][0] == "SY09"  # Deir-ez-Zor, 45,037
    arrivals = flows(crisis, level=3, freq="week", dataset="hnap-arrivals")
    weeks = arrivals.by_period()
    assert min(weeks) == date(2018, 11, 26) and len(weeks) == 6  # December 2018 touches six ISO weeks
    assert arrivals.total == pytest.approx(sum(c.communities for c in check_hnap(crisis)))


def _move(
    rid: str, start: date, end: date, people: float, origin: str | None, dest: str | None, **kw: float
) -> Movement:
    return Movement(RecordKey("t", rid), start, end, people, origin_pcode=origin, dest_pcode=dest, **kw)  # type: ignore[arg-type]


INDEX = AdminIndex(
    chains={
        "C1": ("SY", "SY07", "SY0703", "SY070301", "C1"),
        "C2": ("SY", "SY02", "SY0200", "SY020001", "C2"),
    }
)


def test_a_movement_is_spread_evenly_over_its_days() -> None:
    move = _move("m", date(2020, 1, 30), date(2020, 2, 2), 400, "C1", "C2", children=200)
    by_day = flows_from_movements([move], INDEX, level=1, freq="day")
    assert [c.individuals for c in by_day.cells] == [100, 100, 100, 100]
    by_month = flows_from_movements([move], INDEX, level=1, freq="month")
    assert [(c.period_start, c.origin, c.destination, c.individuals) for c in by_month.cells] == [
        (date(2020, 1, 1), "SY07", "SY02", 200),
        (date(2020, 2, 1), "SY07", "SY02", 200),
    ]
    assert by_month.cumulative() == [(date(2020, 1, 1), 200), (date(2020, 2, 1), 400)]
    assert by_month.disaggregation()["children"] == 200
    clipped = flows_from_movements([move], INDEX, level=1, freq="all", start=date(2020, 2, 1))
    assert clipped.total == 200


def test_bins_and_levels_are_checked() -> None:
    assert bin_start(date(2020, 2, 6), "week") == date(2020, 2, 3)
    with pytest.raises(ValidationError, match="unknown frequency"):
        flows_from_movements([], INDEX, freq="fortnight")
    with pytest.raises(ValidationError, match="admin level"):
        flows_from_movements([], INDEX, level=7)


def test_net_change_per_community(crisis: Store) -> None:
    changes = {c.pcode: c for c in net_change(crisis, dataset="hnap-returns", level=4)}
    hole = changes["C4519"]
    assert (hole.returned, hole.left, hole.net) == (19452, 0, 19452)


def test_cumulative_series_daily_estimate_and_band(crisis: Store, tmp_path: Path) -> None:
    series = cumulative_series(crisis.list("figure"), "displaced")
    assert series.since == date(2019, 12, 1)
    assert series.on(date(2019, 12, 1)).best == 0
    assert series.on(date(2020, 1, 1)).best == 300_000
    feb2 = series.on(date(2020, 2, 2))
    assert feb2.best == 586_000 and feb2.low <= 390_000 * 0.9 + 1 and feb2.observed
    mid = series.on(date(2020, 2, 22))
    assert 900_000 < mid.best < 948_000 and mid.low <= mid.best <= mid.high
    assert series.days[-1].day == date(2020, 3, 5)
    assert all(b.best >= a.best for a, b in zip(series.days, series.days[1:], strict=False))
    assert sum(d.new for d in series.days) == pytest.approx(series.days[-1].best)
    for suffix in ("png", "svg"):
        out = plot_series(series, tmp_path / f"displaced.{suffix}")
        assert out.stat().st_size > 1000
    with pytest.raises(ValidationError, match=r"\.png or \.svg"):
        plot_series(series, tmp_path / "x.pdf")


def test_report_band_follows_the_qualifier(crisis: Store) -> None:
    figure = crisis.list("figure", RecordFilter(types=("displaced",)))[0]
    figure.qualifier = Qualifier.OVER
    assert report_band(figure) == (figure.value, pytest.approx(figure.value * 1.1))
    figure.qualifier = Qualifier.ALMOST
    assert report_band(figure) == (pytest.approx(figure.value * 0.9), figure.value)
    figure.qualifier = Qualifier.EXACT
    assert report_band(figure) == (figure.value, figure.value)
