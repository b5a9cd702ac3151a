"""Actors: one node per person, organisation, state body or outlet, whatever the name form.

A name is keyed by its letters and digits only, casefolded and without accents, so "Kassym Jomart-Tokayev"
and "Kassym-Jomart Tokayev" are one key. A small table of well-known actors (heads of state,
international organisations, state bodies, outlets) adds their other names: "Putin", "Lukashenka",
"North Atlantic Treaty Organization". Unknown names become actors of the kind the caller knows
(an outlet column, a quote's speaker), keyed the same way, so two datasets naming them meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from graph.ids import make_id
from graph.model import Node, Source
from graph.ontology import ActorKind, NodeLabel

P, G, S, M = ActorKind.PERSON, ActorKind.ORGANISATION, ActorKind.STATE_BODY, ActorKind.OUTLET

# canonical name, kind, other names. Acronyms are matched in text only in upper case ("WHO", "EU").
_KNOWN: Final[tuple[tuple[str, ActorKind, tuple[str, ...]], ...]] = (
    ("Vladimir Putin", P, ("Putin", "Vladimir Vladimirovich Putin", "V. Putin")),
    ("Kassym-Jomart Tokayev", P, ("Tokayev", "Kassym-Jomart Tokaev", "Tokaev")),
    ("Dmitry Peskov", P, ("Peskov", "Dmitri Peskov")),
    ("Sergei Lavrov", P, ("Lavrov", "Sergey Lavrov")),
    ("Maria Zakharova", P, ("Zakharova",)),
    ("Sergey Shoigu", P, ("Shoigu", "Sergei Shoigu")),
    ("Dmitry Medvedev", P, ("Medvedev",)),
    ("Nikolay Patrushev", P, ("Patrushev", "Nikolai Patrushev")),
    ("Alexander Lukashenko", P, ("Lukashenko", "Lukashenka", "Alyaksandr Lukashenka")),
    ("Sviatlana Tsikhanouskaya", P, ("Tikhanouskaya", "Svetlana Tikhanovskaya", "Tsikhanouskaya")),
    ("Volodymyr Zelensky", P, ("Zelensky", "Zelenskyy", "Volodymyr Zelenskyy")),
    ("Petro Poroshenko", P, ("Poroshenko",)),
    ("Viktor Yanukovych", P, ("Yanukovych",)),
    ("Alexei Navalny", P, ("Navalny", "Alexey Navalny")),
    ("Mikhail Gorbachev", P, ("Gorbachev",)),
    ("Joseph Stalin", P, ("Stalin",)),
    ("Adolf Hitler", P, ("Hitler",)),
    ("Joe Biden", P, ("Biden", "Joseph Biden")),
    ("Donald Trump", P, ("Trump",)),
    ("Barack Obama", P, ("Obama",)),
    ("Hillary Clinton", P, ()),
    ("Angela Merkel", P, ("Merkel",)),
    ("Emmanuel Macron", P, ("Macron",)),
    ("Boris Johnson", P, ()),
    ("Recep Tayyip Erdoğan", P, ("Erdogan", "Erdoğan", "Recep Tayyip Erdogan")),
    ("Bashar al-Assad", P, ("Assad", "Bashar Assad")),
    ("Josep Borrell", P, ("Borrell",)),
    ("Ursula von der Leyen", P, ("von der Leyen",)),
    ("Jens Stoltenberg", P, ("Stoltenberg",)),
    ("Sergei Skripal", P, ("Skripal",)),
    ("George Soros", P, ("Soros",)),
    ("Bill Gates", P, ()),
    ("Maia Sandu", P, ()),
    ("Nicolas Maduro", P, ("Maduro",)),
    (
        "NATO",
        G,
        (
            "North Atlantic Treaty Organization",
            "North Atlantic Treaty Organisation",
            "North Atlantic Alliance",
        ),
    ),
    ("European Union", G, ("EU",)),
    (
        "OSCE",
        G,
        (
            "Organization for Security and Co-operation in Europe",
            "Organisation for Security and Co-operation in Europe",
        ),
    ),
    ("CSTO", G, ("Collective Security Treaty Organization", "Collective Security Treaty Organisation")),
    ("Commonwealth of Independent States", G, ("CIS",)),
    ("United Nations", G, ("UN", "U.N.")),
    ("World Health Organization", G, ("WHO", "World Health Organisation")),
    (
        "OPCW",
        G,
        (
            "Organisation for the Prohibition of Chemical Weapons",
            "Organization for the Prohibition of Chemical Weapons",
        ),
    ),
    ("International Monetary Fund", G, ("IMF",)),
    ("World Bank", G, ()),
    ("Council of Europe", G, ()),
    ("European Commission", S, ()),
    ("European Parliament", S, ()),
    ("European Council", S, ()),
    ("European Court of Human Rights", S, ("ECHR",)),
    ("International Criminal Court", G, ("ICC",)),
    ("International Court of Justice", G, ("ICJ",)),
    ("World Anti-Doping Agency", G, ("WADA",)),
    ("International Olympic Committee", G, ("IOC",)),
    ("Eurasian Economic Union", G, ("EEU", "EAEU", "Eurasian economic union")),
    ("Interpol", G, ()),
    ("Frontex", S, ()),
    ("USAID", S, ()),
    ("UNHCR", G, ()),
    ("Human Rights Watch", G, ()),
    ("Amnesty International", G, ()),
    ("White Helmets", G, ()),
    ("Daesh", G, ("ISIS", "ISIL", "Islamic State")),
    ("Al-Qaeda", G, ("Al Qaeda",)),
    ("Hezbollah", G, ()),
    ("Right Sector", G, ()),
    ("Azov Battalion", G, ("Azov Regiment",)),
    ("Muslim Brotherhood", G, ()),
    ("Grey Wolves", G, ()),
    ("Front National", G, ("National Front", "Rassemblement National")),
    ("Planned Parenthood", G, ()),
    ("Jehovah's Witnesses", G, ("Jehova Witnesses",)),
    ("Kremlin", S, ("the Kremlin",)),
    (
        "Russian Ministry of Foreign Affairs",
        S,
        ("Russia's Ministry of Foreign Affairs", "Russian Foreign Ministry", "Russia's Foreign Ministry"),
    ),
    ("Russian Ministry of Defence", S, ("Russia's Ministry of Defence", "Russian Defence Ministry")),
    ("Central Intelligence Agency", S, ("CIA",)),
    ("Federal Bureau of Investigation", S, ("FBI",)),
    ("National Security Agency", S, ("NSA",)),
    ("Federal Security Service", S, ("FSB",)),
    ("GRU", S, ("Main Intelligence Directorate",)),
    ("KGB", S, ()),
    ("Security Service of Ukraine", S, ("SBU",)),
    ("MI6", S, ("Secret Intelligence Service",)),
    ("Mossad", S, ()),
    ("Democratic Party (US)", G, ("Democratic Party",)),
    ("Republican Party (US)", G, ("Republican Party",)),
    ("Facebook", G, ()),
    ("Google", G, ()),
    ("Twitter", G, ()),
    ("YouTube", G, ()),
    ("Microsoft", G, ()),
    ("Wikileaks", G, ("WikiLeaks",)),
    ("Rosneft", G, ()),
    ("Rosatom", S, ()),
    ("RT", M, ("Russia Today", "Russia Today (RT)", "RT.com")),
    ("Sputnik", M, ("Sputnik News",)),
    ("RIA Novosti", M, ("RIA",)),
    ("TASS", M, ("ITAR-TASS",)),
    ("TV Zvezda", M, ("Zvezda",)),
    ("BBC", M, ()),
    ("CNN", M, ()),
    ("Deutsche Welle", M, ("DW",)),
    ("Al Jazeera", M, ()),
    ("Euronews", M, ()),
    ("The New York Times", M, ("New York Times",)),
    ("The Guardian", M, ()),
    ("The Financial Times", M, ("Financial Times",)),
    ("The Wall Street Journal", M, ("Wall Street Journal",)),
    ("The Daily Telegraph", M, ("Daily Telegraph", "The Telegraph")),
    ("The Independent", M, ()),
    ("Die Welt", M, ()),
    ("Charlie Hebdo", M, ()),
)

# Unicode letters and digits stay: "РЕН ТВ" needs a key, and "Sputnik Армения" is not "Sputnik".
_NOT_LETTERS = re.compile(r"[\W_]+")


_THE = re.compile(r"^the\s+")


@lru_cache(maxsize=65536)  # outlets and keywords repeat on row after row, and an id is keyed on it
def name_key(name: str) -> str:
    """Letters and digits only, casefolded, accents stripped: the form actor names compare in."""
    if name.isascii():
        plain = name.casefold()  # nothing for NFKD to decompose, no combining marks
    else:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _THE.sub("", plain)
    return _NOT_LETTERS.sub("", plain)


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as resolved: its canonical name, kind and the other names it is known by."""

    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        return make_id(NodeLabel.ACTOR, name_key(self.name))

    def node(self, source: Source, *, url: str | None = None, seen_as: Iterable[str] = ()) -> Node:
        """The actor's node. The kind is a default: a later, surer source (a known outlet) may set it."""
        aliases = sorted({a for a in (*self.aliases, *seen_as) if a and a != self.name})
        props: dict[str, object] = {"name": self.name}
        if url:
            props["url"] = url
        if aliases:
            props["aliases"] = aliases
        return Node(self.id, NodeLabel.ACTOR, props, [source], defaults={"kind": self.kind.value})


