"""A small graph written for these tests, in our own words: three stories told several times."""

from __future__ import annotations

from graph.ids import code_id, make_id
from graph.model import Edge, Node, Source
from graph.ontology import ActorKind, CountryKind, EdgeType, NarrativeKind, NodeLabel
from graph.store import GraphStore

SRC = Source("tests", "analysis-fixture")

# (title, text, date, country code, outlet, language)
LAB = [
    (
        "Secret laboratories in Georgia breed mosquitoes to infect Russians",
        "Hidden American laboratories in Georgia breed infected mosquitoes to spread disease among Russians.",
        "2018-01-10",
        "GE",
        "Outlet One",
        "Russian",
    ),
    (
        "American laboratories in Georgia breed infected mosquitoes",
        "The American laboratories in Georgia breed mosquitoes infected with disease aimed at Russians.",
        "2018-02-03",
        "GE",
        "Outlet Two",
        "Russian",
    ),
    (
        "Pentagon laboratories in Georgia test disease on mosquitoes",
        "Pentagon laboratories in Georgia test diseases on mosquitoes before sending them to Russia.",
        "2018-02-20",
        "GE",
        "Outlet One",
        "English",
    ),
    (
        "Mosquitoes from laboratories in Georgia spread disease",
        "Mosquitoes bred in the laboratories in Georgia spread disease in southern Russia.",
        "2018-09-15",
        "RU",
        "Outlet Three",
        "Russian",
    ),
    (
        "Laboratories in Georgia are breeding infected mosquitoes again",
        "Once more the laboratories in Georgia are breeding mosquitoes infected with a new disease.",
        "2019-06-01",
        "GE",
        "Outlet Two",
        "Czech",
    ),
    (
        "Infected mosquitoes escape laboratories in Georgia",
        "Infected mosquitoes escaped from the American laboratories in Georgia and reached Russian towns.",
        "2019-06-20",
        "RU",
        "Outlet Four",
        "Russian",
    ),
]
TROOPS = [
    (
        "NATO masses troops on the border of Belarus to invade",
        "NATO masses tanks and troops on the border of Belarus, preparing an invasion of the country.",
        "2020-08-01",
        "BY",
        "Outlet One",
        "Russian",
    ),
    (
        "NATO troops gather at the Belarus border for an invasion",
        "Thousands of NATO troops gather at the Belarus border, ready to invade within days.",
        "2020-08-05",
        "BY",
        "Outlet Five",
        "Russian",
    ),
    (
        "Polish and NATO tanks prepare to invade Belarus",
        "Polish and NATO tanks are on the Belarus border preparing to invade and topple the government.",
        "2020-08-09",
        "PL",
        "Outlet Two",
        "Polish",
    ),
    (
        "NATO plans invasion of Belarus from the border",
        "NATO plans an invasion of Belarus, moving troops and tanks to the border with Poland.",
        "2020-09-12",
        "BY",
        "Outlet Three",
        "Russian",
    ),
    (
        "NATO invasion troops stand at the Belarus border",
        "NATO invasion troops stand at the Belarus border waiting for the order to invade.",
        "2020-10-02",
        "LT",
        "Outlet Five",
        "English",
    ),
]
# An exact republication of the first laboratory claim, in another outlet and language.
REPEAT = (LAB[0][0], LAB[0][1], "2020-03-01", "AM", "Outlet Six", "Armenian")
UNRELATED = (
    "The harvest festival drew record crowds",
    "Farmers sold apples and honey at the harvest festival in the market square.",
    "2019-01-01",
    "FR",
    "Outlet Seven",
    "French",
)


def claim_id(title: str, date: str) -> str:
    return make_id(NodeLabel.CLAIM, title, date)


def seed(store: GraphStore, *, with_repeat: bool = True) -> dict[str, list[str]]:
    """Writes the fixture graph; returns the claim ids of each story."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    stories = {"lab": LAB, "troops": TROOPS, "other": [UNRELATED]}
    if with_repeat:
        stories["repeat"] = [REPEAT]
    editorial = {
        "lab": make_id(NodeLabel.NARRATIVE, "editorial", "biolabs"),
        "troops": make_id(NodeLabel.NARRATIVE, "editorial", "western aggression"),
    }
    nodes.append(
        Node(
            editorial["lab"],
            NodeLabel.NARRATIVE,
            {"name": "Secret biolabs", "kind": NarrativeKind.EDITORIAL.value},
            [SRC],
        )
    )
    nodes.append(
        Node(
            editorial["troops"],
            NodeLabel.NARRATIVE,
            {"name": "Western aggression", "kind": NarrativeKind.EDITORIAL.value},
            [SRC],
        )
    )
    seen_places: set[str] = set()
    ids: dict[str, list[str]] = {}
    for story, rows in stories.items():
        for title, text, date, country, outlet, language in rows:
            cid = claim_id(title, date)
            ids.setdefault(story, []).append(cid)
            nodes.append(
                Node(
                    cid,
                    NodeLabel.CLAIM,
                    {"title": title, "text": text, "date": date, "languages": [language]},
                    [SRC],
                )
            )
            country_id = code_id(NodeLabel.COUNTRY, country)
            outlet_id = make_id(NodeLabel.ACTOR, outlet)
            if country_id not in seen_places:
                seen_places.add(country_id)
                nodes.append(
                    Node(
                        country_id,
                        NodeLabel.COUNTRY,
                        {"name": f"Country {country}", "code": country, "kind": CountryKind.COUNTRY.value},
                        [SRC],
                    )
                )
            if outlet_id not in seen_places:
                seen_places.add(outlet_id)
                nodes.append(
                    Node(outlet_id, NodeLabel.ACTOR, {"name": outlet, "kind": ActorKind.OUTLET.value}, [SRC])
                )
            edges.append(Edge(EdgeType.CONCERNS, cid, country_id, {}, [SRC]))
            edges.append(Edge(EdgeType.PUBLISHED_BY, cid, outlet_id, {}, [SRC]))
            parent = editorial.get("lab" if story == "repeat" else story)
            if parent:
                edges.append(Edge(EdgeType.PART_OF, cid, parent, {}, [SRC]))
    debunk = make_id(NodeLabel.DEBUNK, "no mosquito labs")
    nodes.append(
        Node(
            debunk,
            NodeLabel.DEBUNK,
            {
                "text": "There is no evidence of laboratories breeding mosquitoes.",
                "url": "https://example.org/debunk",
                "rating": "false",
            },
            [SRC],
        )
    )
    edges.append(Edge(EdgeType.DEBUNKS, debunk, ids["lab"][0], {}, [SRC]))
    store.upsert(nodes, edges)
    return {
        **ids,
        "editorial_lab": [editorial["lab"]],
        "editorial_troops": [editorial["troops"]],
        "debunk": [debunk],
    }
