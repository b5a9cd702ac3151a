"""`Neo4jStore`: the graph in a Neo4j 5 database, answering exactly as `MemoryStore` does.

The store is handed its driver and reads no environment. Every statement comes from
`graph.cypher`; values travel as parameters. An upsert is one managed transaction made of
`UNWIND $rows` batches, one statement shape per label or edge type. The schema (a uniqueness
constraint on `id` per label, one full-text index) is created on first use, so a store built while
Neo4j is down still starts and answers `StoreUnavailableError` until the database returns.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from operator import attrgetter
from typing import Any, TypeVar

import neo4j
from neo4j import Driver, ManagedTransaction, NotificationDisabledClassification, Session, Transaction
from neo4j import exceptions as nx_exc

from graph import cypher
from graph.exc import InvalidIdError, MissingEndpointError, NotFoundError, StoreUnavailableError
from graph.model import (
    BY_ID,
    Edge,
    Node,
    Source,
    clean_properties,
    coalesce,
    merge_sources,
    read_edge,
    read_node,
    validate_edge,
    validate_node,
)
from graph.ontology import NODE_SPECS, EdgeType, NodeLabel, label_of
from graph.store import (
    Counts,
    GraphStore,
    Page,
    RemovalResult,
    Subgraph,
    WriteResult,
    check_neighbourhood,
    walk_neighbourhood,
)
from graph.wordindex import tokens

T = TypeVar("T")
# What a read runs on: a managed transaction of its own, or the open one of a `reading()` block.
_ReadTx = ManagedTransaction | Transaction

_SCHEMA_WAIT_SECONDS = 300
# Database-side conditions that mean "the store is not there right now", not "the request is bad".
_UNAVAILABLE_CODES = frozenset(
    {
        "Neo.ClientError.Database.DatabaseNotFound",
        "Neo.TransientError.General.DatabaseUnavailable",
    }
)


@contextmanager
def _unavailable_as_store_error(database: str) -> Iterator[None]:
    """Turns the driver's "cannot reach the database" errors into `StoreUnavailableError` (HTTP 503)."""
    try:
        yield
    except nx_exc.IncompleteCommit as exc:
        raise StoreUnavailableError(
            f"Neo4j (database {database!r}) went away while committing; "
            f"the write may or may not have been applied: {exc}"
        ) from exc
    except (nx_exc.ServiceUnavailable, nx_exc.SessionExpired, nx_exc.ConnectionPoolError) as exc:
        raise StoreUnavailableError(f"Neo4j (database {database!r}) is unreachable: {exc}") from exc
    except nx_exc.AuthError as exc:
        raise StoreUnavailableError(f"Neo4j (database {database!r}) refused the credentials: {exc}") from exc
    except nx_exc.TransientError as exc:
        raise StoreUnavailableError(
            f"Neo4j (database {database!r}) is temporarily unable to answer: {exc}"
        ) from exc
    except nx_exc.Neo4jError as exc:
        if exc.code in _UNAVAILABLE_CODES:
            raise StoreUnavailableError(f"Neo4j (database {database!r}): {exc}") from exc
        raise


def _public(props: dict[str, Any]) -> dict[str, Any]:
    """A stored property map without `id` and the store's own `_` fields (provenance, words).

    Changes and returns `props`: a map the driver has just built, nobody else's. Dropping keys in
    place, then letting `read_node` / `read_edge` copy the map once, is faster than building a
    filtered map key by key (4.2–4.4 against 4.8–5.4 µs a node)."""
    props.pop("id", None)
    hidden = [k for k in props if k[:1] == "_"]
    for key in hidden:
        del props[key]
    return props


def _take_sources(props: dict[str, Any]) -> list[str]:
    """Removes the provenance field from `props` and returns it, encoded as stored."""
    raw: list[str] | None = props.pop(cypher.SOURCES, None)
    return raw or []


def _node(props: dict[str, Any]) -> Node:
    node_id: str = props["id"]
    sources = _take_sources(props)
    return read_node(node_id, label_of(node_id), _public(props), sources)


