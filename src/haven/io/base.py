"""What every importer is, and the runner that writes one import in one transaction."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol

from haven.errors import InputError
from haven.io.reading import Progress
from haven.store import ImportReport, Store
from haven.store.writer import Locator


@dataclass(frozen=True)
class Deletion:
    """A record withdrawn upstream (ACLED publishes these), to be marked, not removed."""

    kind: str
    dataset: str
    record_id: str
    when: datetime


class Importer(Protocol):
    """Reads one file format into domain records (and deletions)."""

    name: ClassVar[str]
    summary: ClassVar[str]
    default_dataset: ClassVar[str]

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]: ...


class NeedsStore(Protocol):
    """An importer that reads the store before it reads the file (to match names to p-codes, say).

    The runner calls ``prepare(store)`` before ``read``; it must only read.
    """

    def prepare(self, store: Store) -> None: ...


def run_import(
    store: Store,
    importer: Importer,
    path: str | os.PathLike[str],
    *,
    dataset: str | None = None,
    progress: Progress | None = None,
    locator: Locator | None = None,
) -> ImportReport:
    """Import a file: all its records or, on the first bad row, none of them."""
    file = Path(path)
    if not file.exists():
        raise InputError(str(file), "no such file or folder")
    dataset = dataset or importer.default_dataset
    prepare = getattr(importer, "prepare", None)
    if prepare is not None:
        prepare(store)
    with store.importing(importer.name, dataset, file, locator=locator) as writer:
        deletions: dict[tuple[str, str, datetime], list[str]] = {}
        for item in importer.read(file, dataset, progress):
            if isinstance(item, Deletion):
                deletions.setdefault((item.kind, item.dataset, item.when), []).append(item.record_id)
            else:
                writer.add(item)
        for (kind, ds, when), ids in deletions.items():
            writer.mark_deleted(kind, ds, ids, when)
        report = writer.report
    return report
