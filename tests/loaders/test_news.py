"""News articles: quotes in every form attributed to one actor per person; comments left out."""

from __future__ import annotations

from pathlib import Path

from graph.ontology import EdgeType
from graph.store import GraphStore
from loaders.actors import SpeakerResolver, name_key
from loaders.base import Record
from loaders.news import NewsArticleLoader, article_end
from tests.loaders.conftest import Loader, claims, neighbours

ARTICLE = (Path(__file__).resolve().parents[1] / "fixtures" / "news_article.txt").read_text(encoding="utf-8")


def _by_speaker(store: GraphStore) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for claim in claims(store):
        for actor in neighbours(store, claim.id, EdgeType.ATTRIBUTED_TO):
            out.setdefault(str(actor.get("name")), []).append(str(claim.get("text")))
    return out


def test_quotes_in_every_form(store: GraphStore, load: Loader, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    report = load(path)
    assert report.files[0].format == "news"
    said = _by_speaker(store)
    assert set(said) == {"Ivana Novak", "Petar Dimov"}
    novak, dimov = said["Ivana Novak"], said["Petar Dimov"]
    assert any("written in foreign banks" in t and "Nobody in this city asked for it" in t for t in novak)
    assert any(t.startswith("Foreign banks had bought two newspapers") for t in novak)
    assert any(t == "Harbour Deal Was a Plot by Foreign Banks" for t in novak)  # the headline's "– Novak"
    assert any(t.startswith("Every contract was published") for t in dimov)
    assert any(t.startswith("We will ask the auditors") for t in dimov)
    assert not any("certain circles" in t or "distraction" in t for t in novak + dimov)  # pronouns: nobody
    for claim in claims(store):
        assert "Great piece" not in str(claim.get("text"))


def test_comment_thread_ends_the_article() -> None:
    lines = ARTICLE.splitlines()
    end = article_end(lines)
    assert lines[end].strip().startswith("1.")
    assert "Novak later added" in "\n".join(lines[:end])


def test_one_actor_however_named(tmp_path: Path) -> None:
    resolver = SpeakerResolver()
    first = resolver.resolve("Russian President Vladimir Putin")
    assert first is not None
    assert resolver.resolve("Putin") == first
    tokayev = resolver.resolve("Kazakhstan’s President Kassym Jomart-Tokayev")
    assert tokayev is not None and tokayev.name == "Kassym-Jomart Tokayev"
    assert name_key("Kassym Jomart-Tokayev") == name_key("Kassym-Jomart Tokayev")
    assert resolver.resolve("He") is None
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    records = [r for r in NewsArticleLoader().read(path) if isinstance(r, Record)]
    speakers = {e.target for r in records for e in r.edges if e.type is EdgeType.ATTRIBUTED_TO}
    assert len(speakers) == 2
