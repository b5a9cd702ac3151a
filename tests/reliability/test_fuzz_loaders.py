"""Loaders fuzzed with hypothesis: random bytes, truncations, wrong encodings, huge fields, wrong
column counts, deep and ill-typed JSON, through the runner with `--format auto` and each explicit format.

For every input `checks.load_checked` asserts: no crash (only a `LoadError` naming the file, or
rejections naming it), every rejection reported, and nothing half-written (the store equals a load of
only the accepted records; no node or edge without provenance; no edge to a missing node). Where a
mutation is known to make an input bad (a wrong column count, bytes that are not UTF-8), the test also
asserts the load reports it. Examples per test: a few in `make test`, hundreds under `SOAK=1`.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from graph.store import GraphStore
from loaders.registry import formats
from tests.reliability.checks import Outcome, load_checked
from tests.reliability.conftest import SOAK, fuzz_settings, tally
from tests.reliability.seeds import (
    BY_KEY,
    JSON_SEEDS,
    MAPPING_CSV_YAML,
    SEEDS,
    TABULAR_SEEDS,
    Seed,
)

FORMATS = sorted(formats())
SEED_KEYS = [s.key for s in SEEDS]
FALLBACK_MAPPING = "fallback-mapping.yaml"

# Per (test, seed): ~900 inputs bounded; ~11,000 under SOAK (some tests run out of distinct inputs sooner).
BOUNDED, SOAKED = 8, 200
# A field of a few MB costs seconds (tokenising, keying): the long sizes are for the soak.
HUGE = [10_000, 100_000, 300_000, *([1_000_000] if SOAK else [])]


def _format_for(seed: Seed) -> st.SearchStrategy[str]:
    """`auto` and the seed's own format most of the time, any other format now and then."""
    return st.one_of(st.sampled_from(["auto", seed.fmt]), st.sampled_from(FORMATS))


def _run(
    seed: Seed,
    data: bytes | None,
    fmt: str,
    kind: str,
    store: GraphStore | None = None,
    folder: Path | None = None,
) -> Outcome:
    """Writes the seed (or `data` in its place) into `folder` (a new temporary one when None) and
    loads it through the checked oracle."""
    tally(f"fuzz: {kind}")
    if folder is not None:
        return _write_and_load(seed, data, fmt, store, folder)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        return _write_and_load(seed, data, fmt, store, Path(tmp))


def _write_and_load(
    seed: Seed, data: bytes | None, fmt: str, store: GraphStore | None, folder: Path
) -> Outcome:
    path, mapping = seed.write(folder, data)
    if fmt == "mapping" and mapping is None:
        mapping = folder / FALLBACK_MAPPING
        mapping.write_text(MAPPING_CSV_YAML, encoding="utf-8")
    elif fmt not in ("auto", "mapping"):
        mapping = None
    return load_checked(path, fmt, mapping, store)


def _lines(seed: Seed) -> list[str]:
    return seed.text.split("\n")


# -- the seeds themselves ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", SEED_KEYS)
def test_each_seed_loads_cleanly(key: str) -> None:
    seed = BY_KEY[key]
    for fmt in ("auto", seed.fmt):
        outcome = _run(seed, None, fmt, "seed")
        assert outcome.refused is None, f"{key} via {fmt}: {outcome.refused}"
        assert outcome.records >= 1 and outcome.rejected == 0, [str(r) for r in outcome.rejections]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", SEED_KEYS)
def test_every_seed_through_every_format(key: str, fmt: str) -> None:
    """A file handed to the wrong loader is refused or rejected, never half-loaded or a crash."""
    _run(BY_KEY[key], None, fmt, "seed x format")


# -- whole-file mutations -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", SEED_KEYS)
@fuzz_settings(BOUNDED, SOAKED)
@given(data=st.data())
def test_random_bytes(key: str, data: st.DataObject) -> None:
    seed = BY_KEY[key]
    blob = data.draw(
        st.one_of(st.binary(max_size=2048), st.binary(min_size=1, max_size=64).map(lambda b: b * 97))
    )
    _run(seed, blob, data.draw(_format_for(seed)), "random bytes")


