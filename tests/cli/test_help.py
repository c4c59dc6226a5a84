"""Every command has help text and an entry in the docs (docs/cli.md or a topic page)."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from haven.cli.main import app

DOCS = Path(__file__).parents[2] / "docs"
CLI_DOC = "\n".join(page.read_text() for page in sorted(DOCS.rglob("*.md")))


def _commands() -> list[str]:
    root = get_command(app)
    names = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            names.extend(f"{name} {child}" for child in sub)
        else:
            names.append(name)
    return sorted(names)


def test_every_command_is_documented_and_has_help() -> None:
    runner = CliRunner()
    commands = _commands()
    assert "import" in commands and "events list" in commands
    for name in commands:
        assert f"haven {name}" in CLI_DOC, f"no page in docs/ documents `haven {name}`"
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output
