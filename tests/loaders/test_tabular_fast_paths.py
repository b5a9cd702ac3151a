"""The tabular helpers' shortcuts keep the behaviour of the plain code they replace."""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.model import Source
from loaders.tabular import country_links, keyword_links, outlet_links, parse_date, split_list


def _plain_split(text: str, separator: str) -> list[str]:
    value = text.strip()
    items: list[str]
    if value.startswith("[") and value.endswith("]"):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            parsed = None
        items = [str(p) for p in parsed] if isinstance(parsed, list) else value.split(separator)
    else:
        items = value.split(separator) if separator else [value]
    return list(dict.fromkeys(i.strip() for i in items if i and i.strip()))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab +,[]' \t")), max_size=20), st.sampled_from(["+", ",", ""]))
def test_split_list_matches_its_plain_form(text: str, separator: str) -> None:
    def outcome(split: Callable[[str, str], list[str]]) -> list[str] | str:
        try:
            return split(text, separator)
        except ValueError as exc:  # "[a]" with no separator: both refuse it alike
            return repr(exc)

    assert outcome(split_list) == outcome(_plain_split)


DATES = ["2020-01-02", " 2020-1-2 ", "2020-02-30", "02/01/2020", "2020-01-02T10:00Z", ""]


@pytest.mark.parametrize("text", DATES)
def test_parse_date_answers_and_refuses_alike_on_every_call(text: str) -> None:
    def plain() -> str:
        value = text.strip()
        try:
            return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            raise ValueError(f"unparseable date {value!r}") from None

    for _ in range(2):  # the second call is answered from the cache
        try:
            expected: str | Exception = plain()
        except ValueError as exc:
            expected = exc
        if isinstance(expected, Exception):
            with pytest.raises(ValueError, match="unparseable date"):
                parse_date(text)
        else:
            assert parse_date(text) == expected


def test_shared_nodes_are_one_instance_per_file_and_edges_one_per_row() -> None:
    rows = [Source("ds", "a.csv", f"line {i}") for i in (2, 3)]
    first = country_links("claim:1", ["Donbas", "Narnia"], rows[0])
    second = country_links("claim:2", ["Donbas", "Narnia"], rows[1])
    assert [n.id for n in first[0]] == [n.id for n in second[0]] == ["country:XDONBAS", "country:UA"]
    assert all(a is b for a, b in zip(first[0], second[0], strict=True))
    assert first[2] == second[2] == ["Narnia"]
    assert [(e.source, e.target, e.sources) for e in second[1]] == [
        ("claim:2", "country:XDONBAS", [rows[1]]),
        ("claim:2", "country:UA", [rows[1]]),
    ]
    other_file = country_links("claim:3", ["Donbas"], Source("ds", "b.csv", "line 2"))[0][0]
    assert other_file.sources == [Source("ds", "b.csv")] and first[0][0].sources == [Source("ds", "a.csv")]

    nodes, edges, _ = outlet_links("claim:1", ["Sputnik", "RT"], rows[0], {"RT": "https://rt.com/a"})
    assert [e.properties for e in edges] == [{}, {"url": "https://rt.com/a"}]
    assert [e.properties for e in outlet_links("claim:2", ["Sputnik", "RT"], rows[1])[1]] == [{}, {}]
    k_nodes, k_edges = keyword_links("claim:1", ["Ukraine", "Sanctions"], rows[0])
    assert [e.type.value for e in k_edges] == ["PART_OF", "CONCERNS"]
    assert [n.id for n in k_nodes][1] == "country:UA" and len(nodes) == 2
