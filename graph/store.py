"""`GraphStore`: the one interface every part of narrative-graph talks to.

Two implementations stand behind it, equal in what they answer: `MemoryStore` (NetworkX, embedded,
the default) and `Neo4jStore`. Each implements a handful of primitives; the traversals (neighbourhood,
shortest paths) are written once here on top of them, so both stores answer them the same way.

Nodes and edges a store returns are snapshots that other reads may share: their properties and
sources refuse changes in place (`FrozenProperties`, `FrozenSources`). To write a change, build a new
`Node` or `Edge` from a copy and upsert it.
"""

from __future__ import annotations

import heapq
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from graph.exc import LimitExceededError, NotFoundError
from graph.model import Edge, Node
from graph.ontology import LABEL_NAMES, EdgeType, NodeLabel, label_of

MAX_DEPTH = 3
MAX_PATH_LENGTH = 6
MAX_PATHS = 20
_PATH_SEARCH_STEPS = 200_000


@dataclass(slots=True)
class Page:
    """One page of nodes and how many match in all."""

    items: list[Node]
    total: int
    offset: int
    limit: int


@dataclass(slots=True)
class Subgraph:
    """Nodes and the edges among them; `total` is how many nodes there would be without the limit."""

    nodes: list[Node]
    edges: list[Edge]
    truncated: bool = False
    total: int = 0


@dataclass(slots=True)
class GraphPath:
    """A path: `edges[i]` joins `nodes[i]` and `nodes[i + 1]`, in either direction."""

    nodes: list[Node]
    edges: list[Edge]

    @property
    def length(self) -> int:
        return len(self.edges)


@dataclass(slots=True)
class Counts:
    """How many nodes per label and edges per type a store holds (every label and type listed)."""

    nodes: dict[str, int]
    edges: dict[str, int]

    @classmethod
    def of(cls, nodes: Mapping[str, int], edges: Mapping[str, int]) -> Counts:
        return cls(
            nodes={label.value: int(nodes.get(label.value, 0)) for label in NodeLabel},
            edges={etype.value: int(edges.get(etype.value, 0)) for etype in EdgeType},
        )


@dataclass(slots=True)
class WriteResult:
    """What an upsert did, by label and edge type."""

    nodes_created: Counter[str] = field(default_factory=Counter)
    nodes_updated: Counter[str] = field(default_factory=Counter)
    edges_created: Counter[str] = field(default_factory=Counter)
    edges_updated: Counter[str] = field(default_factory=Counter)

    def add(self, other: WriteResult) -> None:
        self.nodes_created.update(other.nodes_created)
        self.nodes_updated.update(other.nodes_updated)
        self.edges_created.update(other.edges_created)
        self.edges_updated.update(other.edges_updated)

    def add_repeats(self, repeats: Mapping[str, int]) -> None:
        """Counts the records `graph.model.coalesce` folded into an earlier one of the same call as
        updates, as separate calls would have counted them."""
        for name, n in repeats.items():
            (self.nodes_updated if name in LABEL_NAMES else self.edges_updated)[name] += n

    @property
    def items(self) -> int:
        return (
            sum(self.nodes_created.values())
            + sum(self.nodes_updated.values())
            + sum(self.edges_created.values())
            + sum(self.edges_updated.values())
        )


@dataclass(slots=True)
class RemovalResult:
    """What removing one source's contribution did."""

    nodes_removed: int = 0
    edges_removed: int = 0
    nodes_updated: int = 0
    edges_updated: int = 0


