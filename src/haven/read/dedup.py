"""Is a read event one the store already holds?

A candidate event matches a stored event (from any dataset but a ``read:`` one) of the same event type
whose dates are within a day of its own and whose point (the event's, or its community's) is within a
few kilometres of the candidate's, or, when either has no point, that has the same p-code. The closest
match wins. Accepting such a candidate attaches the document's source to the stored event *and* keeps
the candidate as an event of its own ``read:<document>`` dataset with the count it states: that is how
its casualty count is kept per source, and ``haven figures reconcile`` groups the two (same day, same
place, different datasets) and shows both counts.
"""

from __future__ import annotations

from datetime import timedelta

from haven.geo.crs import distance_km
from haven.model import Event
from haven.store import RecordFilter, Store

DAY_TOLERANCE = 1
DISTANCE_KM = 5.0


def find_match(
    store: Store, event: Event, *, days: int = DAY_TOLERANCE, km: float = DISTANCE_KM
) -> Event | None:
    """The stored event this one reports again, or None."""
    end = event.date_end or event.date_start
    window = RecordFilter(
        start=event.date_start - timedelta(days=days),
        end=end + timedelta(days=days),
        types=(event.event_type,),
    )
    best: tuple[float, Event] | None = None
    for stored in store.list("event", window):
        if stored.key.dataset.startswith("read:") or stored.event_type != event.event_type:
            continue
        stored_end = stored.date_end or stored.date_start
        gap = max((stored.date_start - end).days, (event.date_start - stored_end).days, 0)
        if gap > days:
            continue
        if event.point and stored.point:
            distance = distance_km(event.point, stored.point)
            if distance > km:
                continue
        elif not (event.place_pcode and event.place_pcode == stored.place_pcode):
            continue
        else:
            distance = 0.0
        if best is None or distance < best[0]:
            best = (distance, stored)
    return None if best is None else best[1]


__all__ = ["DAY_TOLERANCE", "DISTANCE_KM", "find_match"]
