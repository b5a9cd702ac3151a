"""Every Cypher statement narrative-graph runs, in one place.

Values always travel as `$parameters`. Labels, relationship types, index and constraint names
cannot be parameters in Cypher, so they are spliced in, but only from the ontology's enums and the
names declared here, each checked against `_IDENT` and back-quoted (`_q`) on the way in: nothing a
user or a dataset typed ever reaches a statement's text.

Storage layout, as `graph.neo4j_store` reads and writes it:
- a node carries its label, `id`, its ontology properties, `_sources` (provenance: encoded
  `Source`s) and, per text property `p`, `_w_p`: the words of `p` (as `graph.wordindex.tokens` splits
  them), space-joined, which the one full-text index covers;
- a relationship carries `id` (the edge id, so edges sort by it), its properties and `_sources`.
Names starting with `_` never leave the store.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from graph.ontology import EDGE_SPECS, NODE_SPECS, EdgeType, NodeLabel

SOURCES: Final = "_sources"
WORDS_PREFIX: Final = "_w_"
FULLTEXT_INDEX: Final = "narratives_text"
# Each indexed field holds words already split by our tokenizer, so Lucene must only split on white
# space: that makes the index answer exactly what the embedded store's word index answers.
FULLTEXT_ANALYZER: Final = "whitespace"
TEXT_FIELDS: Final[tuple[str, ...]] = tuple(
    sorted({f"{WORDS_PREFIX}{p}" for spec in NODE_SPECS.values() for p in spec.text_properties})
)

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def _q(name: str) -> str:
    """A label, type or name back-quoted for splicing; refuses anything but a plain identifier."""
    if not _IDENT.match(name):
        raise ValueError(f"not a Cypher identifier: {name!r}")
    return f"`{name}`"


def words_field(prop: str) -> str:
    """The hidden property that holds the words of text property `prop`."""
    return f"{WORDS_PREFIX}{prop}"


def lucene_phrase(word: str) -> str:
    """One word as a quoted Lucene phrase, special characters escaped."""
    return '"' + _LUCENE_SPECIAL.sub(r"\\\1", word) + '"'


def fulltext_query(words: Sequence[str]) -> str:
    """A Lucene query every one of `words` must match (in any indexed field)."""
    return " AND ".join(lucene_phrase(w) for w in words)


# -- schema ------------------------------------------------------------------------------------


def constraint_name(label: NodeLabel) -> str:
    return f"narratives_{label.value.lower()}_id"


def create_constraint(label: NodeLabel) -> str:
    return (
        f"CREATE CONSTRAINT {_q(constraint_name(label))} IF NOT EXISTS "
        f"FOR (n:{_q(label.value)}) REQUIRE n.id IS UNIQUE"
    )


def create_fulltext_index() -> str:
    labels = "|".join(_q(label.value) for label in NodeLabel)
    fields = ", ".join(f"n.{_q(f)}" for f in TEXT_FIELDS)
    return (
        f"CREATE FULLTEXT INDEX {_q(FULLTEXT_INDEX)} IF NOT EXISTS FOR (n:{labels}) ON EACH [{fields}] "
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{FULLTEXT_ANALYZER}', "
        f"`fulltext.eventually_consistent`: false}}}}"
    )


SHOW_INDEXES: Final = "SHOW INDEXES YIELD name, state RETURN name, state"
AWAIT_INDEXES: Final = "CALL db.awaitIndexes($seconds)"
PING: Final = "RETURN 1 AS ok"

# -- writes ------------------------------------------------------------------------------------

def _merge(var: str, prop_keys: Sequence[str], default_keys: Sequence[str]) -> str:
    """One SET clause: per key, the new property, else the stored value, else the default; then
    provenance merged de-duplicated in first-seen order (as `graph.model.merge_sources`). Naming
    each key (all from the ontology) instead of `+= map` keeps the whole merge in one operator, so
    the planner need not materialise every row between steps. Values are never null (the store
    drops nulls), so `coalesce` picks exactly the layer that holds the key."""
    items = []
    for key in sorted({*prop_keys, *default_keys}):
        k = _q(key)
        layers = ([f"row.props.{k}"] if key in prop_keys else []) + [f"{var}.{k}"]
        layers += [f"row.defaults.{k}"] if key in default_keys else []
        items.append(f"{var}.{k} = coalesce({', '.join(layers)})")
    items.append(
        f"{var}.{SOURCES} = coalesce({var}.{SOURCES}, []) "
        f"+ [s IN row.sources WHERE NOT s IN coalesce({var}.{SOURCES}, [])]"
    )
    return "SET " + ",\n    ".join(items) + "\n"


def upsert_nodes(label: NodeLabel, prop_keys: Sequence[str], default_keys: Sequence[str]) -> str:
    """Rows `{id, props, defaults, sources}`, ids unique per batch; `prop_keys` / `default_keys`:
    every key any row's props / defaults hold. New nodes show in the summary counters."""
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (n:{_q(label.value)} {{id: row.id}})\n"
        + _merge("n", prop_keys, default_keys)
        + "RETURN count(*) AS rows"
    )


