"""The curation file (``curation.yaml``, or ``MSME_KG_CURATION``): read, checked, edited and written back.

The file is kept under version control and edited by people as well as by ``msme-kg curate``,
so it is read and written with ruamel.yaml's round-trip mode: comments, order and quoting
survive an edit, and a file nothing changed is written back byte for byte. Every entry
remembers its line, so an error names the line to fix.

The format, one top-level list per operation (each entry may carry ``reason`` and ``by``)::

    aliases:   - {names: [UNCTAD, UN Trade and Development], id: org-unctad (optional), type: organisation (optional)}
    merge:     - {keep: org-a, drop: [org-b]}                 # org-b's facts move to org-a; org-b resolves to org-a
    split:     - {id: person-x, as: person-y, name: Y, docs: [doc-1]}   # or context: "text in the quote"
    reject:    - {subject: person-x, predicate: attended, object: event-y, doc: doc-1 (optional), reason: ...}
    assert:    - {subject: person-x, predicate: chaired, object: event-y, by: who, reason: why, quote: ..., doc: ...}
    types:     - {id: org-x, type: initiative, kind: programme}
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from graph.curation.apply import TYPE_CLASS, Alias, Assert, Curation, Merge, Reject, Retype, Split
from graph.errors import CurationError
from graph.model import INITIATIVE_KINDS, ORGANISATION_KINDS, PREDICATES

SECTIONS = ("aliases", "merge", "split", "reject", "assert", "types")
EVENT_KINDS = ("event", "meeting", "workshop", "session", "conference", "forum", "webinar", "ministerial")
KINDS = {"organisation": ORGANISATION_KINDS, "initiative": INITIATIVE_KINDS, "event": EVENT_KINDS}
NEW_FILE = """\
# Corrections to the knowledge graph, applied after extraction on every ingest
# (see README.md, "Curation"). Edit by hand or with `msme-kg curate ...`.
"""

_FIELDS: dict[str, tuple[set[str], set[str]]] = {  # section -> (required keys, optional keys)
    "aliases": ({"names"}, {"id", "type"}),
    "merge": ({"keep", "drop"}, {"name"}),
    "split": ({"id", "as"}, {"name", "docs", "doc", "context"}),
    "reject": ({"subject", "predicate", "object", "reason"}, {"doc"}),
    "assert": ({"subject", "predicate", "object", "by", "reason"}, {"quote", "doc", "role"}),
    "types": ({"id"}, {"type", "kind"}),
}
_COMMON = {"reason", "by"}


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


class CurationFile:
    """The parsed file (ruamel's round-trip tree) and where it came from."""

    def __init__(self, path: Path, tree: CommentedMap, text: str, header: str = "") -> None:
        self.path = path
        self.tree = tree
        self.original = text
        self.header = header  # the comments of a file that holds nothing else (ruamel keeps them nowhere)

    @classmethod
    def read(cls, path: Path) -> CurationFile:
        """Read ``path``; a missing file is an empty curation (written on the first edit)."""
        text = path.read_text(encoding="utf-8") if path.exists() else NEW_FILE
        try:
            tree = _yaml().load(text)
        except YAMLError as err:
            raise CurationError(f"{path}: not valid YAML: {err}") from err
        header = ""
        if tree is None:
            tree, header = CommentedMap(), text.rstrip("\n") + "\n\n" if text.strip() else ""
        if not isinstance(tree, CommentedMap):
            raise CurationError(f"{path}: expected a mapping of {', '.join(SECTIONS)} at the top")
        return cls(path, tree, text, header)

    def dump(self) -> str:
        if not self.tree:
            return self.original
        out = io.StringIO()
        _yaml().dump(self.tree, out)
        return self.header + out.getvalue()

    def write(self) -> bool:
        """Write the file back if it changed; True if it did."""
        text = self.dump()
        if text == self.original and self.path.exists():
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.path)
        self.original = text
        return True

    def section(self, name: str) -> CommentedSeq:
        """The list of one section, created (at the end, in block style) if missing."""
        seq = self.tree.get(name)
        if seq is None:
            seq = CommentedSeq()
            self.tree[name] = seq
        if not isinstance(seq, CommentedSeq):
            raise CurationError(f"{self.path}: {name} must be a list")
        if seq.fa.flow_style():
            seq.fa.set_block_style()
        return seq

    def add(self, section: str, entry: dict[str, Any], same: Callable[[CommentedMap], bool] | None = None) -> bool:
        """Append ``entry`` to ``section`` unless an entry for which ``same`` is true exists."""
        seq = self.section(section)
        if same and any(isinstance(e, CommentedMap) and same(e) for e in seq):
            return False
        item = CommentedMap()
        for key, value in entry.items():
            if value is None or (isinstance(value, list | tuple) and not value):
                continue
            if isinstance(value, list | tuple):
                flow = CommentedSeq(value)
                flow.fa.set_flow_style()
                item[key] = flow
            else:
                item[key] = value
        if seq and isinstance(seq[-1], CommentedMap):
            _move_trailing_comment(seq[-1], item)
        seq.append(item)
        return True

    def curation(self) -> Curation:
        return parse_tree(self.tree, self.path.name, hashlib.sha256(self.original.encode()).hexdigest())


