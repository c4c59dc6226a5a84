from __future__ import annotations

from datetime import date

import pytest

from haven.errors import ValidationError
from haven.model import (
    AdminLevel,
    Crossing,
    CrossingStatus,
    DatePrecision,
    Estimate,
    Event,
    GeoPrecision,
    Place,
    PrecisionScheme,
    RecordKey,
    ShelterBreakdown,
    SiteSnapshot,
)


def test_estimate_orders_low_best_high() -> None:
    assert Estimate(22, 34, 34).best == 34
    with pytest.raises(ValidationError, match="low <= best <= high, got low=34 best=22 high=34"):
        Estimate(34, 22, 34)
    with pytest.raises(ValidationError, match="cannot be negative"):
        Estimate(-1, None, None)
    assert not Estimate().is_known


def test_both_precision_schemes_are_representable() -> None:
    assert GeoPrecision(PrecisionScheme.ACLED, 3).meaning.startswith("a larger region")
    assert GeoPrecision(PrecisionScheme.UCDP, 6).meaning == "the country"
    assert DatePrecision(PrecisionScheme.UCDP, 5).meaning == "more than a month"
    with pytest.raises(ValidationError, match="GeoPrecision code 4 is not valid in the ACLED scheme"):
        GeoPrecision(PrecisionScheme.ACLED, 4)


def test_event_checks_the_acled_taxonomy() -> None:
    key = RecordKey("test", "1")
    Event(key, "Battles", "Armed clash", date(2020, 2, 1))
    with pytest.raises(ValidationError, match="'Shelling' is not a kind of 'Battles'"):
        Event(key, "Battles", "Shelling", date(2020, 2, 1))
    with pytest.raises(ValidationError, match="'Airstrike' is not an ACLED event type"):
        Event(key, "Airstrike", None, date(2020, 2, 1))
    with pytest.raises(ValidationError, match="date_end 2020-01-31 is before 2020-02-01"):
        Event(key, "Battles", None, date(2020, 2, 1), date(2020, 1, 31))


def test_place_parents_fit_its_level() -> None:
    dana = Place("SY070301", AdminLevel.ADM3, "Dana", parents=("SY", "SY07", "SY0703"))
    assert dana.parent_pcode == "SY0703"
    with pytest.raises(ValidationError, match="cannot have 2 parents"):
        Place("SY07", AdminLevel.ADM1, "Idleb", parents=("SY", "SY07"))


def test_site_snapshot_shelter_cannot_exceed_people() -> None:
    key = RecordKey("cccm", "CP1@2020-02-01")
    site = RecordKey("cccm", "CP1")
    SiteSnapshot(key, site, date(2020, 2, 1), 100, shelter=ShelterBreakdown(tents=60, open_air=40))
    with pytest.raises(ValidationError, match=r"shelter breakdown \(120\) exceeds individuals \(100\)"):
        SiteSnapshot(key, site, date(2020, 2, 1), 100, shelter=ShelterBreakdown(tents=120))


def test_crossing_status_on_a_day() -> None:
    crossing = Crossing(
        RecordKey("ref", "X1"),
        "Bab al-Hawa",
        (36.69, 36.23),
        statuses=[
            CrossingStatus("open", date(2014, 7, 14)),
            CrossingStatus("closed", date(2020, 7, 11), date(2020, 7, 12)),
        ],
    )
    assert crossing.status_on(date(2020, 2, 1)).status == "open"
    assert crossing.status_on(date(2020, 7, 11)).status == "closed"
    assert crossing.status_on(date(2010, 1, 1)) is None
