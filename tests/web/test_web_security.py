"""Security headers on every page, a Content-Security-Policy the pages live within, and odd static
file names answered 404 rather than 500 (issue 18, items 10 and 11)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.headers import PAGE_POLICY, STANDALONE_POLICY
from api.main import create_app
from tests.sample_graph import PEOPLE, WORKSHOP, build_sample_store

ANA = next(iter(PEOPLE))
PAGES = ("/web/", "/web/browse/person", "/web/browse/document", f"/web/entity/{ANA}", f"/web/event/{WORKSHOP}",
         "/web/document/sample-a", "/web/graph", "/web/sparql", "/docs", "/redoc")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(store=build_sample_store())) as c:
        yield c


def _policy(header: str) -> dict[str, str]:
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in header.split("; ")}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_security_headers(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    policy = _policy(r.headers["content-security-policy"])
    assert policy["script-src"] == "'self'"  # no inline or eval'd script, no other origin
    assert policy["frame-ancestors"] == "'none'" and policy["connect-src"] == "'self'"
    assert policy["object-src"] == "'none'"


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_and_load_only_this_servers_files(client, path):
    """What the policy allows is what the pages need: every script and style sheet is a file here."""
    page = client.get(path).text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.DOTALL)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert all(s.startswith("/web/static/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_json_answers_say_nosniff_but_carry_no_page_policy(client):
    r = client.get("/web/api/overview")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in r.headers


def test_the_html_export_keeps_its_own_policy(client):
    r = client.get("/export", params={"format": "html", "download": "false", "focus": ANA})
    assert r.headers["content-security-policy"] == STANDALONE_POLICY != PAGE_POLICY
    policy = _policy(STANDALONE_POLICY)
    assert policy["default-src"] == "'none'" and "connect-src" not in policy  # it may fetch nothing


def test_docs_and_redoc_use_the_vendored_files_and_the_apps_schema(client):
    docs, redoc = client.get("/docs").text, client.get("/redoc").text
    assert "/web/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs
    assert "/web/static/vendor/redoc/redoc.standalone.js" in redoc and "cdn" not in redoc.lower()
    assert 'data-openapi-url="/openapi.json"' in docs and 'spec-url="/openapi.json"' in redoc
    assert client.get("/openapi.json").json()["info"]["title"] == "msme-kg"
    bundle = client.get("/web/static/vendor/redoc/redoc.standalone.js").text
    assert "cdn.redoc.ly" not in bundle  # scripts/vendor-patches/redoc-no-cdn-logo.sed


@pytest.mark.parametrize("path", ["/web/static/%00", "/web/static/a%00b.js", "/web/static/" + "a" * 5000,
                                  "/web/static/" + "/".join(["d" * 250] * 20), "/web/static/vendor",
                                  "/web/static/%2e%2e/%2e%2e/pyproject.toml", "/web/static/..%2f..%2fREADME.md"])
def test_odd_static_names_are_404_not_500(client, path):
    assert client.get(path).status_code == 404


def test_favicon(client):
    for path in ("/favicon.ico", "/web/static/favicon.svg"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
        assert r.text.lstrip().startswith("<svg")
