"""Mapping-driven loading: a small YAML or TOML file says where each field of a dataset we have never
seen lives, and its rows become claims, debunks, countries, narratives, outlets and speakers.

The mapping names, for CSV (any delimiter, quote character and encoding), a JSON document (the list
of records at a dotted path) or JSON Lines, which column or JSON path gives each field. See
docs/mapping.md for the format and docs/examples/ for a worked example.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graph.exc import InvalidIdError, InvalidInputError, LoadError
from graph.ids import make_id
from graph.model import Edge, Node, Source
from graph.ontology import ActorKind, EdgeType, NarrativeKind, NodeLabel
from loaders.actors import actor
from loaders.base import Loader, Record, Rejection, guarded
from loaders.claimreview import normalise_rating
from loaders.narratives import narrative_node
from loaders.resolve import claim_id, sentences
from loaders.tabular import (
    actor_links,
    country_links,
    file_source,
    keyword_links,
    languages,
    outlet_links,
    parse_date,
    read_rows,
    skipped_note,
    split_list,
    tidy_title,
)

TITLE_CHARS = 200


class FieldSpec(BaseModel):
    """Where one field comes from: a column (CSV) or dotted path (JSON), or a constant value."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    source: str | None = Field(
        None,
        alias="from",
        description="Column name, or dotted JSON path ('meta.title', 'authors[].name', 'tags.0')",
    )
    value: str | None = Field(None, description="A constant used for every record (a publisher's name)")
    separator: str | None = Field(None, description="Splits a cell into a list ('+', ',', '|')")
    format: list[str] = Field(default_factory=list, description="Date formats (strptime), tried in order")

    @field_validator("format", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


FIELD_NAMES = (
    "id",
    "title",
    "claim",
    "debunk",
    "date",
    "countries",
    "narrative",
    "subnarrative",
    "outlets",
    "speakers",
    "languages",
    "keywords",
    "url",
    "debunk_url",
    "publisher",
    "rating",
)
LIST_FIELDS = frozenset(
    {"countries", "narrative", "subnarrative", "outlets", "speakers", "languages", "keywords"}
)


class Fields(BaseModel):
    """The fields a mapping may give; each a column/path string or a `FieldSpec`."""

    model_config = ConfigDict(extra="forbid")

    id: FieldSpec | None = None
    title: FieldSpec | None = None
    claim: FieldSpec | None = None
    debunk: FieldSpec | None = None
    date: FieldSpec | None = None
    countries: FieldSpec | None = None
    narrative: FieldSpec | None = None
    subnarrative: FieldSpec | None = None
    outlets: FieldSpec | None = None
    speakers: FieldSpec | None = None
    languages: FieldSpec | None = None
    keywords: FieldSpec | None = None
    url: FieldSpec | None = None
    debunk_url: FieldSpec | None = None
    publisher: FieldSpec | None = None
    rating: FieldSpec | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"from": value} if isinstance(value, str) else value


class InputSpec(BaseModel):
    """How to read the data file."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["csv", "json", "jsonl"] | None = None  # default: from the file's extension
    encoding: str = "utf-8"
    delimiter: str = ","
    quotechar: str = '"'
    records: str = ""  # JSON: dotted path to the list of records ("" = the top level)


class MappingSpec(BaseModel):
    """A whole mapping file."""

    model_config = ConfigDict(extra="forbid")

    dataset: str = Field(..., min_length=1, description="Provenance name every node and edge records")
    input: InputSpec = Field(default_factory=InputSpec)
    fields: Fields
    required: list[Literal[FIELD_NAMES]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="Fields whose absence rejects a record (title or claim always)"
    )
    claim_key: Literal["auto", "title_date", "id", "text"] = "auto"
    narrative_kind: NarrativeKind = NarrativeKind.KEYWORD
    speaker_kind: ActorKind = ActorKind.PERSON


def load_mapping(path: Path) -> MappingSpec:
    """The mapping in a YAML or TOML file; `LoadError` naming the file and the bad key otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LoadError(f"cannot read the mapping: {exc.strerror or exc}", file=str(path)) from exc
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise LoadError(
            f"the mapping is not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}", file=str(path)
        ) from exc
    if not isinstance(data, dict):
        raise LoadError("the mapping must be a table of keys (dataset, input, fields)", file=str(path))
    try:
        return MappingSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise LoadError(f"bad mapping: {problems}", file=str(path)) from exc


