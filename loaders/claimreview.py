"""schema.org ClaimReview: JSON-LD (an object, a list, an `@graph`, JSON Lines, or embedded in an HTML
page's `<script type="application/ld+json">`) and the ClaimsKG CSV export of the same fields.

Each review gives a Claim (`claimReviewed`, dated by the reviewed work, `ATTRIBUTED_TO` whoever made
it) and a Debunk (the review: publisher, URL, date, the rating as given and normalised) that
`DEBUNKS` it. Ratings come on every scale fact-checkers use ("Pants on Fire", "Half True", "Falso",
1 to 5); `normalise_rating` maps them to false, misleading, mixed, true or unrated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Final

from graph.exc import InvalidIdError, LoadError
from graph.ids import make_id, normalise
from graph.model import Edge, Node, Source
from graph.ontology import ActorKind, EdgeType, NodeLabel
from loaders.actors import actor
from loaders.base import Loader, Record, Rejection, guarded
from loaders.countries import find_countries
from loaders.resolve import claim_id
from loaders.tabular import (
    Row,
    actor_links,
    concerns,
    header_of,
    languages,
    parse_date,
    read_rows,
    split_list,
)

CSV_COLUMNS: Final = ("rating_alternateName", "claimReview_claimReviewed", "claimReview_url")
DATE_FORMATS: Final = ("%Y-%m-%d", "%d/%m/%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")
_NO_AUTHOR: Final = frozenset(
    {
        "",
        "multiple sources",
        "various sources",
        "various",
        "unknown",
        "anonymous",
        "social media users",
        "multiple people",
    }
)

# Ratings as fact-checkers write them -> normalised value; looked up whole first, then by phrase.
RATINGS: Final[Mapping[str, str]] = {
    "false": "false",
    "fake": "false",
    "pants on fire": "false",
    "pants on fire!": "false",
    "incorrect": "false",
    "not true": "false",
    "wrong": "false",
    "hoax": "false",
    "scam": "false",
    "fabricated": "false",
    "misattributed": "false",
    "baseless": "false",
    "disinformation": "false",
    "mostly false": "misleading",
    "partly false": "misleading",
    "partlyfalse": "misleading",
    "partially false": "misleading",
    "half false": "misleading",
    "somewhat false": "misleading",
    "misleading": "misleading",
    "missing context": "misleading",
    "lacks context": "misleading",
    "out of context": "misleading",
    "decontextualized": "misleading",
    "decontextualised": "misleading",
    "miscaptioned": "misleading",
    "altered image": "misleading",
    "altered photo": "misleading",
    "altered photo/video": "misleading",
    "altered video": "misleading",
    "manipulated": "misleading",
    "exaggerated": "misleading",
    "exaggeration": "misleading",
    "distorted": "misleading",
    "half true": "mixed",
    "half-true": "mixed",
    "mixture": "mixed",
    "mixed": "mixed",
    "partly true": "mixed",
    "partially true": "mixed",
    "somewhat true": "mixed",
    "unsupported": "mixed",
    "true": "true",
    "correct": "true",
    "accurate": "true",
    "mostly true": "true",
    "correct attribution": "true",
    "mostly correct": "true",
    "verified": "true",
    "unproven": "unrated",
    "unverified": "unrated",
    "unknown": "unrated",
    "other": "unrated",
    "legend": "unrated",
    "satire": "unrated",
    "originated as satire": "unrated",
    "labeled satire": "unrated",
    "research in progress": "unrated",
    "no evidence": "unrated",
    "outdated": "unrated",
    # Spanish, Portuguese, Italian, French, German, Dutch, Polish, Czech, Russian, Ukrainian
    "falso": "false",
    "falsa": "false",
    "faux": "false",
    "fausse": "false",
    "falsch": "false",
    "onwaar": "false",
    "fałsz": "false",
    "nepravda": "false",
    "ложь": "false",
    "неправда": "false",
    "фейк": "false",
    "engañoso": "misleading",
    "enganoso": "misleading",
    "fuorviante": "misleading",
    "trompeur": "misleading",
    "irreführend": "misleading",
    "misleidend": "misleading",
    "manipulacja": "misleading",
    "zavádějící": "misleading",
    "манипуляция": "misleading",
    "маніпуляція": "misleading",
    "impreciso": "mixed",
    "parcialmente falso": "misleading",
    "parcialmente verdadero": "mixed",
    "parcialmente verdadeiro": "mixed",
    "sin contexto": "misleading",
    "fuera de contexto": "misleading",
    "sem contexto": "misleading",
    "en partie faux": "misleading",
    "verdadero": "true",
    "verdadeiro": "true",
    "vero": "true",
    "vrai": "true",
    "richtig": "true",
    "wahr": "true",
    "waar": "true",
    "prawda": "true",
    "pravda": "true",
    "правда": "true",
    # Arabic and Hindi, as Fatabyyano and Vishvas News write them
    "زائف": "false",
    "كاذب": "false",
    "خطأ": "false",
    "مضلل": "misleading",
    "صحيح": "true",
    "فرجي": "false",
    "फर्जी": "false",
    "झूठ": "false",
    "गलत": "false",
    "भ्रामक": "misleading",
    "सच": "true",
    "सही": "true",
}
# Phrases searched inside a longer rating ("False, the photo is from 2015"), most specific first.
RATING_PHRASES: Final[tuple[tuple[str, str], ...]] = (
    ("pants on fire", "false"),
    ("mostly false", "misleading"),
    ("partly false", "misleading"),
    ("partially false", "misleading"),
    ("half true", "mixed"),
    ("mostly true", "true"),
    ("not true", "false"),
    ("missing context", "misleading"),
    ("misleading", "misleading"),
    ("satire", "unrated"),
    ("false", "false"),
    ("fake", "false"),
    ("incorrect", "false"),
    ("true", "true"),
    ("correct", "true"),
)


def normalise_rating(text: str | None, value: Any = None, best: Any = None, worst: Any = None) -> str:
    """false, misleading, mixed, true or unrated: from the rating's words, else its number on its scale."""
    key = re.sub(r"[\s.!]+$", "", normalise(text or ""))
    if key in RATINGS:
        return RATINGS[key]
    for phrase, rating in RATING_PHRASES:
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", key):
            return rating
    try:
        v, hi, lo = float(value), float(best if best not in (None, "") else 5), float(worst or 1)
    except (TypeError, ValueError):
        return "unrated"
    if hi == lo:
        return "unrated"
    share = (v - lo) / (hi - lo)
    return "false" if share < 0.2 else "misleading" if share < 0.45 else "mixed" if share < 0.7 else "true"


