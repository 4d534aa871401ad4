"""Settings read from the environment (prefix ``MSME_KG_``) or given by CLI flags, and where the
shipped data folders are.

One class, built when asked for (no work at import time). Paths a user gives (``--store``,
``MSME_KG_CURATION``) are relative to the current directory, as with every command-line tool;
the folders the package itself needs (``ontology/``, ``queries/``, ``web/``) are found by
:func:`resource_dir`, wherever the package is installed.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

RESOURCES = ("ontology", "queries", "web")
"""The repository's top-level folders the code reads at run time; the wheel ships them as package data."""


def resource_dir(name: str) -> Path:
    """The shipped folder ``name`` (``ontology``, ``queries`` or ``web``).

    Why two places: the folders stay at the top of the repository (where people edit them), and
    the wheel's build copies them into the package as ``graph/_data/NAME`` (setup.py). An
    installed package finds them there; a checkout or an editable install has no ``_data``, so
    they are read beside the source tree.

    >>> (resource_dir("queries") / "people.rq").is_file()
    True
    """
    if name not in RESOURCES:
        raise ValueError(f"not a shipped folder: {name!r}; known: {', '.join(RESOURCES)}")
    packaged = Path(str(files("graph") / "_data" / name))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


ONTOLOGY_DIR = resource_dir("ontology")
QUERIES_DIR = resource_dir("queries")
WEB_DIR = resource_dir("web")
GAZETTEER_DIR = ONTOLOGY_DIR / "gazetteers"


class Settings(BaseSettings):
    """Everything that can be configured, with sensible defaults for one machine."""

    model_config = SettingsConfigDict(env_prefix="MSME_KG_")

    # relative paths are relative to the current directory (`make run` runs in the checkout)
    store: Path = Path("data/store")
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0
    max_rows: int = 10_000
    max_body_bytes: int = 1_000_000
    update_token: str | None = None
    max_document_chars: int = 1_000_000
    # limits checked while a file is read (graph.read.limits.ReadLimits says why each is what it is)
    max_part_bytes: int = 64 * 1024 * 1024
    max_pdf_pages: int = 2_000
    max_elements: int = 500_000
    # ingest follows links inside the folders given to files outside them only when this is set
    follow_symlinks: bool = False
    # the curators' corrections, applied after extraction on every ingest (env MSME_KG_CURATION)
    curation: Path = Path("curation.yaml")
    # the store backend: the embedded Oxigraph folder above, or any SPARQL 1.1 server
    backend: Literal["oxigraph", "sparql"] = "oxigraph"
    sparql_query_url: str | None = None
    sparql_update_url: str | None = None
    sparql_gsp_url: str | None = None
    sparql_user: str | None = None
    sparql_password: str | None = None
    sparql_timeout: float = 60.0
    query_workers: int = 2
    # GET /export: at most this many at once (503 beyond), each stopped after export_timeout seconds
    export_workers: int = 2
    export_timeout: float = 60.0
    # seconds `serve` waits for requests in flight when asked to stop, before it cancels them
    shutdown_grace: int = 3
    allow_service: bool = False
    allow_load: bool = False
    # bounds of one SPARQL request (query, update or Graph Store request), checked in the worker
    max_answer_bytes: int = 32_000_000  # answers are cut at this size (header X-Result-Truncated)
    max_query_depth: int = 64  # brackets nested deeper are refused (400) before the parser sees them
    worker_memory_mb: int = 3072  # address-space limit of each query worker and the writer (0: none)
    max_queue: int = 32  # requests waiting for a busy worker; more answer 503 + Retry-After at once
    update_timeout: float = 60.0  # updates and Graph Store writes, in the writer process
    # the web face: browsers of these origins may call the API (CORS); comma-separated, "*" for any
    cors_origins: str = ""
    # the public IRI prefix of the graph's entities, served under this server's root (/id/..., /ns)
    public_base: str = "https://w3id.org/msme-kg/"
    search_index: Path | None = None
    # REST look-ups by id answered without FastAPI's per-request machinery (api.fast); off: FastAPI alone
    fast_lookups: bool = True
    # whole-graph views cached per store version (graph.views.cache), in <store>-views unless set;
    # warm_views: compute the usual ones as soon as a new version appears, before anyone asks
    views_cache: Path | None = None
    warm_views: bool = True
    # at most this many whole-graph views computed or queued at once (503 beyond), each stopped past view_timeout s
    views_pending: int = 4
    view_timeout: float = 600.0

    def views_cache_path(self) -> Path:
        """The folder of cached views: ``views_cache`` if set, else ``<store>-views`` beside the store."""
        return self.views_cache or self.store.with_name(self.store.name + "-views")

    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    def search_index_path(self) -> Path:
        """The search index file: ``search_index`` if set, else ``<store>-search.sqlite`` beside the store."""
        return self.search_index or self.store.with_name(self.store.name + "-search.sqlite")


def settings_environment(settings: Settings) -> dict[str, str]:
    """``settings`` as the MSME_KG_* variables that rebuild it in another process (unset fields left out)."""
    return {f"MSME_KG_{name.upper()}": str(value)
            for name, value in settings.model_dump().items() if value is not None}
