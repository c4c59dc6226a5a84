"""``python -m haven`` is the ``haven`` command."""

from haven.cli.main import run

run()