@pytest.mark.parametrize("key", SEED_KEYS)
@fuzz_settings(BOUNDED, SOAKED)
@given(data=st.data())
def test_truncated(key: str, data: st.DataObject) -> None:
    seed = BY_KEY[key]
    raw = seed.text.encode("utf-8")
    cut = data.draw(st.integers(0, len(raw) - 1))  # may split a multi-byte character
    _run(seed, raw[:cut], data.draw(_format_for(seed)), "truncated file")


_EDIT = st.tuples(
    st.floats(0, 1, exclude_max=True),
    st.sampled_from(["insert", "delete", "replace"]),
    st.binary(min_size=1, max_size=4),
)


@pytest.mark.parametrize("key", SEED_KEYS)
@fuzz_settings(BOUNDED, SOAKED)
@given(data=st.data())
def test_byte_edits(key: str, data: st.DataObject) -> None:
    seed = BY_KEY[key]
    raw = bytearray(seed.text.encode("utf-8"))
    for where, op, blob in data.draw(st.lists(_EDIT, min_size=1, max_size=8)):
        at = int(where * len(raw)) if raw else 0
        if op == "insert":
            raw[at:at] = blob
        elif op == "delete":
            del raw[at : at + len(blob)]
        else:
            raw[at : at + len(blob)] = blob
    _run(seed, bytes(raw), data.draw(_format_for(seed)), "byte edits")


# -- encodings ----------------------------------------------------------------------------------------

_FOREIGN = {"latin-1": "é", "cp1251": "Ж", "utf-16": "é", "utf-16-be": "ø"}


@pytest.mark.parametrize("key", SEED_KEYS)
@fuzz_settings(BOUNDED, SOAKED)
@given(data=st.data())
def test_wrong_encoding_is_reported(key: str, data: st.DataObject) -> None:
    """A file in another encoding, with a character UTF-8 would spell otherwise, is reported."""
    seed = BY_KEY[key]
    lines = _lines(seed)
    first = 1 if seed.tabular else 0
    candidates = [i for i in range(first, len(lines)) if any(c.isalpha() for c in lines[i])]
    row = data.draw(st.sampled_from(candidates))
    letters = [i for i, c in enumerate(lines[row]) if c.isalpha()]
    col = data.draw(st.sampled_from(letters))
    encoding = data.draw(st.sampled_from(sorted(_FOREIGN)))
    lines[row] = lines[row][:col] + _FOREIGN[encoding] + lines[row][col + 1 :]
    text = "\n".join(lines)
    fmt = data.draw(st.sampled_from(["auto", seed.fmt]))
    outcome = _run(seed, text.encode(encoding, errors="replace"), fmt, "wrong encoding")
    assert outcome.reported or outcome.bug, (
        f"{encoding} text loaded without a word: {outcome.records} records"
    )


@pytest.mark.parametrize("key", SEED_KEYS)
@fuzz_settings(BOUNDED, SOAKED)
@given(data=st.data())
def test_byte_order_mark_changes_nothing(key: str, data: st.DataObject) -> None:
    """UTF-8 with a BOM (and CRLF line ends) loads exactly as the plain file does."""
    seed = BY_KEY[key]
    crlf = data.draw(st.booleans())
    text = seed.text.replace("\n", "\r\n") if crlf else seed.text
    fmt = data.draw(st.sampled_from(["auto", seed.fmt]))
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:  # one folder: provenance names the path
        plain = _run(seed, text.encode("utf-8"), fmt, "byte order mark", folder=Path(tmp))
        marked = _run(seed, b"\xef\xbb\xbf" + text.encode("utf-8"), fmt, "byte order mark", folder=Path(tmp))
    assert (plain.refused is None) == (marked.refused is None), (plain.refused, marked.refused)
    assert plain.snapshot == marked.snapshot
    assert [str(r) for r in plain.rejections] == [str(r) for r in marked.rejections]