def _edge(etype: str, source: str, target: str, props: dict[str, Any]) -> Edge:
    sources = _take_sources(props)
    return read_edge(etype, source, target, _public(props), sources)


def _with_words(label: NodeLabel, props: dict[str, Any]) -> dict[str, Any]:
    """Adds the words of each text property present, so they merge exactly as the property does."""
    for key in NODE_SPECS[label].text_properties:
        if key in props:
            value = props[key]
            props[cypher.words_field(key)] = " ".join(sorted(tokens(value))) if isinstance(value, str) else ""
    return props


def _by_label(ids: Iterable[str]) -> dict[NodeLabel, list[str]]:
    """Ids grouped by the label their prefix names; strings that are no node id are left out."""
    grouped: dict[NodeLabel, list[str]] = defaultdict(list)
    for node_id in dict.fromkeys(ids):
        try:
            grouped[label_of(node_id)].append(node_id)
        except InvalidIdError:
            continue
    return grouped


def _row(props: Mapping[str, Any], defaults: Mapping[str, Any], sources: Iterable[Source]) -> dict[str, Any]:
    return {
        "props": clean_properties(props),
        "defaults": clean_properties(defaults),
        "sources": merge_sources((), sources),
    }


def _node_rows(node_list: Sequence[Node]) -> dict[NodeLabel, list[dict[str, Any]]]:
    """`UNWIND` rows per label, in id order; ids are unique (the call is coalesced)."""
    rows: dict[NodeLabel, list[dict[str, Any]]] = defaultdict(list)
    for node in sorted(node_list, key=BY_ID):
        row = _row(node.properties, node.defaults, node.sources)
        if NODE_SPECS[node.label].text_properties:
            _with_words(node.label, row["props"])
            _with_words(node.label, row["defaults"])
        row["id"] = node.id
        rows[node.label].append(row)
    return rows


def _edge_rows(edge_list: Sequence[Edge]) -> dict[EdgeType, list[dict[str, Any]]]:
    """`UNWIND` rows per edge type, in (source, target) order, as every writer takes them: concurrent
    loads then lock shared nodes (a country, an outlet) in one order instead of deadlocking."""
    rows: dict[EdgeType, list[dict[str, Any]]] = defaultdict(list)
    for edge in sorted(edge_list, key=_EDGE_ENDS):
        row = _row(edge.properties, edge.defaults, edge.sources)
        row["source"], row["target"], row["id"] = edge.source, edge.target, edge.id
        rows[edge.type].append(row)
    return rows


_EDGE_ENDS = attrgetter("source", "target")


