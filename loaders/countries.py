"""Country resolution: names, codes, adjectives and regions to one `Country` node each.

pycountry supplies the ISO 3166 countries and the former states; `countries.yaml` beside this module
is the one alias table for everything else (common names, the data's aliases, demonyms, regions).
Nothing here branches on a particular name: to teach the resolver a new spelling, edit the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import yaml

from graph.ids import code_id, normalise
from graph.model import Node, Source, clean_properties
from graph.ontology import CountryKind, NodeLabel

TABLE_PATH = Path(__file__).with_name("countries.yaml")
_PLURAL_EXEMPT = ("s", "sh", "ese")


@dataclass(frozen=True, slots=True)
class CountryRef:
    """A resolved country, region or former state: what its `Country` node will hold."""

    id: str  # code_id(COUNTRY, code): "country:UA", "country:SUHH", "country:XBALT"
    name: str  # common English name
    code: str  # ISO alpha-2, ISO alpha-4 for former states, ISO 3166-2 or our own X… code for regions
    kind: CountryKind
    part_of: str | None = None  # for a region inside one country, that country's id

    def node(self, source: Source) -> Node:
        """The `Country` node, with this provenance."""
        props = clean_properties(
            {"name": self.name, "code": self.code, "kind": self.kind.value, "part_of": self.part_of}
        )
        return Node(self.id, NodeLabel.COUNTRY, props, [source])


@dataclass(frozen=True, slots=True)
class _Table:
    refs: Mapping[str, CountryRef]  # code -> ref
    by_code: Mapping[str, str]  # ISO alpha-2/3/4 as written (upper case) -> code
    by_name: Mapping[str, str]  # normalised name, alias or demonym -> code
    by_form: Mapping[str, str]  # surface form searched in free text -> code
    pattern: re.Pattern[str]


def _ref(code: str, name: str, kind: CountryKind, part_of: str | None = None) -> CountryRef:
    parent = code_id(NodeLabel.COUNTRY, part_of) if part_of else None
    return CountryRef(code_id(NodeLabel.COUNTRY, code), name, code, kind, parent)


def _searchable(form: str) -> bool:
    # Formal names with commas or brackets never occur as such in prose; lower-case starts ("the
    # State of …") would match mid-sentence words.
    return bool(form) and form[0].isupper() and not any(ch in form for ch in ",()")


def _plurals(form: str) -> list[str]:
    return [form] if form.endswith(_PLURAL_EXEMPT) else [form, form + "s"]


def _load_yaml(path: Path) -> dict[str, Any]:
    # libyaml's loader when the build has it: the same result, a load's first row waits for it.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


@cache
def _table() -> _Table:
    data = _load_yaml(TABLE_PATH)
    names: dict[str, str] = {str(k): str(v) for k, v in (data.get("names") or {}).items()}
    not_in_text = {str(n) for n in data.get("not_in_text") or []}
    refs: dict[str, CountryRef] = {}
    by_code: dict[str, str] = {}
    by_name: dict[str, str] = {}
    forms: dict[str, str] = {}

    def add_names(code: str, candidates: Iterable[str | None], *, override: bool, text: bool = True) -> None:
        for cand in candidates:
            if not cand:
                continue
            key = normalise(cand)
            if override:
                by_name[key] = code
            else:
                by_name.setdefault(key, code)
            if text and _searchable(cand) and cand not in not_in_text:
                forms.setdefault(cand, code)

    for country in pycountry.countries:
        code = country.alpha_2
        common = getattr(country, "common_name", None)
        refs[code] = _ref(code, names.get(code) or common or country.name, CountryKind.COUNTRY)
        by_code[code] = by_code[country.alpha_3] = code
        add_names(
            code,
            (names.get(code), country.name, common, getattr(country, "official_name", None)),
            override=False,
        )
    for former in pycountry.historic_countries:
        code = former.alpha_4
        refs[code] = _ref(code, names.get(code) or former.name.split(",")[0], CountryKind.FORMER)
        by_code[code] = code
        # Former names are resolved when a field gives them, but not hunted for in prose.
        add_names(code, (names.get(code), former.name), override=False, text=False)
    for region in data.get("regions") or []:
        code = str(region["code"])
        kind = CountryKind(region.get("kind", CountryKind.REGION.value))
        refs[code] = _ref(code, str(region["name"]), kind, region.get("part_of"))
        by_code[code] = code
        add_names(code, [str(region["name"]), *map(str, region.get("aliases") or [])], override=True)
    for alias, code in (data.get("aliases") or {}).items():
        add_names(_known(refs, str(code), str(alias)), [str(alias)], override=True)
    for code, demonyms in (data.get("demonyms") or {}).items():
        known = _known(refs, str(code), str(demonyms))
        for demonym in map(str, demonyms):
            add_names(known, _plurals(demonym), override=False)
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
    return _Table(refs, by_code, by_name, forms, pattern)


def _known(refs: Mapping[str, CountryRef], code: str, what: str) -> str:
    if code not in refs:
        raise ValueError(f"{TABLE_PATH.name}: {what!r} points to unknown code {code!r}")
    return code


def resolve_country(name: str) -> CountryRef | None:
    """The country, region or former state a field value names; None when it names none.

    Accepts names in any case ("The Netherlands", "ukraine"), aliases ("UK", "Kirgizstan"),
    demonyms ("Kazakh") and ISO codes written in capitals ("UA", "UKR", "SUHH").
    """
    text = name.strip()
    if not text:
        return None
    table = _table()
    code = table.by_code.get(text) if text.isupper() else None
    if code is None:
        key = normalise(text)
        code = table.by_name.get(key)
        if code is None and key.startswith("the "):
            code = table.by_name.get(key[4:])
    return table.refs[code] if code else None


def country_by_code(code: str) -> CountryRef | None:
    """The entry with this code ("UA", "SUHH", "XBALT"), if there is one."""
    return _table().refs.get(code.strip().upper())


def find_countries(text: str) -> list[CountryRef]:
    """Countries, regions and former states a free text mentions, in order of first mention.

    Matches whole words, case as written: "US" and "UK" in capitals only (never "us"), names and
    demonyms capitalised ("Ukrainian", "Kazakhs", "the Netherlands").
    """
    table = _table()
    seen: dict[str, CountryRef] = {}
    for match in table.pattern.finditer(text):
        ref = table.refs[table.by_form[match.group(0)]]
        seen.setdefault(ref.code, ref)
    return list(seen.values())


def with_parents(refs: Iterable[CountryRef]) -> list[CountryRef]:
    """The refs plus the country each region lies in (Donbas brings Ukraine), de-duplicated."""
    table = _table()
    out: dict[str, CountryRef] = {}
    for ref in refs:
        out.setdefault(ref.code, ref)
        if ref.part_of:
            parent = table.refs[ref.part_of.partition(":")[2]]
            out.setdefault(parent.code, parent)
    return list(out.values())
