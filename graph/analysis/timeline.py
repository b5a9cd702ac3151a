"""The recurrence timeline of a narrative or a recurring claim, as data for the API and the views.

When it was first and last seen, how many claims each month, when it came back after a quiet spell,
and which countries, languages and outlets carried it in each period.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from graph.analysis.corpus import ClaimCorpus, ClaimRecord
from graph.analysis.recurrence import GROUP_PREFIX, build_group, earliest, group_id, groups_of
from graph.exc import InvalidInputError, NotFoundError
from graph.ontology import EdgeType, NodeLabel, label_of
from graph.settings import Settings
from graph.store import GraphStore

TOP = 5


@dataclass(slots=True, frozen=True)
class Sighting:
    """A claim at a date: a first or last sighting, or a comeback."""

    date: str
    claim_id: str
    title: str
    gap_days: int | None = None  # for a comeback: the quiet days before it


@dataclass(slots=True)
class PeriodShift:
    """Who carried the story in one period: the top countries, languages and outlets by claims."""

    period: str
    claims: int
    countries: list[tuple[str, int]] = field(default_factory=list)
    languages: list[tuple[str, int]] = field(default_factory=list)
    outlets: list[tuple[str, int]] = field(default_factory=list)


@dataclass(slots=True)
class Timeline:
    """How a narrative or recurring claim spread over time."""

    id: str
    kind: str  # "narrative" or "recurring"
    name: str
    claims: int
    undated: int
    first_seen: Sighting | None
    last_seen: Sighting | None
    per_month: list[tuple[str, int]]  # every month from first to last, zeros included
    comebacks: list[Sighting]
    shifts: list[PeriodShift]
    gap_days: int


def _month(iso: str) -> str:
    return iso[:7]


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def _parse(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def _top(values: list[str]) -> list[tuple[str, int]]:
    return sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]


def build_timeline(
    node_id: str, kind: str, name: str, claims: list[ClaimRecord], gap_days: int, period: str = "year"
) -> Timeline:
    """The timeline of a set of claims."""
    if gap_days < 1:
        raise InvalidInputError(f"gap_days must be at least 1, got {gap_days}")
    if period not in ("year", "month"):
        raise InvalidInputError(f"period must be year or month, got {period!r}")
    dated = sorted(
        ((d, c) for c in claims if c.date and (d := _parse(c.date))), key=lambda dc: (dc[0], dc[1].id)
    )
    undated = len(claims) - len(dated)
    if not dated:
        return Timeline(node_id, kind, name, len(claims), undated, None, None, [], [], [], gap_days)
    first, last = dated[0], dated[-1]
    counts = Counter(_month(d.isoformat()) for d, _ in dated)
    months = _months_between(_month(first[0].isoformat()), _month(last[0].isoformat()))
    comebacks = []
    for (before, _), (day, claim) in zip(dated, dated[1:], strict=False):
        gap = (day - before).days
        if gap > gap_days:
            comebacks.append(Sighting(day.isoformat(), claim.id, claim.title, gap))
    width = 4 if period == "year" else 7
    by_period: dict[str, list[ClaimRecord]] = {}
    for day, claim in dated:
        by_period.setdefault(day.isoformat()[:width], []).append(claim)
    shifts = [
        PeriodShift(
            p,
            len(cs),
            _top([x for c in cs for x in c.countries]),
            _top([x for c in cs for x in c.languages]),
            _top([x for c in cs for x in c.outlets]),
        )
        for p, cs in sorted(by_period.items())
    ]
    return Timeline(
        node_id,
        kind,
        name,
        len(claims),
        undated,
        Sighting(first[0].isoformat(), first[1].id, first[1].title),
        Sighting(last[0].isoformat(), last[1].id, last[1].title),
        [(m, counts.get(m, 0)) for m in months],
        comebacks,
        shifts,
        gap_days,
    )


def _setting(settings: Settings | None, name: str) -> float:
    value = getattr(settings, name) if settings is not None else Settings.model_fields[name].default
    return float(value)


def _narrative_claims(store: GraphStore, narrative_id: str) -> set[str]:
    """Claims of the narrative and of its direct sub-narratives."""
    narratives = {narrative_id}
    for edge in store.adjacent([narrative_id], [EdgeType.SUBNARRATIVE_OF]):
        if edge.target == narrative_id:
            narratives.add(edge.source)
    return {
        e.source for e in store.adjacent(sorted(narratives), [EdgeType.PART_OF]) if e.target in narratives
    }


def _group_timeline(
    store: GraphStore, texts: ClaimCorpus, members: list[int], gap: int, period: str
) -> Timeline:
    """The timeline of a recurring claim found in `texts`, its claims read with their context."""
    corpus = ClaimCorpus.of_claims(store, [texts.claims[i].id for i in members])
    group = build_group(corpus, list(range(len(corpus))))
    return build_timeline(group.id, "recurring", group.title, corpus.claims, gap, period)


def timeline(
    store: GraphStore,
    node_id: str,
    gap_days: int | None = None,
    *,
    settings: Settings | None = None,
    period: str = "year",
) -> Timeline:
    """The timeline of a Narrative, a recurring-claim group, or the recurring claim a Claim belongs to.

    Raises `NotFoundError` for an id that names nothing, `InvalidInputError` for another label.
    """
    threshold = _setting(settings, "recurrence_threshold")
    gap = int(_setting(settings, "comeback_gap_days")) if gap_days is None else gap_days
    if node_id.startswith(GROUP_PREFIX):
        # Groups are found over every claim's text; only the group's claims are read in full.
        texts = ClaimCorpus.from_store(store, context=False)
        for members in groups_of(texts, threshold):
            if group_id(earliest(texts, members).id) == node_id:
                return _group_timeline(store, texts, members, gap, period)
        raise NotFoundError(f"no recurring claim with id {node_id!r}")
    label = label_of(node_id)
    node = store.get_node(node_id)
    if label is NodeLabel.NARRATIVE:
        claims = ClaimCorpus.of_claims(store, _narrative_claims(store, node_id)).claims
        return build_timeline(node_id, "narrative", str(node.get("name", node_id)), claims, gap, period)
    if label is NodeLabel.CLAIM:
        texts = ClaimCorpus.from_store(store, context=False)
        if node_id not in texts.index:
            raise NotFoundError(f"claim {node_id!r} has no text to compare")
        position = texts.index[node_id]
        for members in groups_of(texts, threshold):
            if position in members:
                return _group_timeline(store, texts, members, gap, period)
        alone = ClaimCorpus.of_claims(store, [node_id]).claims
        return build_timeline(node_id, "claim", texts.claims[position].title, alone, gap, period)
    raise InvalidInputError(f"a timeline is drawn for a narrative or a claim, not a {label.value}")
