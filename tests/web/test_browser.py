"""The web pages as a person uses them, in headless Chromium (Debian's chromium + chromedriver, via Selenium).

The app runs under uvicorn on 127.0.0.1 (a free port) over a copy of the seed store, with answers
capped at MAX_ROWS rows so the SPARQL page's note about capped answers can be seen. Each test opens
pages, acts on them, checks what they show and saves a screenshot that must not be blank.

Every test fails on any message in the browser's console — error, warning or log line, from our
code, a vendored library or the browser itself (a 404, a Content-Security-Policy violation, a
Cytoscape warning): the log is read after each screenshot and at the end of each test.

Without chromium, chromedriver or the selenium package these tests skip, saying how to install
them (scripts/install-browser.sh); with CI=true they fail instead.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import time
import urllib.parse
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
WAIT = 30
MAX_ROWS = 2000
SCREENSHOTS = Path(os.environ.get("MSME_KG_SCREENSHOTS", PROJECT_DIR / "build" / "screenshots"))
PARTICIPATION = {"attended", "spoke_at", "presented_at", "moderated", "chaired"}
MSME = "https://w3id.org/msme-kg/ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PREFIXES = f"PREFIX msme: <{MSME}>\nPREFIX rdfs: <{RDFS}>\n"


def _selenium():
    try:
        import selenium  # noqa: F401
    except ImportError:
        require("the selenium package", False, "install the pinned dependencies (make venv: requirements.lock)")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def driver(tmp_path_factory, downloads) -> Iterator[object]:
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
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # every console message, any level
    browser = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    browser.set_page_load_timeout(60)
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def server(seed_store_path, tmp_path_factory) -> Iterator[str]:
    """`msme-kg serve` on a copy of the seed store, on 127.0.0.1 and a free port; stopped afterwards."""
    store = tmp_path_factory.mktemp("browser-store") / "store"
    shutil.copytree(seed_store_path, store, ignore=shutil.ignore_patterns("LOCK"))
    env = {**os.environ, "MSME_KG_MAX_ROWS": str(MAX_ROWS)}
    with serving(store, env=env) as (base, _process):
        yield base


def _console(driver) -> list[str]:
    return [f"{e['level']}: {e['message']}" for e in driver.get_log("browser")]


@pytest.fixture(autouse=True)
def silent_console(driver) -> Iterator[None]:
    """No console message at all, from any page the test opened."""
    _console(driver)  # start from an empty log
    yield
    messages = _console(driver)
    assert not messages, "the browser console is not silent:\n" + "\n".join(messages)


def _get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def _wait(driver, condition, timeout: float = WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _js_true(driver, script: str, timeout: float = WAIT):
    return _wait(driver, lambda d: d.execute_script(script), timeout)


def _click(driver, css: str) -> None:
    """Click the element once it is there and clickable, again if the page re-drew it meanwhile."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    def click(d) -> bool:
        try:
            ec.element_to_be_clickable((By.CSS_SELECTOR, css))(d).click()
        except (StaleElementReferenceException, AttributeError):
            return False
        return True

    _wait(driver, click)