_DEADLOCK_ATTEMPTS = 12


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Neo4jStore(GraphStore):
    """The graph in Neo4j 5. `owns_driver`: `close()` closes the driver too."""

    def __init__(
        self,
        driver: Driver,
        database: str = "neo4j",
        owns_driver: bool = False,
        batch_size: int = 5000,
        *,
        retry_seconds: float = 3.0,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self._driver = driver
        self._database = database
        self._owns_driver = owns_driver
        self._batch_size = batch_size
        # Managed transactions retry while Neo4j is unreachable; keep that short so a caller (an
        # API request) gets a prompt 503 instead of hanging for the driver's default 30 s.
        self._retry_seconds = retry_seconds
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        self._open_read: ContextVar[Transaction | None] = ContextVar(f"neo4j-read-{id(self)}", default=None)

    # -- sessions, errors, schema ----------------------------------------------------------------

    @contextmanager
    def _session(self, access: str = neo4j.WRITE_ACCESS) -> Iterator[Session]:
        with _unavailable_as_store_error(self._database):
            self._ensure_schema()
            with self._driver.session(
                database=self._database,
                default_access_mode=access,
                max_transaction_retry_time=self._retry_seconds,
                # A type or label not yet written is normal here (an empty store), not a typo.
                notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
            ) as session:
                yield session

    def _read(self, work: Callable[[_ReadTx], T]) -> T:
        tx = self._open_read.get()
        if tx is not None:
            return work(tx)
        with self._session(neo4j.READ_ACCESS) as session:
            return session.execute_read(work)

    @contextmanager
    def reading(self) -> Iterator[None]:
        # One explicit read transaction for the block, found by `_read` through a context variable:
        # each request thread (and each task) sees only its own. Not retried as a managed one is:
        # a block that loses Neo4j midway answers `StoreUnavailableError` at once.
        if self._open_read.get() is not None:
            yield
            return
        with self._session(neo4j.READ_ACCESS) as session, session.begin_transaction() as tx:
            token = self._open_read.set(tx)
            try:
                yield
            finally:
                self._open_read.reset(token)

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        # A deadlock victim was rolled back whole, so running the work again is safe. Writers
        # loading at once meet on shared nodes (a country, an outlet) more often than the driver's
        # short retry window (kept short for prompt 503s) lets them resolve, so retry here too.
        for attempt in range(_DEADLOCK_ATTEMPTS):
            try:
                with self._session() as session:
                    return session.execute_write(work)
            except StoreUnavailableError as exc:
                cause = exc.__cause__
                code = cause.code if isinstance(cause, nx_exc.TransientError) else None
                deadlock = "DeadlockDetected" in (code or "")
                if not deadlock or attempt == _DEADLOCK_ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0.05, 0.25) * (attempt + 1))
        raise AssertionError("unreachable")

    def _ensure_schema(self) -> None:
        """Creates the constraints and the full-text index once, and waits until they are online."""
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            wanted = {cypher.constraint_name(label) for label in NodeLabel} | {cypher.FULLTEXT_INDEX}
            with self._driver.session(database=self._database) as session:
                states = {r["name"]: r["state"] for r in session.run(cypher.SHOW_INDEXES)}
                if not wanted <= states.keys():
                    for label in NodeLabel:
                        session.run(cypher.create_constraint(label)).consume()
                    session.run(cypher.create_fulltext_index()).consume()
                if any(states.get(name) != "ONLINE" for name in wanted):
                    session.run(cypher.AWAIT_INDEXES, seconds=_SCHEMA_WAIT_SECONDS).consume()
            self._schema_ready = True

    def close(self) -> None:
        if self._owns_driver:
            self._driver.close()

    def ping(self) -> None:
        with self._session(neo4j.READ_ACCESS) as session:
            session.run(cypher.PING).consume()

    # -- writes ----------------------------------------------------------------------------------

    def upsert(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> WriteResult:
        # Folded as MemoryStore folds them: a load repeats each shared node (a country, an outlet)
        # on row after row, and each is checked, cleaned and sent once per call.
        node_list, edge_list, repeats = coalesce(nodes, edges)
        for node in node_list:
            validate_node(node)
        for edge in edge_list:
            validate_edge(edge)
        if not node_list and not edge_list:
            return WriteResult()
        node_rows = _node_rows(node_list)
        edge_rows = _edge_rows(edge_list)
        incoming = {n.id for n in node_list}
        outside = _by_label(end for e in edge_list for end in (e.source, e.target) if end not in incoming)

        def work(tx: ManagedTransaction) -> WriteResult:
            self._check_endpoints(tx, outside, edge_list, self._batch_size)
            result = WriteResult()
            for label, rows in node_rows.items():
                self._write_batches(
                    tx,
                    label.value,
                    rows,
                    partial(cypher.upsert_nodes, label),
                    result.nodes_created,
                    result.nodes_updated,
                )
            for etype, erows in edge_rows.items():
                self._write_batches(
                    tx,
                    etype.value,
                    erows,
                    partial(cypher.upsert_edges, etype),
                    result.edges_created,
                    result.edges_updated,
                )
            result.add_repeats(repeats)
            return result

        return self._write(work)

    @staticmethod
    def _check_endpoints(
        tx: ManagedTransaction,
        outside: Mapping[NodeLabel, list[str]],
        edge_list: Sequence[Edge],
        batch_size: int,
    ) -> None:
        """Raises `MissingEndpointError` (before anything is written) for the first edge, in call
        order, with an endpoint neither stored nor among the call's nodes."""
        missing: set[str] = set()
        for label, ids in outside.items():
            for batch in _chunks(ids, batch_size):
                found = {r["id"] for r in tx.run(cypher.existing_ids(label), ids=batch)}
                missing.update(set(batch) - found)
        if not missing:
            return
        for edge in edge_list:
            for end in (edge.source, edge.target):
                if end in missing:
                    raise MissingEndpointError(
                        f"{edge.type.value} {edge.source!r} -> {edge.target!r}: no node {end!r}"
                    )

    def _write_batches(
        self,
        tx: ManagedTransaction,
        name: str,
        params: list[dict[str, Any]],
        statement: Callable[[Sequence[str], Sequence[str]], str],
        created: Counter[str],
        updated: Counter[str],
    ) -> None:
        made = 0
        for batch in _chunks(params, self._batch_size):
            prop_keys = sorted({k for p in batch for k in p["props"]})
            default_keys = sorted({k for p in batch for k in p["defaults"]})
            result = tx.run(statement(prop_keys, default_keys), rows=batch)
            rows = result.single(strict=True)["rows"]
            if rows != len(batch):
                # Only edges can lose rows (an endpoint deleted since the check): undo the call.
                raise MissingEndpointError(f"{name}: an endpoint was deleted while writing; nothing written")
            counters = result.consume().counters
            made += counters.nodes_created + counters.relationships_created
        # Every row not created was an update. Only non-zero entries, as MemoryStore's counters hold.
        again = len(params) - made
        if made:
            created[name] += made
        if again:
            updated[name] += again

    def set_edge_properties(
        self, edge_type: EdgeType, source: str, target: str, properties: Mapping[str, Any]
    ) -> Edge:
        probe = Edge(edge_type, source, target)
        changes = dict(properties)

        def work(tx: ManagedTransaction) -> Edge:
            args: dict[str, Any] = {"source": probe.source, "target": probe.target}
            record = tx.run(cypher.edge_properties(edge_type), args).single()
            if record is None:
                raise NotFoundError(f"no {edge_type.value} edge between {source!r} and {target!r}")
            old = _public(record["props"])
            validate_edge(
                Edge(edge_type, probe.source, probe.target, {**old, **changes}, [Source("check", "check")])
            )
            args["props"] = clean_properties(changes)
            new = tx.run(cypher.set_edge_properties(edge_type), args).single(strict=True)
            return _edge(edge_type.value, new["source"], new["target"], new["props"])

        return self._write(work)

    def delete_edges(self, keys: Iterable[tuple[EdgeType, str, str]]) -> int:
        grouped: dict[EdgeType, dict[tuple[str, str], None]] = defaultdict(dict)
        for etype, source, target in keys:
            probe = Edge(etype, source, target)
            grouped[etype][(probe.source, probe.target)] = None
        if not grouped:
            return 0

        def work(tx: ManagedTransaction) -> int:
            deleted = 0
            for etype, pairs in grouped.items():
                rows = [{"source": s, "target": t} for s, t in pairs]
                for batch in _chunks(rows, self._batch_size):
                    deleted += tx.run(cypher.delete_edges(etype), rows=batch).single(strict=True)["deleted"]
            return deleted

        return self._write(work)

    def remove_source(self, dataset: str, file: str | None = None) -> RemovalResult:
        prefix = Source.prefix(dataset, file)

        def work(tx: ManagedTransaction) -> RemovalResult:
            edges = tx.run(cypher.REMOVE_SOURCE_EDGES, prefix=prefix).single(strict=True)
            nodes_updated = tx.run(cypher.REMOVE_SOURCE_UPDATE_NODES, prefix=prefix).single(strict=True)
            dangling = tx.run(cypher.REMOVE_SOURCE_COUNT_EDGES, prefix=prefix).single(strict=True)
            removed = tx.run(cypher.REMOVE_SOURCE_DELETE_NODES, prefix=prefix).single(strict=True)
            return RemovalResult(
                nodes_removed=removed["removed"],
                edges_removed=(edges["removed"] or 0) + dangling["edges"],
                nodes_updated=nodes_updated["updated"],
                edges_updated=edges["updated"] or 0,
            )

        return self._write(work)

    def clear(self) -> None:
        # CALL { } IN TRANSACTIONS needs an auto-commit query; it commits per batch, so a large
        # graph never has to fit in one transaction's memory.
        with self._session() as session:
            session.run(cypher.CLEAR).consume()

    # -- reads -----------------------------------------------------------------------------------

    def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        by_label = _ids_by_label(ids)
        return self._read(partial(_get_nodes, by_label=by_label, ids=ids)) if by_label else []

    def find_nodes(
        self,
        label: NodeLabel | None = None,
        *,
        filters: Mapping[str, Any] | None = None,
        ranges: Mapping[str, tuple[Any, Any]] | None = None,
        linked: Sequence[str] = (),
        query: str | None = None,
        order_by: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> Page:
        empty = Page([], total=0, offset=offset, limit=limit)
        filter_rows = [{"key": k, "value": v} for k, v in (filters or {}).items()]
        range_rows = [{"key": k, "low": lo, "high": hi} for k, (lo, hi) in (ranges or {}).items()]
        # The store's own fields (`id`, `_…`) are no properties: a condition on one sees a missing value.
        if any(_hidden(r["key"]) and r["value"] is not None for r in filter_rows) or any(
            _hidden(r["key"]) for r in range_rows
        ):
            return empty
        filter_rows = [r for r in filter_rows if not _hidden(r["key"])]
        try:
            linked_labels = [label_of(i) for i in linked]
        except InvalidIdError:
            return empty
        words = sorted(tokens(query)) if query is not None else []
        key = order_by.lstrip("-") if order_by else None
        match = cypher.find_nodes(
            label, linked=linked_labels, text=bool(words), filters=bool(filter_rows), ranges=bool(range_rows)
        )
        params: dict[str, Any] = {
            "index": cypher.FULLTEXT_INDEX,
            "text": cypher.fulltext_query(words),
            "linked": list(linked),
            "filters": filter_rows,
            "ranges": range_rows,
        }
        # A hidden field sorts as missing everywhere, as it would in MemoryStore.
        order_key = key if key is not None and not _hidden(key) else None
        page_query = cypher.page_nodes(
            match, order_by=order_key is not None, descending=bool(order_by and order_by.startswith("-"))
        )

        def work(tx: _ReadTx) -> Page:
            total = tx.run(cypher.count_nodes(match), params).single(strict=True)["total"]
            start, stop, _ = slice(offset, offset + limit).indices(total)
            if stop <= start:
                return Page([], total=total, offset=offset, limit=limit)
            page = {**params, "order_key": order_key, "skip": start, "limit": stop - start}
            nodes = tx.run(page_query, page).single(strict=True)["nodes"]
            return Page([_node(props) for props in nodes], total=total, offset=offset, limit=limit)

        return self._read(work)

    def adjacent(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> list[Edge]:
        by_label = _ids_by_label(ids)
        if not by_label or (edge_types is not None and not edge_types):
            return []
        query = cypher.adjacent(_LABELS, edge_types)

        def work(tx: _ReadTx) -> list[Edge]:
            return _edges(tx.run(query, ids=by_label).single(strict=True)["edges"])

        return self._read(work)

    def neighbour_ids(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> set[str]:
        by_label = _ids_by_label(ids)
        if not by_label or (edge_types is not None and not edge_types):
            return set()
        return self._read(partial(_neighbour_ids, by_label=by_label, edge_types=edge_types))

    def edges_among(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> list[Edge]:
        by_label = _ids_by_label(ids)
        if not by_label or (edge_types is not None and not edge_types):
            return []
        return self._read(partial(_edges_among, by_label=by_label, ids=ids, edge_types=edge_types))

    def neighbourhood(
        self,
        node_id: str,
        *,
        depth: int = 1,
        labels: Sequence[NodeLabel] | None = None,
        edge_types: Sequence[EdgeType] | None = None,
        limit: int = 500,
    ) -> Subgraph:
        # The shared walk, each level a query in one read transaction: a session and a transaction
        # per primitive cost more round trips than the queries themselves. Depth 2 is two queries:
        # the centre with its first level, then the second level cut in Neo4j with the result.
        check_neighbourhood(depth, limit)

        def work(tx: _ReadTx) -> Subgraph:
            reads = _InTransaction(tx)
            return walk_neighbourhood(reads, node_id, depth, labels, edge_types, limit, shortcuts=reads)

        return self._read(work)

    def count_targets(self, ids: Sequence[str], edge_type: EdgeType) -> dict[str, int]:
        by_label = _ids_by_label(ids)
        if not by_label:
            return {}
        query = cypher.count_targets(_LABELS, edge_type)

        def work(tx: _ReadTx) -> dict[str, int]:
            return dict(tx.run(query, ids=by_label).single(strict=True)["counts"])

        return self._read(work)

    def degrees(self, ids: Sequence[str]) -> dict[str, int]:
        by_label = _ids_by_label(ids)
        found: dict[str, int] = {}
        if by_label:
            query = cypher.degrees(_LABELS)

            def work(tx: _ReadTx) -> dict[str, int]:
                record = tx.run(query, ids=by_label).single(strict=True)
                return {r["id"]: r["degree"] for r in record["degrees"]}

            found = self._read(work)
        return {i: found.get(i, 0) for i in ids}

    def _stream(self, query: str) -> Iterator[dict[str, Any]]:
        """Records of one read query, fetched lazily; the session lives as long as the iteration."""
        with self._session(neo4j.READ_ACCESS) as session:
            for record in session.run(query):
                yield record.data()

    # Rows past the driver's first fetch are read as the caller takes them, and Neo4j reads what
    # other transactions have committed meanwhile: a node or edge another writer has removed since
    # comes back as a map without its id, an edge without its type. It is no longer there, so it is
    # not yielded.

    def iter_nodes(self, label: NodeLabel | None = None) -> Iterator[Node]:
        for r in self._stream(cypher.iter_nodes(label)):
            if r["props"].get("id") is not None:
                yield _node(r["props"])

    def iter_edges(self, edge_type: EdgeType | None = None) -> Iterator[Edge]:
        for r in self._stream(cypher.iter_edges(edge_type)):
            if r["type"] is not None and r["source"] is not None and r["target"] is not None:
                yield _edge(r["type"], r["source"], r["target"], r["props"])

    def counts(self) -> Counts:
        names = [label.value for label in NodeLabel] + [t.value for t in EdgeType]
        split = len(NodeLabel)

        def work(tx: _ReadTx) -> dict[int, int]:
            return {r["i"]: r["c"] for r in tx.run(cypher.counts())}

        found = self._read(work)
        return Counts.of(
            {names[i]: c for i, c in found.items() if i < split},
            {names[i]: c for i, c in found.items() if i >= split},
        )


def _hidden(key: str) -> bool:
    return key == "id" or key.startswith("_")


# -- reads inside a transaction: the store's own methods and its neighbourhood walk share them -------

# Every read names all labels in one order (an empty id list where there are none), so each read has
# one statement text and Neo4j plans it once, not once per combination of labels.
_LABELS: tuple[NodeLabel, ...] = tuple(NodeLabel)


def _ids_by_label(ids: Iterable[str]) -> list[list[str]]:
    """Ids as the `$ids` parameter of the reads: one list per label of `_LABELS`; [] if none is a
    node id."""
    grouped = _by_label(ids)
    return [grouped.get(label, []) for label in _LABELS] if grouped else []


def _edges(rows: Iterable[Sequence[Any]]) -> list[Edge]:
    """Edges from rows `[type, source, target, props]`, in edge-id order."""
    edges = [_edge(t, source, target, props) for t, source, target, props in rows]
    edges.sort(key=BY_ID)
    return edges


def _get_nodes(tx: _ReadTx, by_label: list[list[str]], ids: Sequence[str]) -> list[Node]:
    record = tx.run(cypher.get_nodes(_LABELS), ids=by_label).single(strict=True)
    found = {n.id: n for n in map(_node, record["nodes"])}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def _neighbour_ids(tx: _ReadTx, by_label: list[list[str]], edge_types: Sequence[EdgeType] | None) -> set[str]:
    query = cypher.neighbour_ids(_LABELS, edge_types)
    return set(tx.run(query, ids=by_label).single(strict=True)["ids"])


def _edges_among(
    tx: _ReadTx,
    by_label: list[list[str]],
    ids: Sequence[str],
    edge_types: Sequence[EdgeType] | None,
) -> list[Edge]:
    query = cypher.edges_among(_LABELS, edge_types)
    record = tx.run(query, ids=by_label, all=list(dict.fromkeys(ids))).single(strict=True)
    return _edges(record["edges"])


class _InTransaction:
    """The primitives `walk_neighbourhood` needs, answered inside one read transaction."""

    def __init__(self, tx: _ReadTx) -> None:
        self._tx = tx

    def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        by_label = _ids_by_label(ids)
        return _get_nodes(self._tx, by_label, ids) if by_label else []

    def neighbour_ids(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> set[str]:
        by_label = _ids_by_label(ids)
        if not by_label or (edge_types is not None and not edge_types):
            return set()
        return _neighbour_ids(self._tx, by_label, edge_types)

    def edges_among(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> list[Edge]:
        by_label = _ids_by_label(ids)
        if not by_label or (edge_types is not None and not edge_types):
            return []
        return _edges_among(self._tx, by_label, ids, edge_types)

    def members(
        self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None
    ) -> tuple[list[Node], list[Edge]]:
        """`WalkShortcuts.members`, in one query."""
        by_label = _ids_by_label(ids)
        if not by_label:
            return [], []
        if edge_types is not None and not edge_types:
            return self.get_nodes(ids), []
        query = cypher.members(_LABELS, edge_types)
        record = self._tx.run(query, ids=by_label).single(strict=True)
        return [_node(props) for props in record["nodes"]], _edges(record["edges"])

    def start(self, node_id: str, edge_types: Sequence[EdgeType] | None) -> tuple[Node | None, set[str]]:
        """`WalkShortcuts.start`, in one query."""
        if edge_types is not None and not edge_types:
            # No type at all follows no edge (the statement would read an empty list as any type).
            found = self.get_nodes([node_id])
            return (found[0] if found else None), set()
        by_label = _ids_by_label([node_id])
        if not by_label:
            return None, set()
        record = self._tx.run(cypher.walk_start(_LABELS, edge_types), ids=by_label).single()
        if record is None:
            return None, set()
        return _node(record["centre"]), set(record["ids"])

    def finish(
        self,
        frontier: Sequence[str],
        seen: set[str],
        kept: Sequence[str],
        edge_types: Sequence[EdgeType] | None,
        reach: set[NodeLabel] | None,
        first: int,
    ) -> tuple[int, list[Node], list[Edge]]:
        """`WalkShortcuts.finish`, in one query: the last level never leaves Neo4j, only its count
        and the nodes kept from it."""
        by_label = _ids_by_label(frontier)
        if not by_label or (edge_types is not None and not edge_types):
            nodes, edges = self.members(kept, edge_types)
            return 0, nodes, edges
        query = cypher.walk_finish(_LABELS, edge_types, sorted(reach) if reach else None)
        record = self._tx.run(
            query, ids=by_label, seen=_ids_by_label(seen), kept=_ids_by_label(kept), first=first
        ).single(strict=True)
        return record["total"], [_node(props) for props in record["nodes"]], _edges(record["edges"])