def upsert_edges(edge_type: EdgeType, prop_keys: Sequence[str], default_keys: Sequence[str]) -> str:
    """Rows `{id, source, target, props, defaults, sources}`, unique per batch, endpoints stored;
    `rows` falls short of the batch if an endpoint is not."""
    spec = EDGE_SPECS[edge_type]
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{_q(spec.source.value)} {{id: row.source}})\n"
        f"MATCH (b:{_q(spec.target.value)} {{id: row.target}})\n"
        f"MERGE (a)-[r:{_q(edge_type.value)}]->(b)\n"
        "ON CREATE SET r.id = row.id\n"
        + _merge("r", prop_keys, default_keys)
        + "RETURN count(*) AS rows"
    )


def existing_ids(label: NodeLabel) -> str:
    return f"UNWIND $ids AS id MATCH (n:{_q(label.value)} {{id: id}}) RETURN n.id AS id"


def _edge_match(edge_type: EdgeType, source: str, target: str) -> str:
    spec = EDGE_SPECS[edge_type]
    return (
        f"MATCH (a:{_q(spec.source.value)} {{id: {source}}})"
        f"-[r:{_q(edge_type.value)}]->(b:{_q(spec.target.value)} {{id: {target}}})"
    )


def edge_properties(edge_type: EdgeType) -> str:
    return _edge_match(edge_type, "$source", "$target") + "\nRETURN r {.*} AS props"


def set_edge_properties(edge_type: EdgeType) -> str:
    return (
        _edge_match(edge_type, "$source", "$target")
        + "\nSET r += $props\nRETURN r {.*} AS props, a.id AS source, b.id AS target"
    )


def delete_edges(edge_type: EdgeType) -> str:
    return (
        "UNWIND $rows AS row\n"
        + _edge_match(edge_type, "row.source", "row.target")
        + "\nDELETE r\nRETURN count(*) AS deleted"
    )


_ANY_FROM = f"any(s IN x.{SOURCES} WHERE s STARTS WITH $prefix)"
_KEPT = f"[s IN x.{SOURCES} WHERE NOT s STARTS WITH $prefix]"

REMOVE_SOURCE_EDGES: Final = (
    f"MATCH ()-[x]->() WHERE {_ANY_FROM}\n"
    f"WITH x, {_KEPT} AS kept\n"
    "CALL (x, kept) {\n"
    "  WITH x, kept WHERE size(kept) > 0\n"
    f"  SET x.{SOURCES} = kept\n"
    "  RETURN 1 AS updated\n"
    "UNION ALL\n"
    "  WITH x, kept WHERE size(kept) = 0\n"
    "  DELETE x\n"
    "  RETURN 0 AS updated\n"
    "}\n"
    "RETURN sum(updated) AS updated, count(*) - sum(updated) AS removed"
)
REMOVE_SOURCE_UPDATE_NODES: Final = (
    f"MATCH (x) WHERE {_ANY_FROM} AND any(s IN x.{SOURCES} WHERE NOT s STARTS WITH $prefix)\n"
    f"SET x.{SOURCES} = {_KEPT}\n"
    "RETURN count(x) AS updated"
)
_DOOMED = f"MATCH (x) WHERE size(x.{SOURCES}) > 0 AND all(s IN x.{SOURCES} WHERE s STARTS WITH $prefix)\n"
REMOVE_SOURCE_COUNT_EDGES: Final = _DOOMED + "MATCH (x)-[r]-()\nRETURN count(DISTINCT r) AS edges"
REMOVE_SOURCE_DELETE_NODES: Final = _DOOMED + "DETACH DELETE x\nRETURN count(*) AS removed"