# -- reading values out of a record ------------------------------------------------------------------


def get_path(obj: Any, path: str) -> Any:
    """The value at a dotted path: `a.b`, list items by index (`tags.0`), every item (`authors[].name`)."""
    current: Any = obj
    for part in [p for p in path.split(".") if p]:
        each = part.endswith("[]")
        key = part[:-2] if each else part
        if isinstance(current, list) and not key:
            pass
        elif isinstance(current, list) and key.isdigit():
            index = int(key)
            current = current[index] if index < len(current) else None
        elif isinstance(current, list):
            current = [item.get(key) for item in current if isinstance(item, dict)]
        elif isinstance(current, dict):
            current = current.get(key)
        else:
            return None
        if each and current is not None and not isinstance(current, list):
            current = [current]
        if current is None:
            return None
    return current


def _as_text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return "" if not isinstance(value, list) else ", ".join(_as_text(v) for v in value if v is not None)
    return str(value).strip()


class MappedRecord:
    """One input record seen through the mapping."""

    def __init__(self, spec: MappingSpec, raw: Mapping[str, Any], *, tabular: bool) -> None:
        self.spec = spec
        self.raw = raw
        self.tabular = tabular

    def _raw(self, name: str) -> Any:
        field: FieldSpec | None = getattr(self.spec.fields, name)
        if field is None:
            return None
        if field.value is not None:
            return field.value
        assert field.source is not None
        return self.raw.get(field.source) if self.tabular else get_path(self.raw, field.source)

    def text(self, name: str) -> str:
        return _as_text(self._raw(name))

    def items(self, name: str) -> list[str]:
        value = self._raw(name)
        if isinstance(value, list):
            return list(dict.fromkeys(_as_text(v) for v in value if _as_text(v)))
        field: FieldSpec | None = getattr(self.spec.fields, name)
        separator = field.separator if field is not None else None
        return split_list(_as_text(value), separator or "")


