"""Tables, in SQLAlchemy Core. Only portable types: the same schema serves SQLite and PostgreSQL.

Every imported record table has the same bookkeeping columns (see :func:`_record_columns`):
its natural key (``dataset`` + ``record_id``), a ``revision`` counter, a ``content_hash`` of
what the source said, ``deleted_at`` for rows withdrawn upstream, and the import that last
touched it. Geometry is kept as WKB in longitude/latitude (EPSG:4326) plus ``lon``/``lat`` for points.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _record_columns() -> list[Column]:
    return [
        Column("id", Integer, primary_key=True),
        Column("dataset", String(100), nullable=False),
        Column("record_id", String(200), nullable=False),
        Column("revision", Integer, nullable=False, default=1),
        Column("content_hash", String(32), nullable=False),
        Column("deleted_at", DateTime, nullable=True),
        Column("import_id", Integer, ForeignKey("imports.id"), nullable=True),
    ]


def _area_columns() -> list[Column]:
    """The admin chain a record falls in, so listings filter by any p-code and its children."""
    return [Column(f"adm{level}_pcode", String(20)) for level in (1, 2, 3)] + [
        Column("place_pcode", String(20))
    ]


imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(50), nullable=False),
    Column("dataset", String(100), nullable=False),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("inserted", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("deleted", Integer, nullable=False, default=0),
    Column("rejected", Integer, nullable=False, default=0),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False, unique=True),
    Column("publisher", Text, nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("published_on", Date),
    Column("reliability", String(1), nullable=False, default="F"),
)

record_sources = Table(
    "record_sources",
    metadata,
    Column("record_kind", String(30), primary_key=True),
    Column("record_pk", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), primary_key=True),
    # The key is the whole row: SQLite then stores it once instead of as a table plus an index.
    sqlite_with_rowid=False,
)

revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_kind", String(30), nullable=False),
    Column("record_pk", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("change", String(20), nullable=False),
    Column("data", JSON, nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id")),
    Column("recorded_at", DateTime, nullable=False),
    Index("ix_revisions_record", "record_kind", "record_pk"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("language", String(10), nullable=False, default="en"),
    Column("published_on", Date),
    Column("url", Text),
    Column("meta", JSON),
    Column("sha256", String(64), index=True),  # of the text: reading a document again finds it
)

# The review queue: what ``haven read`` proposed from a document, and what reviewers decided.
candidates = Table(
    "candidates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("kind", String(20), nullable=False),  # figure, event, agreement, zone
    Column("record_key", String(200), nullable=False),  # record_id in the document's read: dataset
    Column("record", JSON, nullable=False),  # the proposed record, as read
    Column("confidence", Float, nullable=False),
    Column("status", String(20), nullable=False, default="under_review"),  # accepted, corrected, rejected
    Column("matches", String(300)),  # an existing record this one reports again ("dataset:record_id")
    Column("note", Text),
    Column("created_at", DateTime, nullable=False),
    Column("reviewed_at", DateTime),
    UniqueConstraint("document_id", "kind", "record_key", name="uq_candidates_key"),
)

extraction_spans = Table(
    "extraction_spans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidates.id"), nullable=False, index=True),
    Column("field", String(40), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
)

places = Table(
    "places",
    metadata,
    *_record_columns(),
    Column("pcode", String(20), nullable=False, unique=True),
    Column("level", Integer, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("name_ar", Text),
    Column("adm0_pcode", String(20)),
    Column("adm1_pcode", String(20), index=True),
    Column("adm2_pcode", String(20), index=True),
    Column("adm3_pcode", String(20), index=True),
    Column("alt_names", JSON),
    Column("kind", String(50)),
    Column("population", Integer),
    Column("lon", Float),
    Column("lat", Float),
    Column("geom", LargeBinary),
)

events = Table(
    "events",
    metadata,
    *_record_columns(),
    Column("status", String(20), nullable=False, default="unverified"),
    Column("event_type", String(60), nullable=False),
    Column("sub_event_type", String(60)),
    Column("disorder_type", String(60)),
    Column("violence_type", String(60)),
    Column("actor1", Text),
    Column("actor1_type", String(40)),
    Column("assoc_actor1", Text),
    Column("actor2", Text),
    Column("actor2_type", String(40)),
    Column("assoc_actor2", Text),
    Column("civilian_targeting", Boolean, nullable=False, default=False),
    Column("country_iso", String(3)),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("admin3", Text),
    Column("location_name", Text),
    *_area_columns(),
    Column("lon", Float),
    Column("lat", Float),
    Column("geo_precision_scheme", String(10)),
    Column("geo_precision", Integer),
    Column("date_start", Date, nullable=False, index=True),
    Column("date_end", Date),
    Column("date_precision_scheme", String(10)),
    Column("date_precision", Integer),
    Column("fatalities_low", Float),
    Column("fatalities_best", Float),
    Column("fatalities_high", Float),
    Column("injured_low", Float),
    Column("injured_best", Float),
    Column("injured_high", Float),
    Column("notes", Text),
    Column("tags", Text),
    UniqueConstraint("dataset", "record_id", name="uq_events_key"),
)

movements = Table(
    "movements",
    metadata,
    *_record_columns(),
    Column("movement_type", String(20), nullable=False, default="displacement"),
    Column("period_start", Date, nullable=False, index=True),
    Column("period_end", Date, nullable=False),
    Column("origin_pcode", String(20), index=True),
    Column("origin_name", Text),
    Column("dest_pcode", String(20), index=True),
    Column("dest_name", Text),
    *_area_columns(),  # of the destination
    Column("individuals", Float, nullable=False),
    Column("households", Float),
    Column("children", Float),
    Column("women", Float),
    Column("men", Float),
    UniqueConstraint("dataset", "record_id", name="uq_movements_key"),
)

sites = Table(
    "sites",
    metadata,
    *_record_columns(),
    Column("site_pcode", String(20), index=True),
    Column("name", Text, nullable=False),
    Column("name_ar", Text),
    Column("kind", String(30), nullable=False),
    *_area_columns(),
    Column("lon", Float),
    Column("lat", Float),
    Column("capacity_individuals", Integer),
    Column("capacity_households", Integer),
    UniqueConstraint("dataset", "record_id", name="uq_sites_key"),
)

site_snapshots = Table(
    "site_snapshots",
    metadata,
    *_record_columns(),
    Column("site_dataset", String(100), nullable=False),
    Column("site_record_id", String(200), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("status", String(20)),
    Column("individuals", Integer, nullable=False),
    Column("households", Integer),
    Column("children", Integer),
    Column("women", Integer),
    Column("men", Integer),
    Column("shelter_open_air", Integer),
    Column("shelter_tents", Integer),
    Column("shelter_unfinished_buildings", Integer),
    Column("shelter_collective", Integer),
    Column("shelter_other", Integer),
    UniqueConstraint("dataset", "record_id", name="uq_site_snapshots_key"),
    Index("ix_site_snapshots_site", "site_dataset", "site_record_id"),
)

figures = Table(
    "figures",
    metadata,
    *_record_columns(),
    Column("metric", String(60), nullable=False, index=True),
    Column("subgroup", String(60), nullable=False, default="all"),
    Column("value", Float, nullable=False),
    Column("qualifier", String(20), nullable=False, default="exact"),
    Column("as_of", Date),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("reported_on", Date),
    Column("area_name", Text),
    Column("area_pcode", String(20)),
    *[Column(f"adm{level}_pcode", String(20)) for level in (1, 2, 3)],
    UniqueConstraint("dataset", "record_id", name="uq_figures_key"),
)

agreements = Table(
    "agreements",
    metadata,
    *_record_columns(),
    Column("name", Text, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("parties", JSON, nullable=False),
    Column("signed_on", Date),
    Column("effective_from", DateTime),
    Column("effective_to", DateTime),
    Column("area_description", Text),
    Column("area_recipe", JSON),
    Column("geom", LargeBinary),
    Column("provisions", Text),
    UniqueConstraint("dataset", "record_id", name="uq_agreements_key"),
)

crossings = Table(
    "crossings",
    metadata,
    *_record_columns(),
    Column("name", Text, nullable=False),
    Column("alt_names", JSON),
    Column("border", Text),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("statuses", JSON, nullable=False),
    UniqueConstraint("dataset", "record_id", name="uq_crossings_key"),
)

deliveries = Table(
    "deliveries",
    metadata,
    *_record_columns(),
    Column("delivered_on", Date, nullable=False, index=True),
    Column("crossing_id", String(200)),
    Column("crossing_name", Text, nullable=False),
    Column("trucks", Integer, nullable=False),
    Column("sector", String(60)),
    Column("tonnage", Float),
    Column("agency", Text),
    UniqueConstraint("dataset", "record_id", name="uq_deliveries_key"),
)

zones = Table(
    "zones",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("description", Text),
    Column("recipe", JSON, nullable=False),
    Column("geom", LargeBinary, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Accounts, the review workflow's holds and the audit log (migration 0004).
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),  # Argon2id, with its parameters
    # Random, replaced when the password or role changes: a session cookie naming an older value (or a
    # removed user) no longer signs anyone in. A user re-added under the same name gets a new one.
    Column("session_key", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),  # never the token itself
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
)

# Who is looking at a queue item: one hold per item, until it expires or a decision releases it.
review_holds = Table(
    "review_holds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_kind", String(30), nullable=False),  # event, candidate
    Column("record_key", String(300), nullable=False),  # "dataset:record_id", or a candidate id
    Column("username", String(64), nullable=False),
    Column("since", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    UniqueConstraint("record_kind", "record_key", name="uq_review_holds_item"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("username", String(64), nullable=False, index=True),  # text: outlives a removed account
    Column("action", String(40), nullable=False),
    Column("record_kind", String(30)),
    Column("record_key", String(300)),
    Column("note", Text),
    Column("details", JSON),
    Index("ix_audit_log_record", "record_kind", "record_key"),
)