def _build_index() -> dict[str, ActorRef]:
    index: dict[str, ActorRef] = {}
    for name, kind, aliases in _KNOWN:
        ref = ActorRef(name, kind, aliases)
        for form in (name, *aliases):
            index.setdefault(name_key(form), ref)
    for name, kind, aliases in _KNOWN:  # a known person's surname alone, unless it is taken
        if kind is ActorKind.PERSON and len(name.split()) > 1:
            index.setdefault(name_key(name.split()[-1]), ActorRef(name, kind, aliases))
    return index


_INDEX: Final = _build_index()
# Single surnames ("Putin") and acronyms resolve only when the table lists them as names of one actor.


def known_actor(name: str) -> ActorRef | None:
    """The well-known actor this name (in any listed form) denotes, or None."""
    key = name_key(name)
    return _INDEX.get(key) if key else None


def actor(name: str, kind: ActorKind) -> ActorRef:
    """The actor a name denotes: the known one, else a new actor of the given kind."""
    clean = " ".join(name.split()).strip(" ,;:.")
    return known_actor(clean) or ActorRef(clean, kind)


def outlet(name: str) -> ActorRef:
    """A media outlet named in metadata (known outlets keep their canonical name)."""
    return actor(name, ActorKind.OUTLET)


# -- people and organisations named in keywords ------------------------------------------------

