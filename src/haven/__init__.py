"""Haven: monitor a conflict-driven humanitarian crisis and decide what to do about it.

Layers, each importing only those before it::

    model    plain typed records (no storage, no I/O)
    store    SQLAlchemy Core tables, Alembic migrations, the repository
    io       importers and exporters for the field's file formats
    services use cases: reference crisis, overview, listings
    cli      the ``haven`` command
"""

from haven.errors import HavenError

__version__ = "0.1.0"
__all__ = ["HavenError", "__version__"]
