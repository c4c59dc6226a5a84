"""Analyses as JSON-ready answers, in the shape ``haven … --json`` prints them.

The CLI builds these shapes for its ``--json`` output and the web API returns them, so a script gets
the same answer from either. Values are left as Python objects (dates, enums, dataclasses); pass the
result through :func:`haven.services.serialize.to_jsonable` before writing JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from haven.analysis.flows import Flows
from haven.analysis.reconcile import EventFatalities, FigureReconciliation, ReconcileRules
from haven.geo.inside import area_km2
from haven.model import Zone
from haven.services.overview import Overview
from haven.services.serialize import record_to_dict

FigureDetail = Literal["all", "latest"]


def overview_answer(overview: Overview, figures: FigureDetail = "all") -> dict[str, Any]:
    """The overview; ``figures="latest"`` keeps only the latest report of each group of figures.

    Every community's population is a figure of one group, so "all" can run to megabytes for a
    whole country; "latest" still says how many reports each group has.
    """
    groups: dict[str, Any] = {}
    for group, items in overview.figures_by_metric.items():
        label = f"{group.metric}/{group.subgroup}/since {group.since or '-'}"
        chosen = items if figures == "all" else items[-1:]
        groups[label] = [record_to_dict(f) for f in chosen]
    answer: dict[str, Any] = {
        "period": {"start": overview.start, "end": overview.end},
        "area": overview.area,
        "events": {
            "count": overview.events.events,
            "by_type": dict(overview.events.by_type.most_common()),
            "fatalities": {
                "low": overview.events.fatalities_low,
                "best": overview.events.fatalities_best,
                "high": overview.events.fatalities_high,
            },
        },
        "figures": groups,
        "movements": {"count": overview.movements, "individuals": overview.displaced_in_movements},
        "sites": overview.sites,
        "agreements": [record_to_dict(a) for a in overview.agreements],
        "crossings": [{"name": c.name, "status": status} for c, status in overview.crossings],
    }
    if figures == "latest":
        answer["figure_reports"] = {
            f"{g.metric}/{g.subgroup}/since {g.since or '-'}": len(items)
            for g, items in overview.figures_by_metric.items()
        }
    return answer


def reconcile_answer(
    rules: ReconcileRules, groups: Sequence[FigureReconciliation], fatalities: Sequence[EventFatalities]
) -> dict[str, Any]:
    """Reconciled figure groups and event fatalities, every report with its sources."""
    return {
        "rules": rules,
        "figures": [
            {
                "metric": g.metric,
                "subgroup": g.subgroup,
                "since": g.since,
                "first_day": g.first_day,
                "last_day": g.last_day,
                "low": g.low,
                "best": g.best,
                "best_qualifier": g.best_qualifier,
                "high": g.high,
                "spread": g.spread,
                "latest": str(g.latest.key),
                "contradiction": g.contradiction,
                "reasons": g.reasons,
                "flags": g.flags,
                "reports": [
                    {
                        "key": str(f.key),
                        "value": f.value,
                        "qualifier": f.qualifier,
                        "as_of": f.effective_date,
                        "reported_on": f.reported_on,
                        "area": f.area_pcode or f.area_name,
                        "sources": [s.publisher for s in f.sources],
                    }
                    for f in g.reports
                ],
            }
            for g in groups
        ],
        "events": [
            {
                "events": [str(e.key) for e in r.events],
                "day": r.day,
                "place": r.place,
                "low": r.low,
                "best": r.best,
                "high": r.high,
                "best_from": r.best_from,
                "counts_named": r.counts_by_noun,
                "contradiction": r.contradiction,
                "flags": r.flags,
                "sources": sorted({s.publisher for e in r.events for s in e.sources}),
            }
            for r in fatalities
        ],
    }


def zone_summary(zone: Zone) -> dict[str, Any]:
    """A zone as ``haven zone list`` lists it: name, description, operation, geometry type, km²."""
    return {
        "name": zone.name,
        "description": zone.description,
        "op": zone.recipe.get("op") or zone.recipe.get("kind"),
        "geometry": zone.geometry.geom_type,
        "area_km2": area_km2(zone.geometry) if zone.geometry.area else 0.0,
    }


def zone_answer(zone: Zone) -> dict[str, Any]:
    """A zone as ``haven zone show`` shows it: its recipe and bounds too."""
    summary = zone_summary(zone)
    return {
        "name": zone.name,
        "description": zone.description,
        "recipe": zone.recipe,
        "bounds": list(zone.geometry.bounds),
        "geometry": summary["geometry"],
        "area_km2": summary["area_km2"],
    }


def flows_answer(table: Flows, top: int = 10) -> dict[str, Any]:
    """A flow table with its running totals, top origins and destinations and disaggregation."""
    return {
        "level": table.level,
        "by": table.freq,
        "datasets": table.datasets,
        "total": table.total,
        "cells": table.cells,
        "cumulative": table.cumulative(),
        "top_origins": table.top("origin", top),
        "top_destinations": table.top("destination", top),
        "disaggregation": table.disaggregation(),
        "names": table.names,
    }


__all__ = [
    "FigureDetail",
    "flows_answer",
    "overview_answer",
    "reconcile_answer",
    "zone_answer",
    "zone_summary",
]
