"""The importers Haven knows, by the name ``haven import KIND`` uses.

Importers load lazily: reading an ACLED file should not pay for importing geopandas.
"""

from __future__ import annotations

import inspect
from importlib import import_module
from typing import Any

from haven.errors import HavenError
from haven.io.base import Importer

_IMPORTERS: dict[str, str] = {
    "acled": "haven.io.acled:AcledImporter",
    "acled-deleted": "haven.io.acled:AcledDeletionsImporter",
    "ucdp": "haven.io.ucdp:UcdpImporter",
    "hxl": "haven.io.hxl:HxlImporter",
    "boundaries": "haven.io.boundaries:BoundariesImporter",
    "communities": "haven.io.communities:CommunitiesImporter",
    "hnap-arrivals": "haven.io.hnap:HnapArrivalsImporter",
    "hnap-returns": "haven.io.hnap:HnapReturnsImporter",
    "hnap-od": "haven.io.hnap:HnapOriginDestinationImporter",
    "hnap-monthly": "haven.io.hnap:HnapMonthlyImporter",
    "cccm-population": "haven.io.cccm:CccmPopulationImporter",
    "cccm-sites": "haven.io.cccm:CccmSiteListImporter",
    "cccm-site-tracker": "haven.io.cccm:CccmSiteTrackerImporter",
    "figures": "haven.io.crisis:FiguresImporter",
    "events": "haven.io.crisis:KeyEventsImporter",
    "agreements": "haven.io.crisis:AgreementsImporter",
    "crossings": "haven.io.crisis:CrossingsImporter",
    "deliveries": "haven.io.deliveries:DeliveriesImporter",
}


def importer_names() -> list[str]:
    return sorted(_IMPORTERS)


def importer_class(kind: str) -> type:
    target = _IMPORTERS.get(kind)
    if target is None:
        raise HavenError(f"no importer for {kind!r} (expected one of {', '.join(importer_names())})")
    module, _, name = target.partition(":")
    return getattr(import_module(module), name)


def importer_for(kind: str, **options: Any) -> Importer:
    """An importer, given the options it takes (``as_of=`` for files that carry no date, say)."""
    cls = importer_class(kind)
    accepted = inspect.signature(cls).parameters
    given = {name: value for name, value in options.items() if value is not None}
    for name in given:
        if name not in accepted:
            option = "--" + name.replace("_", "-")
            raise HavenError(f"the {kind} importer does not take {option}")
    return cls(**given)
