"""The load pipeline: files → loader records → claim identity and references → chunked upserts.

Each chunk of records is one `store.upsert` (all or nothing), inside one `store.bulk()` for the run.
When a chunk fails, its records are written one by one so only the bad ones are rejected: reported as
`file:line: reason`, appended to the rejects file (JSONL), and the load goes on unless `strict`.

Claims meet across files and datasets in three ways, tried in order for every loaded claim:
its natural id is already stored; it is listed in a stored claim's `aliases`; or it completes a
reference stub whose words one of its sentences contains (it then takes the stub's id and records its
own in `aliases`, so a re-load finds it again). References ("such as claims that …") resolve against
every claim stored or loaded so far, else become stubs.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from graph.exc import LoadError, NarrativeGraphError, RejectedRowError, StoreUnavailableError
from graph.gcpause import gc_paused
from graph.ids import normalise
from graph.model import Edge, Node
from graph.ontology import EdgeType, NodeLabel, SimilarityMethod
from graph.settings import Settings
from graph.store import GraphStore, WriteResult
from loaders.base import Loader, Record, Rejection
from loaders.registry import choose_loader
from loaders.resolve import ClaimMatcher, claim_id

CHUNK_RECORDS = 500
_PAGE = 1000
ProgressHook = Callable[[str, int], None]


@dataclass(slots=True)
class FileReport:
    """What one file gave."""

    path: str
    format: str
    chosen_by: str  # "auto (confidence 0.95)" or "--format"
    records: int = 0
    rejected: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LoadReport:
    """What a load did, file by file and in all."""

    files: list[FileReport] = field(default_factory=list)
    written: WriteResult = field(default_factory=WriteResult)
    rejections: list[Rejection] = field(default_factory=list)
    removed: int = 0  # nodes and edges `replace` removed first
    skipped: list[str] = field(default_factory=list)  # documentation passed over in walked folders
    linked: str | None = None  # what the similarity linker reported, if it ran
    elapsed: float = 0.0

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        w = self.written
        return {
            "files": [
                {
                    "path": f.path,
                    "format": f.format,
                    "chosen_by": f.chosen_by,
                    "records": f.records,
                    "rejected": f.rejected,
                    "notes": f.notes,
                }
                for f in self.files
            ],
            "records": self.records,
            "rejected": self.rejected,
            "nodes_created": dict(sorted(w.nodes_created.items())),
            "nodes_updated": dict(sorted(w.nodes_updated.items())),
            "edges_created": dict(sorted(w.edges_created.items())),
            "edges_updated": dict(sorted(w.edges_updated.items())),
            "rejections": [str(r) for r in self.rejections],
            "removed": self.removed,
            "linked": self.linked,
            "elapsed_seconds": round(self.elapsed, 3),
        }


# Documentation that sits beside data in a folder (a dataset's README or SCHEMA): passed over when a
# directory is walked, and said so; named explicitly, such a file is loaded (or refused) like any other.
_DOCUMENTATION = re.compile(r"^(readme|schema|license|licence|changelog)\b.*|.*\.md$", re.IGNORECASE)


def walk(paths: Sequence[Path], skipped: list[Path] | None = None) -> list[Path]:
    """The files to load: each file given, and every visible data file under each directory, sorted.

    Documentation files found in a directory go to `skipped` (when given) instead."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if not p.is_file() or any(part.startswith(".") for part in p.relative_to(path).parts):
                    continue
                if _DOCUMENTATION.match(p.name):
                    if skipped is not None:
                        skipped.append(p)
                    continue
                out.append(p)
        elif path.is_file():
            out.append(path)
        else:
            raise LoadError("no such file or directory", file=str(path))
    if not out:
        raise LoadError("no files to load", file=", ".join(str(p) for p in paths))
    return out


