"""Bare case text: where the claim ends, and what happens when no disproof is found."""

from __future__ import annotations

from pathlib import Path

from graph.ontology import EdgeType
from graph.store import GraphStore
from loaders.bare_case import BareCaseLoader
from loaders.base import Record
from tests.loaders.conftest import Loader, claims, neighbours

CLAIM = (
    "The harbour of the city was sold in secret to a foreign fund.\n"
    "The mayor hid the sale from the council for two years.\n"
)
DISPROOF = (
    "This case is part of a recurring pro-Kremlin disinformation narrative about sovereignty.\n"
    "There is no evidence of any sale; the harbour is owned by the city, as its public register shows.\n"
)


def test_claim_then_disproof(store: GraphStore, load: Loader, tmp_path: Path) -> None:
    path = tmp_path / "case.txt"
    path.write_text(CLAIM + DISPROOF, encoding="utf-8")
    report = load(path)
    assert report.files[0].format == "bare-case"
    (case,) = claims(store)
    assert str(case.get("text")) == CLAIM.strip()
    (debunk,) = neighbours(store, case.id, EdgeType.DEBUNKS)
    assert str(debunk.get("text")) == DISPROOF.strip()
    assert "Sovereignty" in {n.get("name") for n in neighbours(store, case.id, EdgeType.PART_OF)}


def test_no_disproof_means_whole_text_is_the_claim(tmp_path: Path) -> None:
    path = tmp_path / "claim-only.txt"
    path.write_text(CLAIM, encoding="utf-8")
    (record,) = BareCaseLoader().read(path)
    assert isinstance(record, Record)
    assert any("no disproof found; the whole text is taken as the claim" in n for n in record.notes)
    claim = next(n for n in record.nodes if n.id.startswith("claim:"))
    assert claim.get("text") == CLAIM.strip()
    assert not any(n.id.startswith("debunk:") for n in record.nodes)
