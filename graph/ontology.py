"""The ontology of narrative-graph, declared once.

Every node label and edge type, what each property means, which labels an edge may join and which
properties it requires. Loaders, stores, the API and the views read these declarations; no label or
type string is typed anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from graph.exc import InvalidIdError


class NodeLabel(StrEnum):
    """The kinds of node in the graph."""

    CLAIM = "Claim"
    DEBUNK = "Debunk"
    NARRATIVE = "Narrative"
    COUNTRY = "Country"
    ACTOR = "Actor"


class EdgeType(StrEnum):
    """The kinds of edge in the graph."""

    SIMILAR_TO = "SIMILAR_TO"
    DEBUNKS = "DEBUNKS"
    PART_OF = "PART_OF"
    SUBNARRATIVE_OF = "SUBNARRATIVE_OF"
    CONCERNS = "CONCERNS"
    PUBLISHED_BY = "PUBLISHED_BY"
    ATTRIBUTED_TO = "ATTRIBUTED_TO"
    MENTIONS = "MENTIONS"


class NarrativeKind(StrEnum):
    """Where a narrative comes from."""

    EDITORIAL = "editorial"  # named by a fact-checker in a disproof ("recurring narrative about NATO")
    KEYWORD = "keyword"  # a keyword or tag a database attached to cases
    CLUSTER = "cluster"  # discovered as a community of the similarity graph


class ActorKind(StrEnum):
    """What sort of actor a node is."""

    PERSON = "person"
    ORGANISATION = "organisation"
    STATE_BODY = "state_body"
    OUTLET = "outlet"


class CountryKind(StrEnum):
    """A country node is a state, a region or a state that no longer exists."""

    COUNTRY = "country"
    REGION = "region"
    FORMER = "former"


class SimilarityMethod(StrEnum):
    """How a SIMILAR_TO edge was established."""

    EDITORIAL = "editorial"  # a fact-checker listed the claims as examples of one another
    LEXICAL = "lexical"  # computed from shared words and character n-grams
    SEMANTIC = "semantic"  # computed from sentence embeddings


class Verdict(StrEnum):
    """An analyst's judgement of a SIMILAR_TO edge."""

    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class NodeSpec:
    """What a node label means and which properties it carries (name → meaning)."""

    label: NodeLabel
    description: str
    properties: MappingProxyType[str, str]
    required: frozenset[str] = frozenset()
    text_properties: tuple[str, ...] = ()  # searched by the full-text query

    @property
    def id_prefix(self) -> str:
        return self.label.value.lower()


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    """Which labels an edge type joins, what it carries and whether direction carries meaning."""

    type: EdgeType
    description: str
    source: NodeLabel
    target: NodeLabel
    properties: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    required: frozenset[str] = frozenset()
    symmetric: bool = False  # stored once per pair, endpoints in id order


def _props(**meanings: str) -> MappingProxyType[str, str]:
    return MappingProxyType(meanings)


NODE_SPECS: Final[MappingProxyType[NodeLabel, NodeSpec]] = MappingProxyType(
    {
        spec.label: spec
        for spec in (
            NodeSpec(
                NodeLabel.CLAIM,
                "A claim as made in the world: a case summary, a quoted statement, a fact-checked claim.",
                _props(
                    title="Short title of the claim",
                    text="The claim in full, as published or summarised",
                    date="Date first published, ISO 8601 (YYYY-MM-DD)",
                    languages="Languages the claim appeared in",
                    url="Where the claim or its case can be read",
                    keywords="Keywords a database attached to the case",
                    excerpt="True when only a listing excerpt of the case was loaded",
                    stub="True for a claim known only from another case's reference to it",
                    aliases="Natural-key ids this claim was also loaded under",
                ),
                required=frozenset({"title"}),
                text_properties=("title", "text"),
            ),
            NodeSpec(
                NodeLabel.DEBUNK,
                "A disproof or fact-check of one or more claims.",
                _props(
                    text="The disproof text",
                    url="Where the debunk is published",
                    publisher="Who published the debunk",
                    rating="The rating as the publisher gave it",
                    rating_value="The rating normalised: false, misleading, mixed, true, unrated",
                    date="Date of the review, ISO 8601",
                ),
                required=frozenset({"text"}),
                text_properties=("text",),
            ),
            NodeSpec(
                NodeLabel.NARRATIVE,
                "A recurring story that claims feed.",
                _props(
                    name="The narrative's name",
                    kind="editorial, keyword or cluster",
                    terms="For discovered narratives, the most distinctive terms",
                ),
                required=frozenset({"name", "kind"}),
                text_properties=("name",),
            ),
            NodeSpec(
                NodeLabel.COUNTRY,
                "A country (ISO 3166), a region or a former state a claim concerns.",
                _props(
                    name="Common English name",
                    code="ISO 3166 alpha-2 or alpha-4 code, or a region code of our own",
                    kind="country, region or former",
                    part_of="For a region inside a country (Donbas), the country's id",
                ),
                required=frozenset({"name", "code", "kind"}),
                text_properties=("name",),
            ),
            NodeSpec(
                NodeLabel.ACTOR,
                "A person, organisation, state body or media outlet.",
                _props(
                    name="The actor's name as resolved",
                    kind="person, organisation, state_body or outlet",
                    aliases="Other names the actor appears under",
                    url="Website of an outlet",
                ),
                required=frozenset({"name", "kind"}),
                text_properties=("name",),
            ),
        )
    }
)