def _move_trailing_comment(previous: CommentedMap, new: CommentedMap) -> None:
    """The blank lines or comment after a list's last entry stay after the list when an entry is appended.

    ruamel.yaml keeps what follows an entry on the entry's last key; without this move the new
    entry would be glued to the next section and a blank line left in the middle of the list.
    """
    if not previous or not new:
        return
    last_key = list(previous)[-1]
    value = previous[last_key]
    if isinstance(value, CommentedMap | CommentedSeq) and not value.fa.flow_style() and value:
        if isinstance(value, CommentedMap):
            _move_trailing_comment(value, new)
        return
    slot = previous.ca.items.get(last_key)
    if slot and len(slot) > 2 and slot[2] is not None:
        new.ca.items[list(new)[-1]] = [None, None, slot[2], None]
        slot[2] = None


def load_curation(path: Path) -> Curation:
    """The curation of ``path``, checked for form (ids are checked against the store elsewhere)."""
    return CurationFile.read(path).curation()


def where(source: str, line: int) -> str:
    """``curation.yaml line 12``; an entry not yet written (line 0) is the new entry."""
    return f"{source} line {line}" if line else f"{source}, new entry"


def _line(node: Any) -> int:
    return node.lc.line + 1 if hasattr(node, "lc") and node.lc.line is not None else 0


def _names(value: Any, where: str, key: str) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise CurationError(f"{where}: {key} must be a name or a list of names")
    return tuple(str(v) for v in values)


def parse_tree(tree: CommentedMap, source: str, sha256: str = "") -> Curation:
    """Build a :class:`Curation` from the YAML tree; a malformed entry is an error naming its line."""
    unknown = [k for k in tree if k not in SECTIONS]
    if unknown:
        known = ", ".join(SECTIONS)
        line = tree.lc.key(unknown[0])[0] + 1
        raise CurationError(f"{where(source, line)}: unknown section {unknown[0]!r} (known: {known})")
    parsed: dict[str, list] = {name: [] for name in SECTIONS}
    for name in SECTIONS:
        entries = tree.get(name) or []
        if not isinstance(entries, list):
            raise CurationError(f"{source}: {name} must be a list")
        for entry in entries:
            parsed[name].append(_entry(name, entry, source))
    return Curation(
        aliases=tuple(parsed["aliases"]),
        merges=tuple(parsed["merge"]),
        splits=tuple(parsed["split"]),
        rejects=tuple(parsed["reject"]),
        asserts=tuple(parsed["assert"]),
        types=tuple(parsed["types"]),
        source=source,
        sha256=sha256,
    )


