"""The records that flow between loaders, stores and the API: nodes, edges, provenance.

Plain slotted dataclasses rather than pydantic models: a load moves hundreds of thousands of them,
and they are validated against the ontology once, by `validate_node` / `validate_edge`, at the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeAlias

from graph.exc import OntologyError
from graph.ids import edge_id
from graph.ontology import EDGE_SPECS, NODE_SPECS, EdgeType, NodeLabel, label_of

Scalar: TypeAlias = str | int | float | bool
Value: TypeAlias = Scalar | list[str] | list[int] | list[float] | None
Properties: TypeAlias = dict[str, Any]


def _escape(part: str) -> str:
    if "%" not in part and "|" not in part:
        return part
    return part.replace("%", "%25").replace("|", "%7C")


@lru_cache(maxsize=65536)
def _encode(dataset: str, file: str, locator: str) -> str:
    # A load repeats the same few file-level sources on every row: encode each once.
    return f"{_escape(dataset)}|{_escape(file)}|{_escape(locator)}"


def _unescape(part: str) -> str:
    return part.replace("%7C", "|").replace("%25", "%")


@dataclass(frozen=True, slots=True, order=True)
class Source:
    """Where a node or edge came from: a dataset, a file within it, and a row, line or JSON pointer."""

    dataset: str
    file: str
    locator: str = ""

    def encode(self) -> str:
        """`dataset|file|locator`, the form stores keep provenance in (a list of strings)."""
        return _encode(self.dataset, self.file, self.locator)

    @classmethod
    def decode(cls, text: str) -> Source:
        return _decode(text)

    @staticmethod
    def prefix(dataset: str, file: str | None = None) -> str:
        """The encoded prefix every source of one dataset (or one file of it) starts with."""
        return f"{_escape(dataset)}|" if file is None else f"{_escape(dataset)}|{_escape(file)}|"


@lru_cache(maxsize=65536)
def _decode(text: str) -> Source:
    # Sources are frozen, so one decoded instance can stand for every repeat of the same string.
    dataset, file, locator = (text.split("|") + ["", ""])[:3]
    return Source(_unescape(dataset), _unescape(file), _unescape(locator))


@dataclass(slots=True)
class Node:
    """A node to write or as read.

    `properties` overwrite what the store has; `defaults` are written only where the store has no
    value yet (a reference stub must not overwrite the claim it later turns out to be).
    """

    id: str
    label: NodeLabel
    properties: Properties = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    defaults: Properties = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.properties.get(key)
        return default if value is None else value


@dataclass(slots=True)
class Edge:
    """An edge to write or as read. Symmetric types are stored once, endpoints in id order."""

    type: EdgeType
    source: str
    target: str
    properties: Properties = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    defaults: Properties = field(default_factory=dict)

    def __post_init__(self) -> None:
        if EDGE_SPECS[self.type].symmetric and self.target < self.source:
            self.source, self.target = self.target, self.source

    @property
    def id(self) -> str:
        return edge_id(self.type, self.source, self.target)

    @property
    def key(self) -> tuple[EdgeType, str, str]:
        return (self.type, self.source, self.target)


def clean_properties(props: Mapping[str, Any]) -> Properties:
    """Drops None and empty values: the stores never hold nulls or empty lists."""
    return {k: v for k, v in props.items() if v is not None and v != [] and v != ""}


def _check_values(where: str, props: Mapping[str, Any], allowed: Mapping[str, str]) -> None:
    for key, value in props.items():
        if key not in allowed:
            raise OntologyError(f"{where}: unknown property {key!r}")
        if value is None:
            continue  # dropped before writing
        if isinstance(value, list):
            if len({type(v) for v in value}) > 1 or any(not isinstance(v, (str, int, float)) for v in value):
                raise OntologyError(f"{where}: property {key!r} must be a list of one scalar type")
        elif not isinstance(value, (str, int, float, bool)):
            raise OntologyError(f"{where}: property {key!r} has unsupported type {type(value).__name__}")


def validate_node(node: Node) -> None:
    """Raises `OntologyError` unless the node fits its label's declaration."""
    spec = NODE_SPECS[node.label]
    if label_of(node.id) is not node.label:
        raise OntologyError(f"node {node.id!r}: id prefix does not match label {node.label.value}")
    _check_values(f"node {node.id!r}", node.properties, spec.properties)
    _check_values(f"node {node.id!r}", node.defaults, spec.properties)
    missing = spec.required - node.properties.keys() - node.defaults.keys()
    if missing:
        raise OntologyError(f"node {node.id!r}: missing required {sorted(missing)}")
    if not node.sources:
        raise OntologyError(f"node {node.id!r}: no provenance")


def validate_edge(edge: Edge) -> None:
    """Raises `OntologyError` unless the edge joins the labels its type allows, with its properties."""
    spec = EDGE_SPECS[edge.type]
    where = f"{edge.type.value} {edge.source!r} -> {edge.target!r}"
    labels = (label_of(edge.source), label_of(edge.target))
    if labels != (spec.source, spec.target):
        raise OntologyError(
            f"{where}: joins {labels[0].value} to {labels[1].value}, "
            f"expected {spec.source.value} to {spec.target.value}"
        )
    if edge.source == edge.target:
        raise OntologyError(f"{where}: an edge may not join a node to itself")
    _check_values(where, edge.properties, spec.properties)
    _check_values(where, edge.defaults, spec.properties)
    missing = spec.required - edge.properties.keys() - edge.defaults.keys()
    if missing:
        raise OntologyError(f"{where}: missing required {sorted(missing)}")
    if not edge.sources:
        raise OntologyError(f"{where}: no provenance")


def merge_sources(existing: Sequence[str], new: Iterable[Source]) -> list[str]:
    """Provenance as stored: the encoded sources, de-duplicated, in first-seen order.

    Returns `existing` itself (when a list) if it already holds every new source: the common re-write."""
    base = existing if isinstance(existing, list) else list(existing)
    out = base
    for src in new:
        enc = src.encode()
        if enc not in out:
            if out is base:
                out = list(base)
            out.append(enc)
    return out


def coalesce(nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[list[Node], list[Edge], Counter[str]]:
    """One record per node id and per edge, merged as writing them one after another would merge them.

    A load names the same country or outlet on thousands of rows; writing it once per call instead
    of once per row is most of what makes a batch fast. Later properties win, earlier defaults win
    (a default only fills what is still missing), provenance keeps first-seen order. The counter
    says how many records per label or edge type were folded into an earlier one (each counts as
    an update, as it would in separate calls).
    """
    repeats: Counter[str] = Counter()
    node_out: dict[str, Node] = {}
    for node in nodes:
        seen = node_out.get(node.id)
        if seen is None:
            node_out[node.id] = node
        else:
            repeats[node.label.value] += 1
            node_out[node.id] = Node(
                node.id,
                node.label,
                {**seen.properties, **node.properties},
                _union(seen.sources, node.sources),
                {**node.defaults, **seen.defaults},
            )
    edge_out: dict[tuple[EdgeType, str, str], Edge] = {}
    for edge in edges:
        key = edge.key
        prior = edge_out.get(key)
        if prior is None:
            edge_out[key] = edge
        else:
            repeats[edge.type.value] += 1
            edge_out[key] = Edge(
                edge.type,
                edge.source,
                edge.target,
                {**prior.properties, **edge.properties},
                _union(prior.sources, edge.sources),
                {**edge.defaults, **prior.defaults},
            )
    return list(node_out.values()), list(edge_out.values()), repeats


def _union(first: list[Source], second: list[Source]) -> list[Source]:
    return list(dict.fromkeys([*first, *second]))
