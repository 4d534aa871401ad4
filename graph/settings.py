"""Settings read from the environment (prefix ``MSME_KG_``) or given by CLI flags.

One class, built when asked for (no work at import time).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_DIR / "ontology"
QUERIES_DIR = PROJECT_DIR / "queries"
SEEDS_DIR = PROJECT_DIR / "seeds"
WEB_DIR = PROJECT_DIR / "web"
GAZETTEER_DIR = ONTOLOGY_DIR / "gazetteers"


class Settings(BaseSettings):
    """Everything that can be configured, with sensible defaults for one machine."""

    model_config = SettingsConfigDict(env_prefix="MSME_KG_")

    store: Path = PROJECT_DIR / "data" / "store"
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0
    max_rows: int = 10_000
    max_body_bytes: int = 1_000_000
    update_token: str | None = None
    max_document_chars: int = 1_000_000
    # the curators' corrections, applied after extraction on every ingest (env MSME_KG_CURATION)
    curation: Path = PROJECT_DIR / "curation.yaml"
    # the store backend: the embedded Oxigraph folder above, or any SPARQL 1.1 server
    backend: Literal["oxigraph", "sparql"] = "oxigraph"
    sparql_query_url: str | None = None
    sparql_update_url: str | None = None
    sparql_gsp_url: str | None = None
    sparql_user: str | None = None
    sparql_password: str | None = None
    sparql_timeout: float = 60.0
    query_workers: int = 2
    allow_service: bool = False
    allow_load: bool = False
    search_index: Path | None = None
    # REST look-ups by id answered without FastAPI's per-request machinery (api.fast); off: FastAPI alone
    fast_lookups: bool = True
    # whole-graph views cached per store version (graph.views.cache), in <store>-views unless set;
    # warm_views: compute the usual ones as soon as a new version appears, before anyone asks
    views_cache: Path | None = None
    warm_views: bool = True

    def views_cache_path(self) -> Path:
        """The folder of cached views: ``views_cache`` if set, else ``<store>-views`` beside the store."""
        return self.views_cache or self.store.with_name(self.store.name + "-views")

    def search_index_path(self) -> Path:
        """The search index file: ``search_index`` if set, else ``<store>-search.sqlite`` beside the store."""
        return self.search_index or self.store.with_name(self.store.name + "-search.sqlite")


def settings_environment(settings: Settings) -> dict[str, str]:
    """``settings`` as the MSME_KG_* variables that rebuild it in another process (unset fields left out)."""
    return {f"MSME_KG_{name.upper()}": str(value)
            for name, value in settings.model_dump().items() if value is not None}
