"""``haven serve`` starts a real server; it refuses a missing database with Haven's message."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from haven.cli.main import app
from haven.store import Store

HAVEN = [sys.executable, "-c", "from haven.cli.main import run; run()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_on_the_printed_address(tmp_path: Path) -> None:
    db = tmp_path / "haven.db"
    Store.open(db, create=True).close()
    port = _free_port()
    server = subprocess.Popen(
        [*HAVEN, "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=2) as answer:
                    spec = answer.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "haven serve did not answer within 60 s"
                time.sleep(0.3)
        assert '"title":"Haven"' in spec
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in output


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "missing.db"), "serve"])
    assert result.exit_code == 1
    assert "missing.db" in str(result.exception)
