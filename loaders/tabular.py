"""What the tabular loaders share: reading CSV rows safely, dates, lists, and the common edges.

`read_rows` turns a CSV file into `(line, row)` pairs or `Rejection`s: a wrong column count, bad
bytes or a broken quote rejects one row and the rest go on; an empty file or one without the columns
a format needs is a `LoadError` naming the file. The record builders here (countries, outlets,
keywords, languages) are the same for every dataset so that two datasets naming the same country,
outlet or keyword meet in one node.
"""

from __future__ import annotations

import ast
import csv
import re
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import pycountry

from graph.exc import InvalidIdError, LoadError
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NarrativeKind
from loaders.actors import ActorRef, outlet
from loaders.base import Rejection
from loaders.countries import CountryRef, resolve_country, with_parents
from loaders.narratives import narrative_node, split_keywords

_BAD_BYTES = re.compile("[\udc80-\udcff]")  # what surrogateescape turns undecodable bytes into
# Languages the data names in forms ISO 639 does not list, or splits into two ("Spanish+Castilian").
_LANGUAGE_ALIASES = {
    "castilian": "Spanish",
    "moldavian": "Romanian",
    "moldovan": "Romanian",
    "flemish": "Dutch",
    "kyrgyz": "Kirghiz",
    "farsi": "Persian",
}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
T = TypeVar("T")


@dataclass(slots=True)
class Row:
    """One CSV row: the physical line it starts on and its values by column name."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


def read_head(path: Path, size: int = 65536) -> str:
    """The first bytes of a file as text (undecodable bytes replaced), for sniffing."""
    with path.open("rb") as fh:
        return fh.read(size).decode("utf-8", errors="replace")


def header_of(head: str, delimiter: str = ",") -> list[str]:
    """The column names on the first line of a sniffed head."""
    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    try:
        return [c.strip() for c in next(csv.reader([first], delimiter=delimiter))]
    except (csv.Error, StopIteration):
        return []


def read_rows(
    path: Path,
    *,
    required: Collection[str] = (),
    delimiter: str = ",",
    encoding: str = "utf-8",
    quotechar: str = '"',
) -> Iterator[Row | Rejection]:
    """The file's data rows, each with the line it starts on; a `Rejection` for each bad one."""
    name = str(path)
    enc = "utf-8-sig" if encoding.replace("_", "-").lower() in {"utf-8", "utf8"} else encoding
    try:
        fh = path.open(encoding=enc, errors="surrogateescape", newline="")
    except (OSError, LookupError) as exc:
        raise LoadError(f"cannot open: {exc}", file=name) from exc
    with fh:
        reader = csv.reader(fh, delimiter=delimiter, quotechar=quotechar)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise LoadError("the file is empty", file=name) from None
        except csv.Error as exc:
            raise LoadError(f"unreadable header: {exc}", file=name) from exc
        if not any(header):
            raise LoadError("the first line is not a header", file=name)
        missing = [c for c in required if c not in header]
        if missing:
            raise LoadError(
                f"not the expected columns: missing {', '.join(missing)} (header is {', '.join(header)})",
                file=name,
                line=1,
            )
        rows = 0
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield Rejection(name, start, f"malformed CSV: {exc}")
                continue
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # a blank line is not a row
            rows += 1
            raw = delimiter.join(cells)
            if _BAD_BYTES.search(raw):  # joining cannot make or hide a lone surrogate
                yield Rejection(
                    name,
                    start,
                    f"bad encoding: bytes that are not {encoding}",
                    raw.encode("utf-8", "replace").decode("utf-8"),
                )
            elif len(cells) != len(header):
                yield Rejection(
                    name, start, f"wrong column count: {len(cells)} values for {len(header)} columns", raw
                )
            else:
                yield Row(start, dict(zip(header, cells, strict=True)))
        if rows == 0:
            raise LoadError("the file has a header but no rows", file=name)


