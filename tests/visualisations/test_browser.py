"""The views and the explorer in real headless Chromium (Debian's chromium and chromedriver).

Each view is saved to a file and opened from file:// with the network cut off; the suite checks it
draws the nodes it should, logs no errors, requests nothing, and runs no markup from the data. A
screenshot of every view goes to `screenshots/` for a person to look at.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from graph.ids import make_id
from graph.memory import MemoryStore
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel
from tests.visualisations.browser import console_errors, drawn_nodes, requested_urls, wait_ready
from tests.visualisations.conftest import HREF_TITLE, TOKEN, XSS_TITLE
from tests.visualisations.synthetic import Synthetic
from visualisations.html import network_html
from visualisations.style import node_caption, short
from visualisations.views import (
    ViewFormat,
    ViewKind,
    ViewRequest,
    build,
    neighbourhood_view,
    render,
)

pytestmark = pytest.mark.browser
Graph = tuple[MemoryStore, Synthetic, tuple[str, str]]
LOCAL_SCHEMES = ("file:", "data:", "about:", "chrome:", "chrome-extension:", "blob:", "devtools:")


def _requests(graph: Graph) -> dict[str, ViewRequest]:
    _, ids, (xss, _) = graph
    return {
        "neighbourhood": ViewRequest(ViewKind.NEIGHBOURHOOD, id=ids.claims[0], depth=2, limit=150),
        "narrative": ViewRequest(ViewKind.NARRATIVE, id=ids.narratives[1], limit=200),
        "narrative-map": ViewRequest(ViewKind.NARRATIVE, limit=400),
        "path": ViewRequest(ViewKind.PATH, source=xss, target=ids.countries[3], k=3, max_length=4),
        "country": ViewRequest(ViewKind.COUNTRY, id=ids.countries[12], limit=120),
        "timeline": ViewRequest(ViewKind.TIMELINE, id=ids.narratives[2]),
        "neighbourhood-1000": ViewRequest(ViewKind.NEIGHBOURHOOD, id=ids.countries[0], depth=3, limit=1000),
    }


def _open(driver: Any, path: Path) -> float:
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.as_uri())
    return wait_ready(driver)


def _external(urls: list[str]) -> list[str]:
    return [u for u in urls if not u.startswith(LOCAL_SCHEMES)]


@pytest.mark.parametrize(
    "name",
    ["neighbourhood", "narrative", "narrative-map", "path", "country", "timeline", "neighbourhood-1000"],
)
def test_saved_view_loads_offline_draws_every_node_and_requests_nothing(
    name: str, graph_store: Graph, offline_browser: Any, tmp_path: Path, screenshots: Path
) -> None:
    store = graph_store[0]
    request = _requests(graph_store)[name]
    drawn = build(store, request)
    page = tmp_path / f"{name}.html"
    page.write_bytes(render(store, request, ViewFormat.HTML, explorer_url="http://127.0.0.1:8000/"))
    ready_ms = _open(offline_browser, page)
    time.sleep(0.2)
    offline_browser.save_screenshot(str(screenshots / f"view-{name}.png"))
    assert console_errors(offline_browser) == []
    assert _external(requested_urls(offline_browser)) == []
    if request.kind is ViewKind.TIMELINE:
        bars = offline_browser.execute_script("return document.querySelectorAll('#chart rect.bar').length")
        assert bars == len(drawn.months)  # type: ignore[union-attr]
    else:
        assert drawn_nodes(offline_browser) == len(drawn.subgraph.nodes)  # type: ignore[union-attr]
    if name == "neighbourhood-1000":
        assert len(drawn.subgraph.nodes) == 1000  # type: ignore[union-attr]
        cut = offline_browser.find_element("id", "truncation").text
        assert cut.startswith("Showing 1,000 of ")
        assert ready_ms < 3000, f"1,000-node view ready after {ready_ms:.0f} ms"


def test_hostile_titles_show_as_text_and_run_nothing(
    graph_store: Graph, offline_browser: Any, tmp_path: Path, screenshots: Path
) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains

    store, _, (xss, href) = graph_store
    view = neighbourhood_view(store, xss, depth=1, limit=50)
    page = tmp_path / "hostile.html"
    page.write_text(network_html(view), encoding="utf-8")
    _open(offline_browser, page)
    driver = offline_browser
    for node_id, title in ((xss, XSS_TITLE), (href, HREF_TITLE)):
        dom = driver.execute_script(
            "var n = window.viewNetwork; var p = n.getPositions([arguments[0]])[arguments[0]];"
            "return n.canvasToDOM(p);",
            node_id,
        )
        canvas = driver.find_element("css selector", "#network canvas")
        size = canvas.size
        ActionChains(driver).move_to_element_with_offset(
            canvas, int(dom["x"] - size["width"] / 2), int(dom["y"] - size["height"] / 2)
        ).perform()
        driver.implicitly_wait(0)
        deadline = time.monotonic() + 5
        text = ""
        while time.monotonic() < deadline:
            text = driver.execute_script(
                "var t = document.querySelector('div.vis-tooltip');"
                "return t && t.style.visibility !== 'hidden' ? t.textContent : '';"
            )
            if title in text:
                break
            time.sleep(0.1)
        assert title in text, f"tooltip shows {text!r}"
        if node_id == xss:
            driver.save_screenshot(str(screenshots / "view-hostile-tooltip.png"))
    assert driver.execute_script("return document.querySelectorAll('img, a, b').length") == 0
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - reading it is the check
    assert console_errors(driver) == []


def test_explorer_searches_expands_and_records_a_verdict(
    graph_store: Graph, live_api: str, online_browser: Any, screenshots: Path
) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.support.ui import WebDriverWait

    store, ids, (xss, href) = graph_store
    driver = online_browser
    driver.get_log("browser")
    driver.get(live_api + "/")
    wait = WebDriverWait(driver, 20, poll_frequency=0.05)
    wait.until(lambda d: d.execute_script("return window.explorerStarted === true"))
    driver.find_element("id", "token").send_keys(TOKEN)
    driver.find_element("id", "q").send_keys("onerror")
    driver.find_element("css selector", "#search-form button").click()
    wait.until(lambda d: d.execute_script("return window.explorerResults > 0"))
    first = driver.find_element("css selector", "#results li div")
    assert first.text == XSS_TITLE
    first.click()
    wait.until(lambda d: d.execute_script("return window.explorerReady === true"))
    wait.until(lambda d: d.find_element("id", "claim-title").text == XSS_TITLE)
    wait.until(lambda d: len(d.find_elements("css selector", "#claim-similar button")) >= 2)
    # A claim with no debunk and no narrative says so under each heading, rather than leaving it empty.
    for section in ("claim-debunks", "claim-narratives"):
        assert driver.find_element("id", section).text == "None recorded"
    # Each similar claim shows its date, which tells apart cases logged under one title.
    similar = [li.text for li in driver.find_elements("css selector", "#claim-similar li")]
    assert any(t.startswith(HREF_TITLE) and "2022-02-03" in t for t in similar), similar
    expected = len(store.neighbourhood(xss, depth=1, limit=150).nodes)
    drawn = driver.execute_script("return Object.keys(window.explorerNetwork.getPositions()).length")
    assert drawn == expected
    snippet = driver.find_element("id", "embed").get_attribute("value")
    assert snippet.startswith("<iframe src=") and "/views/neighbourhood" in snippet
    # Expanding a neighbour adds its neighbourhood to the panel.
    driver.execute_script("window.explorerReady = false;")
    driver.execute_script(
        "var n = window.explorerNetwork; n.selectNodes([arguments[0]]);"
        "n.body.emitter.emit('click', {nodes: [arguments[0]], edges: []});",
        href,
    )
    wait.until(lambda d: d.execute_script("return window.explorerReady === true"))
    union = {n.id for n in store.neighbourhood(xss, depth=1, limit=150).nodes}
    union |= {n.id for n in store.neighbourhood(href, depth=1, limit=150).nodes}
    wait.until(
        lambda d: (
            d.execute_script("return Object.keys(window.explorerNetwork.getPositions()).length") == len(union)
        )
    )
    wait.until(lambda d: d.find_element("id", "claim-title").text == HREF_TITLE)
    time.sleep(0.5)
    driver.save_screenshot(str(screenshots / "explorer.png"))
    # Confirm the similarity between the two hostile claims, as an analyst holding the token.
    buttons = driver.find_elements("css selector", "#claim-similar button")
    buttons[0].click()
    wait.until(lambda d: "Recorded" in d.find_element("id", "status").text)
    edge = next(e for e in store.edges_of(href, [EdgeType.SIMILAR_TO]) if xss in (e.source, e.target))
    assert edge.properties.get("verdict") == "confirmed"
    assert driver.execute_script("return document.querySelectorAll('#panel img, #results img').length") == 0
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    # Expanding an ordinary, well-connected claim as well, for a screenshot with something to see.
    before = driver.execute_script("return Object.keys(window.explorerNetwork.getPositions()).length")
    driver.execute_script("window.explorerReady = false; window.explorerSettled = false;")
    driver.execute_script(
        "window.explorerNetwork.body.emitter.emit('click', {nodes: [arguments[0]], edges: []});",
        ids.claims[0],
    )
    wait.until(lambda d: d.execute_script("return window.explorerReady === true"))
    after = driver.execute_script("return Object.keys(window.explorerNetwork.getPositions()).length")
    assert after > before
    wait.until(lambda d: d.execute_script("return window.explorerSettled === true"))
    time.sleep(0.5)
    driver.save_screenshot(str(screenshots / "explorer-expanded.png"))
    # No caption lies over another; only the expanded node's and the anchors' lie over other nodes.
    captions, shapes = driver.execute_script(_BOXES.replace("viewNetwork", "explorerNetwork"))
    assert _clashes(captions, captions) == []
    labels = driver.execute_script(
        "var n = window.explorerNetwork.body.data.nodes, out = {};"
        "n.forEach(function (x) { out[x.id] = x.raw.label; }); return out;"
    )
    free = {i for i, label in labels.items() if label in ("Narrative", "Country")} | {ids.claims[0]}
    assert [c for c in _clashes(captions, shapes) if c[0] not in free] == []
    # Zoomed out (captions at 4 px), the node last expanded is named first in the overview, then
    # anchors only.
    driver.execute_script("window.explorerNetwork.moveTo({scale: 0.3});")
    wait.until(lambda d: d.execute_script("return window.explorerOverview().length > 0"))
    named = driver.execute_script("return window.explorerOverview()")
    driver.save_screenshot(str(screenshots / "explorer-overview.png"))
    assert named[0]["id"] == ids.claims[0]
    assert all(labels[b["id"]] in ("Narrative", "Country") for b in named[1:])
    assert _clashes(named, named) == []
    assert console_errors(driver) == []


def test_explorer_search_is_in_the_address_and_a_shared_address_runs_it(
    graph_store: Graph, live_api: str, online_browser: Any
) -> None:
    from urllib.parse import parse_qs, quote, urlsplit

    from selenium.webdriver.support.ui import WebDriverWait

    driver = online_browser
    driver.get_log("browser")
    wait = WebDriverWait(driver, 20, poll_frequency=0.05)
    # Typed into the box: the address takes the search, so it can be bookmarked.
    driver.get(live_api + "/")
    wait.until(lambda d: d.execute_script("return window.explorerStarted === true"))
    driver.find_element("id", "q").send_keys("onerror")
    driver.find_element("css selector", "#search-form button").click()
    wait.until(lambda d: d.execute_script("return window.explorerResults > 0"))
    assert parse_qs(urlsplit(driver.current_url).query) == {"q": ["onerror"]}
    # Opened from a shared address: the box is filled and the search runs; markup in it stays text.
    hostile = '<img src=x onerror="alert(1)">'
    driver.get(f"{live_api}/?q={quote(hostile)}")
    wait.until(lambda d: d.execute_script("return window.explorerStarted === true"))
    wait.until(lambda d: "found" in d.find_element("id", "status").text)
    assert driver.find_element("id", "q").get_attribute("value") == hostile
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    driver.get(f"{live_api}/?q=onerror")
    wait.until(lambda d: d.execute_script("return window.explorerResults > 0"))
    assert driver.find_element("css selector", "#results li div").text == XSS_TITLE
    assert console_errors(driver) == []


def test_embedded_view_from_api_draws_in_an_iframe(
    graph_store: Graph, live_api: str, online_browser: Any, screenshots: Path
) -> None:
    _, ids, _ = graph_store
    driver = online_browser
    driver.get_log("browser")
    driver.get(f"{live_api}/views/country?id={ids.countries[5]}&limit=80")
    wait_ready(driver)
    assert drawn_nodes(driver) > 1
    assert console_errors(driver) == []
    driver.save_screenshot(str(screenshots / "view-country-from-api.png"))


def test_api_docs_draw_from_this_server_alone(live_api: str, online_browser: Any, screenshots: Path) -> None:
    """/docs renders the OpenAPI document with its script and styles from the API itself: on a
    closed network it still works, and it never calls out to a CDN."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver = online_browser
    wait = WebDriverWait(driver, 30, poll_frequency=0.1)
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(live_api + "/docs")
    wait.until(lambda d: d.execute_script("return document.querySelectorAll('.opblock').length > 0"))
    paths = driver.execute_script(
        "return Array.from(document.querySelectorAll('.opblock-summary-path'))"
        ".map(function (e) { return e.getAttribute('data-path'); })"
    )
    spec = driver.execute_script(
        "return fetch('/openapi.json').then(function (r) { return r.json(); })"
        ".then(function (s) { return Object.keys(s.paths); })"
    )
    assert set(spec) <= set(paths), sorted(set(spec) - set(paths))
    assert {"/claims/{claim_id}", "/graph/neighbourhood", "/match"} <= set(paths)
    driver.save_screenshot(str(screenshots / "api-docs.png"))
    outside = [u for u in requested_urls(driver) if not u.startswith((live_api, *LOCAL_SCHEMES))]
    assert outside == []
    assert console_errors(driver) == []


