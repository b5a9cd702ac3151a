"""A throwaway Neo4j 5 server for tests: launches ``tools/neo4j/run`` and waits for Bolt.

Usage (e.g. in a session-scoped pytest fixture)::

    server = start_neo4j()
    try:
        with server.driver() as driver:
            driver.execute_query("RETURN 1")
    finally:
        server.stop()

The server's stdin is a pipe held by this process: if the test process dies, the pipe closes and the
server shuts itself down. Its data directory is a fresh temp dir (removed by ``stop()``) unless
``data_dir`` is given.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections import deque
from pathlib import Path
from types import TracebackType
from typing import IO

import neo4j

REPO_ROOT = Path(__file__).resolve().parent.parent
RUN_SCRIPT = REPO_ROOT / "tools" / "neo4j" / "run"
READY_PREFIX = "NEO4J READY "
DEFAULT_START_TIMEOUT = 180.0  # a cold ~/.m2 alone takes ~50 s

_TAIL_LINES = 40


class Neo4jStartError(RuntimeError):
    """The server did not come up; the message carries its last output and log lines."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Neo4jServer:
    """Handle on a running ``tools/neo4j/run`` process (see :func:`start_neo4j`)."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        port: int,
        data_dir: Path,
        *,
        owns_data_dir: bool,
    ) -> None:
        self.process = process
        self.port = port
        self.uri = f"bolt://127.0.0.1:{port}"
        self.data_dir = data_dir
        self.startup_seconds: float = 0.0  # launch -> driver connectivity verified
        self._owns_data_dir = owns_data_dir
        self._output: deque[str] = deque(maxlen=_TAIL_LINES)
        self._output_lock = threading.Lock()
        self._ready = threading.Event()
        self._ready_uri: str | None = None
        self._readers = [
            threading.Thread(target=self._pump, args=(process.stdout, True), daemon=True),
            threading.Thread(target=self._pump, args=(process.stderr, False), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    # -- output handling ---------------------------------------------------------------------

    def _pump(self, stream: IO[str] | None, is_stdout: bool) -> None:
        """Drain one pipe for the process's whole life (a full pipe would block the JVM)."""
        if stream is None:
            return
        for line in stream:
            line = line.rstrip("\n")
            if is_stdout and line.startswith(READY_PREFIX) and not self._ready.is_set():
                self._ready_uri = line[len(READY_PREFIX) :].strip()
                self._ready.set()
                continue
            with self._output_lock:
                self._output.append(line)
        if is_stdout:
            self._ready.set()  # EOF: the process is gone; wake the waiter

    def output_tail(self) -> list[str]:
        """The last lines the server printed (stderr, plus any stray stdout)."""
        with self._output_lock:
            return list(self._output)

    def log_tail(self, lines: int = _TAIL_LINES) -> list[str]:
        """The last lines of Neo4j's own logs (logs/neo4j.log and logs/debug.log)."""
        tail: list[str] = []
        for name in ("neo4j.log", "debug.log"):
            path = self.data_dir / "logs" / name
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            tail.append(f"--- {path}")
            tail.extend(text.splitlines()[-lines:])
        return tail

    def _diagnostics(self) -> str:
        parts = [f"exit code: {self.process.poll()}", "--- server output", *self.output_tail()]
        parts.extend(self.log_tail())
        return "\n".join(parts)

    # -- lifecycle ---------------------------------------------------------------------------

    def _wait_ready(self, timeout: float) -> None:
        started = time.monotonic()
        if not self._ready.wait(timeout) or self._ready_uri is None:
            if self._ready.is_set():  # stdout closed without the READY line: the server died
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    pass
                what = "exited"
            else:
                what = f"not ready after {timeout:.0f} s"
            diagnostics = self._diagnostics()
            self.stop()
            raise Neo4jStartError(f"Neo4j server {what} ({RUN_SCRIPT})\n{diagnostics}")
        if self._ready_uri != self.uri:
            self.stop()
            raise Neo4jStartError(f"server reported {self._ready_uri}, expected {self.uri}")
        remaining = max(5.0, timeout - (time.monotonic() - started))
        deadline = time.monotonic() + remaining
        while True:
            try:
                with neo4j.GraphDatabase.driver(self.uri, auth=None) as driver:
                    driver.verify_connectivity()
                return
            except (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError) as exc:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    diagnostics = self._diagnostics()
                    self.stop()
                    raise Neo4jStartError(f"Bolt at {self.uri} not usable: {exc!r}\n{diagnostics}") from exc
                time.sleep(0.2)

    def driver(self) -> neo4j.Driver:
        """A new driver for this server (the caller closes it)."""
        return neo4j.GraphDatabase.driver(self.uri, auth=None)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the server (close stdin, SIGTERM, wait; SIGKILL after ``timeout``). Idempotent."""
        process = self.process
        if process.stdin is not None and not process.stdin.closed:
            try:
                process.stdin.close()
            except OSError:
                pass
        if process.poll() is None:
            # The run script execs java, but while it is still resolving jars the process group
            # also holds bash and mvn: signal the whole group (start_neo4j makes it a new session).
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        if self._owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Neo4jServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Neo4jServer(uri={self.uri!r}, pid={self.process.pid}, data_dir={str(self.data_dir)!r})"


def _signal_group(process: subprocess.Popen[str], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError:  # pgid reused by someone else: fall back to the process itself
        process.send_signal(sig)


def start_neo4j(
    port: int | None = None,
    *,
    data_dir: Path | None = None,
    timeout: float = DEFAULT_START_TIMEOUT,
    heap: str | None = None,
    quick_start: bool = True,
) -> Neo4jServer:
    """Start ``tools/neo4j/run`` and return once the driver can talk to it.

    ``port``: Bolt port (a free one when None). ``data_dir``: Neo4j home to use and keep (a fresh
    temp dir, removed by ``stop()``, when None). ``heap``: JVM heap, e.g. ``"512m"`` (default 1g).
    ``quick_start``: JIT with C1 only (``-XX:TieredStopAtLevel=1``): about half the CPU to start,
    which matters on a busy 2-core machine; slower peak query speed, so not for benchmarks.
    Raises :class:`Neo4jStartError` with the server's last output/log lines if it does not come up.
    """
    if port is None:
        port = free_port()
    owns_data_dir = data_dir is None
    home = Path(tempfile.mkdtemp(prefix="neo4j-test-")) if data_dir is None else data_dir
    env = dict(os.environ)
    if heap is not None:
        env["NEO4J_HEAP"] = heap
    if quick_start:
        env["NEO4J_JAVA_OPTS"] = f"{env.get('NEO4J_JAVA_OPTS', '')} -XX:TieredStopAtLevel=1".strip()
    started = time.monotonic()
    command = [str(RUN_SCRIPT), "--port", str(port), "--data", str(home)]
    if owns_data_dir:
        command.append("--delete-on-exit")  # the server cleans up even if we are SIGKILLed
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        start_new_session=True,  # our own process group: stop() signals bash/mvn/java together
    )
    server = Neo4jServer(process, port, home, owns_data_dir=owns_data_dir)
    server._wait_ready(timeout)
    server.startup_seconds = time.monotonic() - started
    return server
