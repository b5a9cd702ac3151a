"""Headless Chromium for the view tests and the benchmark: Debian's chromium and chromedriver only.

Never downloads a browser (Selenium Manager is bypassed by naming the driver binary). The browser
gets a fresh profile, no background networking, and, when `offline`, a host resolver that resolves
nothing plus a dead proxy, so any request to the network fails instead of leaving the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from visualisations.png import NO_NETWORK_FLAGS, QUIET_FLAGS

CHROMIUM = os.environ.get("NARRATIVES_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = (
    os.environ.get("NARRATIVES_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
)
BASE_FLAGS = ("--headless=new", *QUIET_FLAGS, "--disable-dev-shm-usage")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return f"{path} not found (apt-get install chromium chromium-driver, or make system-deps)"
    return None


@contextmanager
def chromium(*, offline: bool = False, width: int = 1400, height: int = 900) -> Iterator[Any]:
    """A Selenium driver on headless Chromium with console and network logs enabled."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="narratives-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*BASE_FLAGS, *(NO_NETWORK_FLAGS if offline else ())):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver: Any) -> list[str]:
    """Console messages at SEVERE level since the last call (the log is drained by reading)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked the network stack for since the last call."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def wait_ready(driver: Any, timeout: float = 30.0) -> float:
    """Waits until the view says it is drawn and still; returns its `performance.now()` at that moment."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.02).until(
        lambda d: d.execute_script("return window.viewReady === true")
    )
    return float(driver.execute_script("return window.viewReadyAt"))


def drawn_nodes(driver: Any) -> int:
    """How many nodes the vis Network on the page holds and has placed."""
    return int(
        driver.execute_script(
            "var n = window.viewNetwork; if (!n) return -1;return Object.keys(n.getPositions()).length;"
        )
    )
