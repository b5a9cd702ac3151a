"""What EUvsDisinfo case texts share: paragraphs with line numbers, telling a disproof from a claim,
"See other examples … such as claims that A, that B, or that C", and turning a parsed case into nodes.

Used by the page loader (format 1) and the bare-case loader (format 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from graph.ids import make_id
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NarrativeKind, NodeLabel
from loaders.actors import find_actors, outlet
from loaders.base import Record, Reference
from loaders.countries import CountryRef, find_countries, resolve_country, with_parents
from loaders.narratives import narrative_node, narratives_in_disproof, split_keywords
from loaders.resolve import claim_id, sentences

PUBLISHER: Final = "EUvsDisinfo"

# How EUvsDisinfo disproofs begin or what they say; a paragraph that does is no longer the claim.
_DISPROOF_START = re.compile(
    r"^(?:this|the)\s+(?:case|claim|message|narrative|article|story|report|allegation)\b"
    r"|^(?:there is|there's)\s+no\s+(?:evidence|proof)\b|^no evidence\b"
    r"|^recurring\s+(?:pro-kremlin\s+)?(?:disinformation\s+)?narratives?\b"
    r"|^(?:this is|it is) (?:a|an)?\s*(?:recurring|unfounded|baseless|false|conspiracy)\b"
    r"|^(?:contrary to|in reality|in fact,)",
    re.IGNORECASE,
)
_DISPROOF_ANYWHERE = re.compile(
    r"pro-kremlin disinformation narrative|recurring (?:pro-kremlin )?disinformation narrative"
    r"|see other examples of similar disinformation|this (?:claim|case) has been debunked",
    re.IGNORECASE,
)
_SEE_OTHER = re.compile(r"see (?:other|more|also other) examples?\b.*?\bsuch as\b(?P<list>.+)", re.IGNORECASE)
_CLAUSE_SPLIT = re.compile(r",\s*(?:or\s+|and\s+)?that\s+|\s+(?:or|and)\s+that\s+", re.IGNORECASE)
_LIST_START = re.compile(r"^\s*(?:the\s+)?claims?\s+(?:that\s+)?", re.IGNORECASE)


_NOT_THE_STATE = re.compile(r"\b(?:post|ex|former|non)-Soviet\b", re.IGNORECASE)


def countries_in(text: str) -> list[CountryRef]:
    """Countries a text names; "post-Soviet space" and "ex-Soviet Georgia" do not name the USSR."""
    return find_countries(_NOT_THE_STATE.sub("region", text))


@dataclass(slots=True)
class Paragraph:
    """A paragraph and the 1-based line it starts on."""

    line: int
    text: str
    gap_before: int = 0  # blank lines before it


def paragraphs(lines: list[str], first_line: int = 1, *, by_line: bool = False) -> list[Paragraph]:
    """Paragraphs separated by blank lines (or one per line when `by_line`), with their line numbers."""
    out: list[Paragraph] = []
    current: list[str] = []
    start = first_line
    gap = 0
    for offset, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            if current:
                out.append(Paragraph(start, " ".join(current), gap))
                current, gap = [], 0
            gap += 1
            continue
        if by_line and current:
            out.append(Paragraph(start, " ".join(current), gap))
            current, gap = [], 0
        if not current:
            start = first_line + offset
        current.append(line)
    if current:
        out.append(Paragraph(start, " ".join(current), gap))
    return out


def is_disproof(text: str) -> bool:
    """Whether a paragraph reads as the disproof rather than the claim."""
    return bool(_DISPROOF_START.search(text.strip()) or _DISPROOF_ANYWHERE.search(text))


def references_in(text: str) -> list[tuple[str, list[str]]]:
    """Each "See other examples … such as claims that A, that B, or that C" sentence and its clauses."""
    found = []
    for sentence in sentences(text):
        match = _SEE_OTHER.search(sentence)
        if not match:
            continue
        listed = _LIST_START.sub("", match.group("list").strip())
        clauses = [c.strip(' .;,\u201d"') for c in _CLAUSE_SPLIT.split(listed)]
        clauses = [c for c in clauses if len(c.split()) >= 3]
        if clauses:
            found.append((sentence, clauses))
    return found


@dataclass(slots=True)
class Case:
    """A case as parsed from text, before it becomes nodes."""

    title: str
    claim: str
    disproof: str = ""
    date: str | None = None
    languages: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # as the metadata names them
    keywords: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    excerpt: bool = False
    url: str | None = None


def case_record(case: Case, source: Source) -> Record:
    """The nodes and edges a case contributes: claim, debunk, countries, narratives, actors, references."""
    record = Record(source.locator)
    cid = claim_id(case.title, case.date, case.claim)
    props: dict[str, object] = {
        "title": case.title,
        "text": case.claim,
        "date": case.date,
        "languages": case.languages,
        "keywords": case.keywords,
        "excerpt": case.excerpt,
        "url": case.url,
    }
    record.nodes.append(Node(cid, NodeLabel.CLAIM, props, [source]))

    if case.disproof:
        debunk = Node(
            make_id(NodeLabel.DEBUNK, cid),
            NodeLabel.DEBUNK,
            {"text": case.disproof, "publisher": PUBLISHER, "rating_value": "false"},
            [source],
        )
        record.nodes.append(debunk)
        record.edges.append(Edge(EdgeType.DEBUNKS, debunk.id, cid, sources=[source]))

    split = split_keywords(case.keywords)
    countries: list[CountryRef] = list(split.countries)
    for name in case.countries:
        ref = resolve_country(name)
        if ref is None:
            record.notes.append(f"{source.file}:{_line(source)}: country not recognised: {name!r}")
        else:
            countries.append(ref)
    if not case.countries:  # no metadata: the countries the claim itself names
        countries.extend(countries_in(f"{case.title}\n{case.claim}"))
    for country in with_parents(countries):
        record.nodes.append(country.node(source))
        record.edges.append(Edge(EdgeType.CONCERNS, cid, country.id, sources=[source]))

    narratives = [(n, NarrativeKind.KEYWORD) for n in split.narratives]
    narratives += [(n, NarrativeKind.EDITORIAL) for n in narratives_in_disproof(case.disproof)]
    for name, kind in narratives:
        node = narrative_node(name, kind, source)
        if all(n.id != node.id for n in record.nodes):
            record.nodes.append(node)
            record.edges.append(Edge(EdgeType.PART_OF, cid, node.id, sources=[source]))

    actors = {a.id: a for a in (*split.actors, *find_actors(f"{case.title}\n{case.claim}"))}
    for actor in actors.values():
        record.nodes.append(actor.node(source))
        record.edges.append(Edge(EdgeType.MENTIONS, cid, actor.id, sources=[source]))
    for name in case.outlets:
        medium = outlet(name)
        record.nodes.append(medium.node(source))
        record.edges.append(Edge(EdgeType.PUBLISHED_BY, cid, medium.id, sources=[source]))

    for sentence, clauses in references_in(case.disproof):
        for clause in clauses:
            record.references.append(Reference(clause, cid, sentence, source))
    return record


def _line(source: Source) -> str:
    return source.locator.removeprefix("line ")
