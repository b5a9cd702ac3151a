"""Claim identity and claim references: which stored claim a sentence means, or a stub for it.

The matcher compares *content words*: lower-cased words without stop words, British and American
spellings folded ("colour"/"color", "organise"/"organize") and a light suffix strip ("protests" and
"protest" agree). A reference matches a claim when at least `MIN_CONTAINMENT` of the reference's
content words (and at least `MIN_SHARED` of them) occur in one sentence of the claim, or in two
adjacent ones, or in its title; and the sentence is not so much longer that the shared words are
chance (`MIN_COVERAGE` of the sentence's words must be shared). Sentence level, because a long
case text contains many words of any short reference.

Why this and not TF-IDF: a reference is a paraphrase of one sentence of the case it names ("that
EU and US aim to generate …" vs "the EU and the US aim to generate …"); containment of its words
in one sentence is the property an editor's paraphrase keeps, and its threshold is explainable.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from graph.ids import make_id
from graph.ontology import NodeLabel

MIN_CONTAINMENT: Final = 0.75
MIN_SHARED: Final = 3
MIN_COVERAGE: Final = 0.3

STOPWORDS: Final = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves claim claims claimed claiming allegedly according said says
    another new""".split()
)
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’»)]*\s+(?=[\"“‘«(]?[A-Z0-9À-Ö])")


def _fold(word: str) -> str:
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    if len(word) > 5 and word.endswith("our"):
        word = word[:-3] + "or"
    word = re.sub(r"is(e|es|ed|ing|ation|ations)$", r"iz\1", word) if len(word) > 6 else word
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + repl
    return word


def content_words(text: str) -> list[str]:
    """The words of a text that carry its content, folded for comparison, in order."""
    out = []
    for raw in _WORD.findall(text):
        # "US" and "EU" are names; "us" is a pronoun. Keep capitalised short words before lowering.
        if raw.isupper() and len(raw) >= 2:
            out.append(raw.casefold())
            continue
        word = raw.casefold()
        if word in STOPWORDS or len(word) < 2:
            continue
        out.append(_fold(word))
    return out


def text_key(text: str) -> str:
    """The natural key of a claim known only by its text: its content words, in order."""
    return " ".join(content_words(text))


def claim_id(title: str | None, date: str | None, text: str | None = None) -> str:
    """A claim's id: from its title and date when both exist (two datasets holding one case meet),
    else from the content words of its text (or title)."""
    if title and date:
        # One export writes "NATO is encircling Russia." where another drops the stop.
        key = title.strip()
        if key.endswith(".") and not key.endswith(".."):
            key = key[:-1]
        return make_id(NodeLabel.CLAIM, key, date)
    # The text's words, else the title's: a claim text cut to a stray letter still has its title.
    for basis in (text, title):
        if basis and (key := text_key(basis)):
            return make_id(NodeLabel.CLAIM, "text", key)
    return make_id(NodeLabel.CLAIM, None)  # raises: no key, no id


def sentences(text: str) -> list[str]:
    """A text's sentences (a paragraph break always ends one)."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        out.extend(s.strip() for s in _SENTENCE.split(paragraph.strip()) if s.strip())
    return out


def _units(title: str | None, text: str | None) -> list[frozenset[str]]:
    """The pieces of a claim a reference is compared with: title, sentences, adjacent pairs."""
    units: list[frozenset[str]] = []
    if title:
        units.append(frozenset(content_words(title)))
    sents = [frozenset(content_words(s)) for s in sentences(text or "")]
    units.extend(sents)
    units.extend(a | b for a, b in zip(sents, sents[1:], strict=False))
    return [u for u in units if u]


@dataclass(frozen=True, slots=True)
class Match:
    """A claim a text was matched to, how well, and whether that claim is so far only a stub."""

    claim_id: str
    score: float
    stub: bool


class ClaimMatcher:
    """An index of claims by content word, answering which claim a referring sentence means."""

    def __init__(self) -> None:
        self._units: dict[str, list[frozenset[str]]] = {}
        self._stub_ids: set[str] = set()
        self._postings: dict[str, set[str]] = defaultdict(set)

    def __contains__(self, claim_id: str) -> bool:
        return claim_id in self._units

    def __len__(self) -> int:
        return len(self._units)

    def add(self, claim_id: str, title: str | None, text: str | None, *, stub: bool) -> None:
        """Indexes (or re-indexes) a claim."""
        self.remove(claim_id)
        units = _units(title, text)
        self._units[claim_id] = units
        if stub:
            self._stub_ids.add(claim_id)
        for word in set().union(*units) if units else ():
            self._postings[word].add(claim_id)

    def remove(self, claim_id: str) -> None:
        units = self._units.pop(claim_id, None)
        self._stub_ids.discard(claim_id)
        for word in set().union(*units) if units else ():
            self._postings[word].discard(claim_id)

    def is_stub(self, claim_id: str) -> bool:
        return claim_id in self._stub_ids

    def stubs(self) -> list[str]:
        return sorted(self._stub_ids)

    def best(self, text: str, *, exclude: Iterable[str] = (), stubs_only: bool = False) -> Match | None:
        """The claim whose sentence best contains the text's content words, if one does well enough."""
        return _best(self, frozenset(content_words(text)), set(exclude), stubs_only)

    def best_for_claim(
        self, title: str | None, text: str | None, *, exclude: Iterable[str] = ()
    ) -> Match | None:
        """The stub a newly loaded claim completes: a stub whose words one of its sentences contains."""
        if not self._stub_ids:
            return None
        units = _units(title, text)
        excluded = set(exclude)
        best: Match | None = None
        for stub_id in self.stubs():
            if stub_id in excluded:
                continue
            stub_words = set().union(*self._units[stub_id]) if self._units[stub_id] else set()
            score = max((_score(frozenset(stub_words), unit) for unit in units), default=0.0)
            if score and (best is None or score > best.score):
                best = Match(stub_id, score, True)
        return best


def _score(query: frozenset[str], unit: frozenset[str]) -> float:
    """Containment of the query's words in the unit, 0 when below the thresholds."""
    if not query or not unit:
        return 0.0
    shared = len(query & unit)
    containment = shared / len(query)
    if (
        shared < min(MIN_SHARED, len(query))
        or containment < MIN_CONTAINMENT
        or shared / len(unit) < MIN_COVERAGE
    ):
        return 0.0
    return round(containment, 3)


def _best(matcher: ClaimMatcher, query: frozenset[str], exclude: set[str], stubs_only: bool) -> Match | None:
    if not query:
        return None
    votes: Counter[str] = Counter()
    for word in query:
        votes.update(matcher._postings.get(word, ()))
    needed = max(1, int(len(query) * MIN_CONTAINMENT + 0.999) - 0)
    best: Match | None = None
    for claim_id, count in votes.items():
        if count < min(needed, MIN_SHARED) or claim_id in exclude:
            continue
        stub = matcher.is_stub(claim_id)
        if stubs_only and not stub:
            continue
        score = max((_score(query, unit) for unit in matcher._units[claim_id]), default=0.0)
        if score and (
            best is None or (score, not stub, claim_id) > (best.score, not best.stub, best.claim_id)
        ):
            best = Match(claim_id, score, stub)
    return best