def _shot(driver, name: str) -> Path:
    """Save a screenshot; it must not be blank, and the console must be silent so far."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = driver.get_screenshot_as_png()
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(png)
    colours, commonest = colour_stats(png)
    assert colours > 100, f"{path}: only {colours} colours — a blank page?"
    assert commonest < 0.95, f"{path}: one colour covers {commonest:.0%} of the page"
    messages = _console(driver)
    assert not messages, f"console messages on {driver.current_url}:\n" + "\n".join(messages)
    return path


def _person_who_attended(base: str) -> tuple[dict, dict]:
    """A person of the graph and an event they took part in (found through the app, not hard-coded)."""
    data = _get_json(base + "/export?format=cytoscape&types=person,event&download=false")
    nodes = {n["data"]["id"]: n["data"] for n in data["elements"]["nodes"]}
    for edge in sorted(data["elements"]["edges"], key=lambda e: e["data"]["id"]):
        source, target = nodes[edge["data"]["source"]], nodes[edge["data"]["target"]]
        took_part = edge["data"]["predicate"] in PARTICIPATION
        if source["type"] == "person" and target["type"] == "event" and took_part and len(source["label"]) >= 4:
            return source, target
    pytest.fail("the seed graph has no person who took part in an event")


# ---------------------------------------------------------------- home, browse, entity, event, document


def test_home_page_counts_every_type_and_lists_the_most_named(driver, server):
    from selenium.webdriver.common.by import By

    overview = _get_json(server + "/web/api/overview")
    driver.get(server + "/web/")
    cards = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#counts .count-card"))
    shown = {c.get_attribute("data-type"): c.find_element(By.CSS_SELECTOR, ".count").text for c in cards}
    assert shown == {t: f"{n:,}" for t, n in overview["counts"].items()}
    assert overview["counts"]["person"] > 10 and overview["counts"]["document"] == 5
    people = driver.find_elements(By.CSS_SELECTOR, "[data-list='People named most'] a.entity-link")
    assert [a.text for a in people] == [p["label"] for p in overview["top"]["person"]]
    assert driver.find_elements(By.CSS_SELECTOR, "link[rel=icon][href='/web/static/favicon.svg']")
    _shot(driver, "home-page")

    _click(driver, "a.count-card[data-type='person']")
    _wait(driver, lambda d: d.current_url.endswith("/web/browse/person"))
    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#browse-list a.entity-link")) > 10)
    count = driver.find_element(By.ID, "browse-count").text
    assert count == f"{overview['counts']['person']} of {overview['counts']['person']}"
    box = driver.find_element(By.ID, "browse-filter")
    first = overview["top"]["person"][0]["label"]
    box.send_keys(first)
    _wait(driver, lambda d: d.find_element(By.ID, "browse-count").text.startswith("1 of"))
    assert driver.find_element(By.CSS_SELECTOR, "#browse-list a.entity-link").text == first
    box.clear()
    driver.execute_script("var b = document.getElementById('browse-filter'); b.dispatchEvent(new Event('input'));")
    _shot(driver, "browse-page")


def test_search_open_person_reach_their_event_and_click_the_graph(driver, server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    person, event = _person_who_attended(server)

    # 1. search for the person by the last word of their name
    driver.get(server + "/web/")
    box = _wait(driver, ec.element_to_be_clickable((By.ID, "q")))
    box.send_keys(person["label"].split()[-1])
    driver.find_element(By.ID, "search-button").click()

    # 2. open their page: facts with evidence and a neighbourhood graph
    _click(driver, f"a.result[href='/web/entity/{person['id']}']")
    _wait(driver, ec.url_contains(f"/web/entity/{person['id']}"))
    assert _wait(driver, ec.visibility_of_element_located((By.TAG_NAME, "h1"))).text.startswith(person["label"])
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#facts blockquote"))
    _js_true(driver, "return window.cy && window.cy.nodes().length > 1")
    _shot(driver, "person-page")

    # 3. follow the link to the event they attended
    _click(driver, f"#facts a[href='/web/event/{event['id']}']")
    _wait(driver, ec.url_contains(f"/web/event/{event['id']}"))
    participants = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#participants a.participant"))
    assert person["label"] in {a.text for a in participants}
    _js_true(driver, "return window.cy && window.cy.nodes().length > 1")
    _shot(driver, "event-page")

    # 4. click the person's node in the neighbourhood graph: it opens their page
    graph = driver.find_element(By.ID, "graph")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", graph)
    x, y = driver.execute_script(
        "var p = window.cy.getElementById(arguments[0]).renderedPosition(); return [p.x, p.y];", person["id"])
    size = graph.size
    ActionChains(driver).move_to_element_with_offset(graph, int(x - size["width"] / 2), int(y - size["height"] / 2)) \
        .click().perform()
    _wait(driver, ec.url_contains(f"/web/entity/{person['id']}"))


def test_document_page_shows_the_documents_name_and_the_quote(driver, server, seed_store_path):
    from selenium.webdriver.common.by import By

    person, _ = _person_who_attended(server)
    entity = _get_json(server + f"/web/api/entity/{person['id']}")
    fact = next(f for f in entity["facts"] if f["document"] and f["start"] is not None)
    document = _get_json(server + f"/web/api/document/{fact['document']['id']}")
    driver.get(server + f"{fact['document']['page']}?start={fact['start']}&end={fact['end']}")
    mark = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#doc-text mark#quote"))[0]
    assert mark.text == fact["quote"]
    assert driver.find_element(By.TAG_NAME, "h1").text == document["title"]
    props = driver.find_element(By.CSS_SELECTOR, "dl.props").text
    assert document["name"] in props and document["name"].endswith(".txt")
    page = driver.page_source
    assert "/seeds/" not in page and str(PROJECT_DIR) not in page  # the ingest's path, not shown
    named = driver.find_elements(By.CSS_SELECTOR, "#doc-entities a.entity-link")
    assert person["label"] in {a.text for a in named}
    _shot(driver, "document-page")


def test_pages_of_entities_with_most_and_fewest_facts_and_every_list_are_silent(driver, server):
    """An entity in no relation has no graph to draw: its page says so, and asks the server for nothing
    that would fail (a 404 from /export was a console error on every such page)."""
    from selenium.webdriver.common.by import By

    met_empty = False
    for kind in ("person", "organisation", "economy", "initiative", "event", "document"):
        driver.get(server + f"/web/browse/{kind}")
        _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#browse-list a.entity-link"))
        items = _get_json(server + f"/web/api/browse/{kind}")
        if kind == "document":
            continue
        for item in (items[0], items[-1]):
            driver.get(server + item["page"])
            _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#graph canvas, #graph .empty"))
            assert driver.find_element(By.TAG_NAME, "h1").text.startswith(item["label"][:20])
            if item["facts"] == 0:
                assert "Nothing to draw" in driver.find_element(By.ID, "graph").text
                if not met_empty:
                    _shot(driver, "entity-without-relations")
                met_empty = True
    assert met_empty  # the sweep met a page without relations


# ---------------------------------------------------------------- the network page


def test_network_page_labels_the_top_nodes_colours_clusters_and_groups_them(driver, server):
    from selenium.webdriver.common.by import By

    driver.get(server + "/web/graph")
    _js_true(driver, "return window.cy && window.cy.nodes().length > 200")
    n = driver.execute_script("return cy.nodes().length")
    labelled = driver.execute_script(
        "return cy.nodes().filter(function (x) { return x.style('label') !== ''; }).length")
    assert 0 < labelled <= 20 < n  # only the biggest nodes carry a label
    biggest = driver.execute_script(
        "return cy.nodes().sort(function (a, b) { return b.data('size') - a.data('size'); })[0].id()")
    assert driver.execute_script("return cy.getElementById(arguments[0]).style('label')", biggest)
    hidden = driver.execute_script(
        "return cy.nodes().filter(function (x) { return x.style('label') === ''; })[0].id()")
    driver.execute_script("cy.getElementById(arguments[0]).emit('mouseover')", hidden)
    assert driver.execute_script("return cy.getElementById(arguments[0]).style('label')", hidden)  # on hover
    driver.execute_script("cy.getElementById(arguments[0]).emit('mouseout')", hidden)
    communities = driver.execute_script(
        "var c = {}; cy.nodes().forEach(function (x) { c[x.data('community')] = true; }); return Object.keys(c).length")
    colours = driver.execute_script(
        "var c = {}; cy.nodes().forEach(function (x) { c[x.style('background-color')] = true; }); "
        "return Object.keys(c).length")
    assert communities > 3 and colours >= min(communities, 12)  # coloured by cluster
    summary = driver.find_element(By.ID, "summary").text
    assert summary.startswith(f"{n} nodes")
    _shot(driver, "network-page")

    # above a node count the page draws one node per cluster; clicking one opens it
    driver.get(server + "/web/graph?group_above=100")
    _js_true(driver, "return window.cy && cy.nodes().length > 0 && cy.nodes()[0].data('type') === 'cluster'")
    assert driver.find_element(By.ID, "grouped").is_selected()
    assert driver.execute_script("return cy.nodes().length") == communities
    members = driver.execute_script("return cy.nodes().sort(function (a, b) { return b.data('members') - "
                                    "a.data('members'); })[0].data('members')")
    _shot(driver, "network-clusters")
    driver.execute_script("cy.nodes().sort(function (a, b) { return b.data('members') - a.data('members'); })[0]"
                          ".emit('tap')")
    _js_true(driver, "return cy.nodes().length > 0 && cy.nodes()[0].data('type') !== 'cluster'")
    assert driver.execute_script("return cy.nodes().length") == members
    assert driver.find_element(By.ID, "ungroup").is_displayed()
    _shot(driver, "network-one-cluster")


def test_html_export_opens_offline_in_the_browser(driver, tmp_path):
    page = tmp_path / "export.html"
    page.write_bytes(export_view(build_sample_store(), NetworkSpec(), "html"))
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    try:
        driver.get(page.as_uri())
        count = _js_true(driver, "return window.cy ? window.cy.nodes().length : 0")
        expected = json.loads(driver.execute_script("return document.getElementById('graph-data').textContent"))
        assert count == len(expected["elements"]["nodes"]) > 5
        drawn = driver.execute_script("return window.cy.nodes().filter(function (n) { return n.visible(); }).length")
        assert drawn == count
        _shot(driver, "html-export")
    finally:
        driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                               {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


# ---------------------------------------------------------------- the SPARQL workbench


def _workbench(driver, url: str) -> None:
    driver.get(url)
    _js_true(driver, "return document.body.getAttribute('data-workbench') === 'ready'")


def _run(driver, query: str | None = None) -> None:
    """Run the current tab's query (after setting it) and wait for YASR to draw the answer."""
    from selenium.webdriver.common.by import By

    if query is not None:
        driver.execute_script("yasgui.getTab().setQuery(arguments[0])", query)
    before = driver.execute_script(
        "var y = yasgui.getTab().getYasqe(); window.__answers = window.__answers || 0;"
        "if (!y.__counted) { y.__counted = true; y.on('queryResponse', function () {"
        "  setTimeout(function () { window.__answers += 1; }, 300); }); }"
        "return window.__answers;")
    buttons = _wait(driver, lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, ".yasqe_queryButton")
                                       if b.is_displayed()])
    buttons[0].click()
    _js_true(driver, f"return window.__answers > {before}")