# Deletes in batches of its own transactions: must run as an auto-commit query (`session.run`).
CLEAR: Final = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"

# -- reads -------------------------------------------------------------------------------------


def _lookup(labels: Sequence[NodeLabel]) -> str:
    """`n` bound to each node whose id is in `$ids[i]` for the i-th label: index seeks only."""
    parts = [
        f"  UNWIND $ids[{i}] AS id MATCH (n:{_q(label.value)} {{id: id}}) RETURN n"
        for i, label in enumerate(labels)
    ]
    return "CALL () {\n" + "\n  UNION\n".join(parts) + "\n}\n"


def _types(edge_types: Sequence[EdgeType] | None) -> str:
    if not edge_types:
        return ""
    return ":" + "|".join(_q(t.value) for t in sorted(set(edge_types)))


_EDGE_RETURN = "RETURN type(r) AS type, startNode(r).id AS source, endNode(r).id AS target, r {.*} AS props"
# The reads below answer one row holding a list: thousands of records cost the driver a round trip
# per fetch batch and a record object each, a list arrives in one message (a hub's 6,000 neighbour
# ids: ~25 ms collected against ~500 ms as rows).
_EDGE_MAP = "{type: type(r), source: startNode(r).id, target: endNode(r).id, props: r {.*}}"
# A node's properties without the word fields, which are as long as the texts and never leave the
# store (a key projected to null reads as absent).
_NODE_MAP = "n {.*, " + ", ".join(f"{_q(f)}: null" for f in TEXT_FIELDS) + "}"


def get_nodes(labels: Sequence[NodeLabel]) -> str:
    """`nodes`: the property maps of the nodes found."""
    return _lookup(labels) + f"RETURN collect({_NODE_MAP}) AS nodes"


def adjacent(labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None) -> str:
    """`edges`: maps `{type, source, target, props}`, each edge once."""
    return (
        _lookup(labels)
        + f"MATCH (n)-[r{_types(edge_types)}]-()\nWITH DISTINCT r\nRETURN collect({_EDGE_MAP}) AS edges"
    )


def neighbour_ids(labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None) -> str:
    """`ids`: the ids one hop from the nodes; ids only, so a hub's thousands of edges cost little."""
    return _lookup(labels) + f"MATCH (n)-[{_types(edge_types)}]-(m)\nRETURN collect(DISTINCT m.id) AS ids"


def new_neighbours(
    labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None, reach: Sequence[NodeLabel] | None
) -> str:
    """`total`: how many nodes (of the `reach` labels) are one hop from the nodes and not in `$seen`;
    `first`: the `$first` smallest of their ids. A neighbourhood's last level, counted and cut where
    it lies, not shipped whole. Ids are ASCII, so Neo4j orders them as Python does."""
    where = "NOT m.id IN $seen"
    if reach:
        where += " AND (" + " OR ".join(f"m:{_q(label.value)}" for label in sorted(set(reach))) + ")"
    return (
        _lookup(labels)
        + f"MATCH (n)-[{_types(edge_types)}]-(m)\nWHERE {where}\n"
        + "WITH DISTINCT m.id AS id\nORDER BY id\nWITH collect(id) AS ids\n"
        + "RETURN size(ids) AS total, ids[0..$first] AS first"
    )


def edges_among(labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None) -> str:
    """`edges`: the edges that start at one of the nodes and end at an id in `$all`."""
    return (
        _lookup(labels)
        + f"MATCH (n)-[r{_types(edge_types)}]->(m)\nWHERE m.id IN $all\n"
        + f"RETURN collect({_EDGE_MAP}) AS edges"
    )


def members(labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None) -> str:
    """`nodes` and `edges`: `get_nodes` and `edges_among` of the same ids, in one round trip."""
    return (
        _lookup(labels)
        + "WITH collect(n) AS members\n"
        + "CALL (members) {\n"
        + f"  UNWIND members AS n\n  MATCH (n)-[r{_types(edge_types)}]->(m)\n  WHERE m.id IN $all\n"
        + f"  RETURN collect({_EDGE_MAP}) AS edges\n}}\n"
        + f"RETURN [n IN members | {_NODE_MAP}] AS nodes, edges"
    )


