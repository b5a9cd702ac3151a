"""Format 3: a news article: headline, body, and (left out) the reader comments after it.

Each statement the article attributes becomes a Claim `ATTRIBUTED_TO` its speaker:
- a quote with its speaker after it ("“…,” Putin said") or before it (Peskov said: "…"),
- a quote continued after the attribution (the next sentence in quotes, no speaker of its own),
- "X called Y “…”", and reported speech ("…, Russian President Vladimir Putin said Monday";
  "Putin also stressed that …"),
- a headline ending "– Putin".
Speakers resolve to one Actor per person however the article names them ("Russian President Vladimir
Putin", then "Putin"); pronouns and unnamed officials attribute nothing. The comment thread, numbered
comments, "Liked by …", "Leave a Reply", "Log Out / Change" and the like end the article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Final

from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel
from loaders.actors import ActorRef, SpeakerResolver, find_actors
from loaders.bare_case import read_text
from loaders.base import Loader, Record, Rejection
from loaders.casetext import Paragraph, countries_in, paragraphs
from loaders.countries import CountryRef, with_parents
from loaders.resolve import claim_id, sentences

_COMMENT_START: Final = re.compile(
    r"^\s*(?:\d{1,3}\.\s+\S|Liked by \d|Like\s*$|Reply\s*$|Leave a (?:Reply|Comment)|Log Out\s*/"
    r"|Fill in your details|You are commenting using|Connecting to %s|This site uses Akismet"
    r"|Share this:|Like this:|\d+\s+(?:thoughts?|responses?|comments?)\s+on\b|Comments\s*$|Related\s*$)",
    re.IGNORECASE,
)
_VERBS: Final = (
    r"said|says|told\s+\w+(?:\s+\w+)?|added|stressed|noted|claimed|warned|argued|insisted|"
    r"declared|wrote|stated|explained|asserted|alleged|announced|emphasi[sz]ed|remarked"
)
_Q = '"“”„«»'
_QUOTE: Final = re.compile(rf"[“\"«„](?P<q>[^{_Q}]{{2,}}?)[”\"»“]")
_SPEAKER = r"(?P<speaker>[A-Z][\w’'.\-]*(?:[ \u00a0][\w’'.\-()]+){0,6}?)"
_AFTER: Final = re.compile(rf"^\s*,?\s*{_SPEAKER}\s+(?:{_VERBS})\b", re.UNICODE)
_AFTER_INVERTED: Final = re.compile(rf"^\s*,?\s*(?:{_VERBS})\s+{_SPEAKER}(?=[\s,.;]|$)")
_BEFORE: Final = re.compile(rf"{_SPEAKER}\s+(?:{_VERBS})\s*[:,]?\s*$")
_CALLED: Final = re.compile(
    rf"(?:^|,\s+){_SPEAKER}\s+(?:called|described|termed|labell?ed)\s+(?P<obj>[^{_Q}]*?)\s*(?:as\s+)?$"
)
_REPORTED_AFTER: Final = re.compile(
    rf"^(?P<stmt>[^{_Q}]*(?:[{_Q}][^{_Q}]*[{_Q}][^{_Q}]*)*?),\s+{_SPEAKER}\s+(?:{_VERBS})"
    r"(?:\s+(?:on\s+)?\w+day|\s+(?:earlier|late[r]?|last)\s+\w+)?\s*\.$"
)
_REPORTED_THAT: Final = re.compile(
    rf"^{_SPEAKER}\s+(?:also\s+|has\s+|had\s+)?(?:{_VERBS})\s+that\s+(?P<stmt>.+?)\.?$"
)
_HEADLINE_SPEAKER: Final = re.compile(r"^(?P<stmt>.+?)\s+[–—-]\s+(?P<speaker>[A-Z][\w’'. -]{1,60})$")
_CAPTION: Final = re.compile(r"\S\s+/\s+\S.*\s+/\s+\S")


@dataclass(slots=True)
class Statement:
    """A statement the article attributes, where it is, and to whom."""

    text: str
    speaker: ActorRef
    paragraph: Paragraph
    quote: str


def article_end(lines: list[str]) -> int:
    """Index of the first line of the comment thread (or the end of the text)."""
    for i, line in enumerate(lines):
        if i > 0 and _COMMENT_START.match(line):
            return i
    return len(lines)


class NewsArticleLoader(Loader):
    """A news article's quoted and reported statements, attributed to their speakers."""

    format: ClassVar[str] = "news"
    dataset: ClassVar[str] = "news"
    description: ClassVar[str] = "A news article: headline, body, quotes attributed to speakers (seed 004)."

    @classmethod
    def sniff(cls, path: Path, head: str) -> float:
        if path.suffix.lower() not in {".txt", ".md", ""} or re.search(r"^\s*Disinfo:", head, re.MULTILINE):
            return 0.0
        said = len(re.findall(rf"\b(?:{_VERBS})\b", head))
        quotes = len(_QUOTE.findall(head))
        if said < 2 or quotes < 2:
            return 0.1
        return min(0.85, 0.5 + 0.05 * said + 0.02 * quotes)

    def read(self, path: Path) -> Iterator[Record | Rejection]:
        lines = read_text(path).splitlines()
        body_lines = lines[: article_end(lines)]
        paras = [p for p in paragraphs(body_lines) if not _CAPTION.search(p.text)]
        if not paras:
            yield Rejection(str(path), None, "no article text found")
            return
        speakers = SpeakerResolver()
        for para in paras:
            speakers.learn(para.text)
        statements: list[Statement] = []
        for para in paras[1:]:
            statements.extend(_statements(para, speakers))
        statements.extend(_headline_late(paras[0], speakers))
        main = _main_countries(" ".join(p.text for p in paras))
        if not statements:
            yield Rejection(str(path), paras[0].line, "no attributed statements found in the article")
        seen: set[str] = set()
        for st in statements:
            key = claim_id(None, None, st.text)
            if key in seen:
                continue
            seen.add(key)
            yield _record(st, main, Source(self.dataset, str(path), f"line {st.paragraph.line}"))


