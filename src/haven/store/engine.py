"""Opening a database by path or URL, and bringing its schema up to date with Alembic."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect

from haven.errors import StoreError

DEFAULT_DB = "haven.db"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(location: str | os.PathLike[str] | None = None) -> str:
    """A SQLAlchemy URL for a path or URL; ``None`` means ``$HAVEN_DB`` or ``./haven.db``."""
    text = str(location) if location is not None else os.environ.get("HAVEN_DB", DEFAULT_DB)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def _tune_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web app read while an import writes; NORMAL is safe with WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    return engine


def _alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Create or migrate the schema to the newest revision."""
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()


def check_schema(engine: Engine, url: str) -> None:
    """Refuse to work on a database that was never initialised or is behind this Haven."""
    if "alembic_version" not in inspect(engine).get_table_names():
        raise StoreError(f"{url} is not a Haven database yet: run `haven init` first")
    current, head = current_revision(engine), head_revision(engine)
    if current != head:
        raise StoreError(
            f"{url} is at schema {current}, this Haven needs {head}: run `haven init` to migrate"
        )