def _text(value: Any) -> str:
    """A JSON-LD value as text: a string, the name of an object, the first of a list."""
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("alternateName") or "")
    return "" if value is None else str(value).strip()


def _unquote(text: str) -> str:
    """A cell some scrapers wrap in an extra pair of quotes ('"False"'), without them."""
    text = text.strip()
    while len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text


def _types(obj: Mapping[str, Any]) -> set[str]:
    kinds = obj.get("@type", [])
    return {str(k).rsplit("/", 1)[-1] for k in (kinds if isinstance(kinds, list) else [kinds])}


class Review:
    """A ClaimReview's fields, however they arrived (JSON-LD object or ClaimsKG row)."""

    def __init__(self, **fields: Any) -> None:
        self.claim: str = fields.get("claim", "")
        self.headline: str = fields.get("headline", "")
        self.claim_date: str = fields.get("claim_date", "")
        self.claim_url: str = fields.get("claim_url", "")
        self.author: str = fields.get("author", "")
        self.author_kind: ActorKind = fields.get("author_kind", ActorKind.PERSON)
        self.publisher: str = fields.get("publisher", "")
        self.url: str = fields.get("url", "")
        self.date: str = fields.get("date", "")
        self.body: str = fields.get("body", "")
        self.rating: str = fields.get("rating", "")
        self.rating_value: str = fields.get("rating_value", "unrated")
        self.languages: list[str] = fields.get("languages", [])
        self.keywords: list[str] = fields.get("keywords", [])


