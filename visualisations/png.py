"""PNG for print: our SVG rasterised by the system's headless Chromium, offline.

No Python rasteriser ships with the project's dependencies; Chromium is already needed by the
browser tests (`make system-deps`). Its network is cut off and its profile is a fresh temporary
directory, so rendering fetches nothing and leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from graph.exc import NarrativeGraphError

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Chromium quiet: no first-run, sync or update traffic, nothing drawn but the page.
QUIET_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
# Cut off: a resolver that resolves nothing and a dead proxy, so any request fails on the machine.
NO_NETWORK_FLAGS = ("--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9")
_SIZE = re.compile(r'<svg[^>]*?\bwidth="(\d+)"[^>]*?\bheight="(\d+)"')


class RendererUnavailableError(NarrativeGraphError):
    """PNG export needs a headless Chromium and none is installed."""

    status_code = 501
    code = "renderer_unavailable"


def find_chromium() -> str:
    """The Chromium binary: `NARRATIVES_CHROMIUM` if set, else the first one on PATH."""
    named = os.environ.get("NARRATIVES_CHROMIUM")
    if named:
        return named
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise RendererUnavailableError(
        "PNG export needs headless Chromium (apt-get install chromium, or `make system-deps`); "
        "SVG export works without it"
    )


def svg_to_png(svg: str, *, timeout: float = 60.0) -> bytes:
    """Rasterises one standalone SVG document at its own width and height."""
    size = _SIZE.search(svg)
    if size is None:
        raise NarrativeGraphError("the SVG has no width and height to rasterise at")
    width, height = int(size.group(1)), int(size.group(2))
    binary = find_chromium()
    with tempfile.TemporaryDirectory(prefix="narratives-png-") as tmp:
        work = Path(tmp)
        source = work / "view.svg"
        target = work / "view.png"
        # An HTML wrapper with no margin, so the screenshot is exactly the drawing.
        source.write_text(svg, encoding="utf-8")
        wrapper = work / "view.html"
        wrapper.write_text(
            '<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body{margin:0;padding:0;'
            "background:#fff}img{display:block}</style></head><body>"
            f'<img src="view.svg" width="{width}" height="{height}" alt=""></body></html>',
            encoding="utf-8",
        )
        command = [
            binary,
            "--headless",
            *QUIET_FLAGS,
            *NO_NETWORK_FLAGS,
            f"--user-data-dir={work / 'profile'}",
            f"--screenshot={target}",
            f"--window-size={width},{height}",
            wrapper.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise NarrativeGraphError(f"Chromium took longer than {timeout:.0f} s to render the PNG") from exc
        if not target.is_file():
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise NarrativeGraphError(f"Chromium did not write the PNG (exit {done.returncode}): {tail[0]}")
        return target.read_bytes()