def _headline_late(para: Paragraph, speakers: SpeakerResolver) -> Iterator[Statement]:
    """A headline ending "– Putin" is his; resolved after the body has named him in full."""
    match = _HEADLINE_SPEAKER.match(para.text)
    if match:
        ref = speakers.resolve(match.group("speaker"))
        if ref is not None:
            yield Statement(match.group("stmt"), ref, para, match.group("stmt"))


_SENT_END: Final = re.compile(r"[.!?…][”\"’]?\s+(?=[“\"A-Z])")


def _statements(para: Paragraph, speakers: SpeakerResolver) -> Iterator[Statement]:
    """Quotes are found in the whole paragraph (a quote may hold several sentences); reported
    speech in the sentences no attributed quote touches."""
    text = para.text
    covered: list[tuple[int, int]] = []
    last: Statement | None = None
    last_end = 0
    boundaries = [m.end() for m in _SENT_END.finditer(text)]
    for match in _QUOTE.finditer(text):
        ends = [end for end in boundaries if end <= match.start()]
        sentence_start = max([0, *ends])
        stop = _SENT_END.search(text, match.end())
        sentence_end = stop.start() + 1 if stop else len(text)
        before, after = text[max(sentence_start, last_end) : match.start()], text[match.end() : sentence_end]
        found = _attributed(match, before, after, para, speakers)
        if found is not None:
            yield found
            last = found
            covered.append((sentence_start, sentence_end))
        elif (
            last is not None and not before.strip() and after.strip(" .") == "" and sentence_start >= last_end
        ):
            continuation = match.group("q").strip()  # a quote continued after its attribution
            last.text = _join(last.text, continuation)
            last.quote = _join(last.quote, continuation)
            covered.append((sentence_start, sentence_end))
        else:
            last = None if before.strip() else last
        last_end = match.end()
    for sentence in sentences(text):
        at = text.find(sentence)
        if any(lo <= at < hi for lo, hi in covered):
            continue
        reported = _reported(sentence, para, speakers)
        if reported is not None:
            yield reported


def _join(first: str, second: str) -> str:
    first = first.rstrip(" ,")
    return f"{first} {second}" if first.endswith((".", "!", "?", "…")) else f"{first}. {second}"


def _attributed(
    match: re.Match[str], before: str, after: str, para: Paragraph, speakers: SpeakerResolver
) -> Statement | None:
    quote = match.group("q").strip(" ,")
    long_enough = len(quote.split()) >= 4
    speaker_match = _AFTER.match(after) or _AFTER_INVERTED.match(after)
    if speaker_match is None and long_enough:
        speaker_match = _BEFORE.search(before)
    if speaker_match is None:
        called = _CALLED.search(before)
        if called is None or after.strip(' .”"') != "":
            return None
        ref = speakers.resolve(called.group("speaker"))
        quote = quote.strip(" .")
        subject = called.group("obj").strip()
        text = f"{subject[:1].upper()}{subject[1:]} was {quote}" if subject else quote
        return Statement(text, ref, para, quote) if ref is not None else None
    if not long_enough:
        return None
    ref = speakers.resolve(speaker_match.group("speaker"))
    return Statement(quote, ref, para, quote) if ref is not None else None


def _reported(sentence: str, para: Paragraph, speakers: SpeakerResolver) -> Statement | None:
    match = _REPORTED_AFTER.match(sentence.strip()) or _REPORTED_THAT.match(sentence.strip())
    if match is None or len(match.group("stmt").split()) < 5:
        return None
    ref = speakers.resolve(match.group("speaker"))
    if ref is None:
        return None
    stmt = match.group("stmt").strip(" ,.")
    return Statement(stmt[:1].upper() + stmt[1:], ref, para, stmt)


def _main_countries(text: str) -> list[CountryRef]:
    """The countries an article is about: the ones it names at least three times."""
    counts: Counter[str] = Counter()
    refs: dict[str, CountryRef] = {}
    for sentence in sentences(text):
        for ref in countries_in(sentence):
            counts[ref.code] += 1
            refs[ref.code] = ref
    return [refs[code] for code, n in counts.most_common() if n >= 3]


def _record(st: Statement, main: list[CountryRef], source: Source) -> Record:
    record = Record(source.locator)
    title = st.text if len(st.text) <= 200 else st.text[:200].rsplit(" ", 1)[0] + " …"
    cid = claim_id(None, None, st.text)
    record.nodes.append(Node(cid, NodeLabel.CLAIM, {"title": title, "text": st.text}, [source]))
    record.nodes.append(st.speaker.node(source))
    record.edges.append(Edge(EdgeType.ATTRIBUTED_TO, cid, st.speaker.id, {"quote": st.quote}, [source]))
    countries = {c.id: c for c in with_parents([*countries_in(st.paragraph.text), *main])}
    for country in countries.values():
        record.nodes.append(country.node(source))
        record.edges.append(Edge(EdgeType.CONCERNS, cid, country.id, sources=[source]))
    for actor in find_actors(st.paragraph.text):
        if actor.id != st.speaker.id:
            record.nodes.append(actor.node(source))
            record.edges.append(Edge(EdgeType.MENTIONS, cid, actor.id, sources=[source]))
    return record
