"""Format 1: EUvsDisinfo database page text, one or more "Disinfo: <title>" blocks.

In a block the claim comes first, then the disproof. Pages set the disproof apart with two or more
blank lines; where they do not, the first paragraph that reads as a disproof starts it. Metadata
bullets ("Reported in", "DATE OF PUBLICATION: dd/mm/yyyy", "Article language(s)", "Countries and/or
Regions discussed in the disinformation", "Keywords", "Outlets") make a full case; a block without
them is a listing excerpt (title, claim, the start of the disproof) and loads with `excerpt=True`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import ClassVar

from graph.model import Source
from loaders.bare_case import read_text
from loaders.base import Loader, Record, Rejection, guarded
from loaders.casetext import Case, Paragraph, case_record, is_disproof, paragraphs

_TITLE = re.compile(r"^\s*Disinfo:\s*(?P<title>\S.*?)\s*$", re.IGNORECASE)
_META = re.compile(
    r"^\s*[•*·\-–]?\s*(?P<key>Reported in|DATE OF PUBLICATION|Article language\(s\)|Languages?"
    r"|Countries and/or Regions discussed in the disinformation|Countries|Keywords|Outlets?|Tags)"
    r"\s*:?\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_SEE_MORE = re.compile(r"^\s*(see more|read more)\s*$", re.IGNORECASE)
_DATE = re.compile(
    r"^(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})$|^(?P<Y>\d{4})-(?P<M>\d{2})-(?P<D>\d{2})$"
)


def parse_date(text: str) -> str:
    """dd/mm/yyyy, dd.mm.yyyy or yyyy-mm-dd as ISO 8601; `ValueError` naming the text otherwise."""
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(f"unparseable date {text.strip()!r} (expected dd/mm/yyyy)")
    if match.group("y"):
        y, m, d = int(match.group("y")), int(match.group("m")), int(match.group("d"))
    else:
        y, m, d = int(match.group("Y")), int(match.group("M")), int(match.group("D"))
    try:
        return date(y, m, d).isoformat()
    except ValueError as exc:
        raise ValueError(f"impossible date {text.strip()!r}: {exc}") from exc


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,;+]", value) if v.strip()]


def split_claim(paras: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """Claim paragraphs and disproof paragraphs: the disproof starts after a double blank line or
    at the first paragraph that reads as one."""
    for i, para in enumerate(paras):
        if i > 0 and (para.gap_before >= 2 or is_disproof(para.text)):
            return paras[:i], paras[i:]
    return paras, []


class EuvsdisinfoPageLoader(Loader):
    """Text copied from euvsdisinfo.eu: full cases and listing excerpts."""

    format: ClassVar[str] = "euvsdisinfo-page"
    dataset: ClassVar[str] = "euvsdisinfo-page"
    description: ClassVar[str] = "EUvsDisinfo page text: 'Disinfo: <title>' blocks (seed 001)."

    @classmethod
    def sniff(cls, path: Path, head: str) -> float:
        titles = sum(1 for line in head.splitlines() if _TITLE.match(line))
        if not titles:
            return 0.0
        return 0.95 if path.suffix.lower() in {".txt", ".md", ""} else 0.7

    def read(self, path: Path) -> Iterator[Record | Rejection]:
        lines = read_text(path).splitlines()
        starts = [i for i, line in enumerate(lines) if _TITLE.match(line)]
        if not starts:
            yield Rejection(str(path), None, "no 'Disinfo: <title>' block found")
            return
        if any(line.strip() for line in lines[: starts[0]]):
            first = next(i for i, line in enumerate(lines) if line.strip())
            yield Rejection(
                str(path), first + 1, "text before the first 'Disinfo:' title is not part of a case"
            )
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            yield guarded(str(path), start + 1, self._block, path, lines, start, end)

    def _block(self, path: Path, lines: list[str], start: int, end: int) -> Record | Rejection:
        title_match = _TITLE.match(lines[start])
        assert title_match is not None
        title = title_match.group("title")
        case = Case(title=title, claim="")
        body: list[str] = []
        meta_seen = False
        for offset, line in enumerate(lines[start + 1 : end], start=start + 2):
            meta = _META.match(line)
            if meta and (line.lstrip()[:1] in "•*·-–" or ":" in line):
                meta_seen = True
                key, value = meta.group("key").casefold(), meta.group("value").strip()
                try:
                    self._apply(case, key, value)
                except ValueError as exc:
                    return Rejection(str(path), offset, f"case {title!r}: {exc}", line)
                body.append("")
                continue
            body.append("" if _SEE_MORE.match(line) else line)
        claim_paras, disproof_paras = split_claim(paragraphs(body, start + 2))
        if not claim_paras:
            return Rejection(
                str(path), start + 1, f"case {title!r} has a title but no claim text", lines[start]
            )
        case.claim = "\n\n".join(p.text for p in claim_paras)
        case.disproof = "\n\n".join(p.text for p in disproof_paras)
        case.excerpt = not meta_seen
        record = case_record(case, Source(self.dataset, str(path), f"line {start + 1}"))
        if not disproof_paras:
            record.notes.append(f"{path}:{start + 1}: case {title!r} has no disproof")
        return record

    @staticmethod
    def _apply(case: Case, key: str, value: str) -> None:
        if key == "date of publication":
            case.date = parse_date(value)
        elif key.startswith(("article language", "language")):
            case.languages = _split_list(value)
        elif key.startswith("countr"):
            case.countries = _split_list(value)
        elif key in {"keywords", "tags"}:
            case.keywords = _split_list(value)
        elif key.startswith("outlet"):
            case.outlets = _split_list(value)
