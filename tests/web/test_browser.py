"""The web page as a person uses it, in headless Chromium (Debian's chromium + chromedriver, via Selenium).

The app runs under uvicorn on 127.0.0.1 (a free port) over a copy of the seed store; the test
searches for a person who attended an event, opens their page, follows the link to the event,
clicks a node of the neighbourhood graph, and checks a screenshot is not blank. The HTML export
is opened from a file with networking disabled.

Without chromium, chromedriver or the selenium package these tests skip, saying how to install
them (scripts/install-browser.sh); with CI=true they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.views.export import export_view
from graph.views.network import NetworkSpec
from tests.helpers.server import serving
from tests.helpers_png import colour_stats
from tests.helpers_tools import require, require_program
from tests.paths import ROOT as PROJECT_DIR
from tests.sample_graph import build_sample_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1280,900",
)
WAIT = 20
SCREENSHOTS = Path(os.environ.get("MSME_KG_SCREENSHOTS", PROJECT_DIR / "build" / "screenshots"))
PARTICIPATION = {"attended", "spoke_at", "presented_at", "moderated", "chaired"}


def _selenium():
    try:
        import selenium  # noqa: F401
    except ImportError:
        require("the selenium package", False, "install the pinned dependencies (make venv: requirements.lock)")


@pytest.fixture(scope="module")
def driver(tmp_path_factory) -> Iterator[object]:
    _selenium()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    require("`chromium`", chromium is not None)
    chromedriver = require_program("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download a browser
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    browser = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    browser.set_page_load_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def server(seed_store_path, tmp_path_factory) -> Iterator[str]:
    """`msme-kg serve` on a copy of the seed store, on 127.0.0.1 and a free port; stopped afterwards."""
    store = tmp_path_factory.mktemp("browser-store") / "store"
    shutil.copytree(seed_store_path, store, ignore=shutil.ignore_patterns("LOCK"))
    with serving(store) as (base, _process):
        yield base


def _person_who_attended(base: str) -> tuple[dict, dict]:
    """A person of the graph and an event they took part in (found through the app, not hard-coded)."""
    url = base + "/export?format=cytoscape&types=person,event&download=false"
    with urllib.request.urlopen(url, timeout=30) as response:
        data = json.load(response)
    nodes = {n["data"]["id"]: n["data"] for n in data["elements"]["nodes"]}
    for edge in sorted(data["elements"]["edges"], key=lambda e: e["data"]["id"]):
        source, target = nodes[edge["data"]["source"]], nodes[edge["data"]["target"]]
        took_part = edge["data"]["predicate"] in PARTICIPATION
        if source["type"] == "person" and target["type"] == "event" and took_part and len(source["label"]) >= 4:
            return source, target
    pytest.fail("the seed graph has no person who took part in an event")


def _click(driver, css: str) -> None:
    """Click the element once it is there and clickable, again if the page re-drew it meanwhile."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    def click(d) -> bool:
        try:
            ec.element_to_be_clickable((By.CSS_SELECTOR, css))(d).click()
        except (StaleElementReferenceException, AttributeError):
            return False
        return True

    WebDriverWait(driver, WAIT).until(click)


def _screenshot_is_not_blank(driver, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = driver.get_screenshot_as_png()
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(png)
    colours, commonest = colour_stats(png)
    assert colours > 100, f"{path}: only {colours} colours — a blank page?"
    assert commonest < 0.95, f"{path}: one colour covers {commonest:.0%} of the page"
    return path


def test_search_open_person_reach_their_event_and_click_the_graph(driver, server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    person, event = _person_who_attended(server)
    wait = WebDriverWait(driver, WAIT)

    # 1. search for the person by the last word of their name
    driver.get(server + "/web/")
    box = wait.until(ec.element_to_be_clickable((By.ID, "q")))
    box.send_keys(person["label"].split()[-1])
    driver.find_element(By.ID, "search-button").click()

    # 2. open their page: facts with evidence and a neighbourhood graph
    _click(driver, f"a.result[href='/web/entity/{person['id']}']")
    wait.until(ec.url_contains(f"/web/entity/{person['id']}"))
    assert wait.until(ec.visibility_of_element_located((By.TAG_NAME, "h1"))).text.startswith(person["label"])
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#facts blockquote"))
    wait.until(lambda d: d.execute_script("return window.cy ? window.cy.nodes().length : 0") > 1)
    _screenshot_is_not_blank(driver, "person-page")

    # 3. follow the link to the event they attended
    _click(driver, f"#facts a[href='/web/event/{event['id']}']")
    wait.until(ec.url_contains(f"/web/event/{event['id']}"))
    participants = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#participants a.participant"))
    assert person["label"] in {a.text for a in participants}
    wait.until(lambda d: d.execute_script("return window.cy ? window.cy.nodes().length : 0") > 1)
    shot = _screenshot_is_not_blank(driver, "event-page")
    print(f"screenshots: {shot.parent}")

    # 4. click the person's node in the neighbourhood graph: it opens their page
    graph = driver.find_element(By.ID, "graph")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", graph)
    x, y = driver.execute_script(
        "var p = window.cy.getElementById(arguments[0]).renderedPosition(); return [p.x, p.y];", person["id"])
    size = graph.size
    ActionChains(driver).move_to_element_with_offset(graph, int(x - size["width"] / 2), int(y - size["height"] / 2)) \
        .click().perform()
    wait.until(ec.url_contains(f"/web/entity/{person['id']}"))


def test_html_export_opens_offline_in_the_browser(driver, tmp_path):
    page = tmp_path / "export.html"
    page.write_bytes(export_view(build_sample_store(), NetworkSpec(), "html"))
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    try:
        driver.get(page.as_uri())
        from selenium.webdriver.support.ui import WebDriverWait

        count = WebDriverWait(driver, WAIT).until(
            lambda d: d.execute_script("return window.cy ? window.cy.nodes().length : 0"))
        expected = json.loads(driver.execute_script("return document.getElementById('graph-data').textContent"))
        assert count == len(expected["elements"]["nodes"]) > 5
        drawn = driver.execute_script("return window.cy.nodes().filter(function (n) { return n.visible(); }).length")
        assert drawn == count
        _screenshot_is_not_blank(driver, "html-export")
    finally:
        driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                               {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def test_sparql_page_runs_an_example_query(driver, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver.get(server + "/web/sparql")
    wait = WebDriverWait(driver, WAIT)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#examples option")) > 3)
    Select(driver.find_element(By.ID, "examples")).select_by_visible_text(
        next(o.text for o in driver.find_elements(By.CSS_SELECTOR, "#examples option") if o.text.startswith("people ")))
    assert "msme:Person" in driver.find_element(By.ID, "query").get_attribute("value")
    _click(driver, "#run")
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#sparql-results table.results tr"))
    assert len(rows) > 2  # a header and people
    assert driver.find_elements(By.CSS_SELECTOR, "#sparql-results a[href^='/web/entity/person-']")
    _screenshot_is_not_blank(driver, "sparql-page")