def test_sparql_workbench_runs_a_named_query_from_the_examples(driver, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _workbench(driver, server + "/web/sparql")
    options = driver.find_elements(By.CSS_SELECTOR, "#examples option")
    names = {o.text.split(" — ")[0] for o in options[1:]}
    assert {"people", "events", "network-edges"} <= names
    Select(driver.find_element(By.ID, "examples")).select_by_visible_text(
        next(o.text for o in options if o.text.startswith("people ")))
    assert "msme:Person" in driver.execute_script("return yasgui.getTab().getQuery()")
    assert driver.execute_script("return yasgui.getTab().getName()") == "people"  # its own tab
    _run(driver)
    rows = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table.dataTable tbody tr"))
    assert len(rows) > 5
    assert driver.find_elements(By.CSS_SELECTOR, ".yasr a[href^='https://w3id.org/msme-kg/id/person-']")
    assert driver.find_element(By.ID, "truncated").get_attribute("hidden")  # under the cap: no note
    driver.execute_script("Array.from(document.querySelectorAll('.yasr')).find(function (e) { return e.offsetParent; })"
                          ".scrollIntoView({block: 'start'}); window.scrollBy(0, -300);")
    _shot(driver, "sparql-page")


def test_sparql_workbench_shows_a_construct_as_a_table_and_a_graph(driver, server):
    from selenium.webdriver.common.by import By

    _workbench(driver, server + "/web/sparql")
    _run(driver, PREFIXES + "CONSTRUCT { ?p msme:attended ?e . ?p ?label ?name }\n"
                 "WHERE { ?p msme:attended ?e ; rdfs:label ?name . BIND(rdfs:label AS ?label) }")
    header = [th.text for th in driver.find_elements(By.CSS_SELECTOR, ".yasr table.dataTable thead th")]
    assert header[1:] == ["subject", "predicate", "object"]
    triples = driver.execute_script("return yasgui.getTab().getYasr().results.getBindings().length")
    assert triples > 10
    _click(driver, ".yasr .select_graph")
    _js_true(driver, "return window.msmeWorkbench.cy && msmeWorkbench.cy.nodes().length > 3")
    edges = driver.execute_script("return msmeWorkbench.cy.edges().map(function (e) { return e.data('predicate'); })")
    assert set(edges) == {"msme:attended"}  # literals are attributes of nodes, not nodes
    person = driver.execute_script("return msmeWorkbench.cy.nodes().filter(function (n) { return n.data('type') === "
                                   "'person'; })[0].id()")
    driver.execute_script("msmeWorkbench.cy.getElementById(arguments[0]).emit('tap')", person)
    details = driver.find_element(By.CSS_SELECTOR, ".workbench-node").text
    assert person in details and "rdfs:label" in details
    driver.execute_script("document.querySelector('.workbench-graph-wrap').scrollIntoView({block: 'end'})")
    _shot(driver, "sparql-construct-graph")
    _run(driver, f"PREFIX msme: <{MSME}>\nDESCRIBE ?p WHERE {{ ?p a msme:Person }} LIMIT 1")
    assert driver.execute_script("return yasgui.getTab().getYasr().results.getBindings().length") > 2
    _run(driver, f"PREFIX msme: <{MSME}>\nASK {{ ?p a msme:Person }}")
    assert _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr .booleanResult"))[0].text == "True"


def test_sparql_workbench_permalink_prefix_completion_and_capped_rows(driver, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"
    _workbench(driver, server + "/web/sparql?query=" + urllib.parse.quote(query))
    assert driver.execute_script("return yasgui.getTab().getQuery()") == query  # the permalink opened it

    # typing a prefixed name adds its PREFIX line; Ctrl-Space completes the ontology's classes
    driver.execute_script("var y = yasgui.getTab().getYasqe(); y.setValue('SELECT * WHERE { ?x a '); "
                          "y.focus(); y.setCursor(y.lastLine(), 1000);")
    editor = driver.find_element(By.CSS_SELECTOR, ".yasqe .CodeMirror textarea")
    editor.send_keys("msme:Pers")
    _js_true(driver, "return yasgui.getTab().getQuery().indexOf('PREFIX msme: <" + MSME + ">') >= 0")
    editor.send_keys(Keys.CONTROL, " ")
    hints = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror-hints li"))
    assert "msme:Person" in {h.text for h in hints}
    editor.send_keys(Keys.ESCAPE)

    # an answer over the server's cap says so
    _run(driver, "SELECT * WHERE { ?s ?p ?o }")
    note = _wait(driver, lambda d: d.find_element(By.ID, "truncated") if d.find_element(By.ID, "truncated")
                 .is_displayed() else None)
    assert f"{MAX_ROWS:,}" in note.text and "max_rows" in note.text
    assert driver.execute_script("return yasgui.getTab().getYasr().results.getBindings().length") == MAX_ROWS
    _shot(driver, "sparql-capped")
    _run(driver, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    assert not driver.find_element(By.ID, "truncated").is_displayed()


def _downloaded(folder: Path, name: str) -> bytes:
    path = folder / name
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if path.exists() and not (folder / f"{name}.crdownload").exists():
            return path.read_bytes()
        time.sleep(0.2)
    pytest.fail(f"{name} was not downloaded into {folder}: {sorted(p.name for p in folder.iterdir())}")


def test_sparql_workbench_downloads_the_answer_in_other_formats(driver, server, downloads):
    from pyoxigraph import RdfFormat, parse

    _workbench(driver, server + "/web/sparql")
    _run(driver, PREFIXES + "SELECT ?person ?name WHERE { ?person a msme:Person ; rdfs:label ?name }")
    _click(driver, "#downloads button[data-format='csv']")
    rows = list(csv.reader(io.StringIO(_downloaded(downloads, "query-result.csv").decode("utf-8"))))
    assert rows[0] == ["person", "name"] and len(rows) > 10
    _click(driver, "#downloads button[data-format='tsv']")
    assert _downloaded(downloads, "query-result.tsv").decode().splitlines()[0] == "?person\t?name"
    _run(driver, f"PREFIX msme: <{MSME}>\nCONSTRUCT {{ ?p msme:attended ?e }} WHERE {{ ?p msme:attended ?e }}")
    _click(driver, "#downloads button[data-format='ttl']")
    triples = list(parse(_downloaded(downloads, "query-result.ttl"), format=RdfFormat.TURTLE))
    assert triples and {t.predicate.value for t in triples} == {MSME + "attended"}


# ---------------------------------------------------------------- the API documentation


def test_swagger_ui_and_redoc_render_from_the_vendored_files(driver, server):
    from selenium.webdriver.common.by import By

    driver.get(server + "/docs")
    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) > 10)
    assert "msme-kg" in driver.find_element(By.CSS_SELECTOR, ".info .title").text
    _shot(driver, "api-docs")
    driver.get(server + "/redoc")
    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "li[data-item-id]")) > 10)
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("msme-kg")
    _shot(driver, "api-redoc")