def review_record(review: Review, source: Source, line: int | None) -> Record | Rejection:
    """The claim, its debunk and who made it; a `Rejection` without claim text or with a bad date."""
    record = Record(source.locator)
    title = review.claim or review.headline
    if not title:
        return Rejection(source.file, line, "missing required field 'claimReviewed' (and no headline)")
    if not review.claim:
        record.notes.append(
            f"{source.file}:{source.locator}: no claimReviewed; the review's headline stands for the claim"
        )
    try:
        claim_date = parse_date(review.claim_date, DATE_FORMATS) if review.claim_date else None
        review_date = parse_date(review.date, DATE_FORMATS) if review.date else None
    except ValueError as exc:
        return Rejection(source.file, line, str(exc))
    try:
        cid = claim_id(title, claim_date, title)
    except InvalidIdError as exc:
        return Rejection(source.file, line, f"claim cannot be keyed: {exc}")
    props = {
        "title": title,
        "text": review.claim or None,
        "date": claim_date,
        "url": review.claim_url or None,
        "languages": review.languages or None,
        "keywords": review.keywords or None,
    }
    record.nodes.append(Node(cid, NodeLabel.CLAIM, {k: v for k, v in props.items() if v}, [source]))
    debunk_key = (review.url,) if review.url else (review.publisher or "unknown publisher", cid)
    text = review.body or review.headline or f"Rated {review.rating or 'unrated'} by {review.publisher}"
    debunk_props = {
        "text": text,
        "url": review.url or None,
        "publisher": review.publisher or None,
        "rating": review.rating or None,
        "rating_value": review.rating_value,
        "date": review_date,
    }
    debunk = Node(
        make_id(NodeLabel.DEBUNK, *debunk_key),
        NodeLabel.DEBUNK,
        {k: v for k, v in debunk_props.items() if v},
        [source],
    )
    record.nodes.append(debunk)
    record.edges.append(Edge(EdgeType.DEBUNKS, debunk.id, cid, sources=[source]))
    author = review.author.strip()
    if normalise(author) not in _NO_AUTHOR and normalise(author) != normalise(review.publisher):
        try:
            nodes, edges = actor_links(
                cid, [actor(author, review.author_kind)], EdgeType.ATTRIBUTED_TO, source, author
            )
        except InvalidIdError:
            record.notes.append(
                f"{source.file}:{source.locator}: author {author!r} cannot be keyed; left out"
            )
        else:
            record.nodes += nodes
            record.edges += edges
    nodes, edges = concerns(cid, find_countries(title), source)
    record.nodes += nodes
    record.edges += edges
    return record


# -- ClaimsKG CSV --------------------------------------------------------------------------------


def review_from_row(row: Row) -> Review:
    def get(column: str) -> str:
        return _unquote(row.get(column))

    rating = get("rating_alternateName")
    return Review(
        claim=get("claimReview_claimReviewed"),
        headline=get("extra_title"),
        claim_date=get("creativeWork_datePublished"),
        author=get("creativeWork_author_name"),
        publisher=get("claimReview_author_name") or get("claimReview_source"),
        url=get("claimReview_url"),
        date=get("claimReview_datePublished"),
        body=get("extra_body"),
        rating=rating,
        rating_value=normalise_rating(
            rating, get("rating_ratingValue"), get("rating_bestRating"), get("rating_worstRating")
        ),
        keywords=split_list(get("extra_tags"), ","),
    )


# -- JSON-LD ---------------------------------------------------------------------------------------


def review_from_jsonld(obj: Mapping[str, Any], ids: Mapping[str, Mapping[str, Any]]) -> Review:
    def deref(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"@id"}:
            return ids.get(str(value["@id"]), value)
        return value

    item = deref(obj.get("itemReviewed")) or {}
    item = item if isinstance(item, dict) else {}
    author = deref(item.get("author")) or {}
    author = author[0] if isinstance(author, list) and author else author
    rating = deref(obj.get("reviewRating")) or {}
    rating = rating if isinstance(rating, dict) else {}
    publisher = deref(obj.get("author")) or deref(obj.get("publisher"))
    appearance = item.get("appearance") or item.get("firstAppearance") or item.get("url") or ""
    appearance = appearance[0] if isinstance(appearance, list) and appearance else appearance
    given = _text(rating.get("alternateName")) or _text(rating.get("ratingValue"))
    language = obj.get("inLanguage") or item.get("inLanguage")
    langs = [_text(x) for x in (language if isinstance(language, list) else [language]) if _text(x)]
    kind = (
        ActorKind.ORGANISATION
        if isinstance(author, dict)
        and _types(author) & {"Organization", "NewsMediaOrganization", "GovernmentOrganization"}
        else ActorKind.PERSON
    )
    return Review(
        claim=_text(obj.get("claimReviewed")) or _text(item.get("text")) or _text(item.get("name")),
        headline=_text(obj.get("headline")) or _text(obj.get("name")),
        claim_date=_text(item.get("datePublished")) or _text(item.get("dateCreated")),
        claim_url=(appearance.get("url", "") if isinstance(appearance, dict) else str(appearance)).strip(),
        author=_text(author),
        author_kind=kind,
        publisher=_text(publisher),
        url=_text(obj.get("url")),
        date=_text(obj.get("datePublished")),
        body=_text(obj.get("reviewBody")) or _text(obj.get("description")),
        rating=given,
        rating_value=normalise_rating(
            given, rating.get("ratingValue"), rating.get("bestRating"), rating.get("worstRating")
        ),
        languages=languages(langs),
    )


