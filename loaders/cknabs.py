"""The cknabs EUvsDisinfo scrape: `posts.csv` (case metadata) and its publications files.

`posts.csv` has one case per row: date, id (the case URL), title, and `+`-joined countries, keywords,
languages and outlets; the older `posts_2020-09-17.csv` writes the lists as Python lists instead. A
case's Claim is keyed on its normalised title and date, like every EUvsDisinfo case, so the same case
from the kalkun export is the same node; the case URL is kept as its `url`.

The publications files (`id,publication[,archive]`) add the outlet's article URL to PUBLISHED_BY.
They name the case only by URL, so they are read beside the posts file of the same scrape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from graph.exc import LoadError
from graph.ids import make_id, normalise
from graph.model import Node, Source
from graph.ontology import NodeLabel
from loaders.actors import name_key
from loaders.base import Loader, Record, Rejection, guarded
from loaders.resolve import claim_id
from loaders.tabular import (
    Row,
    country_links,
    header_of,
    keyword_links,
    languages,
    outlet_links,
    parse_date,
    read_rows,
    skipped_note,
    split_list,
    tidy_title,
)

POSTS_COLUMNS = ("date", "id", "title", "countries", "keywords", "languages", "outlets")
PUBLICATION_COLUMNS = ("id", "publication")
SEPARATOR = "+"
_WORD = re.compile(r"[a-z0-9]{3,}")


def _case_key(row: Row) -> tuple[str, str] | None:
    """A row's (title, ISO date) key, or None when either is missing or bad."""
    title = tidy_title(row.get("title"))
    try:
        return (normalise(title), parse_date(row.get("date"))) if title else None
    except ValueError:
        return None


def primary_cases(path: Path) -> dict[tuple[str, str], str]:
    """For each title and date, the case URL that owns the plain claim id.

    EUvsDisinfo sometimes files one claim as several cases on one day (one per language or outlet:
    `…-in-latvia/` and `…-in-latvia-2/`). Each case is a Claim of its own; the shortest URL (then the
    first in order) is keyed on title and date alone, so another dataset's copy of the case meets it,
    and the others add their URL to the key. Decided from the whole file, so row order does not matter.
    """
    return _owners(read_rows(path, required=POSTS_COLUMNS))


def _owners(items: Iterable[Row | Rejection]) -> dict[tuple[str, str], str]:
    owners: dict[tuple[str, str], str] = {}
    for item in items:
        if isinstance(item, Rejection) or (key := _case_key(item)) is None:
            continue
        url = item.get("id")
        if key not in owners or (len(url), url) < (len(owners[key]), owners[key]):
            owners[key] = url
    return owners


def _posts_record(row: Row, source: Source, owners: dict[tuple[str, str], str]) -> Record | Rejection:
    title = tidy_title(row.get("title"))
    if not title:
        return Rejection(source.file, row.line, "missing required field 'title'")
    if not row.get("date"):
        return Rejection(source.file, row.line, "missing required field 'date'")
    try:
        iso = parse_date(row.get("date"))
    except ValueError as exc:
        return Rejection(source.file, row.line, f"field 'date': {exc}")
    url = row.get("id")
    if owners.get((normalise(title), iso), url) == url:
        cid = claim_id(title, iso)
    else:
        cid = make_id(NodeLabel.CLAIM, title, iso, url)
    keywords = split_list(row.get("keywords"), SEPARATOR)
    props = {
        "title": title,
        "date": iso,
        "url": url or None,
        "languages": languages(split_list(row.get("languages"), SEPARATOR)) or None,
        "keywords": keywords or None,
    }
    claim = Node(cid, NodeLabel.CLAIM, {k: v for k, v in props.items() if v}, [source])
    record = Record(source.locator, [claim])
    nodes, edges, unresolved = country_links(cid, split_list(row.get("countries"), SEPARATOR), source)
    record.nodes += nodes
    record.edges += edges
    record.notes += [
        f"{source.file}:{row.line}: country {name!r} not recognised; left out" for name in unresolved
    ]
    nodes, edges, skipped = outlet_links(cid, split_list(row.get("outlets"), SEPARATOR), source)
    record.nodes += nodes
    record.edges += edges
    record.notes += skipped_note(source, row.line, "outlet", skipped)
    nodes, edges = keyword_links(cid, keywords, source)
    record.nodes += nodes
    record.edges += edges
    return record


