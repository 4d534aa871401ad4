"""Score extractions against the hand-made gold files, exactly as ``SCHEMA.md`` says.

Why a module of its own: the same rule is used by ``msme-kg eval``, the ratchet test and the
bench, so the figures the project reports and the ones the tests guard cannot drift apart.

Rules implemented (SCHEMA.md, "Scoring"):

* an entity matches a gold entity of the same type when one of its names or aliases equals one
  of the gold's after :func:`graph.model.normalise` (economies also by ``iso3``); each gold
  entity counts at most once;
* a relation matches when the predicate is equal and subject and object match in that sense,
  looked up against the entities of either file (a name neither file knows, such as the plain
  place of ``located_in``, matches on its own normalised form);
* CONVENTIONS.md: a gold session *without a title* (its ``note`` says it was named after the
  report's first sentence) may be stood for by any extracted session; each such gold session is
  paired with at most one extracted session (the pairing that makes most relations agree), so
  the leniency cannot count one session twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.model import (
    ENTITY_FIELDS,
    Economy,
    Event,
    Evidence,
    Extraction,
    Initiative,
    Organisation,
    Person,
    Relation,
    normalise,
)

ENTITY_TYPES = tuple(ENTITY_FIELDS.values())
_UNTITLED = re.compile(r"no title|first[- ]sentence", re.IGNORECASE)


@dataclass
class Counts:
    """True positives, false positives and false negatives of one class of item."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class DocScore:
    """Counts per entity type and per predicate for one document."""

    doc: str
    entities: dict[str, Counts] = field(default_factory=dict)
    relations: dict[str, Counts] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def entity_total(self) -> Counts:
        total = Counts()
        for c in self.entities.values():
            total.add(c)
        return total

    def relation_total(self) -> Counts:
        total = Counts()
        for c in self.relations.values():
            total.add(c)
        return total


# --------------------------------------------------------------------------- entity keys


def _keys(entity: dict[str, Any], kind: str) -> set[str]:
    names = [entity.get("name") or "", *(entity.get("aliases") or [])]
    keys = {normalise(n) for n in names if n and normalise(n)}
    if kind == "economy" and entity.get("iso3"):
        keys.add("iso3:" + str(entity["iso3"]).lower())
    return keys


def _entities(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(kind, e) for attr, kind in ENTITY_FIELDS.items() for e in data.get(attr) or []]


def _is_untitled_session(entity: dict[str, Any]) -> bool:
    return bool(entity.get("part_of")) and bool(_UNTITLED.search(str(entity.get("note") or "")))


def _is_session(entity: dict[str, Any]) -> bool:
    return entity.get("kind") == "session" or bool(entity.get("part_of"))


