"""Discovered narratives: Louvain communities of the similarity graph, stable across re-runs."""

from __future__ import annotations

from graph.analysis.communities import discover_narratives
from graph.analysis.similarity import link_claims
from graph.ontology import EdgeType, NarrativeKind, NodeLabel
from graph.settings import Settings
from graph.store import GraphStore
from tests.graph.analysis.helpers import seed


def test_stories_become_cluster_narratives(store: GraphStore) -> None:
    ids = seed(store)
    settings = Settings(_env_file=None, similarity_threshold=0.15)  # type: ignore[call-arg]
    link_claims(store, settings)
    report = discover_narratives(store, settings, min_size=4)
    assert report.communities == 2
    by_parent = {n.parent: n for n in report.narratives}
    lab = by_parent[ids["editorial_lab"][0]]
    troops = by_parent[ids["editorial_troops"][0]]
    assert set(ids["lab"]) <= set(lab.claim_ids)
    assert set(troops.claim_ids) == set(ids["troops"])
    assert "mosquitoes" in " ".join(lab.terms) or "laboratories" in " ".join(lab.terms)
    node = store.get_node(troops.id)
    assert node.properties["kind"] == NarrativeKind.CLUSTER.value and node.properties["terms"]
    parts = {e.source for e in store.edges_of(troops.id, [EdgeType.PART_OF])}
    assert parts == set(ids["troops"])
    sub = store.edges_of(troops.id, [EdgeType.SUBNARRATIVE_OF])
    assert sub[0].target == ids["editorial_troops"][0] and sub[0].properties["share"] == 1.0

    before = sorted(n.id for n in store.iter_nodes(NodeLabel.NARRATIVE))
    again = discover_narratives(store, settings, min_size=4)
    assert [n.id for n in again.narratives] == [n.id for n in report.narratives]
    assert sorted(n.id for n in store.iter_nodes(NodeLabel.NARRATIVE)) == before
    assert again.removed == 2


def test_no_links_no_narratives(store: GraphStore) -> None:
    seed(store)
    report = discover_narratives(store, Settings(_env_file=None))  # type: ignore[call-arg]
    assert report.communities == 0
