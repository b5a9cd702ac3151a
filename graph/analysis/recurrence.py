"""Recurring claims: the same claim published again, in other outlets, countries and languages.

Claims whose lexical similarity reaches `settings.recurrence_threshold` are joined; each connected
group of two or more claims is one recurring claim. The threshold is high (0.8 by default), so a
chain of near-copies stays one claim rather than drifting into a neighbouring story. A group's id
comes from its earliest claim, so loading more appearances of it keeps the id.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graph.analysis.corpus import ClaimCorpus, ClaimRecord
from graph.analysis.embedders import LexicalEmbedder
from graph.analysis.similarity import all_pairs_top_k
from graph.ids import digest
from graph.settings import Settings
from graph.store import GraphStore

GROUP_PREFIX = "recurring:"
# A claim can be republished many times; keep more neighbours than for ordinary links.
NEIGHBOURS = 50


@dataclass(slots=True)
class Appearance:
    """One time a recurring claim appeared."""

    claim_id: str
    title: str
    date: str | None
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()


@dataclass(slots=True)
class RecurringGroup:
    """Claims that are one claim published again, earliest first (undated last)."""

    id: str
    title: str
    appearances: list[Appearance]
    countries: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    outlets: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.appearances)

    @property
    def claim_ids(self) -> list[str]:
        return [a.claim_id for a in self.appearances]

    @property
    def first_seen(self) -> str | None:
        return self.appearances[0].date

    @property
    def last_seen(self) -> str | None:
        dated = [a.date for a in self.appearances if a.date]
        return max(dated) if dated else None


def group_id(earliest_claim_id: str) -> str:
    return f"{GROUP_PREFIX}{digest('recurring', earliest_claim_id)}"


def _chronological(claim: ClaimRecord) -> tuple[int, str, str]:
    return (0 if claim.date else 1, claim.date or "", claim.id)


def earliest(corpus: ClaimCorpus, members: list[int]) -> ClaimRecord:
    """A group's first claim (undated ones last): its id names the group, its title titles it."""
    return min((corpus.claims[i] for i in members), key=_chronological)


def _counts(values: list[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def groups_of(corpus: ClaimCorpus, threshold: float) -> list[list[int]]:
    """Connected groups (two or more claims) of the pairs scoring at least `threshold`."""
    if len(corpus) < 2:
        return []
    vectors = LexicalEmbedder().fit_embed(corpus.documents)
    parent = list(range(len(corpus)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for rows, cols, _ in all_pairs_top_k(vectors, NEIGHBOURS, threshold):
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for i in range(len(corpus)):
        members.setdefault(find(i), []).append(i)
    return [m for m in members.values() if len(m) > 1]


def build_group(corpus: ClaimCorpus, members: list[int]) -> RecurringGroup:
    claims = sorted((corpus.claims[i] for i in members), key=_chronological)
    appearances = [Appearance(c.id, c.title, c.date, c.countries, c.languages, c.outlets) for c in claims]
    return RecurringGroup(
        id=group_id(claims[0].id),
        title=claims[0].title,
        appearances=appearances,
        countries=_counts([x for c in claims for x in c.countries]),
        languages=_counts([x for c in claims for x in c.languages]),
        outlets=_counts([x for c in claims for x in c.outlets]),
    )


def recurring_groups(store: GraphStore, settings: Settings) -> list[RecurringGroup]:
    """Every recurring claim in the store, the most repeated first (ties by id)."""
    corpus = ClaimCorpus.from_store(store)
    groups = [build_group(corpus, m) for m in groups_of(corpus, settings.recurrence_threshold)]
    return sorted(groups, key=lambda g: (-g.size, g.id))