_PARTICLES: Final = frozenset({"al", "bin", "van", "von", "der", "de", "da", "di", "du", "la", "le", "ibn"})
_NOT_NAME_WORDS: Final = frozenset(
    """war wars sea pact church army crisis revolution revolutions union state states party summit treaty
    agreement agreements club prize order world laboratory partnership operation juncture bear europe
    european russia russian russians west western eastern east north south central soviet ukraine
    ukrainian balkans asia africa america american middle new cold day attacks attack case tragedy
    court compact initiative landing stream choir games cup strategy society spring law speech papers
    report tatars brothers""".split()
)
_NOT_ACTORS: Final = frozenset(
    name_key(k) for k in ("Khan Sheikhoun", "Notre Dame", "Sputnik V", "Lisa case")
)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|\([^)]*\))$")


def looks_like_person(name: str) -> bool:
    """Two to four capitalised words, none of them a word narratives and places are made of.

    EUvsDisinfo keywords mix names ("Sergei Skripal") with themes ("Destabilising Russia", "Syrian
    War"); a theme is rarely all capitalised words free of such vocabulary.
    """
    if name_key(name) in _NOT_ACTORS or any(ch.isdigit() for ch in name):
        return False
    words = name.split()
    if not 2 <= len(words) <= 5 or words[0].casefold() == "the":
        return False
    named = 0
    for word in words:
        bare = word.strip("()").casefold()
        if bare in _PARTICLES or bare.startswith(("al-", "bin-")):
            continue
        if not _NAME_TOKEN.match(word) or bare in _NOT_NAME_WORDS or len(bare.strip(".")) < 2:
            return False
        named += 1
    return named >= 2


