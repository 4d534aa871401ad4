"""The ``msme-kg`` command: a thin layer of argument parsing over plain, testable functions."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from graph.cli.curate import add_curate_parser
from graph.errors import MsmeKgError
from graph.settings import Settings, settings_environment

EXIT_OK, EXIT_ERROR, EXIT_PARTIAL = 0, 1, 3
EXIT_BROKEN_PIPE = 128 + 13  # killed by SIGPIPE, as the shell reports it
SEEDS = Path("seeds")  # the documents `make run` ingests: relative to the current directory, like --store


def _store_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="the store folder; a relative path is relative to the current directory "
        "(default: $MSME_KG_STORE, else data/store in the current directory)",
    )


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    if getattr(args, "store", None):
        settings = settings.model_copy(update={"store": args.store})
    return settings


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from graph.curation.file import load_curation
    from graph.ingest.pipeline import ingest_paths
    from graph.model import IngestResult
    from graph.read.limits import ReadLimits
    from graph.read.reader import find_documents, printable
    from graph.store.core import count_quads, open_backend

    _must_exist(args.paths)
    settings = _settings(args)
    if args.follow_symlinks:
        settings = settings.model_copy(update={"follow_symlinks": True})
    limits = ReadLimits.from_settings(settings, max_chars=args.max_chars)
    total = sum(1 for _ in find_documents(args.paths, follow_symlinks=limits.follow_symlinks))
    if not total:
        raise MsmeKgError(f"no files found in {', '.join(map(str, args.paths))}")
    if args.cluster and args.workers > 1:
        raise MsmeKgError("--cluster extracts on the cluster's workers: leave out --workers")
    store = open_backend(settings)
    before = count_quads(store)
    bar = tqdm(total=total, unit="doc", desc="ingest", file=sys.stderr, disable=args.quiet or not total)

    def report(result: IngestResult) -> None:  # names escaped: they may hold terminal escapes
        bar.update(1)
        if result.status == "failed":
            tqdm.write(printable(f"FAILED  {result.source}: {result.error}"), file=sys.stderr)
        elif not args.quiet:
            counts = ", ".join(f"{v} {k}" for k, v in result.counts.items() if v)
            tqdm.write(printable(f"{result.status:<9} {result.source}  {result.triples} triples  {counts}"),
                       file=sys.stderr)

    max_chars = limits
    from graph.store.search import SearchIndex

    curation = load_curation(settings.curation)  # the curators' corrections, read on every ingest
    index = SearchIndex.open(settings.search_index_path())
    if args.cluster:
        from graph.ingest.cluster import ingest_paths_cluster

        results = ingest_paths_cluster(store, args.paths, address=args.cluster, force=args.force, on_result=report,
                                       max_chars=max_chars, curation=curation, index=index)
    elif args.workers > 1:
        from graph.ingest.parallel import ingest_paths_parallel

        results = ingest_paths_parallel(store, args.paths, workers=args.workers, force=args.force,
                                        on_result=report, max_chars=max_chars, curation=curation, index=index)
    else:
        results = ingest_paths(store, args.paths, force=args.force, on_result=report, max_chars=max_chars,
                               curation=curation, index=index)
    index.close()
    bar.close()
    store.flush()
    after = count_quads(store)
    failed = sum(r.status == "failed" for r in results)
    by_status = {s: sum(r.status == s for r in results) for s in ("added", "replaced", "unchanged", "failed")}
    print(
        f"{len(results)} file(s): " + ", ".join(f"{n} {s}" for s, n in by_status.items() if n)
        + f"; store {settings.store}: {after} quads ({after - before:+d})"
    )
    return EXIT_PARTIAL if failed else EXIT_OK


def _must_exist(paths: Sequence[Path]) -> None:
    """Refuse at once, naming every path that is not there (nothing opened, nothing created)."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise MsmeKgError("; ".join(f"{p}: no such file or directory" for p in missing))


