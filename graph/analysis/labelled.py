"""The labelled set `narratives eval` measures on, built from the shared EUvsDisinfo files.

Read straight from the CSVs with the csv module (no loader needed), so the evaluation depends on
nothing but the files. How the labels are made, and why they are fair, is in docs/evaluation.md:

* match ("text -> known claim"): the query is a kalkun case's summary, the full claim text as an
  outlet carried it; the corpus is every distinct case title of cknabs and kalkun (titles only, as
  cknabs holds them); the right answer is the case's own title, which EUvsDisinfo wrote as a short
  restatement of the claim. 2,600-odd queries against 13,000-odd titles.
* similar ("claim -> the same claim elsewhere"): the corpus is the kalkun summaries with their
  titles withheld; two cases make the same claim when their titles, written by EUvsDisinfo, share
  at least half of their content words (or are identical) while their summaries differ. The system
  only ever sees the summaries, so the labels do not come from the text it ranks.

Each query's group (its normalised title) is hashed into a `dev` or a `test` half; tune on dev,
report test.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from graph.exc import LoadError
from graph.ids import digest, normalise

KALKUN = Path("euvsdisinfo-kalkun-2017") / "full_dataset.csv"
CKNABS = Path("euvsdisinfo-cknabs") / "posts.csv"
TITLE_JACCARD = 0.5
PARAPHRASE_JACCARD = 0.6
_WORD = re.compile(r"\w+")
# Function words only: the label must rest on what the titles say, not on how they are phrased.
_FUNCTION = frozenset(
    "a an the of in on at to for by with from and or but is are was were be been being has have had "
    "it its this that these those as into than then there their they them he she his her we our you "
    "your not no will would can could should may might do does did so such also".split()
)


@dataclass(slots=True)
class Task:
    """Queries, a corpus, and for each query the corpus entries that are right answers."""

    name: str
    description: str
    queries: list[str]
    corpus: list[str]
    relevant: list[set[int]]
    split: list[str]  # "dev" or "test", per query
    exclude: list[int | None] = field(default_factory=list)  # a corpus entry a query must not return
    # Per query, the claim it belongs to: queries of one claim are not independent, so a confidence
    # interval resamples claims, not queries. Without groups, each query is its own.
    groups: list[str] = field(default_factory=list)

    def subset(self, part: str) -> Task:
        """Only the queries of one split (the corpus stays whole)."""
        keep = [i for i, s in enumerate(self.split) if s == part]
        return Task(
            f"{self.name}",
            self.description,
            [self.queries[i] for i in keep],
            self.corpus,
            [self.relevant[i] for i in keep],
            [part] * len(keep),
            [self.exclude[i] for i in keep] if self.exclude else [],
            [self.groups[i] for i in keep] if self.groups else [],
        )


def split_of(key: str) -> str:
    """A stable half from a group key: the same group always lands on the same side."""
    return "dev" if int(digest("eval-split", key)[:8], 16) % 2 == 0 else "test"


def _rows(path: Path, delimiter: str) -> list[dict[str, str]]:
    if not path.is_file():
        raise LoadError("missing: the evaluation needs the shared EUvsDisinfo files", file=str(path))
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def kalkun_rows(data: Path) -> list[dict[str, str]]:
    """The kalkun cases, each distinct summary once, in file order."""
    seen: set[str] = set()
    out = []
    for row in _rows(data / KALKUN, ";"):
        key = normalise(row.get("summary") or "")
        if key and key not in seen and (row.get("title") or "").strip():
            seen.add(key)
            out.append(row)
    return out


def cknabs_titles(data: Path) -> list[str]:
    return [row["title"] for row in _rows(data / CKNABS, ",") if (row.get("title") or "").strip()]


def _content(title: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(title.casefold()) if w not in _FUNCTION)


def match_task(data: Path) -> Task:
    """Case summary -> its title among every case title."""
    titles: dict[str, int] = {}
    corpus: list[str] = []
    kalkun = kalkun_rows(data)
    for title in [*cknabs_titles(data), *(r["title"] for r in kalkun)]:
        key = normalise(title)
        if key not in titles:
            titles[key] = len(corpus)
            corpus.append(title.strip())
    queries, relevant, split, groups = [], [], [], []
    for row in kalkun:
        key = normalise(row["title"])
        queries.append(row["summary"].strip())
        relevant.append({titles[key]})
        split.append(split_of(key))
        groups.append(key)
    return Task(
        "match",
        "kalkun case summary -> its own title among all cknabs+kalkun titles",
        queries,
        corpus,
        relevant,
        split,
        [None] * len(queries),
        groups,
    )


def same_claim_pairs(rows: list[dict[str, str]]) -> dict[int, set[int]]:
    """Cases whose titles share at least half their content words: the same claim, told again."""
    words = [_content(r["title"]) for r in rows]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        for w in ws:
            postings[w].append(i)
    partners: dict[int, set[int]] = defaultdict(set)
    for i, ws in enumerate(words):
        if not ws:
            continue
        shared: dict[int, int] = defaultdict(int)
        for w in ws:
            for j in postings[w]:
                if j > i:
                    shared[j] += 1
        for j, common in shared.items():
            if common / len(ws | words[j]) >= TITLE_JACCARD:
                partners[i].add(j)
                partners[j].add(i)
    return partners


def _group_keys(rows: list[dict[str, str]], partners: dict[int, set[int]]) -> dict[int, str]:
    """Each case's connected group of same-claim cases, named by its first title: the split unit,
    so no claim has cases on both sides."""
    keys: dict[int, str] = {}
    for start in sorted(partners):
        if start in keys:
            continue
        key = normalise(rows[start]["title"])
        stack = [start]
        while stack:
            i = stack.pop()
            if i in keys:
                continue
            keys[i] = key
            stack.extend(partners[i] - keys.keys())
    return keys


def _paraphrased(a: str, b: str) -> bool:
    """Whether two texts tell a story in different words (content-word Jaccard below 0.6)."""
    x, y = _content(a), _content(b)
    return bool(x and y) and len(x & y) / len(x | y) < PARAPHRASE_JACCARD


def similar_task(data: Path, *, paraphrase: bool = False) -> Task:
    """Case summary -> other summaries of the same claim (titles withheld from the ranking).

    With `paraphrase`, only partners whose summaries share under 60% of their content words count:
    the cases that repeat a claim in other words.
    """
    rows = kalkun_rows(data)
    partners = same_claim_pairs(rows)
    keys = _group_keys(rows, partners)
    queries, relevant, split, groups = [], [], [], []
    exclude: list[int | None] = []
    for i in sorted(partners):
        wanted = partners[i]
        if paraphrase:
            wanted = {j for j in wanted if _paraphrased(rows[i]["summary"], rows[j]["summary"])}
        if not wanted:
            continue
        queries.append(rows[i]["summary"].strip())
        relevant.append(wanted)
        split.append(split_of(keys[i]))
        exclude.append(i)
        groups.append(keys[i])
    return Task(
        "similar-paraphrase" if paraphrase else "similar",
        "kalkun case summary -> summaries of cases whose titles state the same claim"
        + (" in other words" if paraphrase else ""),
        queries,
        [r["summary"].strip() for r in rows],
        relevant,
        split,
        exclude,
        groups,
    )


def subclaim_task(data: Path) -> Task:
    """Case summary -> the titles other cases of the same claim were logged under (its own title
    excluded): matching a case to a short statement of its claim written for another case."""
    rows = kalkun_rows(data)
    partners = same_claim_pairs(rows)
    keys = _group_keys(rows, partners)
    titles: dict[str, int] = {}
    corpus: list[str] = []
    for title in [*cknabs_titles(data), *(r["title"] for r in rows)]:
        key = normalise(title)
        if key not in titles:
            titles[key] = len(corpus)
            corpus.append(title.strip())
    queries, relevant, split, groups = [], [], [], []
    exclude: list[int | None] = []
    for i in sorted(partners):
        own = titles[normalise(rows[i]["title"])]
        wanted = {titles[normalise(rows[j]["title"])] for j in partners[i]} - {own}
        if not wanted:
            continue
        queries.append(rows[i]["summary"].strip())
        relevant.append(wanted)
        split.append(split_of(keys[i]))
        exclude.append(own)
        groups.append(keys[i])
    return Task(
        "sub-claim",
        "kalkun case summary -> titles of other cases of the same claim (own title excluded)",
        queries,
        corpus,
        relevant,
        split,
        exclude,
        groups,
    )


def all_tasks(data: Path) -> list[Task]:
    return [match_task(data), subclaim_task(data), similar_task(data), similar_task(data, paraphrase=True)]


def shared_data_dir(path: Path) -> Path:
    """Accepts the shared folder or its `data/` folder."""
    for candidate in (path / "data", path):
        if (candidate / KALKUN).is_file():
            return candidate
    raise LoadError("no EUvsDisinfo data found (expected data/euvsdisinfo-kalkun-2017)", file=str(path))
