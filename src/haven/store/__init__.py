"""Storage: SQLAlchemy Core tables, Alembic migrations and the repository."""

from haven.store.repository import RecordFilter, Store, file_sha256
from haven.store.writer import ImportReport, ImportWriter, KindCounts

__all__ = ["ImportReport", "ImportWriter", "KindCounts", "RecordFilter", "Store", "file_sha256"]
