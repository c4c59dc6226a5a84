"""Things built once from a store's imported records and kept until an import changes them.

Imports are the only way records enter, change or leave a store, so the list of imports is a token
of the imported data (:meth:`Store.state_token`): a built object (a gazetteer, say) is kept while
the token is the same. Reviews and zones do not change imports: build nothing from them here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from haven.store import Store

T = TypeVar("T")
_cache: dict[tuple[str, str], tuple[tuple[Any, ...], Any]] = {}
_lock = threading.Lock()


def cached_for(store: Store, name: str, build: Callable[[Store], T]) -> T:
    """``build(store)``, or the object it built last time for this store if no import happened since."""
    token = store.state_token()
    key = (store.url, name)
    with _lock:
        held = _cache.get(key)
    if held is not None and held[0] == token:
        built: T = held[1]
        return built
    built = build(store)
    with _lock:
        _cache[key] = (token, built)
    return built


__all__ = ["cached_for"]