def claim_reviews(doc: Any, pointer: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every ClaimReview object in a JSON-LD document, with its JSON pointer, in document order."""
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            yield from claim_reviews(item, f"{pointer}/{i}")
    elif isinstance(doc, dict):
        if "ClaimReview" in _types(doc):
            yield pointer or "/", doc
            return
        for key in ("@graph", "mainEntity", "hasPart", "review"):
            if key in doc:
                yield from claim_reviews(doc[key], f"{pointer}/{key}")


def _index_ids(doc: Any, out: dict[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    if isinstance(doc, list):
        for item in doc:
            _index_ids(item, out)
    elif isinstance(doc, dict):
        if "@id" in doc and len(doc) > 1:
            out[str(doc["@id"])] = doc
        for value in doc.values():
            _index_ids(value, out)
    return out


class _Scripts(HTMLParser):
    """Collects `<script type="application/ld+json">` bodies and the line each starts on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[int, str]] = []
        self._line: int | None = None
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and any(
            k == "type" and (v or "").strip().lower() == "application/ld+json" for k, v in attrs
        ):
            self._line, self._parts = self.getpos()[0], []

    def handle_data(self, data: str) -> None:
        if self._line is not None:
            self._parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._line is not None:
            self.scripts.append((self._line, "".join(self._parts)))
            self._line = None


def _looks_like_html(head: str) -> bool:
    start = head.lstrip("\ufeff \t\r\n")[:200].lower()
    return start.startswith(("<!doctype html", "<html", "<head", "<body", "<meta", "<script", "<!--"))


class ClaimReviewLoader(Loader):
    """schema.org ClaimReview as JSON-LD (file, JSON Lines or HTML page) or as a ClaimsKG CSV."""

    format = "claimreview"
    dataset = "claimreview"
    description = "schema.org ClaimReview JSON-LD (object, list, @graph, JSONL, HTML) or ClaimsKG CSV"

    @classmethod
    def sniff(cls, path: Path, head: str) -> float:
        if set(CSV_COLUMNS) <= set(header_of(head)):
            return 0.95
        has_review = "ClaimReview" in head
        if _looks_like_html(head):
            return 0.9 if has_review and "application/ld+json" in head else 0.0
        if head.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
            return 0.9 if has_review else 0.0
        return 0.0

    def read(self, path: Path) -> Iterator[Record | Rejection]:
        with path.open("rb") as fh:
            head = fh.read(65536).decode("utf-8", errors="replace")
        if not head.strip():
            raise LoadError("the file is empty", file=str(path))
        if set(CSV_COLUMNS) <= set(header_of(head)):
            yield from self._read_csv(path)
            return
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            yield Rejection(path.name, None, f"bad encoding: not UTF-8 ({exc.reason} at byte {exc.start})")
            return
        if _looks_like_html(text):
            yield from self._read_html(path, text)
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            yield from self._read_jsonl(path, text)
        else:
            yield from self._read_document(path, text, 1, "", unit="file")

    def _read_csv(self, path: Path) -> Iterator[Record | Rejection]:
        for item in read_rows(path, required=CSV_COLUMNS):
            if isinstance(item, Rejection):
                yield item
                continue
            source = Source(self.dataset, path.name, f"line {item.line}")
            yield guarded(path.name, item.line, review_record, review_from_row(item), source, item.line)

    def _read_document(
        self, path: Path, text: str, first_line: int, prefix: str, *, unit: str | None = None
    ) -> Iterator[Record | Rejection]:
        """The reviews in one JSON text. `unit` names what a text without any is (a JSON Lines line is
        rejected; a page's other scripts, breadcrumbs and the like, are not reviews and pass)."""
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Rejection(path.name, first_line + exc.lineno - 1, f"broken JSON: {exc.msg}", text[:500])
            return
        except RecursionError:
            yield Rejection(path.name, first_line, "broken JSON: nested too deeply", text[:500])
            return
        ids = _index_ids(doc, {})
        found = False
        for pointer, obj in claim_reviews(doc):
            found = True
            source = Source(self.dataset, path.name, f"{prefix}{pointer}")
            yield guarded(
                path.name, first_line, review_record, review_from_jsonld(obj, ids), source, first_line
            )
        if not found and unit == "file":
            raise LoadError("no ClaimReview in this JSON", file=str(path))
        if not found and unit is not None:
            yield Rejection(path.name, first_line, f"no ClaimReview in this {unit}", text[:500])

    def _read_jsonl(self, path: Path, text: str) -> Iterator[Record | Rejection]:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield from self._read_document(path, line, number, f"line {number} ", unit="line")

    def _read_html(self, path: Path, text: str) -> Iterator[Record | Rejection]:
        parser = _Scripts()
        parser.feed(text)
        parser.close()
        if not parser.scripts:
            raise LoadError('no <script type="application/ld+json"> in this page', file=str(path))
        yielded = 0
        for number, (line, body) in enumerate(parser.scripts, start=1):
            for item in self._read_document(path, body, line, f"script {number} "):
                yielded += 1
                yield item
        if not yielded:
            raise LoadError("no ClaimReview in this page's JSON-LD", file=str(path))
