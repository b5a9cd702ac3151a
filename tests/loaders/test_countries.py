"""Country resolution: every value the EUvsDisinfo data uses, aliases, regions, former states, free text."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from graph.model import Source, validate_node
from graph.ontology import CountryKind
from loaders.countries import country_by_code, find_countries, resolve_country, with_parents


def test_every_country_in_cknabs_posts_resolves(shared_data: Path) -> None:
    with (shared_data / "euvsdisinfo-cknabs" / "posts.csv").open(encoding="utf-8", newline="") as fh:
        names = {n for row in csv.DictReader(fh) for n in row["countries"].split("+") if n}
    assert len(names) == 109
    unresolved = sorted(n for n in names if resolve_country(n) is None)
    assert unresolved == []


def test_every_filter_code_country_resolves(shared_data: Path) -> None:
    names = json.loads((shared_data / "euvsdisinfo-filter-codes" / "countryregion_codes.json").read_text())
    assert len(names) == 121
    assert sorted(n for n in names if resolve_country(n) is None) == []


@pytest.mark.parametrize(
    ("name", "code", "kind"),
    [
        ("Ukraine", "UA", CountryKind.COUNTRY),
        ("ukraine", "UA", CountryKind.COUNTRY),
        ("UA", "UA", CountryKind.COUNTRY),
        ("UKR", "UA", CountryKind.COUNTRY),
        ("UK", "GB", CountryKind.COUNTRY),
        ("US", "US", CountryKind.COUNTRY),
        ("The Netherlands", "NL", CountryKind.COUNTRY),
        ("Kirgizstan", "KG", CountryKind.COUNTRY),
        ("Russia", "RU", CountryKind.COUNTRY),
        ("Kazakh", "KZ", CountryKind.COUNTRY),
        ("British", "GB", CountryKind.COUNTRY),
        ("EU", "EU", CountryKind.REGION),
        ("Baltic states", "XBALT", CountryKind.REGION),
        ("CEE", "XCEE", CountryKind.REGION),
        ("Middle East", "XME", CountryKind.REGION),
        ("USSR", "SUHH", CountryKind.FORMER),
        ("GDR", "DDDE", CountryKind.FORMER),
        ("Yugoslavia", "YUCS", CountryKind.FORMER),
        ("SUHH", "SUHH", CountryKind.FORMER),
    ],
)
def test_resolves_names_codes_aliases_and_demonyms(name: str, code: str, kind: CountryKind) -> None:
    ref = resolve_country(name)
    assert ref is not None
    assert (ref.code, ref.kind, ref.id) == (code, kind, f"country:{code}")


def test_unknown_names_and_lower_case_codes_do_not_resolve() -> None:
    assert resolve_country("Atlantis") is None
    assert resolve_country("") is None
    assert resolve_country("and") is None  # "AND" is Andorra's code; a lower-case word is not


def test_donbas_is_a_region_of_ukraine() -> None:
    donbas = resolve_country("Donbass")
    assert donbas is not None and donbas.kind is CountryKind.REGION
    assert donbas.part_of == "country:UA"
    assert [r.code for r in with_parents([donbas])] == [donbas.code, "UA"]


def test_node_fits_the_ontology() -> None:
    ref = country_by_code("XDONBAS")
    assert ref is not None
    node = ref.node(Source("test", "file"))
    validate_node(node)
    assert node.properties["part_of"] == "country:UA"


def test_find_countries_in_text_by_word_and_case() -> None:
    text = (
        "Let us be clear: the US and the UK told Ukrainians that Kazakh and Russian officials met "
        "in the Netherlands; the USSR is gone. Thus business, status and focus mention nothing."
    )
    codes = [r.code for r in find_countries(text)]
    assert codes == ["US", "GB", "UA", "KZ", "RU", "NL", "SUHH"]


def test_find_countries_ignores_pronouns_and_word_parts() -> None:
    assert find_countries("tell us about the bus, the USB stick and Germanium") == []
    assert [r.code for r in find_countries("Germany, Nigeria and Niger")] == ["DE", "NG", "NE"]
