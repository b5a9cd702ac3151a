"""The kalkun EUvsDisinfo export (`full_dataset.csv`, 2015-2017): cases with claim and disproof text.

`;`-separated, fully quoted, with line breaks inside fields. One case per row: `summary` is the
claim, `disproof` the debunk, `origin` the countries (comma-separated), `keywords` comma-separated,
one `outlet` with its article URL in `source`, dates as dd.mm.yyyy. The Claim is keyed on its
normalised title and date, like every EUvsDisinfo case, so a case the cknabs scrape also holds is one
node with both sources; rows repeating a case (the same claim from another outlet, or an exact
duplicate) add to that node rather than making another.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

from graph.ids import make_id
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NarrativeKind, NodeLabel
from loaders.actors import find_actors, keyword_actor
from loaders.base import Loader, Record, Rejection, guarded
from loaders.casetext import PUBLISHER
from loaders.narratives import narrative_node, narratives_in_disproof
from loaders.resolve import claim_id
from loaders.tabular import (
    Row,
    actor_links,
    country_links,
    file_source,
    header_of,
    keyword_links,
    languages,
    outlet_links,
    parse_date,
    read_rows,
    skipped_note,
    split_list,
    tidy_title,
)

COLUMNS: Final = (
    "issue",
    "date",
    "outlet",
    "language",
    "origin",
    "reported by",
    "keywords",
    "source",
    "title",
    "summary",
    "disproof",
)
REQUIRED: Final = ("date", "title", "disproof")
DELIMITER: Final = ";"
DATE_FORMATS: Final = ("%d.%m.%Y",)


def kalkun_record(row: Row, source: Source) -> Record | Rejection:
    """What one row contributes; a `Rejection` when a required field is missing or the date is bad."""
    for column in REQUIRED:
        if not row.get(column):
            return Rejection(source.file, row.line, f"missing required field {column!r}")
    try:
        iso = parse_date(row.get("date"), DATE_FORMATS)
    except ValueError as exc:
        return Rejection(source.file, row.line, f"field 'date': {exc}")
    title = tidy_title(row.get("title"))
    summary = row.get("summary")
    cid = claim_id(title, iso)
    keywords = split_list(row.get("keywords"), ",")
    props = {
        "title": title,
        "text": summary or None,
        "date": iso,
        "languages": languages([row.get("language")]) or None,
        "keywords": keywords or None,
    }
    claim = Node(cid, NodeLabel.CLAIM, {k: v for k, v in props.items() if v}, [source])
    record = Record(source.locator, [claim])
    if not summary:
        record.notes.append(f"{source.file}:{row.line}: no summary; the claim is loaded with its title only")

    disproof = row.get("disproof")
    debunk = Node(
        make_id(NodeLabel.DEBUNK, cid),
        NodeLabel.DEBUNK,
        {"text": disproof, "publisher": PUBLISHER, "rating_value": "false"},
        [source],
    )
    record.nodes.append(debunk)
    record.edges.append(Edge(EdgeType.DEBUNKS, debunk.id, cid, sources=[source]))

    nodes, edges, unresolved = country_links(cid, split_list(row.get("origin"), ","), source)
    record.nodes += nodes
    record.edges += edges
    for name in unresolved:
        # `origin` sometimes names a person or group ("Daesh", "Erdogan") rather than a country.
        actor = keyword_actor(name)
        if actor is None:
            record.notes.append(f"{source.file}:{row.line}: origin {name!r} is not a country; left out")
            continue
        nodes, edges = actor_links(cid, [actor], EdgeType.MENTIONS, source, name)
        record.nodes += nodes
        record.edges += edges

    if row.get("outlet"):
        url = row.get("source") or None
        name = row.get("outlet")
        nodes, edges, skipped = outlet_links(cid, [name], source, {name: url} if url else None)
        record.nodes += nodes
        record.edges += edges
        record.notes += skipped_note(source, row.line, "outlet", skipped)

    nodes, edges = keyword_links(cid, keywords, source)
    record.nodes += nodes
    record.edges += edges
    mentioned = [a for a in find_actors(f"{title}\n{summary}") if all(n.id != a.id for n in record.nodes)]
    nodes, edges = actor_links(cid, mentioned, EdgeType.MENTIONS, source)
    record.nodes += nodes
    record.edges += edges
    for name in narratives_in_disproof(disproof):
        node = narrative_node(name, NarrativeKind.EDITORIAL, file_source(source))
        if all(n.id != node.id for n in record.nodes):
            record.nodes.append(node)
            record.edges.append(Edge(EdgeType.PART_OF, cid, node.id, sources=[source]))
    return record


class KalkunLoader(Loader):
    """kalkun `full_dataset.csv`: EUvsDisinfo cases 2015-2017 with summary and disproof text."""

    format = "kalkun"
    dataset = "euvsdisinfo-kalkun"
    description = "EUvsDisinfo cases with claim and disproof text (kalkun full_dataset.csv, ';'-separated)"

    @classmethod
    def sniff(cls, path: Path, head: str) -> float:
        header = header_of(head, DELIMITER)
        if header == list(COLUMNS):
            return 0.95
        return 0.7 if {"summary", "disproof", "title", "date"} <= set(header) else 0.0

    def read(self, path: Path) -> Iterator[Record | Rejection]:
        for item in read_rows(path, required=REQUIRED, delimiter=DELIMITER):
            if isinstance(item, Rejection):
                yield item
                continue
            source = Source(self.dataset, path.name, f"line {item.line}")
            yield guarded(path.name, item.line, kalkun_record, item, source)