def parse_date(text: str, formats: Sequence[str] = ("%Y-%m-%d",)) -> str:
    """The ISO date of a date string in one of the formats, or in any ISO 8601 form (a date-time
    too); `ValueError` naming the text if none fits."""
    # Rows repeat dates by the hundred, and strptime is slow: each text is parsed once.
    return _parse_date(text, formats if isinstance(formats, tuple) else tuple(formats))


@lru_cache(maxsize=65536)
def _parse_date(text: str, formats: tuple[str, ...]) -> str:
    value = text.strip()
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        raise ValueError(f"unparseable date {value!r}") from None


def split_list(text: str, separator: str) -> list[str]:
    """The items of a joined list cell, stripped, empty ones left out, order and duplicates kept once.

    A cell written as a Python or JSON list ("['Russia', 'US']") is read as that list whatever the
    separator, as older scrapes store lists that way.
    """
    value = text.strip()
    if not value:
        return []
    items: list[str]
    if separator and separator not in value and value[0] != "[":
        return [value]  # one item, already stripped
    if value.startswith("[") and value.endswith("]"):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            parsed = None
        if isinstance(parsed, list):
            items = [str(p) for p in parsed]
        else:
            items = value.split(separator)
    else:
        items = value.split(separator) if separator else [value]
    unique = dict.fromkeys(map(str.strip, items))
    unique.pop("", None)
    return list(unique)


@lru_cache(maxsize=4096)
def language_name(name: str) -> str:
    """A language as ISO 639 names it ("ru" -> "Russian", "Castilian" -> "Spanish"), else as given."""
    value = " ".join(name.split())
    alias = _LANGUAGE_ALIASES.get(value.casefold())
    if alias:
        return alias
    try:
        found = pycountry.languages.lookup(value)
    except LookupError:
        return value
    return str(found.name).split(";")[0]


def languages(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(language_name(i) for i in items if i.strip()))


# -- the record pieces every tabular dataset shares ---------------------------------------------
# Countries, outlets and narratives are shared by thousands of rows: their nodes carry file-level
# provenance (dataset and file), the row that names them is on the edge. Per-row sources on a node
# like Russia would grow by one entry per row and make every later write of it slower.


def tidy_title(title: str) -> str:
    """A title as a claim key wants it: white space collapsed, a closing full stop dropped (one
    export writes "NATO is encircling Russia.", another the same case without the stop)."""
    text = " ".join(title.split())
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("..") else text


# Shared nodes are built once per file and the same instance goes into every row's record, so
# `coalesce` folds the repeats without merging them. Safe because nothing downstream changes a
# record's node in place (the runner builds a new node when it must change one). Bounded: a long
# process loading many files starts afresh rather than growing without end.
_SHARED_LIMIT = 65536
_file_sources: dict[tuple[str, str], Source] = {}
_shared_nodes: dict[tuple[object, ...], Node] = {}
# Keyed by the ref's identity (hashing a frozen dataclass runs Python code): the entry holds the ref,
# so its id cannot be reused while the entry lives, and a hit is checked to be that very ref.
_by_ref: dict[tuple[int, str, str, str], tuple[object, Node]] = {}
# What a keyword links a claim to, per file: an edge type and shared node, or a country.
_keyword_links: dict[tuple[str, str, str], tuple[EdgeType, Node] | CountryRef] = {}
# What a cell's list of names links a claim to (many rows repeat a cell: "Russia+Ukraine"): the edge
# type and shared node of each link, and the names left out.
_Plan = tuple[tuple[tuple[EdgeType, Node], ...], tuple[str, ...]]
_plans: dict[tuple[object, ...], _Plan] = {}


def file_source(source: Source) -> Source:
    """The file-level provenance shared nodes carry (one instance per file)."""
    key = (source.dataset, source.file)
    shared = _file_sources.get(key)
    if shared is None:
        if len(_file_sources) >= _SHARED_LIMIT:
            _file_sources.clear()
        shared = _file_sources[key] = Source(source.dataset, source.file)
    return shared


def _keep(key: tuple[object, ...], node: Node) -> Node:
    if len(_shared_nodes) >= _SHARED_LIMIT:
        _shared_nodes.clear()
    _shared_nodes[key] = node
    return node


