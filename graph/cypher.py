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
        "ON CREATE SET r.id = row.id\n" + _merge("r", prop_keys, default_keys) + "RETURN count(*) AS rows"
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


def _lookup(labels: Sequence[NodeLabel], param: str = "ids") -> str:
    """`n` bound to each node whose id is in `$<param>[i]` for the i-th label: index seeks only."""
    parts = [
        f"  UNWIND ${param}[{i}] AS id MATCH (n:{_q(label.value)} {{id: id}}) RETURN n"
        for i, label in enumerate(labels)
    ]
    return "CALL () {\n" + "\n  UNION\n".join(parts) + "\n}\n"


def _types(edge_types: Sequence[EdgeType] | None) -> str:
    if not edge_types:
        return ""
    return ":" + "|".join(_q(t.value) for t in sorted(set(edge_types)))


def _reaches(var: str, reach: Sequence[NodeLabel] | None) -> str:
    """A condition that `var` has one of the `reach` labels, or "" for any label."""
    if not reach:
        return ""
    return " AND (" + " OR ".join(f"{var}:{_q(label.value)}" for label in sorted(set(reach))) + ")"


_EDGE_RETURN = "RETURN type(r) AS type, startNode(r).id AS source, endNode(r).id AS target, r {.*} AS props"
# The reads below answer one row holding a list: thousands of records cost the driver a round trip
# per fetch batch and a record object each, a list arrives in one message (a hub's 6,000 neighbour
# ids: ~25 ms collected against ~500 ms as rows). An edge is a list `[type, source, target, props]`
# rather than a map (no key strings to send and unpack per edge), its `id` projected away: the edge
# id is derived from the other three.
_EDGE_ROW = "[type(r), {source}.id, {target}.id, r {{.*, id: null}}]"
_ANY_EDGE_ROW = _EDGE_ROW.format(source="startNode(r)", target="endNode(r)")
_OUT_EDGE_ROW = _EDGE_ROW.format(source="n", target="m")
# A node's properties without the word fields, which are as long as the texts and never leave the
# store (a key projected to null reads as absent).
_NODE_MAP = "n {.*, " + ", ".join(f"{_q(f)}: null" for f in TEXT_FIELDS) + "}"


def get_nodes(labels: Sequence[NodeLabel]) -> str:
    """`nodes`: the property maps of the nodes found."""
    return _lookup(labels) + f"RETURN collect({_NODE_MAP}) AS nodes"


def adjacent(labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None) -> str:
    """`edges`: rows `[type, source, target, props]`, each edge once."""
    return (
        _lookup(labels)
        + f"MATCH (n)-[r{_types(edge_types)}]-()\nWITH DISTINCT r\nRETURN collect({_ANY_EDGE_ROW}) AS edges"
    )


def neighbour_ids(labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None) -> str:
    """`ids`: the ids one hop from the nodes; ids only, so a hub's thousands of edges cost little."""
    return _lookup(labels) + f"MATCH (n)-[{_types(edge_types)}]-(m)\nRETURN collect(DISTINCT m.id) AS ids"


def count_targets(labels: Sequence[NodeLabel], edge_type: EdgeType) -> str:
    """`counts`: `[id, n]` for each node an edge of the type leads to from the nodes, `n` of them."""
    return (
        _lookup(labels)
        + f"MATCH (n)-[{_types([edge_type])}]->(m)\n"
        + "WITH m, count(n) AS c\nRETURN collect([m.id, c]) AS counts"
    )


def edges_among(labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None) -> str:
    """`edges`: rows `[type, source, target, props]` of the edges that start at one of the nodes
    and end at an id in `$all`."""
    return (
        _lookup(labels)
        + f"MATCH (n)-[r{_types(edge_types)}]->(m)\nWHERE m.id IN $all\n"
        + f"RETURN collect({_OUT_EDGE_ROW}) AS edges"
    )


def _members_result(edge_types: Sequence[EdgeType] | None) -> str:
    """From a list `members` of nodes: `nodes`, their property maps, and `edges`, rows of the edges
    (of those types) among them. Membership is by node, not by id: no id read per edge looked at."""
    return (
        "CALL (members) {\n"
        + f"  UNWIND members AS n\n  MATCH (n)-[r{_types(edge_types)}]->(m)\n  WHERE m IN members\n"
        + f"  RETURN collect({_OUT_EDGE_ROW}) AS edges\n}}\n"
        + f"RETURN [n IN members | {_NODE_MAP}] AS nodes, edges"
    )