def mapped_record(rec: MappedRecord, source: Source, line: int | None) -> Record | Rejection:
    """What one mapped record contributes, or why it cannot be loaded."""
    spec = rec.spec
    for name in spec.required:
        if not (rec.items(name) if name in LIST_FIELDS else rec.text(name)):
            return Rejection(source.file, line, f"missing required field {name!r}")
    claim_text, title = rec.text("claim"), tidy_title(rec.text("title"))
    if not title and not claim_text:
        return Rejection(source.file, line, "missing required field 'title' (or 'claim')")
    record = Record(source.locator)
    if not title:
        first = sentences(claim_text)[0] if sentences(claim_text) else claim_text
        title = first if len(first) <= TITLE_CHARS else first[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    iso: str | None = None
    if rec.text("date"):
        date_field = spec.fields.date
        formats = date_field.format if date_field is not None and date_field.format else ["%Y-%m-%d"]
        try:
            iso = parse_date(rec.text("date"), formats)
        except ValueError as exc:
            return Rejection(source.file, line, f"field 'date': {exc}")
    key = spec.claim_key
    natural_id = rec.text("id")
    if key == "id" and not natural_id:
        return Rejection(source.file, line, "missing required field 'id' (claim_key is id)")
    try:
        if key == "id" or (key == "auto" and natural_id and not (title and iso)):
            cid = make_id(NodeLabel.CLAIM, spec.dataset, natural_id)
        elif key == "text":
            cid = claim_id(None, None, claim_text or title)
        else:
            cid = claim_id(title, iso, claim_text or title)
    except InvalidIdError as exc:
        return Rejection(source.file, line, f"claim cannot be keyed: {exc}")
    props = {
        "title": title,
        "text": claim_text or None,
        "date": iso,
        "url": rec.text("url") or None,
        "languages": languages(rec.items("languages")) or None,
        "keywords": rec.items("keywords") or None,
    }
    record.nodes.append(Node(cid, NodeLabel.CLAIM, {k: v for k, v in props.items() if v}, [source]))
    _add_debunk(rec, record, cid, source)
    nodes, edges, unresolved = country_links(cid, rec.items("countries"), source)
    record.nodes += nodes
    record.edges += edges
    record.notes += [
        f"{source.file}:{source.locator}: country {n!r} not recognised; left out" for n in unresolved
    ]
    nodes, edges, skipped = outlet_links(cid, rec.items("outlets"), source)
    record.nodes += nodes
    record.edges += edges
    record.notes += skipped_note(source, line or 0, "outlet", skipped)
    for speaker in rec.items("speakers"):
        try:
            nodes, edges = actor_links(
                cid, [actor(speaker, spec.speaker_kind)], EdgeType.ATTRIBUTED_TO, source, speaker
            )
        except InvalidIdError:
            record.notes += skipped_note(source, line or 0, "speaker", [speaker])
            continue
        record.nodes += nodes
        record.edges += edges
    nodes, edges = keyword_links(cid, rec.items("keywords"), source)
    record.nodes += nodes
    record.edges += edges
    _add_narratives(rec, record, cid, source)
    return record


def _add_debunk(rec: MappedRecord, record: Record, cid: str, source: Source) -> None:
    text, url, rating = rec.text("debunk"), rec.text("debunk_url"), rec.text("rating")
    if not (text or url or rating):
        return
    publisher = rec.text("publisher")
    props = {
        "text": text or f"Rated {rating or 'unrated'} by {publisher or rec.spec.dataset}",
        "url": url or None,
        "publisher": publisher or None,
        "rating": rating or None,
        "rating_value": normalise_rating(rating) if rating else None,
    }
    debunk = Node(
        make_id(NodeLabel.DEBUNK, url) if url else make_id(NodeLabel.DEBUNK, cid),
        NodeLabel.DEBUNK,
        {k: v for k, v in props.items() if v},
        [source],
    )
    record.nodes.append(debunk)
    record.edges.append(Edge(EdgeType.DEBUNKS, debunk.id, cid, sources=[source]))


def _narratives(
    names: list[str], kind: NarrativeKind, shared: Source, record: Record, source: Source
) -> list[Node]:
    """Narrative nodes for the names; a name with nothing to key it on (only quotes, say) is left
    out, and the record says so."""
    out = []
    for name in names:
        try:
            out.append(narrative_node(name, kind, shared))
        except InvalidInputError:
            record.notes.append(f"{source.file}:{source.locator}: narrative {name!r} has no words; left out")
    return out


def _add_narratives(rec: MappedRecord, record: Record, cid: str, source: Source) -> None:
    shared = file_source(source)
    kind = rec.spec.narrative_kind
    wider = _narratives(rec.items("narrative"), kind, shared, record, source)
    strands = _narratives(rec.items("subnarrative"), kind, shared, record, source)
    for node in [*wider, *strands]:
        if all(n.id != node.id for n in record.nodes):
            record.nodes.append(node)
            record.edges.append(Edge(EdgeType.PART_OF, cid, node.id, sources=[source]))
    for strand in strands:
        for parent in wider:
            if strand.id != parent.id:
                record.edges.append(Edge(EdgeType.SUBNARRATIVE_OF, strand.id, parent.id, sources=[source]))


class MappingLoader(Loader):
    """Any CSV, JSON or JSON Lines file, read as a mapping file says."""

    format = "mapping"
    dataset = "mapped"
    description = "CSV / JSON / JSONL read through a YAML or TOML mapping (--mapping FILE)"

    def __init__(self, mapping: Path) -> None:
        self.mapping_path = Path(mapping)
        self.spec = load_mapping(self.mapping_path)

    @classmethod
    def sniff(cls, path: Path, head: str) -> float:
        return 0.0  # chosen by --mapping, never guessed

    def _kind(self, path: Path) -> str:
        if self.spec.input.type:
            return self.spec.input.type
        suffix = path.suffix.lower()
        return {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix, "csv")

    def read(self, path: Path) -> Iterator[Record | Rejection]:
        kind = self._kind(path)
        if kind == "csv":
            yield from self._read_csv(path)
        else:
            try:
                encoding = self.spec.input.encoding
                # A byte-order mark is not JSON: read UTF-8 as utf-8-sig, as the CSV reader does.
                text = path.read_text(
                    encoding="utf-8-sig"
                    if encoding.lower().replace("_", "-") in {"utf-8", "utf8"}
                    else encoding
                )
            except UnicodeDecodeError as exc:
                yield Rejection(
                    path.name,
                    None,
                    f"bad encoding: not {self.spec.input.encoding} ({exc.reason} at byte {exc.start})",
                )
                return
            except LookupError as exc:
                raise LoadError(
                    f"unknown encoding in the mapping: {exc}", file=str(self.mapping_path)
                ) from exc
            if not text.strip():
                raise LoadError("the file is empty", file=str(path))
            yield from (self._read_json(path, text) if kind == "json" else self._read_jsonl(path, text))

    def _source(self, path: Path, locator: str) -> Source:
        return Source(self.spec.dataset, path.name, locator)

    def _read_csv(self, path: Path) -> Iterator[Record | Rejection]:
        columns = [
            f.source
            for f in (getattr(self.spec.fields, n) for n in FIELD_NAMES)
            if f is not None and f.source is not None
        ]
        inp = self.spec.input
        for item in read_rows(
            path, required=columns, delimiter=inp.delimiter, encoding=inp.encoding, quotechar=inp.quotechar
        ):
            if isinstance(item, Rejection):
                yield item
                continue
            rec = MappedRecord(self.spec, item.values, tabular=True)
            yield guarded(
                path.name,
                item.line,
                mapped_record,
                rec,
                self._source(path, f"line {item.line}"),
                item.line,
            )

    def _read_json(self, path: Path, text: str) -> Iterator[Record | Rejection]:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Rejection(path.name, exc.lineno, f"broken JSON: {exc.msg}", text[:500])
            return
        except RecursionError:
            yield Rejection(path.name, 1, "broken JSON: nested too deeply", text[:500])
            return
        items = get_path(doc, self.spec.input.records) if self.spec.input.records else doc
        if not isinstance(items, list):
            where = self.spec.input.records or "the top level"
            raise LoadError(f"no list of records at {where!r}", file=str(path))
        if not items:
            raise LoadError("the list of records is empty", file=str(path))
        pointer = "/" + "/".join(p.rstrip("[]") for p in self.spec.input.records.split(".") if p)
        for index, raw in enumerate(items):
            locator = f"{pointer.rstrip('/')}/{index}"
            if not isinstance(raw, dict):
                yield Rejection(path.name, None, f"{locator}: a record must be a JSON object")
                continue
            rec = MappedRecord(self.spec, raw, tabular=False)
            yield guarded(path.name, None, mapped_record, rec, self._source(path, locator), None)

    def _read_jsonl(self, path: Path, text: str) -> Iterator[Record | Rejection]:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Rejection(path.name, number, f"broken JSON: {exc.msg}", line[:500])
                continue
            except RecursionError:
                yield Rejection(path.name, number, "broken JSON: nested too deeply", line[:500])
                continue
            if not isinstance(raw, dict):
                yield Rejection(path.name, number, "a record must be a JSON object", line[:500])
                continue
            rec = MappedRecord(self.spec, raw, tabular=False)
            yield guarded(path.name, number, mapped_record, rec, self._source(path, f"line {number}"), number)