# In canvas coordinates: the box of every caption drawn (vis-network keeps each node's last drawn
# caption box on its label module) and the box of every node's shape.
_BOXES = """
var body = window.viewNetwork.body, captions = [], shapes = [];
Object.keys(body.nodes).forEach(function (id) {
  var node = body.nodes[id], s = node.labelModule && node.labelModule.size, r = node.options.size;
  if (node.options.label && s && s.width > 0) {
    captions.push({id: id, left: s.left, top: s.top, width: s.width, height: s.height});
  }
  shapes.push({id: id, left: node.x - r, top: node.y - r, width: 2 * r, height: 2 * r});
});
return [captions, shapes];
"""


def _apart(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(
        a["left"] + a["width"] <= b["left"]
        or b["left"] + b["width"] <= a["left"]
        or a["top"] + a["height"] <= b["top"]
        or b["top"] + b["height"] <= a["top"]
    )


def _clashes(boxes: list[dict[str, Any]], others: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs (a box's node, another box's node) that lie on one another; a node never clashes with
    itself."""
    return [(a["id"], b["id"]) for a in boxes for b in others if a["id"] != b["id"] and not _apart(a, b)]


@pytest.mark.parametrize("limit", [60, 400])  # placed by physics in the browser; placed by the server
def test_no_caption_covers_another_caption_or_node_and_the_centre_keeps_its_own(
    limit: int, graph_store: Graph, offline_browser: Any, tmp_path: Path, screenshots: Path
) -> None:
    store, ids, _ = graph_store
    centre = ids.countries[0]  # a hub: its claims crowd around it
    view = neighbourhood_view(store, centre, depth=1 if limit < 100 else 2, limit=limit)
    page = tmp_path / "crowded.html"
    page.write_text(network_html(view), encoding="utf-8")
    _open(offline_browser, page)
    offline_browser.save_screenshot(str(screenshots / f"view-crowded-{limit}.png"))
    captions, shapes = offline_browser.execute_script(_BOXES)
    shown = {b["id"] for b in captions}
    assert centre in shown
    # The captions of the centre and of narratives and countries may lie over other nodes; no caption
    # lies over another, and no other caption over anything.
    groups = offline_browser.execute_script(
        "var n = window.viewNetwork.body.nodes, out = {};"
        "Object.keys(n).forEach(function (id) { out[id] = n[id].options.group; });"
        "return out;"
    )
    anchored = {i for i, g in groups.items() if g in ("Narrative", "Country")} | {centre}
    assert _clashes(captions, captions) == []
    assert [c for c in _clashes(captions, shapes) if c[0] not in anchored] == []
    # A caption left out of the picture is still the heading of the node's tooltip.
    headings = offline_browser.execute_script(
        "var n = window.viewNetwork.body.nodes, out = {};"
        "Object.keys(n).forEach(function (id) {"
        "  var t = n[id].options.title;"
        "  out[id] = t && t.querySelector ? t.querySelector('strong').textContent : '';"
        "});"
        "return out;"
    )
    hidden = [i for i in headings if i not in shown]
    assert all(headings[i] for i in hidden)
    assert console_errors(offline_browser) == []


def test_a_view_framed_whole_names_its_focus_and_anchors_until_zoomed_in(
    graph_store: Graph, offline_browser: Any, tmp_path: Path, screenshots: Path
) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    store, ids, _ = graph_store
    centre = ids.countries[0]
    view = neighbourhood_view(store, centre, depth=3, limit=1000)
    page = tmp_path / "overview.html"
    page.write_text(network_html(view), encoding="utf-8")
    driver = offline_browser
    _open(driver, page)
    driver.save_screenshot(str(screenshots / "view-overview-1000.png"))
    # Framed whole, a node's own caption (13 px, the focus's 16 px) is drawn too small to read.
    assert 16 * driver.execute_script("return window.viewNetwork.getScale()") < 6
    named = driver.execute_script("return window.viewOverview()")
    by_id = {n.id: n for n in view.subgraph.nodes}
    assert named[0]["id"] == centre
    assert 3 <= len(named) <= 12
    assert all(by_id[b["id"]].label in (NodeLabel.NARRATIVE, NodeLabel.COUNTRY) for b in named[1:])
    assert all(b["text"] == short(node_caption(by_id[b["id"]])) for b in named)
    assert _clashes(named, named) == []
    # Zoomed in until the nodes' own captions read, the overview steps back.
    driver.execute_script("window.viewNetwork.moveTo({scale: 1.0});")
    WebDriverWait(driver, 10, poll_frequency=0.05).until(
        lambda d: d.execute_script("return window.viewOverview().length") == 0
    )
    assert console_errors(driver) == []


def test_overview_names_are_drawn_as_text_and_run_nothing(offline_browser: Any, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.support.ui import WebDriverWait

    store = MemoryStore(None)
    src = Source("hostile", "narratives.csv", "line 1")
    narratives = [
        Node(make_id(NodeLabel.NARRATIVE, n), NodeLabel.NARRATIVE, {"name": n, "kind": "keyword"}, [src])
        for n in (XSS_TITLE, HREF_TITLE)
    ]
    claims = [
        Node(make_id(NodeLabel.CLAIM, f"claim {i}"), NodeLabel.CLAIM, {"title": f"Claim {i}"}, [src])
        for i in range(6)
    ]
    edges = [Edge(EdgeType.PART_OF, c.id, n.id, {}, [src]) for c in claims for n in narratives]
    store.upsert([*narratives, *claims], edges)
    driver = offline_browser
    for narrative in narratives:  # each as the focus, which the overview names first
        page = tmp_path / "hostile-overview.html"
        view = neighbourhood_view(store, narrative.id, depth=2, limit=50)
        page.write_text(network_html(view), encoding="utf-8")
        _open(driver, page)
        driver.execute_script("window.viewNetwork.moveTo({scale: 0.2});")
        WebDriverWait(driver, 10, poll_frequency=0.05).until(
            lambda d: d.execute_script("return window.viewOverview().length") > 0
        )
        first = driver.execute_script("return window.viewOverview()")[0]
        assert (first["id"], first["text"]) == (narrative.id, short(narrative.properties["name"]))
        assert driver.execute_script("return document.querySelectorAll('img, a, b').length") == 0
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text  # noqa: B018 - reading it is the check
    assert console_errors(driver) == []


_SVG_BOXES = """
function box(el) { var b = el.getBBox(); return {left: b.x, top: b.y, width: b.width, height: b.height}; }
var svg = document.querySelector('svg');
return [
  Array.prototype.map.call(svg.querySelectorAll('#labels text'), function (t) {
    var b = box(t); b.id = t.textContent; b.bold = t.getAttribute('font-weight') === '600'; return b;
  }),
  Array.prototype.map.call(svg.querySelectorAll('#nodes > *'), function (s, i) {
    var b = box(s); b.id = 'shape ' + i; return b;
  })
];
"""


def test_printed_captions_lie_clear_of_each_other_as_the_browser_measures_them(
    graph_store: Graph, offline_browser: Any, tmp_path: Path
) -> None:
    from visualisations.captions import text_width
    from visualisations.svg import CAPTION_SIZE

    store = graph_store[0]
    page = tmp_path / "map.svg"
    page.write_bytes(render(store, ViewRequest(ViewKind.NARRATIVE, limit=400), ViewFormat.SVG))
    offline_browser.get(page.as_uri())
    captions, shapes = offline_browser.execute_script(_SVG_BOXES)
    assert len(captions) >= 10
    assert _clashes(captions, captions) == []
    # What the server estimated for each caption is at least what Chromium draws: the estimate is
    # what keeps the printed captions apart.
    for caption in captions:
        assert caption["width"] <= text_width(caption["id"], CAPTION_SIZE, bold=caption["bold"])
    assert len(shapes) > len(captions)