def members(labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None) -> str:
    """`nodes` and `edges`: `get_nodes` and `edges_among` of the same ids, in one round trip."""
    return _lookup(labels) + "WITH collect(n) AS members\n" + _members_result(edge_types)


def walk_start(labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None) -> str:
    """A neighbourhood's centre and first level in one round trip: no row if the centre is not
    stored, else `centre`, its property map, and `ids`, the ids one hop from it."""
    return (
        _lookup(labels)
        + f"RETURN {_NODE_MAP} AS centre,\n"
        + f"  COLLECT {{ MATCH (n)-[{_types(edge_types)}]-(m) RETURN DISTINCT m.id }} AS ids"
    )


def _smallest(label: NodeLabel, found: str) -> str:
    """Binds `x` to the `$first` nodes of list `found` (nodes of `label`) with the smallest ids, in
    id order. Reading an id costs a property read per node, and past a hub `found` holds thousands:
    where the list is dense in its label (a country's claims are half of all claims), walking the
    label's id index in order and stopping at the `$first` found reads far fewer entries; otherwise
    the few ids are read and sorted. Either way the same nodes.

    The walk meets about `$first * everywhere / size(found)` index entries, the sort reads
    `size(found)` ids: the walk is taken where the first is the smaller. `x.id >= ''` holds for every
    id; it is there so the index answers in id order and the LIMIT stops the walk."""
    lab = _q(label.value)
    everywhere = f"  CALL () {{ MATCH (x:{lab}) RETURN count(x) AS everywhere }}\n"  # the count store
    return (
        f"OPTIONAL CALL ({found}) {{\n"
        + everywhere
        + f"  WITH {found}, everywhere WHERE size({found}) * size({found}) > $first * everywhere\n"
        + f"  CALL ({found}) {{\n"
        + f"    MATCH (x:{lab}) WHERE x.id >= '' AND x IN {found}\n"
        + "    WITH x ORDER BY x.id LIMIT $first\n    RETURN x\n  }\n"
        + "  RETURN x\n"
        + "  UNION ALL\n"
        + everywhere
        + f"  WITH {found}, everywhere WHERE size({found}) * size({found}) <= $first * everywhere\n"
        + f"  UNWIND {found} AS x\n"
        + "  WITH x ORDER BY x.id LIMIT $first\n  RETURN x\n"
        + "}\n"
    )


def walk_finish(
    labels: Sequence[NodeLabel], edge_types: Sequence[EdgeType] | None, reach: Sequence[NodeLabel] | None
) -> str:
    """A neighbourhood's last level and result in one round trip, the level counted and cut where it
    lies instead of shipped whole. `$ids`: the last frontier, `$seen`: every node reached so far,
    `$kept`: the nodes kept so far (each as ids, one list per label); `$first`: room left. `total`:
    how many nodes (of the `reach` labels) one hop from the frontier are not seen; `nodes`, `edges`:
    as `members` answers for the kept nodes and the `$first` new ones with the smallest ids.

    Ids are ASCII and start with their label's prefix and a colon, so Neo4j orders them as Python
    does, and all the ids of one label sort together: the smallest ids are the smallest of each
    label, taken in prefix order. Seen nodes are told apart by node, not by id: no id is read for
    the thousands of edges past a hub."""
    by_prefix = sorted(labels, key=lambda label: f"{NODE_SPECS[label].id_prefix}:")
    found = {label: f"found_{label.value.lower()}" for label in by_prefix}
    smallest = {label: f"smallest_{label.value.lower()}" for label in by_prefix}
    carried = ["total", *found.values()]
    parts = []
    for label in by_prefix:
        keep = f"WITH {', '.join(carried)}, collect(x) AS {smallest[label]}\n"
        parts.append(_smallest(label, found[label]) + keep)
        carried.append(smallest[label])
    per_label = ", ".join(
        f"collect(CASE WHEN m:{_q(label.value)} THEN m END) AS {found[label]}" for label in by_prefix
    )
    return (
        "CALL () {\n"
        + _lookup(labels, "seen")
        + "RETURN collect(n) AS seen\n}\n"
        + _lookup(labels)
        + f"MATCH (n)-[{_types(edge_types)}]-(m)\nWHERE NOT m IN seen{_reaches('m', reach)}\n"
        + f"WITH DISTINCT m\nWITH count(m) AS total, {per_label}\n"
        + "".join(parts)
        + "CALL () {\n"
        + _lookup(labels, "kept")
        + "RETURN collect(n) AS kept\n}\n"
        + f"WITH total, kept + ({' + '.join(smallest.values())})[..$first] AS members\n"
        + _members_result(edge_types)
        + ", total"
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
