from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FLEE_FIXTURE = Path(__file__).parents[1] / "fixtures" / "flee" / "test_input_csv"


@pytest.fixture
def flee_copy(tmp_path: Path) -> Path:
    """A writable copy of flee's small test input set."""
    target = tmp_path / "flee"
    shutil.copytree(FLEE_FIXTURE, target)
    return target
