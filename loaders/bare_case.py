"""Format 2: a bare EUvsDisinfo case, no headings: the claim's paragraphs, then the disproof.

The claim ends where the first paragraph reads as a disproof ("This case …", "There is no evidence
…", "… recurring pro-Kremlin disinformation narrative …"). With no such paragraph the whole text is
the claim, and the record's note says so.

A bare case is one claim, however many paragraphs it has: EUvsDisinfo summarises a case as one claim
with one disproof and one list of similar cases, so splitting it would hand the debunk and the
editorial links to paragraphs arbitrarily. Its countries are the ones its text names (Donbas brings
Ukraine), and a reference to any one of its statements still finds it, because references are matched
sentence by sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from graph.exc import InvalidInputError, LoadError
from graph.model import Source
from loaders.base import Loader, Record, Rejection
from loaders.casetext import Case, case_record, is_disproof, paragraphs
from loaders.resolve import sentences

_TITLE_CHARS = 160
_HEADING = re.compile(r"^\s*disinfo:", re.IGNORECASE | re.MULTILINE)
# Markdown headings and tables, HTML, JSON, CSV-ish header rows: documents about cases, not cases.
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s|\|.*\||<[a-zA-Z!]|[{\[])", re.MULTILINE)


def read_text(path: Path) -> str:
    """The file as UTF-8 text; a decoding error names the line it is on."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path), line=line
        ) from exc


def short_title(text: str) -> str:
    """The first sentence, cut at a word boundary if long."""
    first = (sentences(text) or [text])[0].strip()
    if len(first) <= _TITLE_CHARS:
        return first.rstrip(".")
    return first[:_TITLE_CHARS].rsplit(" ", 1)[0] + " …"


class BareCaseLoader(Loader):
    """A case as plain text with no headings: claim paragraphs, then the disproof."""

    format: ClassVar[str] = "bare-case"
    dataset: ClassVar[str] = "bare-case"
    description: ClassVar[str] = "An EUvsDisinfo case without headings: claim, then disproof (seed 000)."

    @classmethod
    def sniff(cls, path: Path, head: str) -> float:
        if _HEADING.search(head) or _MARKUP.search(head) or path.suffix.lower() not in {".txt", ".md", ""}:
            return 0.0
        paras = paragraphs(head.splitlines(), by_line=True)
        cues = [i for i, p in enumerate(paras) if is_disproof(p.text)]
        if not cues or cues[0] == 0:  # a case states its claim before the disproof
            return 0.1
        return min(0.9, 0.6 + 0.1 * len(cues))

    def read(self, path: Path) -> Iterator[Record | Rejection]:
        text = read_text(path)
        paras = paragraphs(text.splitlines(), by_line=True)
        if not paras:
            raise LoadError("file is empty", file=str(path))
        cut = next((i for i, p in enumerate(paras) if i > 0 and is_disproof(p.text)), None)
        claim_paras = paras if cut is None else paras[:cut]
        claim = "\n".join(p.text for p in claim_paras)
        disproof = "" if cut is None else "\n".join(p.text for p in paras[cut:])
        source = Source(self.dataset, str(path), f"line {paras[0].line}")
        try:
            record = case_record(Case(title=short_title(claim), claim=claim, disproof=disproof), source)
        except InvalidInputError as exc:
            raise LoadError(f"no words to key the claim on ({exc})", file=str(path)) from exc
        if cut is None:
            record.notes.append(f"{path}: no disproof found; the whole text is taken as the claim")
        yield record
