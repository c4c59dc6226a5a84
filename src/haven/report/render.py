"""A situation report as one self-contained HTML document, and as an A4 PDF made from it by WeasyPrint.

The HTML inlines its stylesheet and carries its map and chart as ``data:`` URIs, so it can be saved,
mailed or opened offline. The PDF renderer may read nothing but those ``data:`` URIs and files of
the report's own template folder: no web address is ever fetched.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from haven.errors import ValidationError
from haven.report import charts
from haven.report._format import day, estimate, number, period
from haven.report.sitrep import Sitrep

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}


@dataclass(frozen=True)
class Images:
    """The report's drawings as PNG bytes (``None`` where the data give nothing to draw)."""

    map: bytes | None
    chart: bytes | None

    @classmethod
    def draw(cls, report: Sitrep) -> Images:
        return cls(charts.draw_map(report.map), charts.draw_displacement(report.displacement))


def _data_uri(png: bytes | None) -> str | None:
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(day=day, number=number, estimate=estimate)
    env.filters["percent"] = lambda value: f"{value:.0%}"
    env.globals["period"] = period
    return env


_ENV = _environment()


def render_html(report: Sitrep, images: Images | None = None) -> str:
    """The report as a standalone HTML document (also the PDF's source)."""
    images = images or Images.draw(report)
    template = _ENV.get_template("sitrep.html")
    return template.render(
        r=report,
        css=(TEMPLATES / "sitrep.css").read_text(encoding="utf-8"),
        map_uri=_data_uri(images.map),
        chart_uri=_data_uri(images.chart),
    )


def _local_fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads ``data:`` URIs and files under the template folder only."""
    from weasyprint.urls import URLFetcher

    root = TEMPLATES.resolve()

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not path.is_relative_to(root):
                    raise ValueError(f"a report may only read its own template files, not {path}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols=("data", "file"))


def render_pdf(report: Sitrep, html: str | None = None) -> bytes:
    """The report as an A4 PDF (WeasyPrint, system fonts)."""
    from weasyprint import HTML

    document = HTML(
        string=html if html is not None else render_html(report),
        base_url=str(TEMPLATES),
        url_fetcher=_local_fetcher(),
    )
    pdf: bytes = document.write_pdf()
    return pdf


def format_for(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """'html' or 'pdf': ``fmt`` when given, else from the file's suffix."""
    if fmt is not None:
        chosen = fmt.strip().lower()
        if chosen not in ("html", "pdf"):
            raise ValidationError(f"format: {fmt!r} is not a report format (expected html or pdf)")
        return chosen
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(
            f"{path}: cannot tell the report format from the suffix {suffix or '(none)'!r} "
            "(expected .html or .pdf, or give the format)"
        )
    return FORMATS[suffix]


def write_sitrep(report: Sitrep, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write the report as HTML or PDF (``fmt``, else the file's suffix); returns the path."""
    out = Path(path)
    chosen = format_for(out, fmt)
    html = render_html(report)
    out.parent.mkdir(parents=True, exist_ok=True)
    if chosen == "html":
        out.write_text(html, encoding="utf-8")
    else:
        out.write_bytes(render_pdf(report, html))
    return out


def filename(report: Sitrep, fmt: str) -> str:
    """'sitrep-SY07-2019-12-01-2020-03-05.pdf'; 'sitrep-SY07_SY02-…' for several areas."""
    return f"sitrep-{'_'.join(report.pcodes)}-{report.start.isoformat()}-{report.end.isoformat()}.{fmt}"


__all__ = [
    "FORMATS",
    "TEMPLATES",
    "Images",
    "filename",
    "format_for",
    "render_html",
    "render_pdf",
    "write_sitrep",
]