_SIMILARITY_PROPS = _props(
    score="Similarity from 0 to 1",
    method="editorial, lexical or semantic",
    evidence="What made the match: shared terms, or the sentence that lists the claims",
    verdict="An analyst's verdict: unreviewed, confirmed or rejected",
)

EDGE_SPECS: Final[MappingProxyType[EdgeType, EdgeSpec]] = MappingProxyType(
    {
        spec.type: spec
        for spec in (
            EdgeSpec(
                EdgeType.SIMILAR_TO,
                "Two claims tell the same story.",
                NodeLabel.CLAIM,
                NodeLabel.CLAIM,
                _SIMILARITY_PROPS,
                required=frozenset({"score", "method"}),
                symmetric=True,
            ),
            EdgeSpec(EdgeType.DEBUNKS, "A debunk disproves a claim.", NodeLabel.DEBUNK, NodeLabel.CLAIM),
            EdgeSpec(EdgeType.PART_OF, "A claim feeds a narrative.", NodeLabel.CLAIM, NodeLabel.NARRATIVE),
            EdgeSpec(
                EdgeType.SUBNARRATIVE_OF,
                "A narrative is a strand of a wider one.",
                NodeLabel.NARRATIVE,
                NodeLabel.NARRATIVE,
                _props(share="Share of the sub-narrative's claims that also feed the wider one"),
            ),
            EdgeSpec(EdgeType.CONCERNS, "A claim discusses a country.", NodeLabel.CLAIM, NodeLabel.COUNTRY),
            EdgeSpec(
                EdgeType.PUBLISHED_BY,
                "A media outlet published the claim.",
                NodeLabel.CLAIM,
                NodeLabel.ACTOR,
                _props(url="The outlet's article"),
            ),
            EdgeSpec(
                EdgeType.ATTRIBUTED_TO,
                "An actor made the claim.",
                NodeLabel.CLAIM,
                NodeLabel.ACTOR,
                _props(quote="The words as quoted"),
            ),
            EdgeSpec(EdgeType.MENTIONS, "A claim names an actor.", NodeLabel.CLAIM, NodeLabel.ACTOR),
        )
    }
)

# Looked up in the plain dict (the fastest lookup, on every read path); shared read-only.
_LABEL_BY_PREFIX: Final[dict[str, NodeLabel]] = {spec.id_prefix: label for label, spec in NODE_SPECS.items()}
ID_PREFIXES: Final[MappingProxyType[str, NodeLabel]] = MappingProxyType(_LABEL_BY_PREFIX)

# Names and members by lookup: an enum's `.value` and `EdgeType(name)` are Python-level calls, and
# the stores' write and read loops make them once per node or edge.
LABEL_NAME: Final[MappingProxyType[NodeLabel, str]] = MappingProxyType({lab: lab.value for lab in NodeLabel})
LABEL_NAMES: Final = frozenset(LABEL_NAME.values())
EDGE_TYPE_NAME: Final[MappingProxyType[EdgeType, str]] = MappingProxyType({t: t.value for t in EdgeType})
EDGE_TYPE_BY_NAME: Final[MappingProxyType[str, EdgeType]] = MappingProxyType({t.value: t for t in EdgeType})


def label_of(node_id: str) -> NodeLabel:
    """The label a node id belongs to, read from its prefix (`claim:…`, `country:UA`)."""
    # On every read path (once per node read from Neo4j, once per id a filtered walk reaches).
    prefix, sep, _ = node_id.partition(":")
    label = _LABEL_BY_PREFIX.get(prefix) if sep else None
    if label is None:
        raise InvalidIdError(f"not a node id: {node_id!r}")
    return label
