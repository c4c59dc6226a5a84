"""Situation reports: a flash update of an area and period, as HTML and PDF.

Between ``services`` and the interfaces: ``cli`` and ``web`` both call :func:`build_sitrep` and
:func:`render_html` / :func:`render_pdf`, so the command line and the dashboard give the same document.
"""

from haven.report.render import render_html, render_pdf, write_sitrep
from haven.report.sitrep import Sitrep, build_sitrep

__all__ = ["Sitrep", "build_sitrep", "render_html", "render_pdf", "write_sitrep"]
