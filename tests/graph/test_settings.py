"""Settings from the environment (graph.settings): the MSME_KG_ prefix, the search index beside the store,
and the variables that rebuild the same settings in another process."""

from __future__ import annotations

from pathlib import Path

from graph.settings import GAZETTEER_DIR, ONTOLOGY_DIR, QUERIES_DIR, WEB_DIR, Settings, settings_environment


def test_the_environment_sets_fields_under_the_msme_kg_prefix(monkeypatch, tmp_path):
    monkeypatch.setenv("MSME_KG_STORE", str(tmp_path / "s"))
    monkeypatch.setenv("MSME_KG_QUERY_WORKERS", "5")
    monkeypatch.setenv("STORE", "/not/this/one")
    settings = Settings()
    assert settings.store == tmp_path / "s" and settings.query_workers == 5


def test_the_search_index_sits_beside_the_store_unless_named(tmp_path):
    assert Settings(store=tmp_path / "kg").search_index_path() == tmp_path / "kg-search.sqlite"
    assert Settings(store=tmp_path / "kg", search_index=tmp_path / "i.db").search_index_path() == tmp_path / "i.db"


def test_settings_environment_rebuilds_the_same_settings(monkeypatch, tmp_path):
    original = Settings(store=tmp_path / "s", max_rows=7, backend="sparql", sparql_query_url="http://127.0.0.1:1/q")
    environment = settings_environment(original)
    assert "MSME_KG_UPDATE_TOKEN" not in environment  # unset fields are left out
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert Settings() == original


def test_the_shipped_folders_are_found():
    assert (ONTOLOGY_DIR / "msme.ttl").is_file() and (QUERIES_DIR / "entity.rq").is_file()
    assert (WEB_DIR / "templates").is_dir() and GAZETTEER_DIR.parent == ONTOLOGY_DIR
    assert all(isinstance(p, Path) and p.is_absolute() for p in (ONTOLOGY_DIR, QUERIES_DIR, WEB_DIR))