class _Index:
    """Name -> keys of the entity that bears it, in one file."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.by_name: dict[str, set[str]] = {}
        for kind, entity in _entities(data):
            keys = _keys(entity, kind)
            for key in keys:
                self.by_name.setdefault(key, set()).update(keys)

    def keys(self, name: str) -> set[str]:
        key = normalise(name)
        return {key} | self.by_name.get(key, set())


def _match_entities(pred: dict[str, Any], gold: dict[str, Any], score: DocScore) -> dict[int, set[str]]:
    """Pair entities per type; return extra keys for predicted sessions that stand for gold ones."""
    extra: dict[int, set[str]] = {}
    for kind in ENTITY_TYPES:
        preds = [e for k, e in _entities(pred) if k == kind]
        golds = [e for k, e in _entities(gold) if k == kind]
        used_gold: set[int] = set()
        unmatched_pred: list[dict[str, Any]] = []
        for p in preds:
            pk = _keys(p, kind)
            hit = next((i for i, g in enumerate(golds) if i not in used_gold and pk & _keys(g, kind)), None)
            if hit is None:
                unmatched_pred.append(p)
            else:
                used_gold.add(hit)
        if kind == "event":
            lenient = _pair_sessions(
                [p for p in unmatched_pred if _is_session(p)],
                [(i, g) for i, g in enumerate(golds) if i not in used_gold and _is_untitled_session(g)],
                pred,
                gold,
            )
            for p, (i, g) in lenient:
                used_gold.add(i)
                unmatched_pred.remove(p)
                extra[id(p)] = _keys(g, kind)
        counts = Counts(tp=len(preds) - len(unmatched_pred), fp=len(unmatched_pred), fn=len(golds) - len(used_gold))
        score.entities[kind] = counts
        score.spurious += [f"{kind}: {p.get('name')}" for p in unmatched_pred]
        score.missed += [f"{kind}: {g.get('name')}" for i, g in enumerate(golds) if i not in used_gold]
    return extra


def _pair_sessions(
    preds: list[dict[str, Any]],
    golds: list[tuple[int, dict[str, Any]]],
    pred: dict[str, Any],
    gold: dict[str, Any],
) -> list[tuple[dict[str, Any], tuple[int, dict[str, Any]]]]:
    """One-to-one pairing of extracted sessions with untitled gold sessions, most shared facts first."""
    if not preds or not golds:
        return []
    pidx, gidx = _Index(pred), _Index(gold)

    def facts(data: dict[str, Any], name: str, idx: _Index) -> set[tuple[str, str, str]]:
        mine = idx.keys(name)
        out: set[tuple[str, str, str]] = set()
        for r in data.get("relations") or []:
            if normalise(r["object"]) in mine:
                out |= {("o", r["predicate"], k) for k in idx.keys(r["subject"])}
            if normalise(r["subject"]) in mine:
                out |= {("s", r["predicate"], k) for k in idx.keys(r["object"])}
        return out

    pfacts = [facts(pred, p["name"], pidx) for p in preds]
    gfacts = [facts(gold, g["name"], gidx) for _, g in golds]
    candidates = sorted(
        ((len(pf & gf), pi, gi) for pi, pf in enumerate(pfacts) for gi, gf in enumerate(gfacts)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    out, used_p, used_g = [], set(), set()
    for _overlap, pi, gi in candidates:
        if pi in used_p or gi in used_g:
            continue
        # a session sharing no fact still stands for one untitled gold session (CONVENTIONS)
        used_p.add(pi)
        used_g.add(gi)
        out.append((preds[pi], golds[gi]))
    return out


def score(pred: dict[str, Any], gold: dict[str, Any]) -> DocScore:
    """Counts for one document: ``pred`` and ``gold`` are JSON objects of SCHEMA.md."""
    result = DocScore(doc=str(gold.get("doc") or pred.get("doc") or ""))
    extra = _match_entities(pred, gold, result)
    pidx, gidx = _Index(pred), _Index(gold)
    for p in (e for _, e in _entities(pred)):
        if id(p) in extra:
            for key in _keys(p, "event"):
                pidx.by_name.setdefault(key, set()).update(extra[id(p)])

    def keys(name: str) -> set[str]:
        return pidx.keys(name) | gidx.keys(name)

    pred_rels = [(r, keys(r["subject"]), keys(r["object"])) for r in pred.get("relations") or []]
    used: set[int] = set()
    predicates = {r["predicate"] for r in (gold.get("relations") or []) + (pred.get("relations") or [])}
    for predicate in predicates:
        result.relations[predicate] = Counts()
    for g in gold.get("relations") or []:
        gs, go = keys(g["subject"]), keys(g["object"])
        hit = next(
            (
                i
                for i, (r, ps, po) in enumerate(pred_rels)
                if i not in used and r["predicate"] == g["predicate"] and ps & gs and po & go
            ),
            None,
        )
        if hit is None:
            result.relations[g["predicate"]].fn += 1
            result.missed.append(f"{g['predicate']}: {g['subject']} -> {g['object']}")
        else:
            used.add(hit)
            result.relations[g["predicate"]].tp += 1
    for i, (r, _, _) in enumerate(pred_rels):
        if i not in used:
            result.relations[r["predicate"]].fp += 1
            result.spurious.append(f"{r['predicate']}: {r['subject']} -> {r['object']}")
    return result


# --------------------------------------------------------------------------- report


@dataclass
class EvalReport:
    """Scores of many documents, with the totals the project is measured by."""

    docs: list[DocScore] = field(default_factory=list)

    def by_type(self) -> dict[str, Counts]:
        out: dict[str, Counts] = {k: Counts() for k in ENTITY_TYPES}
        for d in self.docs:
            for k, c in d.entities.items():
                out.setdefault(k, Counts()).add(c)
        return out

    def by_predicate(self) -> dict[str, Counts]:
        out: dict[str, Counts] = {}
        for d in self.docs:
            for k, c in d.relations.items():
                out.setdefault(k, Counts()).add(c)
        return dict(sorted(out.items()))

    def entities(self) -> Counts:
        total = Counts()
        for c in self.by_type().values():
            total.add(c)
        return total

    def relations(self) -> Counts:
        total = Counts()
        for c in self.by_predicate().values():
            total.add(c)
        return total

    def overall(self) -> Counts:
        total = self.entities()
        total.add(self.relations())
        return total

    def format(self) -> str:
        """A plain-text table: P/R/F1 per type, per predicate, and micro-averaged totals."""
        lines = [f"{'':24} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6} {'F1':>6}"]

        def row(label: str, c: Counts) -> str:
            return f"{label:24} {c.tp:5d} {c.fp:5d} {c.fn:5d} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"

        lines.append("-- entities")
        lines += [row(k, c) for k, c in self.by_type().items()]
        lines.append("-- relations")
        lines += [row(k, c) for k, c in self.by_predicate().items()]
        lines.append("-- micro")
        lines.append(row("entities", self.entities()))
        lines.append(row("relations", self.relations()))
        lines.append(row("overall", self.overall()))
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "entities": {k: c.to_json() for k, c in self.by_type().items()},
            "relations": {k: c.to_json() for k, c in self.by_predicate().items()},
            "micro": {
                "entities": self.entities().to_json(),
                "relations": self.relations().to_json(),
                "overall": self.overall().to_json(),
            },
            "docs": [
                {
                    "doc": d.doc,
                    "entities": d.entity_total().to_json(),
                    "relations": d.relation_total().to_json(),
                }
                for d in self.docs
            ],
        }


def extraction_from_json(d: dict[str, Any]) -> Extraction:
    """Rebuild an :class:`Extraction` from its JSON (gold files too: missing keys get defaults)."""

    def tup(v: Iterable[str] | None) -> tuple[str, ...]:
        return tuple(v or ())

    persons = tuple(
        Person(e["name"], tup(e.get("aliases")), tup(e.get("titles")), tup(e.get("affiliations")), e.get("id", ""))
        for e in d.get("persons") or []
    )
    orgs = tuple(
        Organisation(e["name"], tup(e.get("aliases")), e.get("kind") or "other", e.get("id", ""))
        for e in d.get("organisations") or []
    )
    countries = tuple(
        Economy(e["name"], e.get("iso3"), tup(e.get("aliases")), e.get("id", "")) for e in d.get("countries") or []
    )
    initiatives = tuple(
        Initiative(e["name"], tup(e.get("aliases")), e.get("kind") or "other", e.get("id", ""))
        for e in d.get("initiatives") or []
    )
    events = tuple(
        Event(
            e["name"],
            e.get("start"),
            e.get("end"),
            e.get("location"),
            e.get("part_of"),
            tup(e.get("aliases")),
            e.get("kind") or "event",
            e.get("id", ""),
        )
        for e in d.get("events") or []
    )
    relations = tuple(
        Relation(
            r["subject"],
            r["predicate"],
            r["object"],
            Evidence(
                r.get("evidence", ""),
                int(r.get("start", -1)),
                int(r.get("end", -1)),
                r.get("rule", "gold"),
                float(r.get("confidence", 1.0)),
            ),
            r.get("role"),
        )
        for r in d.get("relations") or []
    )
    return Extraction(str(d.get("doc", "")), persons, orgs, countries, initiatives, events, relations)


def evaluate_dirs(gold_dir: Path, docs_dir: Path, nlp: Any = None) -> EvalReport:
    """Extract every document a gold file names (``docs_dir/<doc>``) and score it."""
    from graph.extract import extract_many
    from graph.read.reader import read_document
    from graph.resolve import resolve

    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))]
    docs = [read_document(Path(docs_dir) / g["doc"]) for g in golds]
    report = EvalReport()
    for gold, extraction in zip(golds, extract_many(docs, nlp), strict=True):
        report.docs.append(score(resolve(extraction).to_json(), gold))
    return report
