"""The records that flow between loaders, stores and the API: nodes, edges, provenance.

Plain slotted dataclasses rather than pydantic models: a load moves hundreds of thousands of them,
and they are validated against the ontology once, by `validate_node` / `validate_edge`, at the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Final, TypeAlias

from graph.exc import OntologyError
from graph.ids import edge_id
from graph.ontology import (
    EDGE_SPECS,
    EDGE_TYPE_BY_NAME,
    EDGE_TYPE_NAME,
    LABEL_NAME,
    NODE_SPECS,
    EdgeType,
    NodeLabel,
    label_of,
)

Scalar: TypeAlias = str | int | float | bool
Value: TypeAlias = Scalar | list[str] | list[int] | list[float] | None
Properties: TypeAlias = dict[str, Any]


_SYMMETRIC: Final = frozenset(t for t, spec in EDGE_SPECS.items() if spec.symmetric)


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


def _read_only(self: object, *args: object, **kwargs: object) -> Any:
    raise TypeError(
        f"{type(self).__name__}: read from a store, so it cannot be changed in place; change a copy "
        "(dict(...) or list(...))"
    )


class FrozenProperties(dict[str, Any]):
    """The properties of a node or edge as read from a store: a snapshot that later reads may share,
    so it refuses changes in place. `dict(props)` is a copy to change; JSON, pydantic and `==` see a
    plain dict."""

    __slots__ = ()
    __setitem__ = __delitem__ = __ior__ = _read_only
    update = pop = popitem = clear = setdefault = _read_only

    def __reduce__(self) -> tuple[type[FrozenProperties], tuple[dict[str, Any]]]:
        return (FrozenProperties, (dict(self),))


class FrozenSources(list[Source]):
    """The provenance of a node or edge as read from a store: shared like its properties, and as
    unchangeable (`list(sources)` is a copy to change)."""

    __slots__ = ()
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only
    append = extend = insert = pop = remove = clear = sort = reverse = _read_only

    def __reduce__(self) -> tuple[type[FrozenSources], tuple[list[Source]]]:
        return (FrozenSources, (list(self),))


_NO_DEFAULTS: Final = FrozenProperties()


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


@dataclass(slots=True, init=False)
class Edge:
    """An edge to write or as read. Symmetric types are stored once, endpoints in id order.

    Its type and endpoints are fixed when it is made: its id is derived from them, once."""

    type: EdgeType
    source: str
    target: str
    properties: Properties = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    defaults: Properties = field(default_factory=dict)
    _id: str | None = field(default=None, init=False, repr=False, compare=False)

    # Written out rather than generated: a load builds one per link, and the generated one (default
    # factories, then a __post_init__ call) takes twice as long.
    def __init__(
        self,
        type: EdgeType,
        source: str,
        target: str,
        properties: Properties | None = None,
        sources: list[Source] | None = None,
        defaults: Properties | None = None,
    ) -> None:
        if type in _SYMMETRIC and target < source:
            source, target = target, source
        self.type = type
        self.source = source
        self.target = target
        self.properties = {} if properties is None else properties
        self.sources = [] if sources is None else sources
        self.defaults = {} if defaults is None else defaults
        self._id = None

    @property
    def id(self) -> str:
        # Hashed once per edge: the type and endpoints are set in `__init__` and never changed, and
        # a read edge is shared by every later read (sorted by id, then written out with it).
        found = self._id
        if found is None:
            found = self._id = edge_id(self.type, self.source, self.target)
        return found

    @property
    def key(self) -> tuple[EdgeType, str, str]:
        return (self.type, self.source, self.target)


def read_node(node_id: str, label: NodeLabel, props: Mapping[str, Any], sources: Iterable[str]) -> Node:
    """A node as every store returns it, from its stored properties and encoded provenance: a
    snapshot other reads may share, whose properties and sources refuse changes in place."""
    return Node(node_id, label, FrozenProperties(props), FrozenSources(map(_decode, sources)), _NO_DEFAULTS)


def read_edge(
    type_name: str, source: str, target: str, props: Mapping[str, Any], sources: Iterable[str]
) -> Edge:
    """An edge as every store returns it (see `read_node`), its type by its stored name."""
    return Edge(
        EDGE_TYPE_BY_NAME[type_name],
        source,
        target,
        FrozenProperties(props),
        FrozenSources(map(_decode, sources)),
        _NO_DEFAULTS,
    )


def clean_properties(props: Mapping[str, Any]) -> Properties:
    """Drops None and empty values: the stores never hold nulls or empty lists."""
    if not props:
        return {}
    values = props.values()
    if None not in values and "" not in values and [] not in values:  # scanned in C: the usual case
        return dict(props)
    return {k: v for k, v in props.items() if v is not None and v != [] and v != ""}


def _value_problem(props: Mapping[str, Any], allowed: Mapping[str, str]) -> str | None:
    """What is wrong with the first bad property, or None: the caller names where (only on error,
    as building that text for each of a load's items costs more than the checks)."""
    for key, value in props.items():
        if key not in allowed:
            return f"unknown property {key!r}"
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool or value is None:
            continue  # None is dropped before writing
        if kind is list and value and type(value[0]) is str and all(type(v) is str for v in value):
            continue
        if isinstance(value, list):
            if len({type(v) for v in value}) > 1 or any(not isinstance(v, (str, int, float)) for v in value):
                return f"property {key!r} must be a list of one scalar type"
        elif not isinstance(value, (str, int, float, bool)):
            return f"property {key!r} has unsupported type {type(value).__name__}"
    return None


def _missing(required: frozenset[str], props: Properties, defaults: Properties) -> list[str]:
    if not required:
        return []
    for key in required:
        if key not in props and key not in defaults:
            return sorted(required - props.keys() - defaults.keys())
    return []


_NODE_LABEL: Final = attrgetter("label")
_EDGE_TYPE: Final = attrgetter("type")
# The order both stores return nodes and edges in: by id (an edge's id is derived from its ends).
BY_ID: Final = attrgetter("id")

# "claim:" for Claim …: a node id's label is the prefix before its first colon.
_ID_PREFIX = MappingProxyType({label: f"{spec.id_prefix}:" for label, spec in NODE_SPECS.items()})


def _content_problem(
    allowed: Mapping[str, str],
    required: frozenset[str],
    props: Properties,
    defaults: Properties,
    sources: list[Source],
) -> str | None:
    """What is wrong with a node's or an edge's properties, defaults or provenance, or None: the
    rules both share, checked in the same order for both."""
    problem = _value_problem(props, allowed) if props else None
    if problem is None and defaults:
        problem = _value_problem(defaults, allowed)
    if problem is not None:
        return problem
    missing = _missing(required, props, defaults)
    if missing:
        return f"missing required {missing}"
    return None if sources else "no provenance"


def validate_node(node: Node) -> None:
    """Raises `OntologyError` unless the node fits its label's declaration."""
    spec = NODE_SPECS[node.label]
    if not node.id.startswith(_ID_PREFIX[node.label]) and label_of(node.id) is not node.label:
        raise OntologyError(f"node {node.id!r}: id prefix does not match label {node.label.value}")
    problem = _content_problem(spec.properties, spec.required, node.properties, node.defaults, node.sources)
    if problem is not None:
        raise OntologyError(f"node {node.id!r}: {problem}")


_EDGE_RULES: Final = MappingProxyType(
    {t: (spec, _ID_PREFIX[spec.source], _ID_PREFIX[spec.target]) for t, spec in EDGE_SPECS.items()}
)


def validate_edge(edge: Edge) -> None:
    """Raises `OntologyError` unless the edge joins the labels its type allows, with its properties."""
    spec, source_prefix, target_prefix = _EDGE_RULES[edge.type]
    if not (edge.source.startswith(source_prefix) and edge.target.startswith(target_prefix)):
        labels = (label_of(edge.source), label_of(edge.target))
        if labels != (spec.source, spec.target):
            raise OntologyError(
                f"{_edge_where(edge)}: joins {labels[0].value} to {labels[1].value}, "
                f"expected {spec.source.value} to {spec.target.value}"
            )
    if edge.source == edge.target:
        raise OntologyError(f"{_edge_where(edge)}: an edge may not join a node to itself")
    problem = _content_problem(spec.properties, spec.required, edge.properties, edge.defaults, edge.sources)
    if problem is not None:
        raise OntologyError(f"{_edge_where(edge)}: {problem}")


def _edge_where(edge: Edge) -> str:
    return f"{edge.type.value} {edge.source!r} -> {edge.target!r}"


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
    node_list = nodes if isinstance(nodes, list) else list(nodes)
    edge_list = edges if isinstance(edges, list) else list(edges)
    node_out: dict[str, Node] = {}
    keep_node = node_out.setdefault
    for node in node_list:
        seen = keep_node(node.id, node)
        if seen is node or (
            # Shared nodes (a country, an outlet) repeat unchanged on row after row: nothing to merge.
            node.properties == seen.properties
            and node.sources == seen.sources
            and node.defaults == seen.defaults
        ):
            continue
        # Cleaned before merging: a later empty value means "no value", as in a call of its own,
        # so it must not hide an earlier one.
        node_out[node.id] = Node(
            node.id,
            node.label,
            {**clean_properties(seen.properties), **clean_properties(node.properties)},
            _union(seen.sources, node.sources),
            {**clean_properties(node.defaults), **clean_properties(seen.defaults)},
        )
    edge_out: dict[tuple[EdgeType, str, str], Edge] = {}
    keep_edge = edge_out.setdefault
    for edge in edge_list:
        key = (edge.type, edge.source, edge.target)
        prior = keep_edge(key, edge)
        if prior is edge:
            continue
        edge_out[key] = Edge(
            edge.type,
            edge.source,
            edge.target,
            {**clean_properties(prior.properties), **clean_properties(edge.properties)},
            _union(prior.sources, edge.sources),
            {**clean_properties(edge.defaults), **clean_properties(prior.defaults)},
        )
    # Repeats per label and type: all records less the distinct ones (counted in C, not per repeat).
    repeats: Counter[str] = Counter()
    for kinds, distinct, names in (
        (map(_NODE_LABEL, node_list), map(_NODE_LABEL, node_out.values()), LABEL_NAME),
        (map(_EDGE_TYPE, edge_list), map(_EDGE_TYPE, edge_out.values()), EDGE_TYPE_NAME),
    ):
        total = Counter(kinds)
        total.subtract(Counter(distinct))
        for kind, n in total.items():
            if n:
                repeats[names[kind]] = n
    return list(node_out.values()), list(edge_out.values()), repeats


def _union(first: list[Source], second: list[Source]) -> list[Source]:
    if first == second:
        return list(dict.fromkeys(first))
    return list(dict.fromkeys([*first, *second]))