def _ref_node(ref: CountryRef | ActorRef, seen_as: str, shared: Source) -> Node | None:
    hit = _by_ref.get((id(ref), seen_as, shared.dataset, shared.file))
    return hit[1] if hit is not None and hit[0] is ref else None


def _keep_ref_node(ref: CountryRef | ActorRef, seen_as: str, shared: Source, node: Node) -> Node:
    if len(_by_ref) >= _SHARED_LIMIT:
        _by_ref.clear()
    _by_ref[(id(ref), seen_as, shared.dataset, shared.file)] = (ref, node)
    return node


def _plan(key: tuple[object, ...]) -> _Plan | None:
    return _plans.get(key)


def _keep_plan(key: tuple[object, ...], plan: _Plan) -> _Plan:
    if len(_plans) >= _SHARED_LIMIT:
        _plans.clear()
    _plans[key] = plan
    return plan


def _linked(claim: str, plan: _Plan, source: Source) -> tuple[list[Node], list[Edge], list[str]]:
    links, left_out = plan
    nodes = [node for _, node in links]
    edges = [Edge(edge_type, claim, node.id, {}, [source], {}) for edge_type, node in links]
    return nodes, edges, list(left_out)


def _country_node(ref: CountryRef, shared: Source) -> Node:
    node = _ref_node(ref, "", shared)
    return node if node is not None else _keep_ref_node(ref, "", shared, ref.node(shared))


def _narrative_node(name: str, kind: NarrativeKind, shared: Source) -> Node:
    key = (name, kind, shared.dataset, shared.file)
    node = _shared_nodes.get(key)
    return node if node is not None else _keep(key, narrative_node(name, kind, shared))


@lru_cache(maxsize=65536)
def _country(name: str) -> CountryRef | None:
    return resolve_country(name)


@lru_cache(maxsize=65536)
def _outlet(name: str) -> tuple[ActorRef, str] | None:
    ref = outlet(name)
    try:
        return ref, ref.id
    except InvalidIdError:  # a name the actor key cannot spell (no letters or digits it keeps)
        return None


@lru_cache(maxsize=65536)
def _keyword(keyword: str) -> tuple[str, CountryRef | ActorRef | str]:
    split = split_keywords([keyword])
    if split.countries:
        return "country", split.countries[0]
    if split.actors:
        return "actor", split.actors[0]
    return "narrative", split.narratives[0] if split.narratives else keyword


def _resolve_each(
    names: Iterable[str], resolve: Callable[[str], T | None]
) -> tuple[list[tuple[str, T]], tuple[str, ...]]:
    """Each name with what it resolves to, in order, and the names that resolve to nothing."""
    found: list[tuple[str, T]] = []
    left_out: list[str] = []
    for name in names:
        resolved = resolve(name)
        if resolved is None:
            left_out.append(name)
        else:
            found.append((name, resolved))
    return found, tuple(left_out)


def country_links(
    claim: str, names: Iterable[str], source: Source
) -> tuple[list[Node], list[Edge], list[str]]:
    """Country nodes and CONCERNS edges for the names (a region brings the country it lies in), and
    the names that resolved to nothing."""
    shared = file_source(source)
    key = ("countries", tuple(names), shared.dataset, shared.file)
    plan = _plan(key)
    if plan is None:
        found, unresolved = _resolve_each(key[1], _country)
        refs = [ref for _, ref in found]
        links = tuple((EdgeType.CONCERNS, _country_node(ref, shared)) for ref in with_parents(refs))
        plan = _keep_plan(key, (links, unresolved))
    return _linked(claim, plan, source)


def concerns(claim: str, refs: Iterable[CountryRef], source: Source) -> tuple[list[Node], list[Edge]]:
    shared = file_source(source)
    nodes = [_country_node(ref, shared) for ref in with_parents(refs)]
    return nodes, [Edge(EdgeType.CONCERNS, claim, n.id, {}, [source], {}) for n in nodes]