def keyword_actor(keyword: str) -> ActorRef | None:
    """The actor a keyword names (a known actor or what looks like a person's name), else None."""
    if (known := known_actor(keyword)) is not None:
        return known
    return ActorRef(keyword.strip(), ActorKind.PERSON) if looks_like_person(keyword) else None


# -- actors named in free text -----------------------------------------------------------------


def _text_patterns() -> list[tuple[re.Pattern[str], ActorRef]]:
    patterns = []
    for name, kind, aliases in _KNOWN:
        ref = ActorRef(name, kind, aliases)
        for form in (name, *aliases):
            is_acronym = form.replace(".", "").isupper() and len(form) <= 6
            flags = 0 if is_acronym else re.IGNORECASE
            if not is_acronym and len(form) < 4:
                continue
            patterns.append((re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])", flags), ref))
    return patterns


_TEXT_PATTERNS: Final = _text_patterns()


def find_actors(text: str) -> list[ActorRef]:
    """Well-known actors the text names, each once, in order of first mention."""
    found: dict[str, tuple[int, ActorRef]] = {}
    for pattern, ref in _TEXT_PATTERNS:
        match = pattern.search(text)
        if match and (ref.id not in found or match.start() < found[ref.id][0]):
            found[ref.id] = (match.start(), ref)
    return [ref for _, ref in sorted(found.values(), key=lambda pair: pair[0])]


# -- speakers of quotes --------------------------------------------------------------------------

_TITLE_WORDS: Final = frozenset(
    """president prime minister foreign defence defense interior spokesman spokeswoman spokesperson
    press secretary chancellor head chief leader deputy ambassador envoy general commander senator
    mr mrs ms dr sir official officials former acting vice state secretary-general representative
    kremlin government ministry says said told according""".split()
)


_PRONOUNS: Final = frozenset("he she they it we i you who this that".split())


def strip_titles(name: str) -> str:
    """ "Russian President Vladimir Putin" -> "Vladimir Putin": the name after roles and demonyms."""
    words = name.replace("’", "'").split()
    kept: list[str] = []
    for word in reversed(words):
        bare = word.strip(",.;:").casefold()
        possessive = bare.endswith("'s")
        demonym = bare.endswith(("ian", "ish", "ese"))
        if bare in _TITLE_WORDS or possessive or demonym or not word[:1].isupper():
            if kept:
                break
            continue
        kept.append(word.strip(",.;:"))
    return " ".join(reversed(kept))


_INTRODUCED = re.compile(
    r"\b(?:President|Minister|[Ss]pokes(?:man|woman|person)|Secretary|Chancellor|[Ll]eader|Ambassador"
    r"|[Cc]ommander|[Mm]ayor|[Ss]enator|[Gg]overnor|[Cc]hairman)\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2})"
)


class SpeakerResolver:
    """Resolves the speakers one document quotes: a later "Putin" is the "Vladimir Putin" named earlier."""

    def __init__(self) -> None:
        self._by_surname: dict[str, ActorRef] = {}

    def learn(self, text: str) -> None:
        """Remembers people a text introduces by their role ("Moldovan President Maia Sandu")."""
        for match in _INTRODUCED.finditer(text):
            name = match.group("name")
            if looks_like_person(name):
                self._remember(known_actor(name) or ActorRef(name, ActorKind.PERSON))

    def resolve(self, mention: str) -> ActorRef | None:
        """The actor a speaker mention names, or None when it names nobody ("he", "officials")."""
        known = known_actor(mention)
        if known is not None:
            self._remember(known)
            return known
        name = strip_titles(mention)
        if not name or name.casefold() in _PRONOUNS:
            return None
        ref = known_actor(name)
        if ref is None and len(name.split()) == 1:
            ref = self._by_surname.get(name_key(name))
        if ref is None:
            ref = ActorRef(name, ActorKind.PERSON)
        self._remember(ref)
        return ref

    def _remember(self, ref: ActorRef) -> None:
        if ref.kind is ActorKind.PERSON:
            surname = ref.name.split()[-1]
            self._by_surname.setdefault(name_key(surname), ref)
            if "-" in surname:
                self._by_surname.setdefault(name_key(surname.split("-")[-1]), ref)
