"""`haven sitrep` writes a situation report through the command function the `haven` app wires in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from haven.cli.sitrep import sitrep
from haven.errors import HavenError
from haven.services.reference import load_reference_crisis
from haven.store import Store

runner = CliRunner()
PERIOD = ["--area", "SY07", "--from", "2019-12-01", "--to", "2020-03-05", "--produced", "2020-03-06"]


def _app() -> typer.Typer:
    """The command under a callback that takes ``--db`` as `haven` does."""
    app = typer.Typer(pretty_exceptions_enable=False)

    @app.callback()
    def main(ctx: typer.Context, db: str = typer.Option(None, "--db")) -> None:
        ctx.obj = {"db": db}

    app.command("sitrep")(sitrep)
    return app


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("cli-sitrep") / "haven.db"
    with Store.open(path, create=True) as store:
        load_reference_crisis(store)
    yield path


def test_sitrep_writes_a_pdf(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "sitrep.pdf"
    result = runner.invoke(_app(), ["--db", str(db), "sitrep", *PERIOD, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "Idleb: Flash Update, 1 Dec 2019 – 5 Mar 2020: PDF written to" in " ".join(result.output.split())


def test_sitrep_html_by_format_with_temperatures(db: Path, tmp_path: Path) -> None:
    temps = tmp_path / "t.csv"
    temps.write_text("place,date,min,max\nNorthwest Syria,2020-02-10,-6,5\n")
    out = tmp_path / "report.out"
    args = ["--db", str(db), "sitrep", *PERIOD, "--out", str(out), "--format", "html"]
    result = runner.invoke(_app(), [*args, "--temperatures", str(temps), "--climate", "cold"])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.startswith("<!doctype html>") and "Idleb: Flash Update" in html
    assert "Person-nights &lt; 0 °C" in html and "315,000" in html
    assert "Produced: 6 Mar 2020" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2019-31-12"], "--from '2019-31-12' is not a date (expected YYYY-MM-DD)"),
        (["--area", "SY99"], "area 'SY99': no place has this p-code in the database"),
        (["--to", "2019-11-01"], "to: 2019-11-01 is before from: 2019-12-01"),
        (["--out", "report.docx"], "cannot tell the report format from the suffix '.docx'"),
        (["--phase", "final"], "phase: 'final' is not a phase (expected initial or later)"),
    ],
)
def test_bad_options_stop_with_a_haven_error(db: Path, tmp_path: Path, args: list[str], message: str) -> None:
    chosen = dict(zip(PERIOD[::2], PERIOD[1::2], strict=True)) | {"--out": str(tmp_path / "x.html")}
    chosen |= dict(zip(args[::2], args[1::2], strict=True))
    result = runner.invoke(_app(), ["--db", str(db), "sitrep", *[v for kv in chosen.items() for v in kv]])
    assert result.exit_code != 0
    assert isinstance(result.exception, HavenError)  # `haven` prints it as one line and exits 1
    assert message in str(result.exception)
    assert not (tmp_path / "x.html").exists()


def test_sitrep_of_several_areas_with_a_title(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "nw.html"
    period = ["--from", "2019-12-01", "--to", "2020-03-05", "--out", str(out)]
    result = runner.invoke(
        _app(), ["--db", str(db), "sitrep", "--area", "SY07,SY02", "--title", "Northwest Syria", *period]
    )
    assert result.exit_code == 0, result.output
    assert "Northwest Syria: Flash Update, 1 Dec 2019 – 5 Mar 2020: HTML written to" in " ".join(
        result.output.split()
    )
    html = out.read_text()
    assert "<title>Northwest Syria: Flash Update · 1 Dec 2019 – 5 Mar 2020</title>" in html
    assert "Idleb (SY07), Aleppo (SY02)" in html
    # the option repeated is the same as comma-separated; without a title the names are joined
    repeated = runner.invoke(
        _app(), ["--db", str(db), "sitrep", "--area", "SY07", "--area", "SY02", *period[:-1], str(out)]
    )
    assert repeated.exit_code == 0, repeated.output
    assert "<title>Idleb and Aleppo: Flash Update" in out.read_text()


def test_a_bad_area_among_several_is_named(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    args = [
        "--area",
        "SY07",
        "--area",
        "SY99",
        "--from",
        "2019-12-01",
        "--to",
        "2020-03-05",
        "--out",
        str(out),
    ]
    result = runner.invoke(_app(), ["--db", str(db), "sitrep", *args])
    assert isinstance(result.exception, HavenError)
    assert str(result.exception).startswith("area 'SY99': no place has this p-code in the database")
    assert not out.exists()
