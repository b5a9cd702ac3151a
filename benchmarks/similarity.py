"""All-pairs top-10 similarity and match latency over the shared EUvsDisinfo texts.

    .venv/bin/python benchmarks/similarity.py [--shared ../shared] [--queries 600] [--json]

Corpus: the 10,892 cknabs case titles and the 3,071 kalkun cases (title + summary), 13,963 texts.

* vectorise: fitting the lexical embedder (word + character TF-IDF) on the corpus;
* all-pairs top-10 (ours): the chunked sparse product `all_pairs_top_k`, row chunks bounded by
  a cell budget and computed one per core at a time, top 10 per row;
* dense: the same scores computed the naive way, as one dense N x N matrix (scikit-learn's
  `cosine_similarity`), then a full sort of each row; both must give the same top-10 lists;
* dense, partitioned: the same dense matrix, top 10 of each row by `argpartition` (a stronger
  dense baseline than a full sort, reported alongside it);
* match: `TextIndex.search` for kalkun disproofs (article-length), summaries (paragraphs) and
  titles (sentences), p50 and p95 in milliseconds.

Wall time and CPU time are both reported: on a shared machine wall time includes waiting for a
core. Peak memory is the largest numpy/scipy allocation seen by tracemalloc during each phase;
tracemalloc slows every Python allocation (it tripled the vectorising time), so each phase is
timed in one run and its memory measured in a second run (`--no-memory` skips the second).
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.analysis.embedders import LexicalEmbedder  # noqa: E402
from graph.analysis.labelled import CKNABS, KALKUN, shared_data_dir  # noqa: E402
from graph.analysis.match import TextIndex  # noqa: E402
from graph.analysis.similarity import all_pairs_top_k  # noqa: E402

K = 10


def corpus(data: Path) -> tuple[list[str], list[dict[str, str]]]:
    with (data / CKNABS).open(encoding="utf-8", newline="") as fh:
        docs = [row["title"] for row in csv.DictReader(fh)]
    with (data / KALKUN).open(encoding="utf-8", newline="") as fh:
        kalkun = list(csv.DictReader(fh, delimiter=";"))
    docs += [f"{row['title']}. {row['summary']}" for row in kalkun]
    return docs, kalkun


MEMORY = True


def measured(fn: Callable[[], Any]) -> tuple[Any, float, float, float]:
    """The result, wall seconds, CPU seconds and peak MiB allocated while `fn` ran (a second
    run, under tracemalloc, when MEMORY is on; else 0)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = 0.0
    if MEMORY:
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result, wall, cpu, peak


def ours(vectors: Any, threshold: float) -> dict[int, list[int]]:
    top: dict[int, list[int]] = {}
    for rows, cols, _ in all_pairs_top_k(vectors, K, threshold):
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            top.setdefault(i, []).append(j)
    return top


def dense(vectors: Any, threshold: float) -> dict[int, list[int]]:
    from sklearn.metrics.pairwise import cosine_similarity

    scores = cosine_similarity(vectors, dense_output=True).astype(np.float32)
    np.fill_diagonal(scores, -1.0)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :K]
    floor = max(threshold, 1e-12)
    return {i: [j for j in order[i].tolist() if scores[i, j] >= floor] for i in range(scores.shape[0])}


def dense_partitioned(vectors: Any, threshold: float) -> dict[int, list[int]]:
    from sklearn.metrics.pairwise import cosine_similarity

    scores = cosine_similarity(vectors, dense_output=True).astype(np.float32)
    np.fill_diagonal(scores, -1.0)
    top = np.argpartition(-scores, K - 1, axis=1)[:, :K]
    values = np.take_along_axis(scores, top, axis=1)
    floor = max(threshold, 1e-12)
    return {
        i: [j for j, v in zip(top[i].tolist(), values[i].tolist(), strict=True) if v >= floor]
        for i in range(scores.shape[0])
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--queries", type=int, default=600, help="match queries (a third of each kind)")
    parser.add_argument("--threshold", type=float, default=0.35, help="link threshold (the default setting)")
    parser.add_argument("--skip-dense", action="store_true", help="leave out the dense comparison")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    global MEMORY
    MEMORY = not args.no_memory
    data = shared_data_dir(args.shared)
    docs, kalkun = corpus(data)
    out: dict[str, Any] = {"texts": len(docs)}

    embedder = LexicalEmbedder()
    vectors, vwall, vcpu, peak = measured(lambda: embedder.fit_embed(docs))
    out["vectorise"] = {"wall_s": round(vwall, 2), "cpu_s": round(vcpu, 2), "peak_mib": round(peak)}
    for label, threshold in ((f"threshold {args.threshold}", args.threshold), ("no threshold", 0.0)):
        mine, wall, cpu, peak = measured(functools.partial(ours, vectors, threshold))
        out[f"top10 ours, {label}"] = {
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "peak_mib": round(peak),
        }
        out[f"vectorise + top10 ours, {label}"] = {
            "wall_s": round(vwall + wall, 2),
            "cpu_s": round(vcpu + cpu, 2),
        }
        if args.skip_dense:
            continue
        for name, baseline in (("dense", dense), ("dense partitioned", dense_partitioned)):
            theirs, dwall, dcpu, dpeak = measured(functools.partial(baseline, vectors, threshold))
            out[f"top10 {name}, {label}"] = {
                "wall_s": round(dwall, 2),
                "cpu_s": round(dcpu, 2),
                "peak_mib": round(dpeak),
            }
            # Ties may order differently; compare the sets of each row.
            same = sum(1 for i in range(len(docs)) if set(mine.get(i, [])) == set(theirs.get(i, [])))
            out[f"rows identical to {name}, {label}"] = f"{same}/{len(docs)}"
            out[f"speed-up over {name}, {label}"] = {
                "wall": round(dwall / wall, 1),
                "cpu": round(dcpu / cpu, 1),
            }

    index, wall, _, _ = measured(lambda: TextIndex(docs))
    out["match_index_build_s"] = round(wall, 2)
    rng = random.Random(4)
    per_kind = max(1, args.queries // 3)
    kinds = {
        "article (disproof)": [r["disproof"] for r in rng.sample(kalkun, per_kind) if r["disproof"].strip()],
        "paragraph (summary)": [r["summary"] for r in rng.sample(kalkun, per_kind) if r["summary"].strip()],
        "sentence (title)": [r["title"] for r in rng.sample(kalkun, per_kind) if r["title"].strip()],
    }
    everything: list[float] = []
    out["match_ms"] = {}
    for kind, queries in kinds.items():
        times = []
        for q in queries:
            began = time.perf_counter()
            index.search(q, K)
            times.append((time.perf_counter() - began) * 1000)
        everything += times
        out["match_ms"][kind] = {
            "p50": round(float(np.percentile(times, 50)), 2),
            "p95": round(float(np.percentile(times, 95)), 2),
        }
    out["match_ms"]["all"] = {
        "p50": round(float(np.percentile(everything, 50)), 2),
        "p95": round(float(np.percentile(everything, 95)), 2),
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return
    for key, value in out.items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