def _entry(section: str, entry: Any, source: str) -> Any:
    line = _line(entry)
    at = where(source, line)
    if not isinstance(entry, dict):
        raise CurationError(f"{at}: each {section} entry is a mapping (key: value)")
    required, optional = _FIELDS[section]
    missing = sorted(required - set(entry))
    if missing:
        raise CurationError(f"{at}: {section} entry needs {', '.join(missing)}")
    extra = sorted(set(entry) - required - optional - _COMMON)
    if extra:
        raise CurationError(f"{at}: {section} entry has unknown key {extra[0]!r}")
    e: dict[str, Any] = {k: (None if v is None else v if isinstance(v, list) else str(v)) for k, v in entry.items()}
    common: dict[str, Any] = {"reason": e.get("reason"), "by": e.get("by"), "line": line}
    if section == "aliases":
        _check_type(e.get("type"), at)
        return Alias(_names(entry["names"], at, "names"), e.get("id"), e.get("type"), **common)
    if section == "merge":
        if e["keep"] in _names(entry["drop"], at, "drop"):
            raise CurationError(f"{at}: an entity cannot be merged into itself ({e['keep']!r})")
        return Merge(e["keep"], _names(entry["drop"], at, "drop"), e.get("name"), **common)
    if section == "split":
        docs = _names(entry["docs"], at, "docs") if entry.get("docs") else ()
        docs += (e["doc"],) if e.get("doc") else ()
        if e.get("context") is not None and not e.get("name"):
            raise CurationError(f"{at}: a split by context needs the new entity's name")
        return Split(e["id"], e["as"], e.get("name"), docs, e.get("context"), **common)
    if section in ("reject", "assert"):
        if e["predicate"] not in PREDICATES:
            raise CurationError(f"{at}: unknown predicate {e['predicate']!r} (known: {', '.join(PREDICATES)})")
        if section == "reject":
            return Reject(e["subject"], e["predicate"], e["object"], e.get("doc"), **common)
        del common["by"]
        return Assert(e["subject"], e["predicate"], e["object"], e["by"], e["reason"], e.get("quote"), e.get("doc"),
                      e.get("role"), line=line)
    if not (e.get("type") or e.get("kind")):
        raise CurationError(f"{at}: a types entry needs type, kind or both")
    _check_type(e.get("type"), at)
    return Retype(e["id"], e.get("type"), e.get("kind"), **common)


def _check_type(kind: str | None, at: str) -> None:
    if kind is not None and kind not in TYPE_CLASS:
        raise CurationError(f"{at}: unknown type {kind!r} (known: {', '.join(TYPE_CLASS)})")


def check_ids(curation: Curation, known: dict[str, str], docs: set[str] | None = None) -> list[str]:
    """Every id the curation names must be in ``known`` (id -> type), every document in ``docs``
    (when given); returns the errors, one per problem.

    Ids a curation itself creates (a split's ``as``) count as known for the entries after it.
    """
    known = dict(known)
    errors: list[str] = []
    if docs is not None:
        named = [(d, s.line) for s in curation.splits for d in s.docs]
        facts: tuple[Reject | Assert, ...] = (*curation.rejects, *curation.asserts)
        named += [(f.doc, f.line) for f in facts if f.doc]
        errors += [f"{where(curation.source, line)}: no document {doc!r} in the store" for doc, line in named
                   if doc not in docs]

    def need(entity_id: str, line: int) -> str | None:
        if entity_id not in known:
            errors.append(f"{where(curation.source, line)}: no entity with id {entity_id!r} in the store")
            return None
        return known[entity_id]

    for split in curation.splits:
        kind = need(split.id, split.line)
        if kind:
            known.setdefault(split.as_id, kind)
    for retype in curation.types:
        if need(retype.id, retype.line) and retype.type:
            known[retype.id] = retype.type
        kind = retype.type or known.get(retype.id)
        if retype.kind and kind in KINDS and retype.kind not in KINDS[kind]:
            errors.append(f"{where(curation.source, retype.line)}: {retype.kind!r} is not a kind of {kind} "
                          f"(known: {', '.join(KINDS[kind])})")
    for merge in curation.merges:
        kept = need(merge.keep, merge.line)
        for dropped in merge.drop:
            kind = need(dropped, merge.line)
            if kept and kind and kind != kept:
                errors.append(f"{where(curation.source, merge.line)}: cannot merge {dropped!r} (a {kind}) into "
                              f"{merge.keep!r} (a {kept}); correct the type first (msme-kg curate type)")
    for alias in curation.aliases:
        if alias.id:
            need(alias.id, alias.line)
    every_fact: tuple[Reject | Assert, ...] = (*curation.rejects, *curation.asserts)
    for fact in every_fact:
        need(fact.subject, fact.line)
        need(fact.object, fact.line)
    return errors
