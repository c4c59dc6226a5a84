"""Placing records that carry only coordinates into the admin units loaded in the store."""

from __future__ import annotations

from haven.store import Store
from haven.store.writer import Locator


def locator_for(store: Store) -> Locator | None:
    """A point-in-polygon locator over the store's sub-districts, or ``None`` if none are loaded."""
    from haven.io.locate import AreaLocator

    return AreaLocator.from_store(store)
