"""The views, read from any `GraphStore`: neighbourhood, narrative map, path, country, timeline.

Each builder returns what to draw (a `GraphView` or `TimelineData`); `render` turns a request into
HTML, SVG or PNG. The API and `narratives render` both go through `render`, so a view is the same
wherever it is made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph.exc import InvalidInputError, LimitExceededError, NotFoundError
from graph.explain import describe, sentence
from graph.model import Edge, Node
from graph.ontology import EdgeType, NodeLabel, label_of
from graph.store import GraphStore, Subgraph
from visualisations.html import chart_html, network_html
from visualisations.kinds import ViewFormat, ViewKind
from visualisations.network import GraphView
from visualisations.style import node_caption
from visualisations.svg import TimelineData, network_svg, timeline_svg

E = EdgeType
L = NodeLabel


@dataclass(slots=True)
class ViewRequest:
    """What to draw: the kind and its parameters (which ones apply depends on the kind)."""

    kind: ViewKind
    id: str | None = None
    source: str | None = None
    target: str | None = None
    depth: int = 1
    limit: int = 300
    k: int = 3
    max_length: int = 4
    gap_days: int = 90
    hub_degree: int | None = 200


def _need(value: str | None, name: str, kind: ViewKind) -> str:
    if not value:
        raise InvalidInputError(f"the {kind.value} view needs --{name} / ?{name}=")
    return value


def _need_label(node_id: str, labels: Sequence[NodeLabel], name: str) -> None:
    if label_of(node_id) not in labels:
        wanted = " or ".join(label.value.lower() for label in labels)
        raise InvalidInputError(f"{name} {node_id!r} is not a {wanted} id")


def country_names(store: GraphStore, nodes: Iterable[Node]) -> dict[str, list[str]]:
    """For each claim among `nodes`, the names of the countries it concerns (one batched read)."""
    claims = [n.id for n in nodes if n.label is L.CLAIM]
    if not claims:
        return {}
    edges = store.adjacent(claims, [E.CONCERNS])
    names = {n.id: str(n.get("name", n.id)) for n in store.get_nodes(sorted({e.target for e in edges}))}
    out: dict[str, list[str]] = {}
    for edge in edges:
        out.setdefault(edge.source, []).append(names.get(edge.target, edge.target))
    return {claim: sorted(set(found)) for claim, found in out.items()}


def _among(edges: Iterable[Edge], ids: set[str]) -> list[Edge]:
    return [e for e in edges if e.source in ids and e.target in ids]


def neighbourhood_view(store: GraphStore, node_id: str, *, depth: int = 1, limit: int = 300) -> GraphView:
    """A node and everything within `depth` hops, nearest first up to `limit` nodes."""
    sub = store.neighbourhood(node_id, depth=depth, limit=limit)
    centre = next(n for n in sub.nodes if n.id == node_id)
    hops = "hop" if depth == 1 else "hops"
    return GraphView(
        kind=ViewKind.NEIGHBOURHOOD.value,
        title=f"Around {describe(centre)}",
        subtitle=f"Everything within {depth} {hops}: {len(sub.nodes):,} nodes, {len(sub.edges):,} edges",
        subgraph=sub,
        focus=frozenset({node_id}),
        countries=country_names(store, sub.nodes),
    )


def narrative_view(store: GraphStore, narrative_id: str | None = None, *, limit: int = 300) -> GraphView:
    """Narratives (one, with its strands, or all), their claims, the countries and outlets of those."""
    if narrative_id is not None:
        _need_label(narrative_id, [L.NARRATIVE], "narrative")
        centre = store.get_node(narrative_id)
        strands = store.adjacent([narrative_id], [E.SUBNARRATIVE_OF])
        narrative_ids = sorted({narrative_id, *(e.source for e in strands), *(e.target for e in strands)})
        title = f"Narrative map: {node_caption(centre)}"
    else:
        narrative_ids = [n.id for n in store.iter_nodes(L.NARRATIVE)]
        title = "Narrative map"
    if not narrative_ids:
        raise NotFoundError("no narratives in the graph yet")
    part_of = store.adjacent(narrative_ids, [E.PART_OF])
    per_claim: dict[str, list[Edge]] = {}
    for edge in part_of:
        per_claim.setdefault(edge.source, []).append(edge)
    budget = max(limit - len(narrative_ids), 0)
    # Claims kept fairly across narratives: round-robin, so one big narrative cannot crowd out the rest.
    by_narrative: dict[str, list[str]] = {}
    for edge in sorted(part_of, key=lambda e: (e.target, e.source)):
        by_narrative.setdefault(edge.target, []).append(edge.source)
    kept: list[str] = []
    seen: set[str] = set()
    queues = [list(reversed(v)) for _, v in sorted(by_narrative.items())]
    while len(kept) < budget and any(queues):
        for queue in queues:
            while queue and len(kept) < budget:
                claim = queue.pop()
                if claim not in seen:
                    seen.add(claim)
                    kept.append(claim)
                    break
    around = store.adjacent(kept, [E.CONCERNS, E.PUBLISHED_BY]) if kept else []
    context_ids = sorted({e.target for e in around})
    ids = {*narrative_ids, *kept, *context_ids}
    edges = _among([*part_of, *store.adjacent(narrative_ids, [E.SUBNARRATIVE_OF]), *around], ids)
    nodes = store.get_nodes(sorted(ids))
    omitted = len(per_claim) - len(kept)
    sub = Subgraph(nodes, _unique(edges), truncated=omitted > 0, total=len(nodes) + omitted)
    outlets = sum(1 for i in context_ids if label_of(i) is L.ACTOR)
    return GraphView(
        kind=ViewKind.NARRATIVE.value,
        title=title,
        subtitle=f"{len(narrative_ids):,} narratives, {len(kept):,} claims, "
        f"{len(context_ids) - outlets:,} countries, {outlets:,} outlets",
        subgraph=sub,
        focus=frozenset({narrative_id} if narrative_id else set()),
        countries=country_names(store, nodes),
    )


def path_view(
    store: GraphStore,
    source: str,
    target: str,
    *,
    k: int = 3,
    max_length: int = 4,
    hub_degree: int | None = 200,
) -> GraphView:
    """Up to `k` shortest paths between two nodes, each hop explained in words."""
    paths = store.shortest_paths(source, target, max_length=max_length, k=k, hub_degree=hub_degree)
    if not paths:
        raise NotFoundError(f"no path of at most {max_length} hops between {source!r} and {target!r}")
    nodes: dict[str, Node] = {}
    edges: dict[str, Edge] = {}
    notes: list[str] = []
    for number, path in enumerate(paths, 1):
        by_id = {n.id: n for n in path.nodes}
        nodes.update(by_id)
        for i, edge in enumerate(path.edges):
            edges[edge.id] = edge
            step = sentence(edge, by_id, walking_from=path.nodes[i].id)
            notes.append(f"Path {number}, step {i + 1}: {step}" if len(paths) > 1 else step)
    ends = [nodes[source], nodes[target]]
    sub = Subgraph(list(nodes.values()), list(edges.values()), truncated=False, total=len(nodes))
    shortest = paths[0].length
    return GraphView(
        kind=ViewKind.PATH.value,
        title=f"From {describe(ends[0])} to {describe(ends[1])}",
        subtitle=f"{len(paths)} path{'s' if len(paths) > 1 else ''}, the shortest {shortest} "
        f"hop{'s' if shortest != 1 else ''}",
        subgraph=sub,
        focus=frozenset({source, target}),
        focus_edges=frozenset(e.id for e in paths[0].edges),
        notes=notes,
        countries=country_names(store, sub.nodes),
    )


def country_view(store: GraphStore, country_id: str, *, limit: int = 300) -> GraphView:
    """A country, its newest claims, the narratives they feed and the outlets that published them."""
    _need_label(country_id, [L.COUNTRY], "country")
    country = store.get_node(country_id)
    page = store.find_nodes(L.CLAIM, linked=[country_id], order_by="-date", limit=max(limit - 1, 1))
    claims = [n.id for n in page.items]
    around = store.adjacent(claims, [E.PART_OF, E.PUBLISHED_BY, E.CONCERNS]) if claims else []
    # Other countries the same claims concern are left out: they would turn the view into a world map.
    around = [e for e in around if e.type is not E.CONCERNS or e.target == country_id]
    ids = {country_id, *claims, *(e.target for e in around)}
    nodes = store.get_nodes(sorted(ids))
    omitted = page.total - len(claims)
    sub = Subgraph(nodes, _unique(_among(around, ids)), truncated=omitted > 0, total=len(nodes) + omitted)
    narratives = Counter(e.target for e in around if e.type is E.PART_OF)
    return GraphView(
        kind=ViewKind.COUNTRY.value,
        title=f"Claims concerning {node_caption(country)}",
        subtitle=f"{page.total:,} claims in all, {len(narratives):,} narratives among those shown",
        subgraph=sub,
        focus=frozenset({country_id}),
        countries={c: [node_caption(country)] for c in claims},
    )


def _unique(edges: Iterable[Edge]) -> list[Edge]:
    return list({e.id: e for e in edges}.values())


# -- the timeline ------------------------------------------------------------------------------------


_NOUNS = {"recurring": "recurring claim", "claim": "claim", "narrative": "narrative"}


def timeline_data(store: GraphStore, node_id: str, *, gap_days: int = 90) -> TimelineData:
    """Claims per month and comebacks of a narrative or recurring claim, as the chart draws them."""
    # Imported here: the analysis stack (scikit-learn, scipy) loads only for a timeline.
    from graph.analysis.timeline import timeline

    t = timeline(store, node_id, gap_days)
    title = f"Recurrence of {_NOUNS.get(t.kind, t.kind)} “{t.name}”" if t.name else f"Recurrence of {node_id}"
    comebacks = [(c.date, c.gap_days or 0) for c in t.comebacks]
    return TimelineData(
        node_id,
        title,
        list(t.per_month),
        comebacks,
        t.first_seen.date if t.first_seen else None,
        t.last_seen.date if t.last_seen else None,
    )


# -- one entry point ----------------------------------------------------------------------------------


def build(store: GraphStore, request: ViewRequest, *, max_limit: int = 5000) -> GraphView | TimelineData:
    """What a request draws, checked against the limits."""
    if not 1 <= request.limit <= max_limit:
        raise LimitExceededError(f"limit must be between 1 and {max_limit}, got {request.limit}")
    with store.reading():
        return _build(store, request)


def _build(store: GraphStore, request: ViewRequest) -> GraphView | TimelineData:
    kind = request.kind
    if kind is ViewKind.NEIGHBOURHOOD:
        return neighbourhood_view(
            store, _need(request.id, "id", kind), depth=request.depth, limit=request.limit
        )
    if kind is ViewKind.NARRATIVE:
        return narrative_view(store, request.id, limit=request.limit)
    if kind is ViewKind.PATH:
        return path_view(
            store,
            _need(request.source, "source", kind),
            _need(request.target, "target", kind),
            k=request.k,
            max_length=request.max_length,
            hub_degree=request.hub_degree,
        )
    if kind is ViewKind.COUNTRY:
        return country_view(store, _need(request.id, "id", kind), limit=request.limit)
    return timeline_data(store, _need(request.id, "id", kind), gap_days=request.gap_days)


def render(
    store: GraphStore,
    request: ViewRequest,
    fmt: ViewFormat = ViewFormat.HTML,
    *,
    explorer_url: str | None = None,
    max_limit: int = 5000,
) -> bytes:
    """The view as the bytes of an HTML page, an SVG document or a PNG image."""
    drawn = build(store, request, max_limit=max_limit)
    if isinstance(drawn, TimelineData):
        if fmt is ViewFormat.HTML:
            notes = [f"Came back on {day} after {gap} quiet days" for day, gap in drawn.comebacks]
            if not drawn.months:
                notes.insert(0, "No dated claims yet.")
            chart = timeline_svg(drawn, standalone=False)
            subtitle = _timeline_subtitle(drawn)
            return chart_html(drawn.title, subtitle, chart, notes, ViewKind.TIMELINE.value).encode("utf-8")
        svg = timeline_svg(drawn)
    else:
        if fmt is ViewFormat.HTML:
            return network_html(drawn, explorer_url=explorer_url).encode("utf-8")
        svg = network_svg(drawn)
    if fmt is ViewFormat.SVG:
        return svg.encode("utf-8")
    from visualisations.png import svg_to_png

    return svg_to_png(svg)


def _timeline_subtitle(data: TimelineData) -> str:
    total = sum(c for _, c in data.months)
    if not total:
        return "No dated claims"
    back = (
        f", came back {len(data.comebacks)} time{'s' if len(data.comebacks) != 1 else ''}"
        if data.comebacks
        else ""
    )
    return f"{total:,} claims from {data.first_seen} to {data.last_seen}{back}"