def cmd_extract(args: argparse.Namespace) -> int:
    from graph.ingest.pipeline import extract_document, read_checked
    from graph.read.limits import ReadLimits

    _must_exist(args.files)
    max_chars = ReadLimits.from_settings(_settings(args))  # the same limits as ingest
    out = [extract_document(read_checked(path, max_chars)).to_json() for path in args.files]
    print(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from graph.tools.evaluate import evaluate_dirs

    for folder in (args.gold, args.docs):
        if not folder.is_dir():
            raise MsmeKgError(f"{folder}: no such directory")
    if not any(args.gold.glob("*.json")):
        raise MsmeKgError(f"{args.gold}: no gold files (*.json) in it")
    report = evaluate_dirs(args.gold, args.docs)
    print(json.dumps(report.to_json(), indent=2) if args.json else report.format())
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from graph.store.core import open_backend
    from graph.views.stats import store_stats

    settings = _settings(args)
    stats = store_stats(open_backend(settings, read_only=True))
    if args.json:
        print(json.dumps(stats, indent=2))
    else:
        for key, value in stats.items():
            print(f"{key:<16} {value}")
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    from graph.sparql.output import write_results
    from graph.sparql.queries import get_query
    from graph.store.core import open_backend, run_query

    if args.list:
        if args.query or args.param:
            raise MsmeKgError("--list lists the named queries: give it no query and no --param")
        _list_queries()
        return EXIT_OK
    if not args.query:
        raise MsmeKgError("give a query name or a .rq file (`msme-kg query --list` shows the names)")
    settings = _settings(args)
    query = get_query(args.query)  # a .rq file's nesting is bounded there, before pyoxigraph parses it
    bindings = query.bind(dict(_split_param(p) for p in args.param))
    results = run_query(open_backend(settings, read_only=True), query.text, bindings)
    write_results(results, args.format, sys.stdout)
    return EXIT_OK


def _list_queries() -> None:
    from graph.sparql.queries import load_queries

    queries = load_queries()
    width = max(map(len, queries))
    for name, query in queries.items():
        params = ", ".join(p.name + ("?" if p.optional else "") for p in query.params)
        print(f"{name:<{width}}  {query.summary}" + (f"  [--param {params}]" if params else ""))


def _split_param(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise MsmeKgError(f"--param takes key=value, got {text!r}")
    return key.strip(), value


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.main import create_app

    settings = _settings(args)
    updates = {"host": args.host or settings.host, "port": args.port or settings.port}
    if args.timeout:
        updates["query_timeout"] = args.timeout
    settings = settings.model_copy(update=updates)
    _store_to_serve(settings, create=args.create)
    if args.workers < 1:
        raise MsmeKgError(f"--workers takes a number of processes of at least 1, got {args.workers}")
    from api.transport import PROTOCOL

    if args.workers == 1:
        uvicorn.run(create_app(settings), http=PROTOCOL, host=settings.host, port=settings.port, log_level="info",
                    timeout_graceful_shutdown=settings.shutdown_grace)
        return EXIT_OK
    if settings.update_token:
        raise MsmeKgError("a server that takes updates holds the store's only write lock: serve with "
                          "--workers 1, or without MSME_KG_UPDATE_TOKEN (then `msme-kg ingest` is the writer)")
    _prepare_shared_state(settings)
    # Each worker process builds its app from the environment (uvicorn spawns them; they cannot
    # be handed an object), so the settings resolved here travel as MSME_KG_* variables.
    os.environ.update(settings_environment(settings))
    uvicorn.run("api.main:create_app", factory=True, workers=args.workers, http=PROTOCOL,
                host=settings.host, port=settings.port, log_level="info",
                timeout_graceful_shutdown=settings.shutdown_grace)
    return EXIT_OK


def _store_to_serve(settings: Settings, *, create: bool) -> None:
    """Serve an existing store; a new, empty one only when asked (a typo'd --store would serve nothing)."""
    from graph.store.core import open_store
    from graph.store.oxigraph import is_store

    if settings.backend != "oxigraph" or is_store(settings.store):
        return
    if not create:
        raise MsmeKgError(f"no store at {settings.store}: run `msme-kg ingest --store {settings.store}` first, "
                          "or add --create to serve a new, empty store")
    open_store(settings.store).flush()  # creates it (and refuses a folder that holds other files)


def _prepare_shared_state(settings: Settings) -> None:
    """Bring the search index up to date once, before N workers open it (else each would rebuild it)."""
    if settings.backend != "oxigraph":
        return
    from graph.store.core import open_store
    from graph.store.search import SearchIndex

    if not settings.store.exists():  # the read-only workers need a store to open
        open_store(settings.store).flush()
    index = SearchIndex.open(settings.search_index_path())
    try:
        index.sync(open_store(settings.store, read_only=True))
    finally:
        index.close()


def cmd_validate(args: argparse.Namespace) -> int:
    from graph.store.core import open_backend
    from graph.tools.validate import validate_store

    report = validate_store(open_backend(_settings(args), read_only=True))
    print(report.text if (args.verbose or not report.conforms) else "conforms: the graph matches ontology/shapes.ttl")
    return EXIT_OK if report.conforms else EXIT_ERROR


def _embedded_only(settings: Settings, command: str) -> Settings:
    """dump/load work on the embedded store; a SPARQL server has its own backup tools."""
    if settings.backend == "sparql":
        raise MsmeKgError(f"{command} works on the embedded store only; back up a SPARQL server with its own tools")
    return settings


def cmd_dump(args: argparse.Namespace) -> int:
    from graph.store.backup import dump_to_path
    from graph.store.core import open_store

    settings = _embedded_only(_settings(args), "dump")
    target = None if str(args.file) == "-" else args.file
    count = dump_to_path(open_store(settings.store, read_only=True), target)
    if target is not None:
        print(f"dumped {count} quads from {settings.store} to {target}", file=sys.stderr)
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from graph.store.backup import load_from_path
    from graph.store.core import open_store
    from graph.store.search import SearchIndex

    settings = _embedded_only(_settings(args), "load")
    source = None if str(args.file) == "-" else args.file
    store = open_store(settings.store)
    count = load_from_path(store, source, replace=args.replace)
    index = SearchIndex.open(settings.search_index_path())  # the names of the loaded documents, not the old ones
    changed = index.sync(store)
    index.close()
    print(f"loaded {count} quads from {args.file} into {settings.store}; search index: {changed} document(s) "
          "re-indexed", file=sys.stderr)
    return EXIT_OK

def _csv(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(",") if t.strip())

def cmd_reindex(args: argparse.Namespace) -> int:
    from graph.store.core import document_graphs, open_store
    from graph.store.search import rebuild_index

    settings = _settings(args)
    store = open_store(settings.store, read_only=True)
    index = rebuild_index(store, settings.search_index_path())
    print(f"search index {settings.search_index_path()}: {len(index.documents())} documents "
          f"(store has {len(document_graphs(store))})")
    index.close()
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from graph.store.core import open_store
    from graph.views.export import export_view, filename
    from graph.views.network import NetworkSpec

    _check_export_options(args)
    spec = NetworkSpec(
        view=args.view, focus=args.focus, depth=args.depth or 1, types=_csv(args.types or ""),
        since=args.since, until=args.until, kind=args.kind or "person", size_by=args.size_by or "degree",
    )
    target = _export_target(args.output)
    data = export_view(open_store(_settings(args).store, read_only=True), spec, args.format)
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    output = target / filename(spec, args.format) if target.is_dir() else target
    try:
        output.write_bytes(data)
    except OSError as err:
        raise MsmeKgError(f"cannot write {output}: {err.strerror}") from err
    print(f"wrote {output} ({len(data)} bytes)", file=sys.stderr)
    return EXIT_OK


def _check_export_options(args: argparse.Namespace) -> None:
    """Refuse an option the chosen view or format would silently ignore."""
    from graph.views.subgraph_rdf import RDF_FORMATS

    if args.kind is not None and args.view != "coattendance":
        raise MsmeKgError(f"--kind chooses who the coattendance view links; the {args.view} view has no kind")
    if args.depth is not None and not args.focus:
        raise MsmeKgError("--depth counts steps from a focus: give --focus ID")
    if args.view == "ego" and not args.focus:
        raise MsmeKgError("the ego view needs a focus entity (--focus ID)")
    if args.size_by is not None and args.format in RDF_FORMATS:
        raise MsmeKgError(f"--size-by sizes the nodes of a drawing; {args.format} writes statements, not sizes")


def _export_target(output: str | None) -> Path | None:
    """The file or folder to write, checked before the export runs: its folder must exist."""
    if output is None or output == "-":
        return None
    path = Path(output)
    if output.endswith(("/", os.sep)) and not path.is_dir():
        raise MsmeKgError(f"{output}: no such directory")
    if not path.is_dir() and not path.parent.is_dir():
        raise MsmeKgError(f"{path.parent}: no such directory (to write {path.name} into)")
    return path


def _date(text: str) -> str:
    """argparse type of --since/--until: a real date, else argparse's own one-line error."""
    from graph.views.network import check_date

    try:
        return check_date(text)
    except MsmeKgError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _add_export_parser(sub: argparse._SubParsersAction) -> None:
    from graph.views.export import FORMATS
    from graph.views.network import SIZE_METRICS, VIEWS

    p = sub.add_parser("export", help="export the graph or a view (GraphML, GEXF, Cytoscape, DOT, SVG, HTML, RDF)",
                       description="Write the whole graph, an entity's neighbourhood or a projection (co-attendance, "
                       "partnership) in a format Gephi, yEd, Cytoscape, Graphviz or a browser opens.")
    p.add_argument("--format", "-f", required=True, choices=tuple(FORMATS), help="the file format")
    p.add_argument("--view", choices=VIEWS, default="whole",
                   help="whole graph, ego network (with --focus), co-attendance, "
                   "partnership (organisations-initiatives) or copartnership (organisations linked by shared "
                   "initiatives); default whole")
    p.add_argument("--focus", default=None, metavar="ID", help="an entity id: keep its neighbourhood only")
    p.add_argument("--depth", type=int, default=None, help="steps from the focus (default 1; needs --focus)")
    p.add_argument("--types", default=None, metavar="T1,T2", help="keep these entity types only (person,event,...)")
    p.add_argument("--since", type=_date, default=None, metavar="YYYY[-MM[-DD]]",
                   help="drop events before this date (and undated events)")
    p.add_argument("--until", type=_date, default=None, metavar="YYYY[-MM[-DD]]", help="drop events after this date")
    p.add_argument("--kind", choices=("person", "organisation", "economy"), default=None,
                   help="who the coattendance view links (default person; that view only)")
    p.add_argument("--size-by", choices=SIZE_METRICS, default=None,
                   help="node size measure (default degree; not for the RDF formats)")
    p.add_argument("--output", "-o", default=None, metavar="FILE|DIR",
                   help="file, or existing folder, to write (default: standard output)")
    _store_arg(p)
    p.set_defaults(func=cmd_export)


def cmd_synth(args: argparse.Namespace) -> int:
    import time

    from pyoxigraph import RdfFormat, serialize

    from graph.store.core import bulk_load_quads, count_quads, load_ontology, open_backend
    from graph.tools.synth import synth_quads

    started = time.perf_counter()
    quads = synth_quads(args.triples, args.seed)
    if args.nquads:
        with args.nquads.open("wb") as out:
            serialize(quads, out, format=RdfFormat.N_QUADS)
        print(f"wrote {args.nquads} in {time.perf_counter() - started:.1f} s")
        return EXIT_OK
    store = open_backend(_settings(args))
    if count_quads(store) and not args.append:
        raise MsmeKgError("the store is not empty: use a new --store, or --append")
    load_ontology(store)
    bulk_load_quads(store, quads)
    store.flush()
    print(f"{count_quads(store)} quads in the store, loaded in {time.perf_counter() - started:.1f} s")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:  # noqa: PLR0915 - one block per command
    parser = argparse.ArgumentParser(
        prog="msme-kg",
        description="Build, query and serve a knowledge graph of MSME trade policy from documents.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="read documents into the store (files or folders)",
                       description="Extract facts from documents and store one named graph per document. "
                       "Unchanged files are skipped; changed files replace their graph whole.")
    p.add_argument("paths", nargs="*", type=Path, default=[SEEDS],
                   help="files or folders (default: seeds/ in the current directory)")
    p.add_argument("--force", action="store_true", help="re-extract even unchanged files")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or per-file lines")
    p.add_argument("--max-chars", type=int, default=None, metavar="N",
                   help="refuse documents longer than N characters (default: $MSME_KG_MAX_DOCUMENT_CHARS or 1000000)")
    p.add_argument("--workers", "-j", type=int, default=1, metavar="N",
                   help="extract in N processes (one writer stays in this one); default 1")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="follow links inside the folders to files outside them (default: $MSME_KG_FOLLOW_SYMLINKS "
                   "or refuse them)")
    p.add_argument("--cluster", default=None, metavar="ADDRESS",
                   help="extract on a Dask cluster, e.g. tcp://scheduler:8786 (its workers need msme-kg "
                        "installed; this process stays the one writer)")
    _store_arg(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("extract", help="print the facts of documents as JSON (nothing stored)",
                       description="Print the extraction JSON of shared/gold/SCHEMA.md for each file.")
    p.add_argument("files", nargs="+", type=Path, help="documents (.txt .md .html .pdf .docx)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("eval", help="score extraction against gold annotations",
                       description="Precision, recall and F1 per entity type, per predicate and micro-averaged.")
    p.add_argument("--gold", type=Path, required=True, help="folder of gold .json files")
    p.add_argument("--docs", type=Path, default=SEEDS,
                   help="folder of the documents (default: seeds/ in the current directory)")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("stats", help="counts of documents, entities, facts and quads in the store")
    p.add_argument("--json", action="store_true", help="print as JSON")
    _store_arg(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("query", help="run a named query of queries/ or a .rq file",
                       description="Run a SPARQL query; parameters are bound as RDF terms, never spliced.")
    p.add_argument("query", nargs="?", help="a query name (e.g. people) or a path to a .rq file")
    p.add_argument("--list", action="store_true", help="list the named queries with their summaries and parameters")
    p.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE", help="bind a parameter")
    p.add_argument("--format", "-f", choices=("table", "csv", "tsv", "json"), default="table")
    _store_arg(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve SPARQL and the REST API over HTTP")
    p.add_argument("--host", default=None, help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 8000)")
    p.add_argument("--timeout", type=float, default=None, help="query timeout in seconds")
    p.add_argument("--workers", "-j", type=int, default=1, metavar="N",
                   help="server processes, each reading the store read-only (default 1); "
                        "not with an update token, whose server must be the store's one writer")
    p.add_argument("--create", action="store_true",
                   help="serve a new, empty store when --store names no store yet (else refused)")
    _store_arg(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("reindex", help="rebuild the search index of names and aliases from the store",
                       description="Rebuild the search index (beside the store) from every stored document. "
                       "Ingest keeps it current; this mends an index deleted or left behind.")
    _store_arg(p)
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("validate", help="check the stored graph against the SHACL shapes")
    p.add_argument("--verbose", "-v", action="store_true", help="print the full report")
    _store_arg(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("dump", help="back up the whole store as N-Quads (named graphs kept)",
                       description="Write every quad of the store as N-Quads, one named graph per document kept. "
                       "A FILE ending in .gz is gzipped; '-' (the default) writes to stdout.")
    p.add_argument("file", nargs="?", type=Path, default=Path("-"), help="target file, .nq or .nq.gz (default: stdout)")
    _store_arg(p)
    p.set_defaults(func=cmd_dump)

    p = sub.add_parser("load", help="restore a dump made by `msme-kg dump` (bulk loader)",
                       description="Load an N-Quads dump (plain or gzipped; '-' for stdin) with the bulk loader. "
                       "A store that already holds quads is refused unless --replace is given; the file is "
                       "checked in full before anything is cleared.")
    p.add_argument("file", type=Path, help="an .nq or .nq.gz file made by `msme-kg dump`, or '-' for stdin")
    p.add_argument("--replace", action="store_true", help="discard what the store holds, then load")
    _store_arg(p)
    p.set_defaults(func=cmd_load)

    _add_export_parser(sub)
    add_curate_parser(sub)

    p = sub.add_parser("synth", help="fill a store with a synthetic, domain-shaped graph (benchmarks)",
                       description="Generate synthetic documents (meetings, sessions, people, organisations, "
                       "economies, initiatives, evidence) until about N triples, and bulk-load them. Deterministic.")
    p.add_argument("--triples", type=int, default=100_000, help="about this many triples (default 100000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--nquads", type=Path, default=None, help="write N-Quads to this file instead of a store")
    p.add_argument("--append", action="store_true", help="load even if the store already holds data")
    _store_arg(p)
    p.set_defaults(func=cmd_synth)

    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("msme-kg")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(version unknown: not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # here, where a closed pipe is caught below, not at exit
        return code
    except MsmeKgError as err:
        from graph.read.reader import printable

        print(printable(f"msme-kg {args.command}: {err}"), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # the reader went away (`msme-kg query people | head`): stop quietly, as cat does; the
        # output still buffered must not be flushed into the closed pipe at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