def degrees(labels: Sequence[NodeLabel]) -> str:
    """`degrees`: maps `{id, degree}`."""
    return _lookup(labels) + "RETURN collect({id: n.id, degree: COUNT { (n)--() }}) AS degrees"


def iter_nodes(label: NodeLabel | None) -> str:
    pattern = f"(n:{_q(label.value)})" if label is not None else "(n)"
    return f"MATCH {pattern} RETURN {_NODE_MAP} AS props ORDER BY n.id"


def iter_edges(edge_type: EdgeType | None) -> str:
    types = _types([edge_type] if edge_type is not None else None)
    return f"MATCH ()-[r{types}]->()\n" + _EDGE_RETURN + " ORDER BY r.id"


def counts() -> str:
    """One row per label, then per edge type, in enum order (`i`), each read from the count store."""
    parts = [f"MATCH (n:{_q(lab.value)}) RETURN {i} AS i, count(n) AS c" for i, lab in enumerate(NodeLabel)]
    offset = len(parts)
    parts += [
        f"MATCH ()-[r:{_q(t.value)}]->() RETURN {offset + i} AS i, count(r) AS c"
        for i, t in enumerate(EdgeType)
    ]
    return "\nUNION ALL\n".join(parts)


# Full ordering as MemoryStore sorts: values of one type rank together (booleans, numbers,
# strings, then anything else), missing values last ascending and first descending, ties by id.
_RANK = (
    "CASE WHEN v IS :: BOOLEAN THEN 0 WHEN v IS :: INTEGER OR v IS :: FLOAT THEN 1 "
    "WHEN v IS :: STRING THEN 2 ELSE 3 END"
)
_FILTERS = (
    "all(f IN $filters WHERE CASE WHEN f.value IS NULL THEN n[f.key] IS NULL "
    "WHEN n[f.key] IS :: LIST<ANY> THEN f.value IN n[f.key] ELSE n[f.key] = f.value END)"
)
_RANGES = (
    "all(g IN $ranges WHERE n[g.key] IS NOT NULL AND (g.low IS NULL OR n[g.key] >= g.low) "
    "AND (g.high IS NULL OR n[g.key] <= g.high))"
)


def find_nodes(
    label: NodeLabel | None,
    *,
    linked: Sequence[NodeLabel],
    text: bool,
    filters: bool,
    ranges: bool,
) -> str:
    """The nodes `find_nodes` matches, bound to `n`; the caller adds the RETURN (`count_nodes` or
    `page_nodes`). Parameters: `$text` (Lucene), `$linked` (ids, one per entry of `linked`),
    `$filters` ([{key, value}]), `$ranges` ([{key, low, high}]), `$index`."""
    where: list[str] = []
    links = [
        f"EXISTS {{ MATCH (n)--(:{_q(lab.value)} {{id: $linked[{i}]}}) }}" for i, lab in enumerate(linked)
    ]
    labelled = f"n:{_q(label.value)}" if label is not None else "n"
    if text:
        head = "CALL db.index.fulltext.queryNodes($index, $text) YIELD node AS n\n"
        if label is not None:
            where.append(f"n:{_q(label.value)}")
        where += links
    elif linked:
        # Start from the first linked node's neighbours: far fewer than a label scan.
        head = f"MATCH (:{_q(linked[0].value)} {{id: $linked[0]}})--({labelled})\nWITH DISTINCT n\n"
        where += links[1:]
    else:
        head = f"MATCH ({labelled})\n"
    if filters:
        where.append(_FILTERS)
    if ranges:
        where.append(_RANGES)
    return head + (f"WHERE {' AND '.join(where)}\n" if where else "")


def count_nodes(match: str) -> str:
    return match + "RETURN count(n) AS total"


def page_nodes(match: str, order_by: bool, descending: bool) -> str:
    if not order_by:
        order = "n.id"
    elif descending:
        order = f"v IS NULL DESC, {_RANK} DESC, v DESC, n.id"
    else:
        order = f"v IS NULL, {_RANK}, v, n.id"
    return (
        match
        + "WITH n, n[$order_key] AS v\n"
        + f"ORDER BY {order}\nSKIP $skip LIMIT $limit\nRETURN collect({_NODE_MAP}) AS nodes"
    )
