"""Every example file in the docs imports cleanly with the importer its block names.

An example is a fenced block whose info string is ``<lang> example=<importer>``, e.g.
```` ```csv example=acled ````.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from haven.io.base import run_import
from haven.io.registry import importer_for
from haven.store import Store

DOCS = Path(__file__).parents[1] / "docs"
BLOCK = re.compile(r"^```(?P<lang>\w+) example=(?P<kind>[\w-]+)[^\n]*\n(?P<body>.*?)^```", re.S | re.M)
SUFFIX = {"csv": ".csv", "json": ".geojson", "geojson": ".geojson"}


def _examples() -> list[tuple[str, str, str, str]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        for number, match in enumerate(BLOCK.finditer(page.read_text()), start=1):
            found.append((f"{page.relative_to(DOCS)}#{number}", match["lang"], match["kind"], match["body"]))
    return found


EXAMPLES = _examples()


def test_the_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize(("where", "lang", "kind", "body"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_doc_example_imports(
    where: str, lang: str, kind: str, body: str, store: Store, tmp_path: Path
) -> None:
    example = tmp_path / f"example{SUFFIX.get(lang, '.' + lang)}"
    example.write_text(body)
    report = run_import(store, importer_for(kind), example)
    assert report.inserted > 0, f"{where}: the example imported nothing"
