"""Text units the similarity measures compare: a claim's document, its sentences, its words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_SPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://\S+|www\.\S+")
# A sentence ends at . ! ? or a line break followed by space and a capital, digit or quote; the
# look-behind keeps common abbreviations ("U.S.", "Mr.") from splitting.
_SENTENCE_END = re.compile(
    r"(?<![A-Z]\.[A-Z])(?<!\b[A-Z])(?<!\bMr)(?<!\bDr)(?<!\bSt)"
    r"[.!?…]+[\"'”’»)]*\s+(?=[\"'“‘«(]?[A-Z0-9])|\n+"
)
_WORD = re.compile(r"\b\w\w+\b")
_LEADING = re.compile(r"^(disinfo|claim|case)\s*:\s*", re.IGNORECASE)

# The English stop list plus words every case in this domain uses, which say nothing about which
# story a claim tells.
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    (
        "according claimed claims claim said says say stated states reported disinfo alleged "
        "allegedly also will would could one two new like just even still many much every year years "
        "time way make made being does did done want wants used uses use"
    ).split()
)


def clean(text: str) -> str:
    """NFKC, URLs removed, a leading "Disinfo:" dropped, white space collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" ", text)
    text = _LEADING.sub("", text.strip())
    return _SPACE.sub(" ", text).strip()


def claim_document(props: Mapping[str, Any]) -> str:
    """What a claim says, as one text: its title, then its text when that adds something."""
    title = clean(str(props.get("title") or ""))
    text = clean(str(props.get("text") or ""))
    if not text or text.casefold() == title.casefold():
        return title
    if not title:
        return text
    return f"{title}. {text}"


def sentences(text: str, min_words: int = 4) -> list[str]:
    """The sentences of a text with at least `min_words` words (short fragments say too little)."""
    parts = [_SPACE.sub(" ", p).strip() for p in _SENTENCE_END.split(text)]
    out = [p for p in parts if len(_WORD.findall(p)) >= min_words]
    return out or ([text.strip()] if text.strip() else [])


def words(text: str) -> list[str]:
    """Casefolded words of two or more letters or digits, stop words left out."""
    return [w for w in _WORD.findall(text.casefold()) if w not in STOP_WORDS]
