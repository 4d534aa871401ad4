"""``msme-kg curate ...``: write corrections to the curation file and re-apply it to the store.

Each writing command edits the file in place (comments and order kept, see
:mod:`graph.curation.file`), checks every id against the store, and re-maps the stored
extractions through the curation — no NLP is run. Nothing is written when a check fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph import vocab
from graph.curation.apply import TYPE_CLASS, Curation
from graph.curation.file import CurationFile
from graph.errors import CurationError, StoreError
from graph.ingest.curate_store import ApplyReport, apply_to_store
from graph.model import PREDICATES
from graph.settings import Settings
from graph.store.protocol import Store

EXIT_OK, EXIT_ERROR = 0, 1


def entity_id(value: str) -> str:
    """A short id as the file keeps it; an entity's full IRI is accepted too.

    >>> entity_id("https://w3id.org/msme-kg/id/org-itc")
    'org-itc'
    """
    return value[len(vocab.ID) :] if value.startswith(vocab.ID) else value


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    updates = {k: v for k, v in (("store", args.store), ("curation", args.file)) if v}
    return settings.model_copy(update=updates) if updates else settings


def _open_store(settings: Settings, *, read_only: bool = False) -> Store:
    from graph.store.core import open_store

    if not settings.store.exists():
        raise StoreError(f"no store at {settings.store}: run `msme-kg ingest` first")
    return open_store(settings.store, read_only=read_only)


def _print_report(report: ApplyReport, file: Path) -> None:
    print(f"{file}: applied; {len(report.replaced)} document graph(s) re-mapped, {len(report.unchanged)} unchanged, "
          f"{report.curation_quads} quads in the curation graph")
    if report.without_extraction:
        print(f"warning: {len(report.without_extraction)} document(s) were stored without their extraction and cannot "
              f"be curated until re-ingested (msme-kg ingest --force): {', '.join(report.without_extraction)}",
              file=sys.stderr)


def _edit(args: argparse.Namespace, change: Callable[[CurationFile], bool]) -> int:
    """Apply ``change`` to the file, check it against the store, write it, re-apply it."""
    settings = _settings(args)
    cfile = CurationFile.read(settings.curation)
    changed = change(cfile)
    curation = cfile.curation()
    store = _open_store(settings)
    apply_to_store(store, curation, write=False)  # raises CurationError: nothing written
    if not changed:
        print(f"{settings.curation}: already holds this correction; nothing changed")
        return EXIT_OK
    cfile.write()
    if args.no_apply:
        print(f"{settings.curation}: written (not applied: run `msme-kg curate apply`)")
        return EXIT_OK
    report = apply_to_store(store, cfile.curation())
    store.flush()
    _print_report(report, settings.curation)
    return EXIT_OK


def _common(entry: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    return {**entry, "reason": getattr(args, "reason", None), "by": getattr(args, "by", None)}


def cmd_merge(args: argparse.Namespace) -> int:
    entry = _common({"keep": args.keep, "drop": list(args.drop), "name": args.name}, args)

    def same(e: Any) -> bool:
        drop = e.get("drop")
        drops = set(drop) if isinstance(drop, list) else {drop}
        return e.get("keep") == args.keep and drops == set(args.drop)

    return _edit(args, lambda f: f.add("merge", entry, same))


def cmd_split(args: argparse.Namespace) -> int:
    if not args.doc and not args.context:
        raise CurationError("split needs --doc (the documents whose mentions are the other entity) or --context")
    entry = _common({"id": args.id, "as": args.as_id, "name": args.name, "docs": list(args.doc),
                     "context": args.context}, args)
    return _edit(args, lambda f: f.add("split", entry, lambda e: e.get("id") == args.id and e.get("as") == args.as_id
                                       and list(e.get("docs") or []) == list(args.doc)
                                       and e.get("context") == args.context))


def cmd_alias(args: argparse.Namespace) -> int:
    def change(cfile: CurationFile) -> bool:
        for entry in cfile.section("aliases"):
            if isinstance(entry, dict) and entry.get("id") == args.id:
                names = entry["names"]
                new = [n for n in args.names if n not in names]
                if isinstance(names, list):
                    names.extend(new)
                else:
                    entry["names"] = [names, *new]
                return bool(new)
        return cfile.add("aliases", _common({"id": args.id, "names": list(args.names)}, args))

    return _edit(args, change)


def _fact_same(args: argparse.Namespace) -> Callable[[Any], bool]:
    return lambda e: (e.get("subject"), e.get("predicate"), e.get("object"), e.get("doc")) == (
        args.subject, args.predicate, args.object, args.doc)


def cmd_reject(args: argparse.Namespace) -> int:
    fact = {"subject": args.subject, "predicate": args.predicate, "object": args.object, "doc": args.doc}
    entry = _common(fact, args)
    return _edit(args, lambda f: f.add("reject", entry, _fact_same(args)))


def cmd_assert(args: argparse.Namespace) -> int:
    entry = {"subject": args.subject, "predicate": args.predicate, "object": args.object, "by": args.by,
             "reason": args.reason, "quote": args.quote, "doc": args.doc, "role": args.role}
    return _edit(args, lambda f: f.add("assert", entry, _fact_same(args)))


def cmd_type(args: argparse.Namespace) -> int:
    if not args.type and not args.kind:
        raise CurationError("type needs --type, --kind or both")
    entry = _common({"id": args.id, "type": args.type, "kind": args.kind}, args)
    return _edit(args, lambda f: f.add("types", entry, lambda e: (e.get("id"), e.get("type"), e.get("kind")) == (
        args.id, args.type, args.kind)))


def cmd_apply(args: argparse.Namespace) -> int:
    settings = _settings(args)
    store = _open_store(settings)
    report = apply_to_store(store, CurationFile.read(settings.curation).curation(), force=args.force)
    store.flush()
    _print_report(report, settings.curation)
    return EXIT_OK


def curation_rows(curation: Curation, matched: dict[int, int] | None) -> list[dict[str, Any]]:
    """One row per entry, in file order per section, with what it changed in the store (if known)."""
    rows = []
    for section, entries in (("aliases", curation.aliases), ("merge", curation.merges), ("split", curation.splits),
                             ("reject", curation.rejects), ("assert", curation.asserts), ("types", curation.types)):
        for entry in entries:
            fields = {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(entry).items()
                      if k != "line" and v not in (None, ())}
            row: dict[str, Any] = {"section": section, "line": entry.line, **fields}
            if matched is not None and section != "assert":
                row["changed"] = matched.get(entry.line, 0)
            rows.append(row)
    return rows


def _describe(row: dict[str, Any]) -> str:
    section = row["section"]
    if section == "aliases":
        return f"{row.get('id', '(id of ' + row['names'][0] + ')')} also named {', '.join(row['names'])}"
    if section == "merge":
        return f"{', '.join(row['drop'])} -> {row['keep']}" + (f" named {row['name']!r}" if row.get("name") else "")
    if section == "split":
        where = f"docs {', '.join(row['docs'])}" if row.get("docs") else ""
        where += f" context {row['context']!r}" if row.get("context") else ""
        return f"{row['id']} -> {row['as_id']} ({where.strip()})"
    if section in ("reject", "assert"):
        fact = f"{row['subject']} {row['predicate']} {row['object']}"
        return fact + (f" [doc {row['doc']}]" if row.get("doc") else "")
    return f"{row['id']}: type {row.get('type', '-')}, kind {row.get('kind', '-')}"


def cmd_list(args: argparse.Namespace) -> int:
    settings = _settings(args)
    curation = CurationFile.read(settings.curation).curation()
    matched = None
    if settings.store.exists():
        try:
            matched = apply_to_store(_open_store(settings, read_only=True), curation, write=False).matched
        except CurationError as err:
            print(f"warning: {err}", file=sys.stderr)
    rows = curation_rows(curation, matched)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for row in rows:
        why = f"  reason: {row['reason']}" if row.get("reason") else ""
        who = f"  by: {row['by']}" if row.get("by") else ""
        changed = f"  ({row['changed']} changed)" if "changed" in row else ""
        print(f"{row['section']:<8} line {row['line']:<4} {_describe(row)}{why}{who}{changed}")
    print(f"({len(rows)} correction{'s' if len(rows) != 1 else ''} in {settings.curation})")
    return EXIT_OK


def _options(parser: argparse.ArgumentParser, *, reason: bool = True) -> None:
    parser.add_argument("--store", type=Path, default=None,
                        help="the store folder (default: $MSME_KG_STORE or ./data/store)")
    parser.add_argument("--file", type=Path, default=None,
                        help="the curation file (default: $MSME_KG_CURATION or ./curation.yaml)")
    if reason:
        parser.add_argument("--reason", default=None, help="why (shown by the API and `curate list`)")
        parser.add_argument("--by", default=None, help="who made the correction")
        _no_apply(parser)


def _no_apply(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-apply", action="store_true", help="write the file only; apply later with `curate apply`")


def add_curate_parser(sub: Any) -> None:
    """The ``curate`` sub-command and its own sub-commands, added to the ``msme-kg`` parser."""
    parser = sub.add_parser("curate", help="correct the graph: merge, split, alias, reject, assert, type; list; apply",
                            description="Write corrections to the curation file (comments and order kept) and "
                            "re-apply it to the store without re-running NLP. Every id is checked against the store.")
    verbs = parser.add_subparsers(dest="curate_command", required=True, metavar="ACTION")

    p = verbs.add_parser("merge", help="KEEP and DROP... are one entity (DROP's facts move to KEEP)",
                         description="Merge entities: the first id is kept, the others resolve to it; facts keep "
                         "their evidence and are marked curated.")
    p.add_argument("keep", type=entity_id, help="the id to keep")
    p.add_argument("drop", nargs="+", type=entity_id, help="the id(s) merged into it")
    p.add_argument("--name", default=None, help="the name the kept entity should carry")
    _options(p)
    p.set_defaults(func=cmd_merge)

    p = verbs.add_parser("split", help="the mentions of ID in some documents (or contexts) are another entity",
                         description="Split an entity: its mentions in --doc documents, or in facts whose quote holds "
                         "--context, become the entity --as NEWID (named --name).")
    p.add_argument("id", type=entity_id, help="the entity that is wrongly one")
    p.add_argument("--as", dest="as_id", required=True, type=entity_id, metavar="NEWID",
                   help="the id of the other entity")
    p.add_argument("--name", default=None, help="the other entity's name (required with --context)")
    p.add_argument("--doc", action="append", default=[], help="a document id whose mentions are NEWID (repeatable)")
    p.add_argument("--context", default=None, help="text in the evidence quote that marks a mention of NEWID")
    _options(p)
    p.set_defaults(func=cmd_split)

    p = verbs.add_parser("alias", help="other names of an entity (acronyms, other spellings)",
                         description="Add other names of an entity: every entity so named becomes this one.")
    p.add_argument("id", type=entity_id, help="the entity's id")
    p.add_argument("names", nargs="+", help="the other names")
    _options(p)
    p.set_defaults(func=cmd_alias)

    _add_fact_verbs(verbs)

    p = verbs.add_parser("type", help="correct an entity's type or kind",
                         description="Correct the type (person, organisation, economy, initiative, event) and/or the "
                         "kind (an organisation's: ngo, company ...; an initiative's: programme ...) of an entity.")
    p.add_argument("id", type=entity_id, help="the entity's id")
    p.add_argument("--type", choices=tuple(TYPE_CLASS), default=None, help="the right type")
    p.add_argument("--kind", default=None, help="the right kind")
    _options(p)
    p.set_defaults(func=cmd_type)

    p = verbs.add_parser("list", help="every correction, rejected facts included, with why and what it changed")
    p.add_argument("--json", action="store_true", help="print as JSON")
    _options(p, reason=False)
    p.set_defaults(func=cmd_list)

    p = verbs.add_parser("apply", help="re-apply the curation file to the store (no NLP)")
    p.add_argument("--force", action="store_true", help="re-map every document, even those already up to date")
    _options(p, reason=False)
    p.set_defaults(func=cmd_apply)


def _add_fact_verbs(verbs: Any) -> None:
    """``reject`` and ``assert``: the two commands that name a fact by subject, predicate and object."""
    p = verbs.add_parser("reject", help="a wrong fact: it disappears from the graph (the file keeps why)",
                         description="Reject a fact SUBJECT PREDICATE OBJECT (ids), everywhere or only in --doc.")
    _fact_args(p)
    p.add_argument("--doc", default=None, help="only the fact extracted from this document")
    _options(p, reason=False)
    p.add_argument("--reason", required=True, help="why the fact is wrong")
    p.add_argument("--by", default=None, help="who rejected it")
    _no_apply(p)
    p.set_defaults(func=cmd_reject)

    p = verbs.add_parser("assert", help="a fact a person adds, with who and why as its evidence",
                         description="Assert a fact SUBJECT PREDICATE OBJECT (ids): status 'asserted', evidence "
                         "is who asserted it and why (and a quote from --doc if given).")
    _fact_args(p)
    p.add_argument("--by", required=True, help="who asserts it")
    p.add_argument("--reason", required=True, help="why (the source, the reasoning)")
    p.add_argument("--quote", default=None, help="the words that support it")
    p.add_argument("--doc", default=None, help="the document the quote is from")
    p.add_argument("--role", default=None, help="the role stated with the fact (e.g. Chair)")
    _options(p, reason=False)
    _no_apply(p)
    p.set_defaults(func=cmd_assert)


def _fact_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("subject", type=entity_id, help="the subject's id")
    parser.add_argument("predicate", choices=PREDICATES, metavar="PREDICATE", help=f"one of {', '.join(PREDICATES)}")
    parser.add_argument("object", type=entity_id, help="the object's id")
