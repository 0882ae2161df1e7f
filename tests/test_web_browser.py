"""The web UI in a real browser (Debian chromium via Playwright) over the analysed demo corpus.

Starts ``dateline serve``'s app with uvicorn on a free loopback port in a thread, loads each
page, and follows a timeline citation through to the highlighted source span.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

CHROMIUM = Path("/usr/bin/chromium")
DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

if not CHROMIUM.exists():
    pytest.skip("Debian chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not DEMO.is_dir():
        pytest.skip("examples/demo is missing")
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dateline",
            "analyze",
            str(DEMO),
            "--db",
            str(db),
            "-q",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    if not db.exists() or done.returncode not in (0, 1):
        pytest.fail(f"analyze failed ({done.returncode}): {done.stderr[-2000:]}")
    return db


@pytest.fixture(scope="module")
def base_url(demo_db: Path) -> Iterator[str]:
    import uvicorn

    from dateline.api import create_app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(str(demo_db)), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        dialogs: list[str] = []
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        yield tab
        assert not dialogs, f"a page opened a dialog (script ran): {dialogs}"
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("DATELINE_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_story_overview(page, base_url: str, shots: Path) -> None:
    page.goto(base_url + "/")
    assert page.locator("h1").first.inner_text() == "Stories"
    assert page.locator("section.story").count() >= 1
    assert page.locator("svg.timeline-plot circle").count() >= 1
    assert page.locator("li.timeline-entry a.cite").count() >= 1
    page.screenshot(path=str(shots / "overview.png"), full_page=False)


def test_timeline_citation_reaches_highlighted_span(page, base_url: str, shots: Path) -> None:
    page.goto(base_url + "/")
    link = page.locator('li.timeline-entry a.cite[href*="#span-"]').first
    href = link.get_attribute("href")
    assert href
    link.click()
    page.wait_for_load_state()
    parts = urlsplit(page.url)
    assert parts.fragment == urlsplit(href).fragment
    article_id = unquote(parts.path.removeprefix("/articles/"))
    start, end = (int(x) for x in parts.fragment.removeprefix("span-").split("-"))
    text = httpx.get(f"{base_url}/api/articles/{article_id}").json()["text"]
    target = page.locator(":target")
    assert target.count() == 1
    assert target.inner_text() == text[start:end]
    outline = target.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    page.screenshot(path=str(shots / "article_target.png"), full_page=False)


def test_svg_dot_links_to_article(page, base_url: str) -> None:
    page.goto(base_url + "/")
    dot = page.locator("svg.timeline-plot a.dot-link").first
    href = dot.get_attribute("href")
    assert href
    assert href.startswith("/articles/")


def test_entity_page(page, base_url: str, shots: Path) -> None:
    entities = httpx.get(f"{base_url}/api/entities?limit=1000").json()["items"]
    assert entities
    best = max(entities, key=lambda e: len(e["article_ids"]))
    page.goto(f"{base_url}/entities")
    page.locator("table.list a", has_text=best["name"]).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith(best["name"])
    assert page.get_by_role("heading", name=f"How each outlet labels {best['name']}").count() == 1
    page.screenshot(path=str(shots / "entity.png"), full_page=False)


def test_quotes_page(page, base_url: str, shots: Path) -> None:
    page.goto(base_url + "/quotes")
    assert page.locator("section.quote-group").count() >= 1
    first = page.locator("figure.quote figcaption a").first
    href = first.get_attribute("href")
    assert href
    assert href.startswith("/articles/")
    page.screenshot(path=str(shots / "quotes.png"), full_page=False)


def test_search_page_and_bad_syntax(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.fill("header input[name=q]", "talks")
    page.press("header input[name=q]", "Enter")
    page.wait_for_load_state()
    assert page.locator("ol.hits li").count() >= 1
    response = page.goto(base_url + '/search?q="unbalanced')
    assert response is not None
    assert response.status == 400
    assert page.locator("p.error").count() == 1


def test_json_twin_link(page, base_url: str) -> None:
    page.goto(base_url + "/articles")
    page.locator("table.list a").first.click()
    page.wait_for_load_state()
    twin = page.locator("footer a.json-twin").get_attribute("href")
    assert twin
    assert twin.endswith(".json")
    data = httpx.get(base_url + twin).json()
    assert "highlights" in data
