"""The highlights of a situation report: a few sentences written from its data, each citing its sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from haven.report._figures import KeyFigure
from haven.report._format import day, estimate
from haven.report._sources import ref_list

if TYPE_CHECKING:
    from haven.report.sitrep import Sitrep


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def _counted(figure: KeyFigure) -> str:
    """' since 1 Dec 2019', ', 1–29 Feb 2020' or nothing: what span the number counts, in a sentence."""
    if not figure.counted:
        return ""
    return f" {figure.counted}" if figure.counted.startswith("since") else f", {figure.counted}"


def displacement(report: Sitrep, figure: KeyFigure | None) -> str:
    if figure is None:
        return f"No figure of people displaced is reported for {report.name} in the period."
    text = f"{_cap(figure.best)} people displaced in {figure.area}{_counted(figure)}"
    text += f", as of {day(figure.as_of)} ({figure.citation.text()})"
    if figure.reports > 1:
        sources = _count(len(figure.publishers), "source")
        text += (
            f"; the period's {figure.reports} reports from {sources} range from {figure.low} to {figure.high}"
        )
    if figure.flags:
        text += f"; the latest reports disagree ({'; '.join(figure.flags)})"
    return text + "."


def events(report: Sitrep) -> str:
    e = report.events
    where = f"in {report.name} in the period"
    if not e.events:
        return f"No conflict events are recorded {where}."
    kinds = ", ".join(f"{n} {kind.lower()}" for kind, n in e.by_type.most_common(3))
    more = "" if len(e.by_type) <= 3 else ", among others"
    text = f"{_count(e.events, 'conflict event')} recorded {where} ({kinds}{more})"
    if report.events_with_fatalities:
        text += (
            f"; the {report.events_with_fatalities:,} that report fatalities count "
            f"{estimate(e.fatalities_low, e.fatalities_best, e.fatalities_high)} dead, low–best–high"
        )
    else:
        text += "; none of them reports fatalities"
    return f"{text} ({report.events_citation.text()})."


def casualties(figure: KeyFigure | None) -> str | None:
    if figure is None:
        return None
    return (
        f"{_cap(figure.best)} civilians killed in {figure.area}{_counted(figure)} ({figure.citation.text()})."
    )


def crossings(report: Sitrep) -> str | None:
    lines = report.crossings
    if not lines:
        return None
    open_ = [c for c in lines if c.status and c.status.lower().startswith("open")]
    parts = []
    for c in lines:
        part = f"{c.name} {c.status or 'status unknown'}"
        if c.days_open is not None and c.days and c.days_open < c.days:
            part += f" (open {c.days_open} of {c.days} days)"
        if c.changes:
            part += f" ({'; '.join(c.changes)})"
        parts.append(part)
    refs = [ref for c in lines for ref in c.citation.refs]
    publishers = dict.fromkeys(p for c in lines for p in c.citation.publishers)
    source = f"{'; '.join(publishers)} [{ref_list(refs)}]" if refs else "source not recorded"
    return (
        f"On {day(report.end)}, {len(open_)} of {_count(len(lines), 'border crossing')} "
        f"{'was' if len(open_) == 1 else 'were'} open: {'; '.join(parts)} ({source})."
    )


def agreements(report: Sitrep) -> str | None:
    signed = [a for a in report.agreements if a.signed_in_period]
    earlier = [a for a in report.agreements if not a.signed_in_period]
    if not signed and not earlier:
        return None
    parts = []
    if signed:
        items = "; ".join(
            f"{a.name} ({day(a.signed_on)}{'' if a.in_force_in_period else ', ' + a.in_force}) "
            f"[{ref_list(a.citation.refs)}]"
            for a in signed
        )
        parts.append(f"{_count(len(signed), 'agreement')} signed in the period: {items}")
    if earlier:
        items = "; ".join(f"{a.name} [{ref_list(a.citation.refs)}]" for a in earlier)
        parts.append(f"{'in force from before' if signed else 'In force from before the period'}: {items}")
    return "; ".join(parts) + "."


def highlights(report: Sitrep) -> list[str]:
    """Three to five sentences: displacement, events, casualties, crossings, agreements."""
    sentences = [
        displacement(report, report.key_figure("displaced")),
        events(report),
        casualties(report.key_figure("civilians_killed")),
        crossings(report),
        agreements(report),
    ]
    if not report.has_data:
        sentences.insert(
            0,
            f"Haven holds no reported figures, conflict events or IDP sites for {report.name} "
            f"({', '.join(report.pcodes)}) from {day(report.start)} to {day(report.end)}.",
        )
    return [s for s in sentences if s][:5]


__all__ = ["highlights"]
