"""Opening the configured store. The one place that turns settings into a `GraphStore`."""

from __future__ import annotations

from graph.settings import Settings
from graph.store import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name: the embedded store in `data_dir`, or Neo4j at `neo4j_uri`."""
    if settings.store == "memory":
        from graph.memory import MemoryStore

        return MemoryStore(settings.data_dir)
    from neo4j import GraphDatabase

    from graph.neo4j_store import Neo4jStore

    password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
    auth = (settings.neo4j_user, password) if password is not None else None
    driver = GraphDatabase.driver(settings.neo4j_uri, auth=auth)
    return Neo4jStore(driver, database=settings.neo4j_database, owns_driver=True)