# -- fields ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", SEED_KEYS)
@fuzz_settings(max(2, BOUNDED // 2), SOAKED // 6)
@given(data=st.data())
def test_huge_field(key: str, data: st.DataObject) -> None:
    """Megabytes of text inside one field: loaded or rejected, never a crash."""
    seed = BY_KEY[key]
    lines = _lines(seed)
    first = 1 if seed.tabular else 0
    row = data.draw(st.integers(first, len(lines) - 2))
    col = data.draw(st.integers(0, len(lines[row])))
    word = data.draw(st.sampled_from(["word ", "Слово ", "x", "\u202eRTL ", "a" * 40 + " "]))
    size = data.draw(st.sampled_from(HUGE))
    lines[row] = lines[row][:col] + word * (size // len(word)) + lines[row][col:]
    _run(seed, "\n".join(lines).encode("utf-8"), data.draw(_format_for(seed)), "huge field")


def _rows(seed: Seed) -> list[list[str]]:
    return list(csv.reader(io.StringIO(seed.text), delimiter=seed.delimiter))


def _csv(rows: list[list[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("key", [s.key for s in TABULAR_SEEDS])
@fuzz_settings(BOUNDED * 2, SOAKED)
@given(data=st.data())
def test_wrong_column_count_is_rejected(key: str, data: st.DataObject) -> None:
    """A row with too few or too many cells is rejected at its line; the other rows load."""
    seed = BY_KEY[key]
    rows = _rows(seed)
    k = data.draw(st.integers(1, len(rows) - 1))
    delta = data.draw(st.integers(-len(rows[k]) + 1, 6).filter(lambda d: d != 0))
    rows[k] = rows[k][:delta] if delta < 0 else rows[k] + ["extra"] * delta
    outcome = _run(
        seed, _csv(rows, seed.delimiter), data.draw(st.sampled_from(["auto", seed.fmt])), "wrong column count"
    )
    if outcome.bug:
        return
    assert outcome.refused is None, outcome.refused
    lines = {r.line: r.reason for r in outcome.rejections}
    assert k + 1 in lines and "column" in lines[k + 1], (k + 1, lines)
    assert outcome.records >= 1 or len(rows) == 2


_CELL = st.one_of(
    st.text(max_size=60),
    st.sampled_from(['"', '""', '"a"b', ";", ",", "\n", "\r\n", "\x00", "+", "[", "['a', ", "\ufeff", " "]),
)


@pytest.mark.parametrize("key", [s.key for s in TABULAR_SEEDS])
@fuzz_settings(BOUNDED * 2, SOAKED)
@given(data=st.data())
def test_random_cells(key: str, data: st.DataObject) -> None:
    """Any text in any cell of a well-formed CSV: each row loaded or rejected on its own."""
    seed = BY_KEY[key]
    rows = _rows(seed)
    for _ in range(data.draw(st.integers(1, 6))):
        k = data.draw(st.integers(1, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[k]) - 1))
        rows[k][c] = data.draw(_CELL)
    _run(seed, _csv(rows, seed.delimiter), data.draw(st.sampled_from(["auto", seed.fmt])), "random cells")


# -- JSON -------------------------------------------------------------------------------------------------

_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def _deep(depth: int, kind: str, core: Any) -> str:
    if kind == "list":
        return "[" * depth + json.dumps(core) + "]" * depth
    return '{"a":' * depth + json.dumps(core) + "}" * depth


@pytest.mark.parametrize("key", [s.key for s in JSON_SEEDS])
@fuzz_settings(BOUNDED * 2, SOAKED)
@given(data=st.data())
def test_deep_json(key: str, data: st.DataObject) -> None:
    """The document, or one field of a record, nested thousands of levels deep."""
    seed = BY_KEY[key]
    depth = data.draw(st.one_of(st.integers(1, 60), st.sampled_from([900, 1_000, 3_000, 50_000, 200_000])))
    kind = data.draw(st.sampled_from(["list", "object"]))
    docs = (
        [json.loads(line) for line in seed.text.splitlines() if line.strip()]
        if key.endswith("jsonl")
        else [json.loads(seed.text)]
    )
    if data.draw(st.booleans()):
        texts = [_deep(depth, kind, doc) for doc in docs]
    else:
        texts = [json.dumps(doc) for doc in docs]
        i = data.draw(st.integers(0, len(texts) - 1))
        # Bury a whole record's value one level down, at depth, in place of a field.
        texts[i] = (
            texts[i]
            .replace('"datePublished"', '"deep": ' + _deep(depth, kind, None) + ', "x"', 1)
            .replace('"when"', '"deep": ' + _deep(depth, kind, None) + ', "x"', 1)
        )
    _run(seed, "\n".join(texts).encode("utf-8"), data.draw(st.sampled_from(["auto", seed.fmt])), "deep JSON")


_REVIEW_KEYS = [
    "@type",
    "url",
    "datePublished",
    "author",
    "claimReviewed",
    "itemReviewed",
    "reviewRating",
    "headline",
    "reviewBody",
    "@id",
    "@graph",
    "@context",
]
_ITEM_KEYS = ["uid", "claim", "when", "where", "tags", "review"]


@pytest.mark.parametrize("key", [s.key for s in JSON_SEEDS])
@fuzz_settings(BOUNDED * 3, SOAKED)
@given(data=st.data())
def test_json_fields_of_any_type(key: str, data: st.DataObject) -> None:
    """Every field of a record may hold any JSON value: a number for a URL, a list for a date..."""
    seed = BY_KEY[key]
    keys = _ITEM_KEYS if key.startswith("mapping") else _REVIEW_KEYS
    doc: Any = (
        json.loads(seed.text)
        if not key.endswith("jsonl")
        else [json.loads(x) for x in seed.text.splitlines()]
    )
    records: list[Any] = doc["data"]["items"] if key.startswith("mapping") else doc
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(records) - 1))
        if not isinstance(records[i], dict):
            continue
        field = data.draw(st.sampled_from(keys))
        records[i][field] = data.draw(_JSON)
    if data.draw(st.booleans()):
        records.append(data.draw(_JSON))  # a stray value among the records
    text = "\n".join(json.dumps(r) for r in records) if key.endswith("jsonl") else json.dumps(doc)
    _run(seed, text.encode("utf-8"), data.draw(st.sampled_from(["auto", seed.fmt])), "JSON of any type")


# -- both stores: the write path, not only the loaders --------------------------------------------------

_MUTATE: dict[str, Callable[[bytes, int], bytes]] = {
    "truncate": lambda raw, n: raw[: n % max(1, len(raw))],
    "drop-byte": lambda raw, n: raw[: n % max(1, len(raw))] + raw[n % max(1, len(raw)) + 1 :],
    "nul": lambda raw, n: raw[: n % max(1, len(raw))] + b"\x00" + raw[n % max(1, len(raw)) :],
}


@fuzz_settings(BOUNDED, SOAKED // 2)
@given(data=st.data())
def test_mutations_on_both_stores(store: GraphStore, data: st.DataObject) -> None:
    """The same oracle on each store: a Neo4j load holds exactly what the in-memory load of the
    accepted records holds."""
    seed = data.draw(st.sampled_from(SEEDS))
    how = data.draw(st.sampled_from(sorted(_MUTATE)))
    raw = _MUTATE[how](seed.text.encode("utf-8"), data.draw(st.integers(0, 10**6)))
    assume(raw.strip())
    store.clear()
    _run(
        seed,
        raw,
        data.draw(st.sampled_from(["auto", seed.fmt])),
        f"both stores ({type(store).__name__})",
        store,
    )
