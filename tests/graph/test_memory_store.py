"""What only the embedded store has to prove: its data directory, shared across processes and threads."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from graph.exc import StoreUnavailableError
from graph.ids import make_id
from graph.memory import MemoryStore
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel

SRC = Source("test", "t.csv", "line 1")


def claim(i: int) -> Node:
    return Node(make_id(NodeLabel.CLAIM, f"claim {i}"), NodeLabel.CLAIM, {"title": f"claim {i}"}, [SRC])


def test_another_instance_sees_writes(tmp_path: Path) -> None:
    writer, reader = MemoryStore(tmp_path), MemoryStore(tmp_path)
    assert reader.counts().nodes["Claim"] == 0
    writer.upsert([claim(1), claim(2)])
    assert reader.counts().nodes["Claim"] == 2
    assert reader.get_node(claim(1).id).properties["title"] == "claim 1"


def test_another_process_sees_writes(tmp_path: Path) -> None:
    MemoryStore(tmp_path).upsert([claim(1)])
    code = (
        "import sys, json; from graph.memory import MemoryStore; "
        "print(json.dumps(MemoryStore(sys.argv[1]).counts().nodes))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout)["Claim"] == 1


def test_bulk_persists_once_at_the_end(tmp_path: Path) -> None:
    store, other = MemoryStore(tmp_path), MemoryStore(tmp_path)
    with store.bulk():
        store.upsert([claim(1)])
        store.upsert([claim(2)])
        assert not (tmp_path / "graph.json").exists()
    assert other.counts().nodes["Claim"] == 2


def test_warm_indexes_the_words_of_a_graph_read_from_disk(tmp_path: Path) -> None:
    MemoryStore(tmp_path).upsert([claim(1), claim(2)])
    store = MemoryStore(tmp_path)
    store.counts()  # reads the file: its nodes wait for the first full-text query to be indexed
    assert store._words.pending
    store.warm()
    assert not store._words.pending
    assert sorted(n.id for n in store.find_nodes(NodeLabel.CLAIM, query="claim").items) == sorted(
        [claim(1).id, claim(2).id]
    )


def test_a_warm_store_indexes_again_what_it_re_reads(tmp_path: Path) -> None:
    served, writer = MemoryStore(tmp_path), MemoryStore(tmp_path)
    served.warm()
    writer.upsert([claim(3)])  # another process's load: the served store re-reads the file
    assert served.counts().nodes["Claim"] == 1
    assert not served._words.pending
    assert [n.id for n in served.find_nodes(NodeLabel.CLAIM, query="claim").items] == [claim(3).id]


def test_a_reading_block_sees_one_state_of_the_graph(tmp_path: Path) -> None:
    store, other_instance = MemoryStore(tmp_path), MemoryStore(tmp_path)
    store.upsert([claim(1)])
    written = threading.Event()

    def write_from_another_thread() -> None:
        store.upsert([claim(2)])
        written.set()

    with store.reading():
        assert store.counts().nodes["Claim"] == 1
        other_instance.upsert([claim(3)])  # as another process would: through the data file
        writer = threading.Thread(target=write_from_another_thread)
        writer.start()
        assert not written.wait(0.3)  # held back until the block ends
        assert store.counts().nodes["Claim"] == 1
        assert store.get_nodes([claim(i).id for i in (1, 2, 3)]) == [store.get_node(claim(1).id)]
    writer.join()
    assert written.is_set()
    assert {n.properties["title"] for n in store.iter_nodes()} == {"claim 1", "claim 2", "claim 3"}


def test_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path)
    store.upsert([claim(1)])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "graph.json"]


def test_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "graph.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreUnavailableError, match="graph.json"):
        MemoryStore(tmp_path)


def test_concurrent_writers_and_readers_in_one_process(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path)
    hub = Node(
        make_id(NodeLabel.NARRATIVE, "hub"), NodeLabel.NARRATIVE, {"name": "hub", "kind": "keyword"}, [SRC]
    )
    store.upsert([hub])
    errors: list[BaseException] = []

    def write(offset: int) -> None:
        try:
            for i in range(offset, offset + 50):
                c = claim(i)
                store.upsert([c], [Edge(EdgeType.PART_OF, c.id, hub.id, {}, [SRC])])
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    def read() -> None:
        try:
            for _ in range(100):
                page = store.find_nodes(NodeLabel.CLAIM, limit=5)
                assert page.total >= len(page.items)
                store.neighbourhood(hub.id, depth=1, limit=20)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k * 1000,)) for k in range(3)]
    threads += [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.counts().nodes["Claim"] == 150
    assert MemoryStore(tmp_path).counts().edges["PART_OF"] == 150