def outlet_links(
    claim: str, names: Iterable[str], source: Source, urls: dict[str, str] | None = None
) -> tuple[list[Node], list[Edge], list[str]]:
    """Outlet actors and PUBLISHED_BY edges (`urls` gives an outlet's article URL by outlet name),
    and the names no actor id could be made from."""
    shared = file_source(source)
    key = ("outlets", tuple(names), shared.dataset, shared.file)
    plan = _plan(key)
    if plan is None:
        found, skipped = _resolve_each(key[1], _outlet)
        links = tuple((EdgeType.PUBLISHED_BY, _actor_node(ref, name, shared)) for name, (ref, _) in found)
        plan = _keep_plan(key, (links, skipped))
    if not urls:
        return _linked(claim, plan, source)
    nodes: list[Node] = []
    edges: list[Edge] = []
    resolvable = [name for name in key[1] if _outlet(name) is not None]
    for name, (edge_type, node) in zip(resolvable, plan[0], strict=True):
        url = urls.get(name)
        nodes.append(node)
        edges.append(Edge(edge_type, claim, node.id, {"url": url} if url else {}, [source], {}))
    return nodes, edges, list(plan[1])


def skipped_note(source: Source, line: int, what: str, names: Iterable[str]) -> list[str]:
    return [f"{source.file}:{line}: {what} {name!r} cannot be keyed; left out" for name in names]


@lru_cache(maxsize=65536)
def _actor_template(ref: ActorRef, seen_as: str) -> Node:
    return ref.node(Source("", ""), seen_as=[seen_as] if seen_as else [])


def _actor_node(ref: ActorRef, seen_as: str, shared: Source) -> Node:
    # Building an actor node keys its name each time; rows name the same few thousand actors.
    node = _ref_node(ref, seen_as, shared)
    if node is None:
        template = _actor_template(ref, seen_as)
        node = _keep_ref_node(
            ref,
            seen_as,
            shared,
            Node(template.id, template.label, dict(template.properties), [shared], dict(template.defaults)),
        )
    return node


def actor_links(
    claim: str, refs: Iterable[ActorRef], edge_type: EdgeType, source: Source, seen_as: str = ""
) -> tuple[list[Node], list[Edge]]:
    """Actor nodes and one edge of `edge_type` (ATTRIBUTED_TO, MENTIONS) from the claim to each."""
    shared = file_source(source)
    nodes = [_actor_node(ref, seen_as, shared) for ref in refs]
    return nodes, [Edge(edge_type, claim, n.id, {}, [source], {}) for n in nodes]


def keyword_links(claim: str, keywords: Iterable[str], source: Source) -> tuple[list[Node], list[Edge]]:
    """Each keyword where it belongs (loaders/narratives.py decides): a country or region it names
    is CONCERNS, a person or organisation MENTIONS, anything else PART_OF a keyword Narrative."""
    shared = file_source(source)
    key = ("keywords", tuple(keywords), shared.dataset, shared.file)
    plan = _plan(key)
    if plan is None:
        links: list[tuple[EdgeType, Node]] = []
        countries: list[CountryRef] = []
        for keyword in key[1]:
            link = _keyword_link(keyword, shared)
            if isinstance(link, CountryRef):
                countries.append(link)
            else:
                links.append(link)
        links += [(EdgeType.CONCERNS, _country_node(ref, shared)) for ref in with_parents(countries)]
        plan = _keep_plan(key, (tuple(links), ()))
    nodes, edges, _ = _linked(claim, plan, source)
    return nodes, edges


def _keyword_link(keyword: str, shared: Source) -> tuple[EdgeType, Node] | CountryRef:
    key = (keyword, shared.dataset, shared.file)
    link = _keyword_links.get(key)
    if link is None:
        _, target = _keyword(keyword)
        if isinstance(target, CountryRef):
            link = target
        elif isinstance(target, ActorRef):
            link = (EdgeType.MENTIONS, _actor_node(target, keyword, shared))
        else:
            link = (EdgeType.PART_OF, _narrative_node(target, NarrativeKind.KEYWORD, shared))
        if len(_keyword_links) >= _SHARED_LIMIT:
            _keyword_links.clear()
        _keyword_links[key] = link
    return link
