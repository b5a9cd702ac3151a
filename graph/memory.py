"""`MemoryStore`: the embedded graph store, NetworkX in memory, persisted in a data directory.

The graph is a `MultiDiGraph` keyed by edge type, so a pair of nodes holds at most one edge of each
type. It is written to `<data dir>/graph.json` atomically (a temporary file, then a rename) after
every write, or once at the end of a `bulk()` block; another process that reads the same directory
sees the new graph at its next call. Threads in one process share it under a lock; processes
writing the same directory take turns through a lock file.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from graph import datafile
from graph.exc import MissingEndpointError, NotFoundError, StoreUnavailableError
from graph.gcpause import gc_paused, settle
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
from graph.ontology import EDGE_TYPE_NAME, LABEL_NAME, EdgeType, NodeLabel
from graph.store import Counts, GraphStore, Page, RemovalResult, WriteResult
from graph.wordindex import WordIndex, text_changed, text_tokens, tokens

FORMAT_VERSION = 1


def _encoded(sources: list[Source]) -> list[str]:
    """Provenance as a new node or edge stores it (nearly always a single source)."""
    if len(sources) == 1:
        return [sources[0].encode()]
    return merge_sources([], sources)


def _sort_key(value: Any) -> tuple[int, Any]:
    # Values of one property share a type in practice; the type rank keeps a stray one comparable.
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, json.dumps(value, sort_keys=True))


class MemoryStore(GraphStore):
    """The embedded store. `data_dir=None` keeps the graph in memory only."""

    def __init__(self, data_dir: Path | str | None = None) -> None:
        self._dir = Path(data_dir) if data_dir is not None else None
        self._lock = threading.RLock()
        self._held = 0  # open `reading()` blocks, all of the thread that holds the lock
        self._bulk_depth = 0
        self._dirty = False
        self._file_locked = False
        self._warm = False
        self._stamp: datafile.Stamp | None = None
        self._reset()
        if self._dir is not None:
            try:
                self._dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailableError(f"cannot create data directory {self._dir}: {exc}") from exc
            self._refresh()

    # -- state and persistence -------------------------------------------------------------------

    def _reset(self) -> None:
        self._g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self._by_label: dict[NodeLabel, set[str]] = {label: set() for label in NodeLabel}
        self._words = WordIndex()
        self._edge_counts: Counter[str] = Counter()

    @property
    def _path(self) -> Path:
        assert self._dir is not None
        return self._dir / datafile.FILE_NAME

    def _refresh(self) -> None:
        """Re-reads the file when another process has written it since we last did."""
        if self._dir is None or self._bulk_depth:
            return
        stamp = datafile.stamp(self._path)
        if stamp == self._stamp:
            return
        self._reset()
        if stamp is not None:
            with gc_paused():
                self._read_file()
                if self._warm:
                    self._words.postings(self._g._node)
                    self._read_all()
            if self._warm:
                settle()
        self._stamp = stamp

    def _read_file(self) -> None:
        data = datafile.read(self._path)
        for node_id, label, props, sources in data["nodes"]:
            self._put_node(node_id, NodeLabel(label), props, sources)
        for etype, source, target, props, sources in data["edges"]:
            self._g.add_edge(source, target, key=etype, props=props, sources=sources)
            self._edge_counts[etype] += 1

    def _persist(self) -> None:
        if self._dir is None:
            return
        if self._bulk_depth:
            self._dirty = True
            return
        with gc_paused():
            payload = orjson.dumps(self._snapshot())
        datafile.write(self._path, payload)
        self._stamp = datafile.stamp(self._path)
        self._dirty = False

    def _snapshot(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            # networkx's own dicts in its iteration order (its views cost a call per edge); tuples are
            # JSON arrays as lists are, and cheaper to build.
            "nodes": [
                (n, LABEL_NAME[d["label"]], d["props"], d["sources"]) for n, d in self._g._node.items()
            ],
            "edges": [
                (k, u, v, d["props"], d["sources"])
                for u, targets in self._g._succ.items()
                for v, keyed in targets.items()
                for k, d in keyed.items()
            ],
        }

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Holds the thread lock and, across processes, the data directory's lock file."""
        with self._lock:
            if self._dir is None or self._file_locked:
                yield
                return
            with datafile.locked(self._dir):
                self._file_locked = True
                try:
                    self._refresh()
                    yield
                finally:
                    self._file_locked = False

    @contextmanager
    def _reading(self) -> Iterator[None]:
        with self._lock:
            if not self._held:
                self._refresh()
            yield

    @contextmanager
    def reading(self) -> Iterator[None]:
        # The lock keeps this process's writers out; not refreshing keeps another process's out.
        with self._reading():
            self._held += 1
            try:
                yield
            finally:
                self._held -= 1

    @contextmanager
    def bulk(self) -> Iterator[None]:
        with self._writing():
            self._bulk_depth += 1
            try:
                yield
            finally:
                self._bulk_depth -= 1
                if not self._bulk_depth and self._dirty:
                    self._persist()

    # -- node bookkeeping ------------------------------------------------------------------------

    def _put_node(self, node_id: str, label: NodeLabel, props: dict[str, Any], sources: list[str]) -> None:
        """Adds a node the graph does not hold yet (networkx's layout, without add_node's checks)."""
        g = self._g
        g._succ[node_id] = {}
        g._pred[node_id] = {}
        g._node[node_id] = {"label": label, "props": props, "sources": sources}
        self._by_label[label].add(node_id)
        self._words.pending.add(node_id)

    def _drop_node(self, node_id: str) -> int:
        label: NodeLabel = self._g.nodes[node_id]["label"]
        removed = 0
        for u, v, k in [*self._g.out_edges(node_id, keys=True), *self._g.in_edges(node_id, keys=True)]:
            if self._g.has_edge(u, v, k):
                self._g.remove_edge(u, v, k)
                self._edge_counts[k] -= 1
                removed += 1
        self._g.remove_node(node_id)
        self._by_label[label].discard(node_id)
        self._words.drop(node_id)
        return removed

    # A node's or edge's read form is built once and kept in its data dict under "read": reads share
    # it (its properties and sources refuse changes), and a write that changes the data drops it.
    # A depth-2 neighbourhood reads about 500 nodes and 700 edges; building them was half its time.

    def _node(self, node_id: str) -> Node:
        d = self._g._node[node_id]
        node: Node | None = d.get("read")
        if node is None:
            node = d["read"] = read_node(node_id, d["label"], d["props"], d["sources"])
        return node

    @staticmethod
    def _edge(u: str, v: str, k: str, d: dict[str, Any]) -> Edge:
        edge: Edge | None = d.get("read")
        if edge is None:
            edge = d["read"] = read_edge(k, u, v, d["props"], d["sources"])
        return edge

    def _read_all(self) -> None:
        """Builds every read form now (a server does, before it settles its heap)."""
        node = self._node
        for node_id in self._g._node:
            node(node_id)
        edge = self._edge
        for u, targets in self._g._succ.items():
            for v, keyed in targets.items():
                for k, d in keyed.items():
                    edge(u, v, k, d)

    # -- primitives ------------------------------------------------------------------------------

    def upsert(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> WriteResult:
        node_list, edge_list, repeats = coalesce(nodes, edges)
        for node in node_list:
            validate_node(node)
        for edge in edge_list:
            validate_edge(edge)
        result = WriteResult()
        with self._writing():
            g = self._g
            # The graph's own dicts, written directly: networkx's add_node/add_edge re-check and
            # re-create per call what a load writes by the hundred thousand (their layout is kept:
            # one key dict shared by `_succ[u][v]` and `_pred[v][u]`, one data dict per edge).
            node_data: dict[str, dict[str, Any]] = g._node
            succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = g._succ
            pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = g._pred
            incoming = {n.id for n in node_list}
            ends = {e.source for e in edge_list}
            ends.update([e.target for e in edge_list])
            if any(end not in node_data for end in ends - incoming):
                for edge in edge_list:  # the first edge in order, as a check edge by edge would find
                    for end in (edge.source, edge.target):
                        if end not in incoming and end not in node_data:
                            raise MissingEndpointError(
                                f"{edge.type.value} {edge.source!r} -> {edge.target!r}: no node {end!r}"
                            )
            created: Counter[str] = Counter()
            updated: Counter[str] = Counter()
            pending = self._words.pending
            for node in node_list:
                label = node.label
                props = clean_properties(node.properties)
                d = node_data.get(node.id)
                if d is not None:
                    old = d["props"]
                    merged = (
                        {**clean_properties(node.defaults), **old, **props}
                        if node.defaults
                        else {**old, **props}
                    )
                    d["props"] = merged
                    d["sources"] = merge_sources(d["sources"], node.sources)
                    d.pop("read", None)
                    # The words only change when a searched property does.
                    if node.id not in pending and text_changed(label, old, merged):
                        self._words.update(node.id, text_tokens(label, merged))
                    updated[LABEL_NAME[label]] += 1
                else:
                    merged = {**clean_properties(node.defaults), **props} if node.defaults else props
                    self._put_node(node.id, label, merged, _encoded(node.sources))
                    created[LABEL_NAME[label]] += 1
            edge_created: Counter[str] = Counter()
            edge_updated: Counter[str] = Counter()
            last_source: Source | None = None
            last_encoded = ""
            for edge in edge_list:
                k = EDGE_TYPE_NAME[edge.type]
                u, v = edge.source, edge.target
                keyed = succ[u].get(v)
                data = keyed.get(k) if keyed is not None else None
                if data is not None:
                    props = clean_properties(edge.properties)
                    if edge.defaults:
                        data["props"] = {**clean_properties(edge.defaults), **data["props"], **props}
                    elif props:
                        data["props"] = {**data["props"], **props}
                    data["sources"] = merge_sources(data["sources"], edge.sources)
                    data.pop("read", None)
                    edge_updated[k] += 1
                else:
                    props = clean_properties(edge.properties) if edge.properties else {}
                    if edge.defaults:
                        props = {**clean_properties(edge.defaults), **props}
                    sources = edge.sources
                    if len(sources) == 1 and sources[0] is last_source:
                        encoded = [last_encoded]  # a row's links share its source
                    else:
                        encoded = _encoded(sources)
                        last_source, last_encoded = sources[0] if sources else None, encoded[0]
                    data = {"props": props, "sources": encoded}
                    if keyed is None:
                        keyed = succ[u][v] = pred[v][u] = {}
                    keyed[k] = data
                    edge_created[k] += 1
            nx._clear_cache(g)
            self._edge_counts.update(edge_created)
            result.nodes_created.update(created)
            result.nodes_updated.update(updated)
            result.edges_created.update(edge_created)
            result.edges_updated.update(edge_updated)
            result.add_repeats(repeats)
            if node_list or edge_list:
                self._persist()
        return result

    def warm(self) -> None:
        """Indexes the words and builds every node's and edge's read form now, and keeps this store
        warm: from now on a re-read of the data file (another process wrote it) does both at once too
        and settles the new graph out of the cyclic collector's sight, as a server does with the
        graph it starts with."""
        with self._reading():
            self._warm = True
            with gc_paused():
                self._words.postings(self._g._node)
                self._read_all()

    def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        with self._reading():
            stored = self._g._node
            return [self._node(i) for i in dict.fromkeys(ids) if i in stored]

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
        with self._reading():
            g = self._g
            stored = g._node
            # The narrowest sets first (a word's postings, a node's neighbours), the label last:
            # intersecting starts from the smallest instead of copying every claim.
            narrowing: list[set[str]] = []
            words = tokens(query) if query is not None else set()
            postings = self._words.postings(stored) if words else {}
            narrowing += [postings.get(tok, set()) for tok in words]
            for other in linked:
                if other not in stored:
                    narrowing.append(set())
                    break
                narrowing.append(g._pred[other].keys() | g._succ[other].keys())
            if narrowing:
                narrowing.sort(key=len)
                candidates = narrowing[0].intersection(*narrowing[1:])  # a new set, postings untouched
                if label is not None:
                    candidates &= self._by_label[label]
            else:
                candidates = set(self._by_label[label] if label is not None else stored)
            matched = []
            for node_id in candidates:
                props = stored[node_id]["props"]
                if filters and not all(_matches(props.get(k), v) for k, v in filters.items()):
                    continue
                if ranges and not all(_within(props.get(k), lo, hi) for k, (lo, hi) in ranges.items()):
                    continue
                matched.append(node_id)
            matched.sort()
            if order_by:
                key = order_by.lstrip("-")
                descending = order_by.startswith("-")
                present: list[tuple[Any, str]] = []
                absent: list[str] = []
                for i in matched:
                    value = stored[i]["props"].get(key)
                    if value is None:
                        absent.append(i)
                    else:
                        present.append((_sort_key(value), i))
                # Python's sort is stable in reverse too, so equal values keep their id order.
                present.sort(key=_first, reverse=descending)
                ranked = [i for _, i in present]
                matched = absent + ranked if descending else ranked + absent
            page = matched[offset : offset + limit]
            return Page([self._node(i) for i in page], total=len(matched), offset=offset, limit=limit)

    def adjacent(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> list[Edge]:
        wanted = {t.value for t in edge_types} if edge_types is not None else None
        with self._reading():
            succ, pred = self._g._succ, self._g._pred
            found: dict[tuple[str, str, str], dict[str, Any]] = {}
            for node_id in ids:
                if node_id not in succ:
                    continue
                for v, keyed in succ[node_id].items():
                    for k, d in keyed.items():
                        if wanted is None or k in wanted:
                            found[(node_id, v, k)] = d
                for u, keyed in pred[node_id].items():
                    for k, d in keyed.items():
                        if wanted is None or k in wanted:
                            found[(u, node_id, k)] = d
            edges = [self._edge(u, v, k, d) for (u, v, k), d in found.items()]
        edges.sort(key=BY_ID)
        return edges

    def neighbour_ids(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> set[str]:
        wanted = {t.value for t in edge_types} if edge_types is not None else None
        found: set[str] = set()
        with self._reading():
            g = self._g
            for node_id in ids:
                if node_id not in g:
                    continue
                for adjacency in (g._succ[node_id], g._pred[node_id]):
                    if wanted is None:
                        found.update(adjacency)  # a hub's thousands of neighbours at C speed
                        continue
                    for other, keyed in adjacency.items():
                        if not wanted.isdisjoint(keyed):
                            found.add(other)
        return found

    def edges_among(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> list[Edge]:
        wanted = {t.value for t in edge_types} if edge_types is not None else None
        members = set(ids)
        with self._reading():
            succ = self._g._succ
            edges = [
                self._edge(u, v, k, d)
                for u in members
                if u in succ
                for v, keyed in succ[u].items()
                if v in members
                for k, d in keyed.items()
                if wanted is None or k in wanted
            ]
        edges.sort(key=BY_ID)
        return edges

    def count_targets(self, ids: Sequence[str], edge_type: EdgeType) -> dict[str, int]:
        name = edge_type.value
        counts: Counter[str] = Counter()
        with self._reading():
            succ = self._g._succ
            for node_id in dict.fromkeys(ids):
                counts.update(target for target, keyed in succ.get(node_id, {}).items() if name in keyed)
        return dict(counts)

    def degrees(self, ids: Sequence[str]) -> dict[str, int]:
        with self._reading():
            return {i: (self._g.degree(i) if i in self._g else 0) for i in ids}

    def iter_nodes(self, label: NodeLabel | None = None) -> Iterator[Node]:
        with self._reading():
            ids = sorted(self._by_label[label]) if label is not None else sorted(self._g.nodes)
            nodes = [self._node(i) for i in ids]
        yield from nodes

    def iter_edges(self, edge_type: EdgeType | None = None) -> Iterator[Edge]:
        with self._reading():
            edges = [
                self._edge(u, v, k, d)
                for u, v, k, d in self._g.edges(keys=True, data=True)
                if edge_type is None or k == edge_type.value
            ]
        edges.sort(key=BY_ID)
        yield from edges

    def counts(self) -> Counts:
        with self._reading():
            return Counts.of(
                {label.value: len(ids) for label, ids in self._by_label.items()},
                dict(self._edge_counts),
            )

    def set_edge_properties(
        self, edge_type: EdgeType, source: str, target: str, properties: Mapping[str, Any]
    ) -> Edge:
        probe = Edge(edge_type, source, target)
        with self._writing():
            data = self._g.get_edge_data(probe.source, probe.target, edge_type.value)
            if data is None:
                raise NotFoundError(f"no {edge_type.value} edge between {source!r} and {target!r}")
            validate_edge(
                Edge(
                    edge_type,
                    probe.source,
                    probe.target,
                    {**data["props"], **properties},
                    [Source("check", "check")],
                )
            )
            data["props"] = {**data["props"], **clean_properties(properties)}
            data.pop("read", None)
            self._persist()
            return self._edge(probe.source, probe.target, edge_type.value, data)

    def delete_edges(self, keys: Iterable[tuple[EdgeType, str, str]]) -> int:
        removed = 0
        with self._writing():
            for etype, source, target in keys:
                probe = Edge(etype, source, target)
                if self._g.has_edge(probe.source, probe.target, etype.value):
                    self._g.remove_edge(probe.source, probe.target, etype.value)
                    self._edge_counts[etype.value] -= 1
                    removed += 1
            if removed:
                self._persist()
        return removed

    def remove_source(self, dataset: str, file: str | None = None) -> RemovalResult:
        prefix = Source.prefix(dataset, file)
        result = RemovalResult()
        with self._writing():
            g = self._g
            for u, v, k, d in list(g.edges(keys=True, data=True)):
                kept = [s for s in d["sources"] if not s.startswith(prefix)]
                if len(kept) == len(d["sources"]):
                    continue
                if kept:
                    d["sources"] = kept
                    d.pop("read", None)
                    result.edges_updated += 1
                else:
                    g.remove_edge(u, v, k)
                    self._edge_counts[k] -= 1
                    result.edges_removed += 1
            for node_id, d in list(g.nodes(data=True)):
                kept = [s for s in d["sources"] if not s.startswith(prefix)]
                if len(kept) == len(d["sources"]):
                    continue
                if kept:
                    d["sources"] = kept
                    d.pop("read", None)
                    result.nodes_updated += 1
                else:
                    result.edges_removed += self._drop_node(node_id)
                    result.nodes_removed += 1
            if result.nodes_removed or result.edges_removed or result.nodes_updated or result.edges_updated:
                self._persist()
        return result

    def clear(self) -> None:
        with self._writing():
            self._reset()
            self._persist()

    def ping(self) -> None:
        if self._dir is not None and not self._dir.is_dir():
            raise StoreUnavailableError(f"data directory {self._dir} is gone")
        with self._reading():
            pass


def _first(pair: tuple[Any, str]) -> Any:
    return pair[0]


def _matches(value: Any, wanted: Any) -> bool:
    if isinstance(value, list):
        return wanted in value
    return bool(value == wanted)


def _within(value: Any, low: Any, high: Any) -> bool:
    if value is None:
        return False
    try:
        return (low is None or value >= low) and (high is None or value <= high)
    except TypeError:
        return False
