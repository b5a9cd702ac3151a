"""Synthetic graphs for the view tests and the benchmark, written through a `GraphStore`.

The shape follows the real datasets loosely: claims over five years feeding a few dozen narratives,
each concerning one or two countries, published by outlets, some debunked, with computed and
editorial similarity links. Text is generated from our own word lists; nothing is copied from data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from graph.ids import code_id, make_id
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore

SRC = Source("synthetic", "generated.csv", "")
E = EdgeType
L = NodeLabel

COUNTRIES = [
    ("UA", "Ukraine"),
    ("RU", "Russia"),
    ("PL", "Poland"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("LT", "Lithuania"),
    ("LV", "Latvia"),
    ("EE", "Estonia"),
    ("GE", "Georgia"),
    ("MD", "Moldova"),
    ("US", "United States"),
    ("GB", "United Kingdom"),
    ("KZ", "Kazakhstan"),
    ("BY", "Belarus"),
    ("SE", "Sweden"),
    ("FI", "Finland"),
    ("RO", "Romania"),
    ("HU", "Hungary"),
    ("AM", "Armenia"),
    ("RS", "Serbia"),
]
SUBJECTS = [
    "The government",
    "Western media",
    "NATO",
    "The EU",
    "Secret laboratories",
    "Foreign advisers",
    "The opposition",
    "Energy companies",
    "Aid agencies",
    "The central bank",
    "Election officials",
]
VERBS = [
    "is hiding",
    "has planned",
    "is paying for",
    "secretly controls",
    "invented",
    "is covering up",
    "provoked",
    "is preparing",
    "staged",
    "profits from",
]
OBJECTS = [
    "the fuel crisis",
    "the protests",
    "the vaccine trials",
    "a coup",
    "the border incident",
    "the grain shortage",
    "the election result",
    "the refugee wave",
    "the sanctions",
    "a false flag",
]
THEMES = [
    "Colour revolutions",
    "Biolabs",
    "Russophobia",
    "Sanctions backfire",
    "Western decline",
    "Nazi Ukraine",
    "Election fraud",
    "Migrant threat",
    "Energy blackmail",
    "Puppet governments",
    "Encirclement by NATO",
    "Lost sovereignty",
]


@dataclass(slots=True)
class Synthetic:
    """Ids of interest in a generated graph."""

    claims: list[str]
    narratives: list[str]
    countries: list[str]
    outlets: list[str]
    debunks: list[str]


def build_synthetic(store: GraphStore, claims: int = 400, *, seed: int = 11) -> Synthetic:
    """Writes a graph with `claims` claims and everything around them; returns the ids."""
    rng = random.Random(seed)
    nodes: list[Node] = []
    edges: list[Edge] = []
    countries = [
        Node(code_id(L.COUNTRY, c), L.COUNTRY, {"name": n, "code": c, "kind": "country"}, [SRC])
        for c, n in COUNTRIES
    ]
    n_narr = max(3, min(len(THEMES) * 4, claims // 40))
    narratives = [
        Node(
            make_id(L.NARRATIVE, f"{THEMES[i % len(THEMES)]} {i // len(THEMES) or ''}".strip()),
            L.NARRATIVE,
            {
                "name": f"{THEMES[i % len(THEMES)]}{'' if i < len(THEMES) else f' ({i // len(THEMES) + 1})'}",
                "kind": "keyword" if i % 3 else "editorial",
            },
            [SRC],
        )
        for i in range(n_narr)
    ]
    outlets = [
        Node(
            make_id(L.ACTOR, f"outlet {i}"),
            L.ACTOR,
            {"name": f"news-outlet-{i}.example", "kind": "outlet"},
            [SRC],
        )
        for i in range(max(3, claims // 25))
    ]
    nodes += countries + narratives + outlets
    claim_nodes: list[Node] = []
    for i in range(claims):
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} (case {i})"
        year = 2019 + (i * 5) // max(claims, 1)
        day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        node = Node(
            make_id(L.CLAIM, title, day),
            L.CLAIM,
            {"title": title, "date": day, "languages": ["English"], "url": f"https://cases.example/{i}"},
            [SRC],
        )
        claim_nodes.append(node)
        narrative = narratives[int(rng.paretovariate(1.2)) % n_narr]
        edges.append(Edge(E.PART_OF, node.id, narrative.id, {}, [SRC]))
        for country in rng.sample(countries[:12] if rng.random() < 0.8 else countries, rng.choice((1, 1, 2))):
            edges.append(Edge(E.CONCERNS, node.id, country.id, {}, [SRC]))
        edges.append(Edge(E.PUBLISHED_BY, node.id, rng.choice(outlets).id, {}, [SRC]))
    nodes += claim_nodes
    debunks = []
    for i, claim in enumerate(claim_nodes[::3]):
        debunk = Node(
            make_id(L.DEBUNK, f"debunk {i}"),
            L.DEBUNK,
            {
                "text": f"There is no evidence for this; the story recycles an older case ({i}).",
                "publisher": rng.choice(["FactCheck Desk", "Verify Unit", "Truth Lab"]),
                "rating_value": "false",
            },
            [SRC],
        )
        debunks.append(debunk)
        edges.append(Edge(E.DEBUNKS, debunk.id, claim.id, {}, [SRC]))
    nodes += debunks
    for i, claim in enumerate(claim_nodes):
        for _ in range(rng.choice((0, 1, 1, 2))):
            other = claim_nodes[(i + rng.randint(1, 30)) % claims] if claims > 1 else claim
            if other.id == claim.id:
                continue
            editorial = rng.random() < 0.25
            edges.append(
                Edge(
                    E.SIMILAR_TO,
                    claim.id,
                    other.id,
                    {
                        "score": round(rng.uniform(0.4, 0.98), 2),
                        "method": "editorial" if editorial else "lexical",
                        "evidence": "shared terms: protests, plan",
                    },
                    [SRC],
                )
            )
    for i in range(1, min(n_narr, 6)):
        edges.append(Edge(E.SUBNARRATIVE_OF, narratives[i].id, narratives[0].id, {"share": 0.4}, [SRC]))
    with store.bulk():
        store.upsert(nodes, _dedupe(edges))
    return Synthetic(
        [c.id for c in claim_nodes],
        [n.id for n in narratives],
        [c.id for c in countries],
        [o.id for o in outlets],
        [d.id for d in debunks],
    )


def _dedupe(edges: list[Edge]) -> list[Edge]:
    return list({e.key: e for e in edges}.values())
