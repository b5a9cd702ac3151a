"""What every command is handed: the settings, and the store opened on first use."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.factory import open_store
from graph.settings import Settings
from graph.store import GraphStore


@dataclass
class AppContext:
    settings: Settings
    _store: GraphStore | None = field(default=None, repr=False)

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
