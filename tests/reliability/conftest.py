"""The reliability suite: bounded in `make test`, long under `SOAK=1` (`make soak`).

`examples(bounded, soak)` gives a hypothesis test its number of examples for the run; `tally` counts
the inputs each test actually tried, printed at the end of the run (and written as JSON to
`$RELIABILITY_FIGURES` when set) so the figures in a report are measured, not estimated.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

SOAK = os.environ.get("SOAK", "").lower() not in {"", "0", "false", "no"}

_tally: Counter[str] = Counter()
GENERATED = ("fuzz:", "hostile:", "schemathesis:")  # the kinds that count as generated inputs
_tally_lock = threading.Lock()


def examples(bounded: int, soak: int) -> int:
    return soak if SOAK else bounded


def fuzz_settings(bounded: int, soak: int) -> settings:
    """Hypothesis settings for a fuzz test: no deadline (the machine is shared), no health checks
    that object to large generated files or to the per-test store, reproducible outside the soak."""
    return settings(
        max_examples=examples(bounded, soak),
        deadline=None,
        database=None,
        derandomize=not SOAK,  # `make test` tries the same inputs every run; the soak explores
        # Shrinking a failure to its smallest form is worth its minutes in the soak, not in `make test`.
        phases=list(Phase) if SOAK else [Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def tally(kind: str, n: int = 1) -> None:
    """Counts `n` inputs of `kind` tried (thread-safe)."""
    with _tally_lock:
        _tally[kind] += n


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _tally:
        return
    total = sum(n for kind, n in _tally.items() if kind.startswith(GENERATED))
    terminalreporter.section(f"reliability figures ({'SOAK' if SOAK else 'bounded'} run)")
    for kind, n in sorted(_tally.items()):
        terminalreporter.write_line(f"{kind:<70} {n:>8}")
    terminalreporter.write_line(f"{'generated inputs (' + ', '.join(GENERATED) + ')':<70} {total:>8}")
    out = os.environ.get("RELIABILITY_FIGURES")
    if out:
        Path(out).write_text(json.dumps({"soak": SOAK, "total": total, **dict(_tally)}, indent=1) + "\n")