class Runner:
    """Loads files into one store."""

    def __init__(
        self,
        store: GraphStore,
        settings: Settings | None = None,
        *,
        strict: bool = False,
        rejects: Path | None = None,
        replace: bool = False,
        link: bool = True,
        progress: ProgressHook | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.strict = strict
        self.rejects = rejects
        self.replace = replace
        self.link = link
        self.progress = progress
        self._reset()

    def _reset(self) -> None:
        """Forgets what an earlier run learnt of the store: it may have changed since."""
        self._matcher = ClaimMatcher()
        self._full_index = False  # every stored claim indexed (needed only once a reference appears)
        self._aliases: dict[str, str] = {}
        self._loaded: set[str] = set()
        self._excerpt_ids: set[str] = set()
        self._excerpt_titles: dict[str, str] = {}
        self._pending: list[Node] = []  # claims of the chunk in hand, neither indexed nor stored yet

    # -- the run -----------------------------------------------------------------------------------

    def load(self, paths: Sequence[Path], fmt: str = "auto", mapping: Path | None = None) -> LoadReport:
        """Loads files and directories; every file's format is settled before anything is written."""
        skipped: list[Path] = []
        report = self.run([(path, *choose_loader(path, fmt, mapping)) for path in walk(paths, skipped)])
        report.skipped = [str(p) for p in skipped]
        return report

    def run(self, plan: Sequence[tuple[Path, Loader, str]]) -> LoadReport:
        """Loads each (file, loader, how the loader was chosen)."""
        started = time.perf_counter()
        report = LoadReport()
        # The pause outlasts the bulk block: an embedded store writes its file as the block ends.
        with gc_paused(), self.store.bulk():
            if self.replace:  # all removals first, so nothing below resolves against what goes
                for path, loader, _ in plan:
                    removed = self.store.remove_source(loader.dataset, str(path))
                    report.removed += removed.nodes_removed + removed.edges_removed
            self._reset()
            self._index_stubs_and_aliases()
            for path, loader, chosen_by in plan:
                file_report = FileReport(str(path), loader.format, chosen_by)
                report.files.append(file_report)
                self._load_file(path, loader, file_report, report)
                if not file_report.records and not file_report.rejected:
                    raise LoadError(f"no {loader.format} records found", file=str(path))
        report.linked = self._link()
        report.elapsed = time.perf_counter() - started
        return report

    def _load_file(self, path: Path, loader: Loader, file_report: FileReport, report: LoadReport) -> None:
        chunk: list[Record] = []
        for item in loader.read(path):
            if isinstance(item, Rejection):
                self._reject(item, file_report, report)
                continue
            file_report.records += 1
            file_report.notes.extend(item.notes)
            chunk.append(item)
            if len(chunk) >= CHUNK_RECORDS:
                self._write_chunk(path, chunk, file_report, report)
                chunk = []
        if chunk:
            self._write_chunk(path, chunk, file_report, report)

    def _reject(self, rejection: Rejection, file_report: FileReport, report: LoadReport) -> None:
        file_report.rejected += 1
        report.rejections.append(rejection)
        if self.rejects is not None:
            self.rejects.parent.mkdir(parents=True, exist_ok=True)
            with self.rejects.open("a", encoding="utf-8") as fh:
                row = {
                    "file": rejection.file,
                    "line": rejection.line,
                    "reason": rejection.reason,
                    "raw": rejection.raw,
                }
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        if self.strict:
            raise RejectedRowError(rejection.reason, file=rejection.file, line=rejection.line)

    # -- writing -----------------------------------------------------------------------------------

    def _write_chunk(
        self, path: Path, chunk: list[Record], file_report: FileReport, report: LoadReport
    ) -> None:
        undo: list[Callable[[], None]] = []
        stored = self._stored_claims(chunk)
        prepared = [self._prepare(record, undo, stored) for record in chunk]
        self._pending = []
        try:
            nodes = [n for rec in prepared for n in rec.nodes]
            edges = [e for rec in prepared for e in rec.edges]
            report.written.add(self.store.upsert(nodes, edges))
        except StoreUnavailableError:
            for action in reversed(undo):
                action()
            raise  # the store is gone: no record is to blame, and none is rejected
        except NarrativeGraphError:
            # Which record broke the chunk? Undo what resolution assumed and write them one by one.
            for action in reversed(undo):
                action()
            for record in chunk:
                self._write_one(path, record, file_report, report)
        else:
            self._loaded.update([n.id for rec in prepared for n in rec.nodes if n.label is NodeLabel.CLAIM])
        if self.progress is not None:
            self.progress(str(path), len(chunk))

    def _write_one(self, path: Path, record: Record, file_report: FileReport, report: LoadReport) -> None:
        undo: list[Callable[[], None]] = []
        try:
            prepared = self._prepare(record, undo, self._stored_claims([record]))
            self._pending = []
            report.written.add(self.store.upsert(prepared.nodes, prepared.edges))
        except StoreUnavailableError:
            for action in reversed(undo):
                action()
            raise
        except NarrativeGraphError as exc:
            for action in reversed(undo):
                action()
            file_report.records -= 1
            self._reject(Rejection(str(path), _line_of(record.locator), str(exc)), file_report, report)
        else:
            self._loaded.update(n.id for n in prepared.nodes if n.label is NodeLabel.CLAIM)

    # -- claim identity and references -------------------------------------------------------------

    def _stored_claims(self, records: Sequence[Record]) -> set[str]:
        """Which of these records' claims the store already holds: one query per chunk."""
        ids = [n.id for rec in records for n in rec.nodes if n.label is NodeLabel.CLAIM]
        return {n.id for n in self.store.get_nodes(ids)} if ids else set()

    def _prepare(self, record: Record, undo: list[Callable[[], None]], stored: set[str]) -> Record:
        """The record with its claims' ids resolved and its references turned into links or stubs."""
        renames: dict[str, str] = {}
        nodes: list[Node] = []
        for node in record.nodes:
            if node.label is not NodeLabel.CLAIM:
                nodes.append(node)
                continue
            natural, target = node.id, self._identity(node, stored)
            if target != natural:
                # Never mutate the loader's record: a failed chunk prepares it again.
                renames[natural] = target
                node = self._renamed_node(node, target, undo)
            if node.properties.get("excerpt") is True:
                self._excerpt_ids.add(node.id)
                self._excerpt_titles[normalise(str(node.get("title", "")))] = node.id
            # Indexed for references only once a reference needs the index (most datasets have none);
            # until then `_index_all_claims` finds it in the store or among the pending. An excerpt
            # under its full case leaves the index alone.
            indexed = node.id in self._matcher
            if "title" in node.properties and (self._full_index or indexed):
                was = self._matcher.is_stub(node.id) if indexed else None
                self._matcher.add(node.id, node.get("title"), node.get("text"), stub=False)
                undo.append(partial(self._unindex, node.id, was))
            elif "title" in node.properties:
                self._pending.append(node)
            nodes.append(node)
        if not renames and not record.references:
            return record  # nothing to change (and the record is never changed in place)
        edges = [_renamed(e, renames) for e in record.edges] if renames else list(record.edges)
        for ref in record.references:
            source_id = renames.get(ref.from_claim, ref.from_claim)
            self._index_all_claims()
            match = self._matcher.best(ref.text, exclude={source_id})
            if match is None:
                stub = _stub(ref.text, ref.source)
                if stub.id == source_id:
                    continue
                nodes.append(stub)
                self._matcher.add(stub.id, None, ref.text, stub=True)
                undo.append(partial(self._unindex, stub.id, None))
                target, score = stub.id, 1.0
            else:
                target, score = match.claim_id, match.score
                if match.stub:  # every case that names a stub keeps it alive: provenance, no properties
                    stub = _stub(ref.text, ref.source)
                    nodes.append(Node(target, NodeLabel.CLAIM, {}, stub.sources, stub.defaults))
            edges.append(
                Edge(
                    EdgeType.SIMILAR_TO,
                    source_id,
                    target,
                    {"method": SimilarityMethod.EDITORIAL.value, "score": score, "evidence": ref.evidence},
                    [ref.source],
                    defaults={"verdict": "unreviewed"},
                )
            )
        return Record(record.locator, nodes, edges, [], record.notes)

    def _identity(self, node: Node, stored: set[str]) -> str:
        """The id a loaded claim is stored under: its own, an alias's target, an excerpt or stub it
        completes, or (for an excerpt) the full claim with its title."""
        if node.id in stored or node.id in self._loaded:
            return node.id
        if node.id in self._aliases:
            return self._aliases[node.id]
        title = normalise(str(node.get("title", "")))
        if node.get("excerpt") is True and (full := self._full_claim_titled(title)) is not None:
            return full
        if title in self._excerpt_titles:
            return self._excerpt_titles[title]
        match = self._matcher.best_for_claim(node.get("title"), node.get("text"), exclude={node.id})
        return match.claim_id if match is not None else node.id

    def _full_claim_titled(self, title: str) -> str | None:
        if not title:
            return None
        page = self.store.find_nodes(NodeLabel.CLAIM, query=title, limit=20)
        for found in page.items:
            full = not found.get("excerpt") and not found.get("stub")
            if full and normalise(str(found.get("title", ""))) == title:
                return found.id
        return None

    def _renamed_node(self, node: Node, target: str, undo: list[Callable[[], None]]) -> Node:
        """The claim under the id it takes; an excerpt going under its full case only fills gaps."""
        stored = self.store.get_nodes([target])
        known = stored[0].get("aliases", []) if stored else []
        aliases = sorted({*known, *(node.properties.get("aliases") or []), node.id})
        self._aliases[node.id] = target
        undo.append(partial(self._forget_alias, node.id))
        excerpt_under_full = (
            node.get("excerpt") is True
            and target not in self._excerpt_ids
            and not self._matcher.is_stub(target)
        )
        if excerpt_under_full:
            gaps = {k: v for k, v in {**node.properties, **node.defaults}.items() if k != "aliases"}
            return Node(target, node.label, {"aliases": aliases}, node.sources, {**gaps, "excerpt": False})
        self._excerpt_ids.discard(target)
        self._excerpt_titles = {t: i for t, i in self._excerpt_titles.items() if i != target}
        full: dict[str, Any] = {**node.properties, "aliases": aliases, "stub": False}
        return Node(target, node.label, full, node.sources, node.defaults)

    def _forget_alias(self, natural: str) -> None:
        self._aliases.pop(natural, None)

    def _unindex(self, claim: str, was_stub: bool | None) -> None:
        if was_stub is None:
            self._matcher.remove(claim)
        else:
            node = self.store.get_nodes([claim])
            if node:
                self._matcher.add(claim, node[0].get("title"), node[0].get("text"), stub=was_stub)

    def _index_stubs_and_aliases(self) -> None:
        """Stubs a loaded claim may complete and aliases a re-load must find: few, fetched up front."""
        for node in self._claims(filters={"stub": True}):
            self._matcher.add(node.id, node.get("title"), node.get("text"), stub=True)
        for node in self._claims(filters={"stub": False}):
            for alias in node.get("aliases", []):
                self._aliases[alias] = node.id
        for node in self._claims(filters={"excerpt": True}):
            self._excerpt_ids.add(node.id)
            self._excerpt_titles[normalise(str(node.get("title", "")))] = node.id

    def _index_all_claims(self) -> None:
        """Indexes every stored claim and those of the chunk in hand, once per run."""
        if self._full_index:
            return
        self._full_index = True
        for node in [*self.store.iter_nodes(NodeLabel.CLAIM), *self._pending]:
            if node.id not in self._matcher:
                self._matcher.add(node.id, node.get("title"), node.get("text"), stub=bool(node.get("stub")))
        self._pending = []

    def _claims(self, filters: dict[str, Any]) -> Iterator[Node]:
        offset = 0
        while True:
            page = self.store.find_nodes(NodeLabel.CLAIM, filters=filters, offset=offset, limit=_PAGE)
            yield from page.items
            offset += _PAGE
            if offset >= page.total:
                return

    # -- after the load ----------------------------------------------------------------------------

    def _link(self) -> str | None:
        """Runs the lexical similarity linker when the settings ask for it; says what it did."""
        if not self.link or self.settings is None or not self.settings.link_after_load:
            return None
        # Imported here: scikit-learn and scipy load in seconds, and most commands never link.
        from graph.analysis.similarity import link_claims

        return link_claims(self.store, self.settings).summary()


def _stub(text: str, source: Any) -> Node:
    """A claim known only from a reference to it: every property a default, so it never overwrites."""
    clean = " ".join(text.split()).strip(" ,;.")
    title = clean[:1].upper() + clean[1:]
    return Node(
        claim_id(None, None, clean),
        NodeLabel.CLAIM,
        {},
        [source],
        defaults={"title": title, "text": title, "stub": True},
    )


def _renamed(edge: Edge, renames: dict[str, str]) -> Edge:
    return Edge(
        edge.type,
        renames.get(edge.source, edge.source),
        renames.get(edge.target, edge.target),
        edge.properties,
        edge.sources,
        edge.defaults,
    )


def _line_of(locator: str) -> int | None:
    digits = "".join(ch for ch in locator.split()[-1] if ch.isdigit()) if locator.split() else ""
    return int(digits) if digits else None