class GraphStore(ABC):
    """The graph as every other part of narrative-graph sees it."""

    # -- primitives each store implements -------------------------------------------------------

    @abstractmethod
    def upsert(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> WriteResult:
        """Writes nodes, then edges, atomically: all of the call or none of it.

        Idempotent: properties overwrite, `defaults` fill only what is missing, provenance merges.
        Raises `OntologyError` for a record that does not fit the ontology and
        `MissingEndpointError` for an edge whose endpoint is neither stored nor in `nodes`.
        """

    @abstractmethod
    def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        """The stored nodes among `ids`, in the order asked; unknown ids are left out."""

    @abstractmethod
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
        """Nodes matching every condition, one page of them and the total.

        `filters`: property equals the value, or a list property contains it. `ranges`: property
        within `(low, high)`, either end open as None. `linked`: adjacent to each of these node ids.
        `query`: every word appears in the label's text properties. `order_by`: a property, `-` in
        front for descending (missing values last ascending, first descending); ties by id.
        """

    @abstractmethod
    def adjacent(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> list[Edge]:
        """Every edge (of these types) with an endpoint among `ids`, each once, in edge-id order."""

    @abstractmethod
    def neighbour_ids(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> set[str]:
        """The ids of nodes one edge (of these types) away from any of `ids`, either direction."""

    @abstractmethod
    def edges_among(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> list[Edge]:
        """Every edge (of these types) with both endpoints among `ids`, in edge-id order."""

    @abstractmethod
    def count_targets(self, ids: Sequence[str], edge_type: EdgeType) -> dict[str, int]:
        """For each node an edge of `edge_type` leads to from one of `ids` (in its stored direction):
        how many of `ids` lead there. The narratives a country's thousands of claims feed, counted
        where the edges are instead of read out one by one."""

    @abstractmethod
    def degrees(self, ids: Sequence[str]) -> dict[str, int]:
        """Number of edges of any type at each of `ids` (0 for unknown ids)."""

    @abstractmethod
    def iter_nodes(self, label: NodeLabel | None = None) -> Iterator[Node]:
        """Every node (of one label), in id order."""

    @abstractmethod
    def iter_edges(self, edge_type: EdgeType | None = None) -> Iterator[Edge]:
        """Every edge (of one type), in id order."""

    @abstractmethod
    def counts(self) -> Counts:
        """Nodes per label and edges per type."""

    @abstractmethod
    def set_edge_properties(
        self, edge_type: EdgeType, source: str, target: str, properties: Mapping[str, Any]
    ) -> Edge:
        """Overwrites some properties of one stored edge; raises `NotFoundError` if there is none."""

    @abstractmethod
    def delete_edges(self, keys: Iterable[tuple[EdgeType, str, str]]) -> int:
        """Deletes these edges (type, source, target); returns how many existed."""

    @abstractmethod
    def remove_source(self, dataset: str, file: str | None = None) -> RemovalResult:
        """Undoes what one dataset (or one file of it) contributed.

        Its provenance entries go; a node or edge left with no provenance goes with them (a node's
        edges too). What other sources also contributed stays, properties and all.
        """

    @abstractmethod
    def clear(self) -> None:
        """Deletes everything."""

    @abstractmethod
    def ping(self) -> None:
        """Raises `StoreUnavailableError` unless the store answers."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Releases what the store holds."""

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Groups many writes; stores that persist per write may persist once at the end instead."""
        yield

    @abstractmethod
    def reading(self) -> AbstractContextManager[None]:
        """Runs the reads inside the block together, for a view that takes several (a claim with
        its links, a path). The embedded store answers them from one state of the graph: no other
        thread's or process's write comes between them. Neo4j answers them in one read transaction
        instead of one each; it reads at read-committed isolation, so there the block saves round
        trips, but a write that commits meanwhile is seen by the reads after it. Streamed
        `iter_nodes` / `iter_edges` read on their own. Blocks nest."""

    def warm(self) -> None:  # noqa: B027 - optional hook
        """Builds now what the store would otherwise build on first use (the embedded store's word
        index), so that a server pays for it at start-up rather than in a request; a warm store
        stays so, building it again whenever it re-reads its data."""

    # -- written once, on the primitives --------------------------------------------------------

    def get_node(self, node_id: str) -> Node:
        """The node with this id; raises `NotFoundError` if it is not stored."""
        found = self.get_nodes([node_id])
        if not found:
            raise NotFoundError(f"no node with id {node_id!r}")
        return found[0]

    def edges_of(self, node_id: str, edge_types: Sequence[EdgeType] | None = None) -> list[Edge]:
        """The edges at one node."""
        return self.adjacent([node_id], edge_types)

    def neighbourhood(
        self,
        node_id: str,
        *,
        depth: int = 1,
        labels: Sequence[NodeLabel] | None = None,
        edge_types: Sequence[EdgeType] | None = None,
        limit: int = 500,
    ) -> Subgraph:
        """The nodes within `depth` hops (either direction) and the edges among them.

        Only nodes of `labels` are reached and passed through (the centre always counts). Nodes are
        kept nearest first, ties by id, up to `limit`; `total` counts all that were reached.
        """
        check_neighbourhood(depth, limit)
        return walk_neighbourhood(self, node_id, depth, labels, edge_types, limit)

    def shortest_paths(
        self,
        source: str,
        target: str,
        *,
        max_length: int = 4,
        k: int = 1,
        hub_degree: int | None = None,
        edge_types: Sequence[EdgeType] | None = None,
    ) -> list[GraphPath]:
        """Up to `k` simple paths of at most `max_length` hops, shortest first, ties by node ids.

        A node with more than `hub_degree` edges is not passed through unless it is an endpoint:
        paths through a country with thousands of claims explain nothing.
        """
        if not 1 <= max_length <= MAX_PATH_LENGTH:
            raise LimitExceededError(f"max_length must be between 1 and {MAX_PATH_LENGTH}, got {max_length}")
        if not 1 <= k <= MAX_PATHS:
            raise LimitExceededError(f"k must be between 1 and {MAX_PATHS}, got {k}")
        with self.reading():
            ends = self.get_nodes([source, target])
            if len({n.id for n in ends}) < len({source, target}):
                missing = {source, target} - {n.id for n in ends}
                raise NotFoundError(f"no node with id {sorted(missing)[0]!r}")
            if source == target:
                return [GraphPath(ends[:1], [])]
            # Lengthened a hop at a time: k paths of some length are the answer, and reading on
            # from both ends to the longest allowed would walk every claim of a country next to them.
            exploration = _Exploration(self, source, target, hub_degree, edge_types)
            found: list[list[str]] = []
            for length in range(1, max_length + 1):
                found = _enumerate_paths(exploration.within(length), source, target, length, k)
                if len(found) >= k:
                    break
            result = []
            for ids in found:
                hops = [exploration.edge_of[frozenset((a, b))] for a, b in zip(ids, ids[1:], strict=False)]
                by_id = {n.id: n for n in self.get_nodes(ids)}
                result.append(GraphPath([by_id[i] for i in ids], hops))
            return result


class _Exploration:
    """The edges between two nodes that paths can use, read from both ends a level at a time.

    With the nodes within a - 1 hops of the source and b - 1 hops of the target read, every path of
    at most a + b hops is among their edges. Each level is read from the end whose next level has
    fewer edges: a path from a country to a claim is found from the claim's side, not through the
    country's thousands of claims. A node with more than `hub_degree` edges (the ends excepted) is
    not passed through, nor read past."""

    def __init__(
        self,
        store: GraphStore,
        source: str,
        target: str,
        hub_degree: int | None,
        edge_types: Sequence[EdgeType] | None,
    ) -> None:
        self._store = store
        self._ends = (source, target)
        self._hub_degree = hub_degree
        self._edge_types = edge_types
        self.adjacency: dict[str, set[str]] = defaultdict(set)
        self.edge_of: dict[frozenset[str], Edge] = {}
        self._degree: dict[str, int] = {}
        self._hubs: set[str] = set()
        self._read: set[str] = set()  # nodes whose edges are in `adjacency`
        # Per end: the nodes reached, the last level reached, and how many levels are read.
        self._seen = ({source}, {target})
        self._frontier = [[source], [target]]
        self._radius = [0, 0]

    def within(self, length: int) -> dict[str, set[str]]:
        """The adjacency among the nodes that lie on a path of at most `length` hops, hubs left out."""
        while sum(self._radius) < length:
            unread = (self._next(0), self._next(1))
            end = min((0, 1), key=lambda e: sum(self._degree[n] for n in unread[e]))
            self._widen(end, unread[end])
        source, target = self._ends
        # Distances in what has been read are at most those in the whole graph: a node on a short
        # enough path is close enough to both ends here too.
        from_source = _distances(self.adjacency, source, length)
        from_target = _distances(self.adjacency, target, length)
        on_path = {n for n, d in from_source.items() if d + from_target.get(n, length + 1) <= length}
        if self._hub_degree is not None:
            self._weigh(on_path)
        keep = on_path - self._hubs
        return {n: self.adjacency[n] & keep for n in keep}

    def _weigh(self, ids: Iterable[str]) -> None:
        """Reads the degrees of `ids` not yet known, and so which of them are hubs."""
        todo = [n for n in ids if n not in self._degree]
        if not todo:
            return
        degree = self._store.degrees(todo)
        self._degree.update(degree)
        if self._hub_degree is not None:
            self._hubs.update(n for n, d in degree.items() if d > self._hub_degree and n not in self._ends)

    def _next(self, end: int) -> list[str]:
        """The nodes an end reads next: its last level's, hubs and nodes already read left out."""
        self._weigh(self._frontier[end])
        return [n for n in self._frontier[end] if n not in self._hubs and n not in self._read]

    def _widen(self, end: int, fresh: list[str]) -> None:
        """Reads one more level from an end: the edges of `fresh`, its last level's unread nodes."""
        self._read.update(fresh)
        for edge in self._store.adjacent(fresh, self._edge_types) if fresh else []:
            pair = frozenset((edge.source, edge.target))
            if pair not in self.edge_of or edge.type.value < self.edge_of[pair].type.value:
                self.edge_of[pair] = edge
            self.adjacency[edge.source].add(edge.target)
            self.adjacency[edge.target].add(edge.source)
        # A node the other end has read already is walked on from the edges it read.
        seen = self._seen[end]
        walked = [n for n in self._frontier[end] if n not in self._hubs]
        reached = {other for n in walked for other in self.adjacency.get(n, ()) if other not in seen}
        seen |= reached
        self._frontier[end] = sorted(reached)
        self._radius[end] += 1


class NeighbourhoodReads(Protocol):
    """The primitives a neighbourhood is walked with: a store's, or a store's inside one transaction."""

    def get_nodes(self, ids: Sequence[str]) -> list[Node]: ...

    def neighbour_ids(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> set[str]: ...

    def edges_among(self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None = None) -> list[Edge]: ...


def check_neighbourhood(depth: int, limit: int) -> None:
    """Raises `LimitExceededError` for a depth or limit `neighbourhood` does not take."""
    if not 0 <= depth <= MAX_DEPTH:
        raise LimitExceededError(f"depth must be between 0 and {MAX_DEPTH}, got {depth}")
    if limit < 1:
        raise LimitExceededError(f"limit must be at least 1, got {limit}")


class WalkShortcuts(Protocol):
    """Parts of a walk a remote store answers in one query each, where the walk would otherwise ship
    every id: past a hub one level is thousands of ids. Each answers exactly what the plain walk on
    the store's primitives would."""

    def start(self, node_id: str, edge_types: Sequence[EdgeType] | None) -> tuple[Node | None, set[str]]:
        """The centre (None if it is not stored) and the ids one hop from it (of those edge types)."""
        ...

    def finish(
        self,
        frontier: Sequence[str],
        seen: set[str],
        kept: Sequence[str],
        edge_types: Sequence[EdgeType] | None,
        reach: set[NodeLabel] | None,
        first: int,
    ) -> tuple[int, list[Node], list[Edge]]:
        """The last level and the result: how many nodes (of the `reach` labels) one hop from
        `frontier` are not in `seen`; the stored nodes among `kept` and the `first` of those new
        nodes with the smallest ids (any order); the edges (of those types) among all these nodes,
        in edge-id order."""
        ...

    def members(
        self, ids: Sequence[str], edge_types: Sequence[EdgeType] | None
    ) -> tuple[list[Node], list[Edge]]:
        """The stored nodes among `ids` (any order) and the edges (of those types) among them, in
        edge-id order: `get_nodes` and `edges_among` in one go."""
        ...


def walk_neighbourhood(
    reads: NeighbourhoodReads,
    node_id: str,
    depth: int,
    labels: Sequence[NodeLabel] | None,
    edge_types: Sequence[EdgeType] | None,
    limit: int,
    shortcuts: WalkShortcuts | None = None,
) -> Subgraph:
    """`GraphStore.neighbourhood`, level by level on `reads`: one algorithm whoever runs it.

    With `shortcuts`, the centre comes with its first level and the last level is counted and cut
    where the graph is, together with fetching the result, instead of from all its ids.
    """
    level_one: set[str] | None = None
    if shortcuts is not None and depth >= 2:
        centre, level_one = shortcuts.start(node_id, edge_types)
    else:
        found = reads.get_nodes([node_id])
        centre = found[0] if found else None
    if centre is None:
        raise NotFoundError(f"no node with id {node_id!r}")
    allowed = set(labels) if labels else None
    seen = {centre.id}
    frontier = [centre.id]
    ordered = [centre.id]  # nearest first, ties by id: each level is sorted as it is reached
    total = 1
    for level in range(1, depth + 1):
        if level == depth and shortcuts is not None:
            room = max(limit - len(ordered), 0)
            count, found, edges = shortcuts.finish(frontier, seen, ordered, edge_types, allowed, room)
            by_id = {n.id: n for n in found}
            kept = [by_id[i] for i in ordered[1:] if i in by_id]
            # What `finish` found beyond `kept` is the last level's first ids.
            for i in ordered:
                by_id.pop(i, None)
            last = [by_id[i] for i in sorted(by_id)]
            total += count
            return Subgraph([centre, *kept, *last], edges, truncated=total > limit, total=total)
        # Set arithmetic, not a per-id loop: one level past a hub is thousands of ids.
        if level == 1 and level_one is not None:
            reached = level_one - seen
        else:
            reached = reads.neighbour_ids(frontier, edge_types) - seen
        if allowed is not None:
            reached = {other for other in reached if label_of(other) in allowed}
        if not reached:
            break
        seen |= reached
        total += len(reached)
        # Past the limit a level is only counted; within it, only the ids kept are sorted.
        ordered.extend(smallest(reached, limit - len(ordered)))
        frontier = list(reached)
    if shortcuts is not None:
        found, edges = shortcuts.members(ordered, edge_types)
        by_id = {n.id: n for n in found}
        nodes = [centre, *(by_id[i] for i in ordered[1:] if i in by_id)]
    else:
        edges = reads.edges_among(ordered, edge_types)
        nodes = [centre, *reads.get_nodes(ordered[1:])]
    return Subgraph(nodes, edges, truncated=total > limit, total=total)


_SAMPLE = 512


def smallest(ids: Collection[str], n: int) -> list[str]:
    """`sorted(ids)[:n]`, without sorting them all where `n` is a small part of them: a level past
    a hub is thousands of ids, of which a few hundred are kept.

    The ids up to a cut-off taken from a sample (the first ids `ids` yields) are sorted instead;
    when fewer than `n` fall below it (a sample unlike the whole), all are. Either way exactly the
    `n` smallest, in order."""
    if n <= 0:
        return []
    size = len(ids)
    if n * 4 >= size:
        return sorted(ids)[:n]
    sample = sorted(islice(ids, _SAMPLE))
    # Half as many again as a fair sample puts below the cut-off, so it rarely falls short.
    cut = sample[min(len(sample) - 1, len(sample) * n * 3 // (2 * size) + 8)]
    below = [i for i in ids if i <= cut]
    if len(below) < n:
        return sorted(ids)[:n]
    below.sort()
    return below[:n]


def _distances(adjacency: Mapping[str, set[str]], start: str, limit: int) -> dict[str, int]:
    distance = {start: 0}
    frontier = [start]
    for level in range(1, limit + 1):
        nxt = []
        for node in frontier:
            for other in adjacency.get(node, ()):
                if other not in distance:
                    distance[other] = level
                    nxt.append(other)
        frontier = nxt
    return distance


def _enumerate_paths(
    adjacency: Mapping[str, set[str]], source: str, target: str, max_length: int, k: int
) -> list[list[str]]:
    """Simple paths from source to target, by length then node ids, at most k of them."""
    to_target = _distances(adjacency, target, max_length)
    if source not in to_target:
        return []
    ordered = {node: sorted(others) for node, others in adjacency.items()}
    found: list[list[str]] = []
    steps = 0
    for length in range(to_target[source], max_length + 1):
        stack: list[tuple[str, list[str]]] = [(source, [source])]
        heap_order: list[list[str]] = []
        while stack:
            node, path = stack.pop()
            steps += 1
            if steps > _PATH_SEARCH_STEPS:
                break
            remaining = length - (len(path) - 1)
            if node == target:
                if remaining == 0:
                    heapq.heappush(heap_order, path)
                continue
            for other in reversed(ordered.get(node, [])):
                if other not in path and to_target.get(other, max_length + 1) <= remaining - 1:
                    stack.append((other, [*path, other]))
        while heap_order and len(found) < k:
            found.append(heapq.heappop(heap_order))
        if len(found) >= k:
            break
    return found
