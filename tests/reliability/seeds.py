"""Small valid inputs, one per loader format, written by us: the starting points the fuzzers mutate.

Every seed loads cleanly through the runner (a test checks that), so whatever goes wrong with a
mutation of it is the mutation's doing. `files` holds what a format needs beside the file under test
(the posts file a publications file is read with; the mapping of the `mapping` format).
"""

# ruff: noqa: E501  (the seed files are data: their lines are as long as a real file's)
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Seed:
    """A valid input: the file under test, its format, and the files it needs beside it."""

    key: str  # unique name in test ids
    fmt: str  # the loader format it is written in
    name: str  # file name (the suffix matters to some loaders)
    text: str
    files: dict[str, str] = field(default_factory=dict)
    mapping: str | None = None  # which of `files` is the mapping, for the mapping format
    tabular: bool = False  # CSV-like: one record per line after a header
    delimiter: str = ","

    def write(self, folder: Path, data: bytes | None = None) -> tuple[Path, Path | None]:
        """Writes the seed (or `data` in its place) and its companions; returns (file, mapping)."""
        for name, text in self.files.items():
            (folder / name).write_text(text, encoding="utf-8")
        path = folder / self.name
        path.write_bytes(self.text.encode("utf-8") if data is None else data)
        return path, (folder / self.mapping if self.mapping else None)


PAGE = """Disinfo: Wind farms in the north sea are secretly run by foreign navies

Offshore turbines near the coast of Denmark are said to hide listening posts operated by a foreign navy.
They are meant to spy on ships that pass to and from the Baltic.

There is no evidence that any turbine carries military equipment. The wind farms are licensed,
inspected every year, and their owners are listed in public registers.

See other examples of similar disinformation narratives in our database, such as claims that cables
under the sea are cut on purpose by the Danish government, or that ferries to Bornholm carry troops.

  • Reported in: Issue 412
  • DATE OF PUBLICATION: 02/05/2023
  • Article language(s) Danish, English
  • Countries and/or Regions discussed in the disinformation: Denmark, Norway
  • Keywords: Energy, Espionage
see more

Disinfo: Farm subsidies in Estonia go only to foreign companies

Estonian farmers are said to receive nothing from the European budget, which pays only companies owned
abroad.

This claim ignores the public list of recipients, where most payments go to Estonian family farms.

  • DATE OF PUBLICATION: 11/09/2022
  • Countries and/or Regions discussed in the disinformation: Estonia
  • Keywords: Agriculture, EU
"""

BARE = """A new law in Finland will take away the cottages of every Russian-speaking family in the country.
Police are said to have lists of houses to be seized before the summer.

There is no evidence of such a law. The Finnish parliament has passed no act on property of residents by
language, and the ministry of justice has published no such list.
"""

NEWS = """Officials Deny Reports Of Bread Shortage In Northern Town

Residents queue outside a bakery in the town centre. Photo: Staff Photographer

Claims that bread will run out this winter spread quickly on local channels, the mayor said on Monday.

"There is enough flour in our stores for a whole year," Mayor Anna Example told reporters at the town hall.

A regional blogger wrote that "the bakeries will close by December because the mill has stopped".

"We have never stopped milling," said Peter Miller, who runs the mill, adding that deliveries are on time.
"""

POSTS = """date,id,title,countries,keywords,languages,outlets
2023-01-04,https://cases.example.org/report/ferries-carry-troops/,Ferries to Bornholm carry troops,Denmark,Military+Baltic Sea,Danish,Example Channel
2023-01-05,https://cases.example.org/report/cables-cut-on-purpose/,"Cables under the sea are cut on purpose, officials admit",Denmark+Sweden,Infrastructure,English+Swedish,Example Radio+Example Daily
2023-01-09,https://cases.example.org/report/turbines-hide-radars/,Turbines hide radars,Norway,Energy+Espionage,Norwegian,Example Channel
"""

PUBLICATIONS = """id,publication,archive
https://cases.example.org/report/ferries-carry-troops/,https://channel.example.net/ferries,
https://cases.example.org/report/cables-cut-on-purpose/,https://radio.example.net/cables,https://archive.example.org/cables
"""

KALKUN = (
    '"issue";"date";"outlet";"language";"origin";"reported by";"keywords";"source";"title";"summary";'
    '"disproof"\n'
    '"91";"14.02.2017";"Example TV";"Russian";"Latvia";"Example Watch";"Baltic states, Energy";'
    '"https://tv.example.net/1";"Latvia will freeze without Russian gas";'
    '"Latvia has no other source of gas and will freeze this winter.";'
    '"Latvia gets gas from a storage site and an LNG terminal."\n'
    '"92";"20.02.2017";"Example Daily";"English";"Poland";"Example Watch";"NATO";'
    '"https://daily.example.net/2";"Poland hosts secret bases";"Bases in Poland are kept secret from '
    'its people.";"The bases are announced and visited by journalists."\n'
)

