"""The data flow, composed: read -> nlp/extract -> resolve -> map -> store, one document at a time.

Each document is written in one transaction, so an ingest stopped at any point leaves every
completed document whole and none half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from spacy.language import Language

from graph import vocab
from graph.curation.apply import Curation
from graph.errors import DocumentTooLarge, StoreError, UnreadableDocument
from graph.extract import extract
from graph.ingest.curate_store import apply_to_store
from graph.model import Document, Extraction, IngestResult
from graph.nlp.language import load_nlp
from graph.rdf.curation_quads import document_graph_quads
from graph.read.reader import find_documents, read_document
from graph.resolve import resolve
from graph.store import core as graph_store
from graph.store.protocol import Store
from graph.store.search import SearchIndex, entries_from_quads, entries_from_store


def extract_document(doc: Document, nlp: Language | None = None) -> Extraction:
    """What ``msme-kg extract`` prints and ingest stores: the resolved extraction."""
    return resolve(extract(doc, nlp or load_nlp()))


def ingest_document(
    store: Store,
    doc: Document,
    nlp: Language | None = None,
    *,
    force: bool = False,
    curation: Curation | None = None,
    index: SearchIndex | None = None,
) -> IngestResult:
    """Store one document's facts; unchanged files (same sha256) are left as they are.

    With a ``curation``, the corrections are applied after resolve and the uncurated extraction is
    kept in the document graph, so ``msme-kg curate`` can re-apply them without re-running NLP.

    With ``index``, the search index entries of the document are replaced right after its graph
    (a crash between the two leaves the index a version behind; ``SearchIndex.sync`` mends it).
    """
    previous = graph_store.graph_sha256(store, doc.id)
    if previous == doc.sha256 and not force:
        return keep_unchanged(store, doc, index)
    return write_extraction(store, doc, extract_document(doc, nlp), previous, curation=curation, index=index)


def keep_unchanged(store: Store, doc: Document, index: SearchIndex | None = None) -> IngestResult:
    """An unchanged document is not re-extracted; only its search entries are refreshed if they lag behind."""
    if index is not None:
        index.refresh_document(doc.id, entries_from_store(store, doc.id))
    return IngestResult(doc.source, doc.id, "unchanged")


# what an ingest line counts, in the words of `msme-kg stats` (graph.stats.PLURALS) -> the extraction's field
COUNTED = {"persons": "persons", "organisations": "organisations", "economies": "countries",
           "initiatives": "initiatives", "events": "events", "facts": "relations"}


def write_extraction(
    store: Store,
    doc: Document,
    extraction: Extraction,
    previous: str | None,
    *,
    curation: Curation | None = None,
    index: SearchIndex | None = None,
) -> IngestResult:
    """Map a resolved extraction (curated if a curation is given) and replace the document's graph."""
    quads = document_graph_quads(doc, extraction, curation, datetime.now(UTC))
    written = graph_store.replace_graph(store, vocab.graph_iri(doc.id), quads)
    if index is not None:
        index.replace_document(doc.id, entries_from_quads(quads))
    counts = {word: len(getattr(extraction, attr)) for word, attr in COUNTED.items()}
    return IngestResult(doc.source, doc.id, "replaced" if previous else "added", written, counts=counts)


MAX_DOCUMENT_CHARS = 1_000_000
"""The largest document ingested, in characters: spaCy's own ``nlp.max_length`` default.

Offsets are character offsets into one spaCy ``Doc``, so a longer text would have to be cut
into pieces whose facts could not span the cuts; such a file is refused with a clear line
instead (raise the limit with ``--max-chars`` or ``MSME_KG_MAX_DOCUMENT_CHARS``).
"""


def _reason(err: Exception, path: Path) -> str:
    """The reason alone: readers often start their message with the path, which the line already names."""
    text = str(err)
    prefix = f"{path}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def read_checked(path: Path, max_chars: int = MAX_DOCUMENT_CHARS) -> Document:
    """Read a file, refusing one longer than ``max_chars`` — before reading it when its size already says so.

    A character takes at most 4 bytes in any encoding the reader accepts, so a file above
    ``4 * max_chars`` bytes is refused without being read into memory.
    """
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # the reader reports the missing or unreadable file in its own words
    if size > 4 * max_chars:
        raise DocumentTooLarge(f"{path}: too large ({size:,} bytes; the limit is {max_chars:,} characters)")
    doc = read_document(path)
    if len(doc.text) > max_chars:
        raise DocumentTooLarge(f"{path}: too large ({len(doc.text):,} characters; the limit is {max_chars:,})")
    return doc


def _claim_id(sources: dict[str, Path], doc_id: str, path: Path) -> None:
    """Refuse a second file with the same document id in one run (``a.txt`` and ``a.md``).

    Without this the second would silently replace the first's graph, and every later ingest
    would swap them back and forth.
    """
    first = sources.setdefault(doc_id, path)
    if first != path:
        raise UnreadableDocument(f"{path}: same document id {doc_id!r} as {first}; rename one of them")


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    nlp: Language | None = None,
    force: bool = False,
    on_result: Callable[[IngestResult], None] | None = None,
    max_chars: int = MAX_DOCUMENT_CHARS,
    curation: Curation | None = None,
    index: SearchIndex | None = None,
) -> list[IngestResult]:
    """Ingest files and folders; a bad file is reported and skipped, the others still load.

    A failed file changes nothing in the store: its previous version (if any) stays whole.
    With a ``curation`` (``msme-kg ingest`` reads the curation file every time), documents
    stored earlier are brought up to date with it too, and the curation graph is rewritten;
    a curation naming unknown ids raises :class:`CurationError` once every document is stored.
    """
    graph_store.load_ontology(store)
    results = []
    sources: dict[str, Path] = {}  # doc id -> the file that gave it in this run
    for path in find_documents(paths):
        try:
            doc = read_checked(path, max_chars)
            _claim_id(sources, doc.id, path)
            result = ingest_document(store, doc, nlp, force=force, curation=curation, index=index)
        except (UnreadableDocument, StoreError) as err:
            result = IngestResult(str(path), "", "failed", error=_reason(err, path))
        results.append(result)
        if on_result:
            on_result(result)
    if curation is not None:
        apply_to_store(store, curation)
    return results
