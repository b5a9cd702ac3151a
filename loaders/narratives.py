"""Narratives: named by fact-checkers in disproofs, or attached to cases as keywords.

A Narrative's id is its normalised name, so the keyword "Colour revolutions" and a disproof's
"framing … as 'Western-backed colour revolutions'" meet in one node: a quoted phrase or an "about X"
that contains a narrative we know by name is that narrative; anything else is a new one.

EUvsDisinfo keywords mix themes with names and places. `split_keywords` sends each to where it
belongs: a country or region (`CONCERNS`), an actor (`MENTIONS`) or a narrative (`PART_OF`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from graph.ids import make_id, normalise
from graph.model import Node, Source
from graph.ontology import NarrativeKind, NodeLabel
from loaders.actors import ActorRef, keyword_actor
from loaders.countries import CountryRef, resolve_country

# Narratives EUvsDisinfo names often, as their keywords spell them; a disproof's phrase containing one
# of these (any case) feeds it.
KNOWN_NARRATIVES: Final[tuple[str, ...]] = (
    "Colour revolutions",
    "Destabilising Russia",
    "Encircling Russia",
    "War in Ukraine",
    "Conspiracy theory",
    "Anti-Russian",
    "Russophobia",
    "Nazi/Fascist",
    "Ukrainian statehood",
    "Ukrainian disintegration",
    "Historical revisionism",
    "EU/NATO enlargement",
    "NATO enlargement",
    "US presence in Europe",
    "Western values",
    "EU disintegration",
    "Secret elites / global elites",
    "Abandoned Ukraine",
    "Russian world",
    "Manipulated elections/referendum",
    "Election meddling",
    "Chemical weapons/attack",
    "Biological weapons",
    "Migration crisis",
    "Information war",
    "Hybrid war",
    "Warmongering",
    "Puppets",
    "Coup",
    "Terrorism",
    "Sanctions",
)

_SPACE = re.compile(r"\s+")
_QUOTED = re.compile(r"[\"“”«»']([^\"“”«»']{3,80})[\"“”«»']")
_ABOUT = re.compile(
    r"(?:pro-Kremlin|disinformation)\s+narratives?\s+(?:about|on|of|regarding)\s+(.{3,120}?)"
    r"(?=[.,;:]|$| -|\s+(?:that|which|who|framing|portraying|presenting|falsely|claiming|suggesting"
    r"|in order)\b)",
    re.IGNORECASE,
)
_FRAMING = re.compile(
    r"narratives?\s+(?:framing|portraying|presenting|depicting)\b(.{0,200}?)\bas\s+"
    r"[\"“«']([^\"”»']{3,80})[\"”»']",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^(?:the|a|an|so-called|alleged)\s+", re.IGNORECASE)


def narrative_node(name: str, kind: NarrativeKind, source: Source) -> Node:
    """A Narrative node; its kind is a default so the first source to name it decides it."""
    clean = _clean_name(name)
    return Node(
        make_id(NodeLabel.NARRATIVE, clean),
        NodeLabel.NARRATIVE,
        {"name": clean},
        [source],
        defaults={"kind": kind.value},
    )


def _clean_name(name: str) -> str:
    text = _SPACE.sub(" ", name).strip(" \"'“”«».,;:")
    text = _LEADING.sub("", text)
    return text[:1].upper() + text[1:]


def canonical_narrative(phrase: str) -> str:
    """The known narrative a phrase names or contains ("Western-backed colour revolutions" → "Colour
    revolutions"), else the phrase itself, tidied."""
    key = normalise(phrase).replace("color", "colour")
    for known in sorted(KNOWN_NARRATIVES, key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(normalise(known))}(?!\w)", key):
            return known
    return _clean_name(phrase)


def narratives_in_disproof(text: str) -> list[str]:
    """The narratives a disproof names: "recurring pro-Kremlin disinformation narrative about NATO",
    "narrative framing … as 'Western-backed colour revolutions'", "narratives on 'colour revolutions'".
    """
    found: dict[str, None] = {}
    for match in _FRAMING.finditer(text):
        found.setdefault(canonical_narrative(match.group(2)), None)
    for match in _ABOUT.finditer(text):
        phrase = match.group(1).strip()
        quoted = _QUOTED.search(phrase)
        found.setdefault(canonical_narrative(quoted.group(1) if quoted else phrase), None)
    return [name for name in found if name]


@dataclass(slots=True)
class KeywordSplit:
    """Where a case's keywords belong."""

    narratives: list[str] = field(default_factory=list)
    actors: list[ActorRef] = field(default_factory=list)
    countries: list[CountryRef] = field(default_factory=list)


def split_keywords(keywords: Iterable[str]) -> KeywordSplit:
    """Countries and regions first (they resolve exactly), then names of actors, the rest narratives."""
    split = KeywordSplit()
    seen: set[str] = set()
    for raw in keywords:
        keyword = _SPACE.sub(" ", raw).strip()
        if not keyword or normalise(keyword) in seen:
            continue
        seen.add(normalise(keyword))
        country = resolve_country(keyword)
        if country is not None:
            split.countries.append(country)
            continue
        actor = keyword_actor(keyword)
        if actor is not None:
            split.actors.append(actor)
        else:
            split.narratives.append(keyword)
    return split
