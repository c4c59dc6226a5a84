"""The map and the displacement chart of a situation report, drawn with matplotlib as PNG bytes.

No pyplot: each drawing is its own :class:`matplotlib.figure.Figure` on the Agg canvas, so reports
can be drawn in several threads of the web server at once. Polygons are drawn by geopandas.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING, Any

import numpy as np
from shapely import unary_union
from shapely.geometry import Point, box

from haven.analysis.series import report_band
from haven.model import Place
from haven.report._format import number
from haven.report._mapdata import AreaMap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from haven.report.sitrep import Displacement

Extent = tuple[float, float, float, float]

DPI = 200
WIDTH_IN = 7.0  # about the text width of an A4 page with 14 mm margins
MAP_HEIGHT_IN = 3.8  # leaves room on the first page for the key figures and highlights
MAP_FRAME = (0.005, 0.07, 0.735, 0.925)  # the map's axes; the legend takes the column to its right
CRS = "EPSG:4326"
EVENT_STYLES: dict[str, tuple[str, str]] = {
    "Battles": ("o", "#c0392b"),
    "Explosions/Remote violence": ("D", "#e67e22"),
    "Violence against civilians": ("X", "#7b241c"),
    "Strategic developments": ("s", "#6c3483"),
    "Protests": ("^", "#1e8449"),
    "Riots": ("v", "#117864"),
}
OTHER_EVENT = ("P", "#34495e")
AREA_LINE: dict[str, Any] = {"color": "#1f3a5f", "linewidth": 1.4}
DISTRICT_LINE: dict[str, Any] = {"color": "#5d6d7e", "linewidth": 0.6}
BORDER_LINE: dict[str, Any] = {"color": "#17202a", "linewidth": 1.6, "linestyle": (0, (6, 2, 1, 2))}
ROAD_LINE: dict[str, Any] = {"color": "#8e6e53", "linewidth": 1.3}
AGREEMENT_AREA: dict[str, Any] = {
    "facecolor": "none",
    "edgecolor": "#b03a2e",
    "hatch": "////",
    "linewidth": 0.7,
}
COMMUNITY: dict[str, Any] = {"marker": "*", "color": "#1f3a5f", "markeredgecolor": "white", "markersize": 11}
CROSSING: dict[str, Any] = {"marker": "^", "color": "#f1c40f", "markeredgecolor": "black"}
SCALE_STEPS_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200)


def _png(fig: Figure) -> bytes:
    out = BytesIO()
    fig.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()


def _halo(width: float = 2.0) -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _fill(extent: Extent, ratio: float) -> Extent:
    """The extent widened (or heightened) about its centre to fill a frame ``ratio`` wide per high."""
    x0, y0, x1, y1 = extent
    squeeze = math.cos(math.radians((y0 + y1) / 2))  # a degree of longitude is this much of one of latitude
    width, height = (x1 - x0) * squeeze, y1 - y0
    if width / height < ratio:
        grow = (height * ratio / squeeze - (x1 - x0)) / 2
        return x0 - grow, y0, x1 + grow, y1
    grow = ((x1 - x0) * squeeze / ratio - height) / 2
    return x0, y0 - grow, x1, y1 + grow


def _scale_bar(ax: Axes, extent: Extent) -> None:
    """A bar of a round number of km, about a fifth of the map wide, at its lower left; a north arrow."""
    x0, y0, x1, y1 = extent
    km_per_degree = 111.32 * math.cos(math.radians((y0 + y1) / 2))
    target = (x1 - x0) * km_per_degree / 5
    km = max((s for s in SCALE_STEPS_KM if s <= target), default=SCALE_STEPS_KM[0])
    left, bottom = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    right = left + km / km_per_degree
    ax.plot([left, right], [bottom, bottom], color="black", linewidth=2.2, solid_capstyle="butt", zorder=9)
    ax.text((left + right) / 2, bottom + (y1 - y0) * 0.012, f"{km:g} km", ha="center", va="bottom",
            fontsize=6.5, zorder=9, path_effects=_halo())  # fmt: skip
    ax.annotate("N", xy=(0.96, 0.95), xytext=(0.96, 0.86), xycoords="axes fraction", ha="center",
                va="center", fontsize=8, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.0})  # fmt: skip


def _label(ax: Axes, point: Point, text: str, **style: Any) -> None:
    ax.text(point.x, point.y, text, ha="center", va="center", **style)


# ---------------------------------------------------------------- the map
def _context(ax: Axes, m: AreaMap, frame: Any) -> None:
    """The governorates around the area, in grey, named where they show."""
    import geopandas as gpd

    if not m.context:
        return
    gpd.GeoSeries([p.geometry for p in m.context], crs=CRS).plot(
        ax=ax, facecolor="#e4e4e0", edgecolor="white", linewidth=0.8, zorder=1
    )
    for place in m.context:
        assert place.geometry is not None
        point = place.geometry.intersection(frame).representative_point()
        if not point.is_empty:
            _label(ax, point, place.name_en.upper(), fontsize=6, color="#8a8a85", zorder=2)


def _sites(ax: Axes, fig: Figure, m: AreaMap) -> None:
    """Sub-districts shaded by the IDP sites they host, the busiest named, and a colour bar."""
    import geopandas as gpd
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize, to_rgba

    shaded = [(p, n) for p, n in m.subareas if p.geometry is not None]
    if not shaded:
        return
    norm = Normalize(vmin=0, vmax=max([n for _, n in shaded] + [1]))
    cmap = colormaps["Blues"]
    colours = [cmap(0.04 + 0.9 * norm(n)) if n else to_rgba("#fbfbf8") for _, n in shaded]
    gpd.GeoSeries([p.geometry for p, _ in shaded], crs=CRS).plot(
        ax=ax, color=colours, edgecolor="#a7b1bc", linewidth=0.3, zorder=3
    )
    if not any(n for _, n in shaded):
        return  # no site in the area: the note under the legend says so, a colour bar of zeros would not
    crossings = [Point(*point) for _, point, _ in m.crossings]
    for place, n in sorted(shaded, key=lambda pn: -pn[1])[:5]:
        assert place.geometry is not None
        if n and not any(place.geometry.contains(c) for c in crossings):  # a crossing's name wins the spot
            _label(ax, place.geometry.representative_point(), place.name_en, fontsize=5.5, zorder=8,
                   color="#1b2631", path_effects=_halo(1.6))  # fmt: skip
    bar = fig.add_axes((0.765, 0.31, 0.21, 0.02))
    fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=bar, orientation="horizontal")
    bar.tick_params(labelsize=5.5)
    bar.set_title("IDP sites per sub-district", fontsize=6, loc="left")


def _names(places: Sequence[Place]) -> str:
    return "; ".join(f"{p.name_en} ({p.pcode})" for p in places)


def _outlines(ax: Axes, m: AreaMap) -> list[Any]:
    """Districts, the area, borders, roads and agreement areas; their legend entries."""
    import geopandas as gpd
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    if m.districts:
        districts = gpd.GeoSeries([p.geometry for p in m.districts if p.geometry is not None], crs=CRS)
        districts.boundary.plot(ax=ax, zorder=4, **DISTRICT_LINE)
    shaped = [a for a in m.areas if a.geometry is not None]
    pointed = [a for a in m.areas if a.geometry is None and a.point is not None]
    if shaped:
        gpd.GeoSeries([a.geometry for a in shaped], crs=CRS).boundary.plot(ax=ax, zorder=5, **AREA_LINE)
        handles.append(Line2D([], [], label=_wrap(_names(shaped), 30), **AREA_LINE))
    if len(shaped) > 1:  # one area is the whole map; several need telling apart
        # a name is put where no agreement area's hatching or event marker would hide it
        busy = unary_union(
            [layer.geometry.buffer(0.06) for layer in m.layers if layer.kind == "area"]
            + [Point(*mark.point).buffer(0.08) for mark in m.events]
        )
        for area in shaped:
            assert area.geometry is not None
            clear = area.geometry.difference(busy)
            spot = (clear if not clear.is_empty else area.geometry).representative_point()
            _label(ax, spot, area.name_en.upper(), fontsize=7.5, fontweight="bold", color=AREA_LINE["color"],
                   zorder=8, path_effects=_halo())  # fmt: skip
    for area in pointed:  # a community: its point, inside the sub-district the map shades
        assert area.point is not None
        ax.plot(*area.point, linestyle="none", zorder=8, **COMMUNITY)
    if pointed:
        handles.append(Line2D([], [], linestyle="none", label=_wrap(_names(pointed), 30), **COMMUNITY))
    if m.districts:
        handles.append(Line2D([], [], label="District", **DISTRICT_LINE))
    for layer in m.layers:
        shape = gpd.GeoSeries([layer.geometry], crs=CRS)
        label = _wrap(layer.label, 30)
        if layer.kind == "area":
            shape.plot(ax=ax, zorder=6, **AGREEMENT_AREA)
            handles.append(Patch(label=label, **AGREEMENT_AREA))
        else:
            style = BORDER_LINE if layer.kind == "border" else ROAD_LINE
            shape.plot(ax=ax, zorder=6, **style)
            handles.append(Line2D([], [], label=label, **style))
    return handles


def _events(ax: Axes, m: AreaMap) -> list[Any]:
    """A marker per event type and place, sized by the events there (their number written inside)."""
    from matplotlib.lines import Line2D

    by_type: dict[str, int] = {}
    for mark in m.events:
        marker, colour = EVENT_STYLES.get(mark.event_type, OTHER_EVENT)
        x, y = mark.point
        ax.scatter([x], [y], s=26 + 16 * (mark.events - 1), marker=marker, c=colour, edgecolors="white",
                   linewidths=0.6, zorder=7)  # fmt: skip
        if mark.events > 1:
            _label(
                ax, Point(x, y), str(mark.events), fontsize=4.5, color="white", fontweight="bold", zorder=7.5
            )
        by_type[mark.event_type] = by_type.get(mark.event_type, 0) + mark.events
    handles = []
    for event_type, n in sorted(by_type.items()):
        marker, colour = EVENT_STYLES.get(event_type, OTHER_EVENT)
        handles.append(Line2D([], [], linestyle="none", marker=marker, color=colour, markeredgecolor="white",
                              markersize=6, label=_wrap(f"{event_type} ({n})", 30)))  # fmt: skip
    return handles


def _crossings(ax: Axes, m: AreaMap, extent: Extent) -> list[Any]:
    from matplotlib.lines import Line2D

    if not m.crossings:
        return []
    for name, (lon, lat), status in m.crossings:
        ax.plot([lon], [lat], linestyle="none", markersize=8, markeredgewidth=0.7, zorder=8, **CROSSING)
        ax.text(lon + (extent[2] - extent[0]) * 0.012, lat, name + ("" if status else " (status unknown)"),
                fontsize=6, va="center", zorder=8, path_effects=_halo())  # fmt: skip
    return [Line2D([], [], linestyle="none", markersize=7, label="Border crossing", **CROSSING)]


def _notes(m: AreaMap) -> str:
    notes = ["Scale at the map's mid-latitude; WGS 84 longitude/latitude."]
    if m.events_coarsened:
        notes.append(f"{m.events_coarsened} unverified event(s) shown at the centre of their 0.1° grid cell.")
    if m.events_unlocated:
        notes.append(f"{m.events_unlocated} event(s) without coordinates are not mapped.")
    if m.sites:
        notes.append("IDP sites are counted per sub-district of their host community, never shown as points.")
    else:
        notes.append("No IDP site is registered in the area.")
    return "\n".join(_wrap(n, 44) for n in notes)


def draw_map(m: AreaMap) -> bytes | None:
    """The area's sub-districts shaded by IDP sites, events by type, crossings, borders and agreement
    areas, with a legend, a scale bar and the sources; ``None`` when no boundary or point is loaded."""
    if m.extent is None:
        return None
    from matplotlib.figure import Figure

    extent = _fill(m.extent, WIDTH_IN * MAP_FRAME[2] / (MAP_HEIGHT_IN * MAP_FRAME[3]))
    fig = Figure(figsize=(WIDTH_IN, MAP_HEIGHT_IN))
    ax = fig.add_axes(MAP_FRAME)
    ax.set_facecolor("#f7f7f5")
    _context(ax, m, box(*extent))
    _sites(ax, fig, m)
    handles = _outlines(ax, m) + _events(ax, m) + _crossings(ax, m, extent)
    x0, y0, x1, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")  # geopandas names the axes; a map needs no such labels
    ax.set_ylabel("")
    _scale_bar(ax, extent)

    side = fig.add_axes((0.755, 0.36, 0.24, 0.635))
    side.axis("off")
    if handles:
        side.legend(handles=handles, loc="upper left", fontsize=5.8, frameon=False, borderaxespad=0,
                    handlelength=2.0, labelspacing=0.6)  # fmt: skip
    fig.text(0.765, 0.075, _notes(m), fontsize=5, va="bottom", color="#444")
    credits = _wrap("Sources: " + "; ".join(m.credits) + ".", 150)
    fig.text(0.005, 0.012, credits, fontsize=5.5, va="bottom", color="#333")
    return _png(fig)


# ---------------------------------------------------------------- the displacement chart
def _series_panel(ax: Axes, d: Displacement) -> str:
    """The daily estimate, its band and every report with the range its qualifier allows."""
    assert d.series is not None
    s = d.series
    days = np.array([e.day for e in s.days], dtype="datetime64[D]")
    ax.fill_between(days, [e.low for e in s.days], [e.high for e in s.days], color="#9ecae1", alpha=0.55,
                    linewidth=0, label="range the reports allow")  # fmt: skip
    ax.plot(days, [e.best for e in s.days], color="#08519c", linewidth=1.8, label="best estimate")
    disagree = False
    for point in s.points:
        rec = point.reconciliation
        if rec is None:
            continue
        disagree = disagree or rec.contradiction
        when = np.datetime64(point.day, "D")
        for f in rec.reports:
            low, high = report_band(f)
            colour = "#c0392b" if rec.contradiction else "#17202a"
            ax.errorbar([when], [f.value], yerr=[[f.value - low], [high - f.value]], fmt="o", markersize=3.2,
                        color=colour, elinewidth=0.8, capsize=1.8)  # fmt: skip
            ax.annotate(f"{f.qualifier.words}{number(f.value)}", (when, f.value), xytext=(-3, 6),
                        textcoords="offset points", fontsize=5.2, ha="right", color="#333")  # fmt: skip
    ax.plot([], [], "o", color="#17202a", markersize=3.2, label="a report (bar: its qualifier)")
    if disagree:
        ax.plot([], [], "o", color="#c0392b", markersize=3.2, label="reports of one day that disagree")
    ax.set_title(d.series_label, fontsize=8.5, loc="left", fontweight="bold")
    ax.legend(fontsize=6, loc="upper left", frameon=False)
    ax.set_ylim(bottom=0)
    return f"Reports: {'; '.join(d.series_citation.publishers)}"


def _flows_panel(ax: Axes, d: Displacement) -> str:
    """People displaced into the area, month by month."""
    assert d.flows is not None
    by_month = {k: v for k, v in d.flows.by_period().items() if k is not None}
    ax.bar(np.array(list(by_month), dtype="datetime64[D]"), list(by_month.values()), width=20,
           color="#e6550d", align="edge")  # fmt: skip
    ax.set_title(d.flows_label, fontsize=8.5, loc="left", fontweight="bold")
    return f"Movements: {'; '.join(d.flows_citation.publishers or d.flows.datasets)}"


def draw_displacement(d: Displacement) -> bytes | None:
    """The reported running total with its band and every report, and monthly movements into the area;
    ``None`` when there is neither."""
    panels = [panel for panel, data in ((_series_panel, d.series), (_flows_panel, d.flows)) if data]
    if not panels:
        return None
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = Figure(figsize=(WIDTH_IN, 2.75 * len(panels) + 0.35))
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    credits = []
    for ax, draw in zip(axes, panels, strict=True):
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.tick_params(labelsize=7)
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        credits.append(draw(ax, d))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b\n%Y"))
    note = "; ".join(credits) + "."
    if d.series is not None:
        note += (
            " Band: what each report's qualifier allows (about ±10%), kept from falling as a running total "
            "cannot fall (haven.analysis.series)."
        )
    fig.text(0.01, 0.01, _wrap(note, 160), fontsize=5.5, color="#333", va="bottom")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return _png(fig)


__all__ = ["DPI", "draw_displacement", "draw_map"]
