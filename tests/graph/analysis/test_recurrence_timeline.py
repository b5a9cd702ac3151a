"""Recurring claims and the timelines of narratives and recurring claims."""

from __future__ import annotations

import pytest

from graph.analysis.corpus import ClaimCorpus, ClaimRecord
from graph.analysis.recurrence import recurring_groups
from graph.analysis.timeline import build_timeline, timeline
from graph.exc import InvalidInputError, NotFoundError
from graph.settings import Settings
from graph.store import GraphStore
from tests.graph.analysis.helpers import LAB, REPEAT, seed


def _settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_a_republished_claim_is_one_recurring_group(store: GraphStore) -> None:
    ids = seed(store)
    groups = recurring_groups(store, _settings())
    assert len(groups) == 1
    group = groups[0]
    assert set(group.claim_ids) == {ids["lab"][0], ids["repeat"][0]}
    assert [a.date for a in group.appearances] == [LAB[0][2], REPEAT[2]]
    assert group.first_seen == LAB[0][2] and group.last_seen == REPEAT[2]
    assert group.outlets == {"Outlet One": 1, "Outlet Six": 1}
    assert group.languages == {"Armenian": 1, "Russian": 1}
    assert recurring_groups(store, _settings())[0].id == group.id  # deterministic


def test_narrative_timeline(store: GraphStore) -> None:
    ids = seed(store)
    result = timeline(store, ids["editorial_lab"][0], 90, settings=_settings())
    dates = sorted([row[2] for row in LAB] + [REPEAT[2]])
    assert result.kind == "narrative" and result.claims == len(dates)
    assert result.first_seen is not None and result.first_seen.date == dates[0]
    assert result.last_seen is not None and result.last_seen.date == dates[-1]
    assert sum(n for _, n in result.per_month) == len(dates)
    assert result.per_month[0][0] == dates[0][:7] and result.per_month[-1][0] == dates[-1][:7]
    # Gaps over 90 days between consecutive sightings are comebacks.
    from datetime import date

    days = [date.fromisoformat(d) for d in dates]
    expected = [d.isoformat() for a, d in zip(days, days[1:], strict=False) if (d - a).days > 90]
    assert [c.date for c in result.comebacks] == expected
    assert [s.period for s in result.shifts] == sorted({d[:4] for d in dates})
    assert sum(s.claims for s in result.shifts) == len(dates)
    # Read for the narrative's claims alone, it is the timeline the whole store's records give.
    everything = ClaimCorpus.from_store(store)
    mine = [c for c in everything.claims if c.id in {*ids["lab"], *ids["repeat"]}]
    assert result == build_timeline(result.id, "narrative", result.name, mine, 90)
    assert result.shifts[0].countries[0] == ("Country GE", 3)
    assert {name for s in result.shifts for name, _ in s.outlets} >= {"Outlet One", "Outlet Six"}


def test_records_of_a_few_claims_are_the_whole_stores(store: GraphStore) -> None:
    ids = seed(store)
    everything = ClaimCorpus.from_store(store)
    wanted = [ids["lab"][1], ids["repeat"][0], ids["troops"][0]]
    # Ids that are no claim, or no node, are left out, as `from_store` has no record of them.
    few = ClaimCorpus.of_claims(store, [*reversed(wanted), "country:GE", "claim:0000000000", wanted[0]])
    assert few.claims == [everything.claims[everything.index[i]] for i in sorted(wanted)]
    assert all(c.countries and c.outlets and c.narratives for c in few.claims)
    assert few.index == {c.id: n for n, c in enumerate(few.claims)}
    assert ClaimCorpus.of_claims(store, []).claims == []


def test_claim_timeline_is_its_group(store: GraphStore) -> None:
    ids = seed(store)
    result = timeline(store, ids["repeat"][0], settings=_settings())
    assert result.kind == "recurring" and result.claims == 2
    assert result.id == recurring_groups(store, _settings())[0].id
    assert timeline(store, result.id, settings=_settings()).claims == 2
    lone = timeline(store, ids["troops"][0], settings=_settings())
    assert lone.kind == "claim" and lone.claims == 1


def test_unknown_ids(store: GraphStore) -> None:
    seed(store)
    with pytest.raises(NotFoundError):
        timeline(store, "narrative:0000000000", settings=_settings())
    with pytest.raises(NotFoundError):
        timeline(store, "recurring:0000000000", settings=_settings())
    with pytest.raises(InvalidInputError):
        timeline(store, "country:GE", settings=_settings())


def test_build_timeline_edges() -> None:
    claims = [ClaimRecord("claim:a", "A", "A", None), ClaimRecord("claim:b", "B", "B", "2020-12-30")]
    result = build_timeline("x", "narrative", "X", claims, 30, "month")
    assert result.undated == 1 and result.per_month == [("2020-12", 1)]
    with pytest.raises(InvalidInputError):
        build_timeline("x", "narrative", "X", claims, 0)