class CknabsPostsLoader(Loader):
    """cknabs `posts.csv`: EUvsDisinfo case metadata, one case per row."""

    format = "cknabs-posts"
    dataset = "euvsdisinfo-cknabs"
    description = "EUvsDisinfo case metadata (cknabs posts.csv: date,id,title,countries,keywords,...)"

    @classmethod
    def sniff(cls, path: Path, head: str) -> float:
        header = header_of(head)
        if header[: len(POSTS_COLUMNS)] == list(POSTS_COLUMNS):
            return 0.95
        return 0.6 if set(POSTS_COLUMNS) <= set(header) else 0.0

    def read(self, path: Path) -> Iterator[Record | Rejection]:
        # Which case owns each title and date is decided from the whole file before the first
        # record, so the file is read once and its rows kept (a case database, not a firehose).
        items = list(read_rows(path, required=POSTS_COLUMNS))
        owners = _owners(items)
        name = path.name
        for item in items:
            if isinstance(item, Rejection):
                yield item
                continue
            source = Source(self.dataset, name, f"line {item.line}")
            yield guarded(name, item.line, _posts_record, item, source, owners)


@dataclass(frozen=True, slots=True)
class _Case:
    id: str
    title: str
    date: str
    outlets: tuple[str, ...]


def companion_posts(path: Path) -> Path:
    """The posts file of the same scrape as a publications file: same date suffix, else `posts.csv`."""
    suffix = path.stem.partition("_")[2]
    candidates = [path.with_name(f"posts_{suffix}.csv")] if suffix else []
    candidates.append(path.with_name("posts.csv"))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise LoadError(
        "a publications file is read beside its posts file, and none was found "
        f"(looked for {', '.join(c.name for c in candidates)})",
        file=str(path),
    )


def _cases(posts: Path) -> dict[str, _Case]:
    """Case URL -> what the posts file says of it (its bad rows are the posts load's to report)."""
    owners = primary_cases(posts)
    cases: dict[str, _Case] = {}
    for item in read_rows(posts, required=POSTS_COLUMNS):
        if isinstance(item, Rejection) or not item.get("id"):
            continue
        record = _posts_record(item, Source("", posts.name), owners)
        if isinstance(record, Rejection):
            continue
        claim = record.nodes[0]
        outlets = tuple(split_list(item.get("outlets"), SEPARATOR))
        cases[item.get("id")] = _Case(claim.id, claim.properties["title"], claim.properties["date"], outlets)
    return cases


def match_outlet(url: str, outlets: tuple[str, ...]) -> str | None:
    """The case's outlet an article URL belongs to: the only one, else the one its host names."""
    if len(outlets) == 1:
        return outlets[0]
    host = name_key((urlparse(url).hostname or "").removeprefix("www."))
    best: tuple[int, str] | None = None
    for name in outlets:
        key = name_key(name)
        score = (
            len(key)
            if key and (key in host or host in key)
            else max((len(w) for w in _WORD.findall(name.casefold()) if w in host), default=0)
        )
        if score and (best is None or score > best[0]):
            best = (score, name)
    return best[1] if best else None


class CknabsPublicationsLoader(Loader):
    """cknabs publications files (`id,publication[,archive]`): outlet article URLs per case."""

    format = "cknabs-publications"
    dataset = "euvsdisinfo-cknabs"
    description = "EUvsDisinfo outlet article URLs (cknabs publications_*.csv, read beside posts*.csv)"

    def __init__(self, posts: Path | None = None) -> None:
        self.posts = posts

    @classmethod
    def sniff(cls, path: Path, head: str) -> float:
        header = header_of(head)
        if header in (["id", "publication", "archive"], ["id", "publication"]):
            return 0.95 if "euvsdisinfo.eu/report/" in head else 0.7
        return 0.0

    def read(self, path: Path) -> Iterator[Record | Rejection]:
        posts = self.posts or companion_posts(path)
        cases = _cases(posts)
        for item in read_rows(path, required=PUBLICATION_COLUMNS):
            if isinstance(item, Rejection):
                yield item
                continue
            case_url, article = item.get("id"), item.get("publication")
            if not case_url or not article:
                missing = "id" if not case_url else "publication"
                yield Rejection(path.name, item.line, f"missing required field {missing!r}")
                continue
            case = cases.get(case_url)
            if case is None:
                yield Rejection(path.name, item.line, f"case {case_url} is not in {posts.name}")
                continue
            source = Source(self.dataset, path.name, f"line {item.line}")
            cid = case.id
            # Defaults only: this file must not overwrite what the posts file says about the case.
            claim = Node(
                cid,
                NodeLabel.CLAIM,
                {},
                [source],
                defaults={"title": case.title, "date": case.date, "url": case_url},
            )
            record = Record(source.locator, [claim])
            name = match_outlet(article, case.outlets)
            if name is None:
                record.notes.append(
                    f"{path.name}:{item.line}: article {article} matches none of the "
                    f"case's outlets ({', '.join(case.outlets) or 'none listed'}); left out"
                )
                yield record
                continue
            nodes, edges, skipped = outlet_links(cid, [name], source, {name: article})
            record.notes += skipped_note(source, item.line, "outlet", skipped)
            record.nodes += nodes
            record.edges += edges
            yield record