CLAIMREVIEW = json.dumps(
    [
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://checks.example.org/2022/salt-lamps",
            "datePublished": "2022-03-02",
            "author": {"@type": "Organization", "name": "Example Checkers"},
            "claimReviewed": "Salt lamps protect a flat from mobile phone radiation",
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Dana Example"}},
            "reviewRating": {"@type": "Rating", "ratingValue": "1", "alternateName": "False"},
        },
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://checks.example.org/2022/tram-fares",
            "datePublished": "2022-04-11",
            "author": {"@type": "Organization", "name": "Example Checkers"},
            "claimReviewed": "Tram fares in the capital will triple next year",
            "reviewRating": {"@type": "Rating", "alternateName": "Misleading"},
        },
    ],
    indent=1,
)

CLAIMREVIEW_JSONL = "\n".join(json.dumps(obj) for obj in json.loads(CLAIMREVIEW)) + "\n"

CLAIMREVIEW_CSV = (
    ",rating_ratingValue,rating_alternateName,creativeWork_author_name,claimReview_author_name,"
    "claimReview_url,claimReview_claimReviewed,claimReview_datePublished\n"
    "0,1,False,Dana Example,Example Checkers,https://checks.example.org/2022/salt-lamps,"
    "Salt lamps protect a flat from mobile phone radiation,2022-03-02\n"
    '1,,Misleading,,Example Checkers,https://checks.example.org/2022/tram-fares,"Tram fares, in the '
    'capital, will triple next year",2022-04-11\n'
)

MAPPING_CSV_YAML = """dataset: reliability-cases
input:
  type: csv
  delimiter: ";"
fields:
  id: ref
  title: headline
  claim: summary
  debunk: rebuttal
  date: {from: published, format: "%d.%m.%Y"}
  countries: {from: places, separator: ","}
  narrative: theme
  publisher: {value: Example Checkers}
"""

MAPPING_CSV = """ref;headline;summary;rebuttal;published;places;theme
R-1;Border guards sell visas;Border guards in the east are said to sell visas for cash.;Visas are issued only by consulates.;03.02.2021;Finland, Estonia;Corruption
R-2;Schools ban the national anthem;Schools are said to have stopped playing the anthem.;No school has banned it.;17.11.2021;Lithuania;Identity
"""

MAPPING_JSON_YAML = """dataset: reliability-items
input:
  type: json
  records: data.items
fields:
  id: uid
  claim: claim.text
  date: when
  countries: where
  keywords: tags
  rating: review.verdict
  debunk_url: review.link
"""

MAPPING_JSON = json.dumps(
    {
        "meta": {"source": "reliability"},
        "data": {
            "items": [
                {
                    "uid": 1,
                    "claim": {"text": "Pensions in Latvia will be cut by half in spring."},
                    "when": "2022-01-09",
                    "where": ["Latvia"],
                    "tags": ["Pensions"],
                    "review": {"verdict": "False", "link": "https://checks.example.net/1"},
                },
                {
                    "uid": 2,
                    "claim": {"text": "Trains from Vilnius to Warsaw are stopped for good."},
                    "when": "2022-02-01",
                    "where": ["Lithuania", "Poland"],
                    "review": {"verdict": "Misleading", "link": "https://checks.example.net/2"},
                },
            ]
        },
    },
    indent=1,
)

SEEDS: tuple[Seed, ...] = (
    Seed("page", "euvsdisinfo-page", "cases.txt", PAGE),
    Seed("bare", "bare-case", "case.txt", BARE),
    Seed("news", "news", "article.txt", NEWS),
    Seed("posts", "cknabs-posts", "posts.csv", POSTS, tabular=True),
    Seed(
        "publications",
        "cknabs-publications",
        "publications.csv",
        PUBLICATIONS,
        files={"posts.csv": POSTS},
        tabular=True,
    ),
    Seed("kalkun", "kalkun", "full_dataset.csv", KALKUN, tabular=True, delimiter=";"),
    Seed("claimreview-json", "claimreview", "reviews.json", CLAIMREVIEW),
    Seed("claimreview-jsonl", "claimreview", "reviews.jsonl", CLAIMREVIEW_JSONL),
    Seed("claimreview-csv", "claimreview", "reviews.csv", CLAIMREVIEW_CSV, tabular=True),
    Seed(
        "mapping-csv",
        "mapping",
        "cases.csv",
        MAPPING_CSV,
        files={"cases.yaml": MAPPING_CSV_YAML},
        mapping="cases.yaml",
        tabular=True,
        delimiter=";",
    ),
    Seed(
        "mapping-json",
        "mapping",
        "items.json",
        MAPPING_JSON,
        files={"items.yaml": MAPPING_JSON_YAML},
        mapping="items.yaml",
    ),
)

BY_KEY = {seed.key: seed for seed in SEEDS}
JSON_SEEDS = tuple(s for s in SEEDS if s.name.endswith((".json", ".jsonl")))
TABULAR_SEEDS = tuple(s for s in SEEDS if s.tabular)
