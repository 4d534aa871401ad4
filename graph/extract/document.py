"""``extract(doc) -> Extraction``: persons, organisations, economies, initiatives, events, relations.

The public entry of the extraction stage.  It runs spaCy once per document (``extract_many``
streams documents through ``nlp.pipe``), then applies the rule modules in a fixed order:
acronyms and gazetteer hits, persons and their appositions, events and sessions, relations.
Every rule is general (honorifics, role words, head nouns, gazetteers); none names a document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc

from graph.extract.builder import Builder
from graph.extract.mentions.appositions import read_apposition
from graph.extract.mentions.events import event_mentions, main_event, name_sessions, sections
from graph.extract.mentions.orgs import OrgBook, acronym_definitions, org_kind
from graph.extract.mentions.people import PersonMention, byline_mentions, honorific_mentions, is_name_like
from graph.extract.rules.relations import Context, relation_rules
from graph.extract.textspan import doc_year
from graph.model import Document, Extraction, normalise
from graph.nlp.gazetteer import Gazetteer, load_gazetteer
from graph.nlp.language import load_nlp

__all__ = ["extract", "extract_many"]


def extract(doc: Document, nlp: Language | None = None) -> Extraction:
    """Everything the rules find in one document."""
    nlp = nlp or load_nlp()
    return extract_parsed(doc, nlp(doc.text))


def extract_many(docs: Iterable[Document], nlp: Language | None = None, n_process: int = 1) -> Iterator[Extraction]:
    """Extract many documents, parsing them in one ``nlp.pipe`` stream (order is kept)."""
    nlp = nlp or load_nlp()
    docs = list(docs)
    for doc, parsed in zip(docs, nlp.pipe((d.text for d in docs), n_process=n_process), strict=True):
        yield extract_parsed(doc, parsed)


def extract_parsed(doc: Document, parsed: SpacyDoc) -> Extraction:
    """The rules, on a document spaCy has already parsed."""
    text = doc.text
    gaz = load_gazetteer()
    b = Builder(Path(doc.source).name if doc.source else doc.id)
    book = OrgBook(gaz)
    _acronyms(text, gaz, book, b)
    ents = [(e.text, e.start_char, e.end_char, e.label_, e.ent_id_) for e in parsed.ents]
    _gazetteer_orgs(ents, gaz, b, text)
    persons = _persons(text, parsed, gaz, book, b)
    year = doc_year(text)
    mentions = event_mentions(text, gaz)
    main = main_event(text, year, gaz, mentions)
    bylines = [(p.name, p.start, p.end) for p in persons if p.honorific == "" and _is_byline(text, p)]
    secs = sections(text, bylines, gaz)
    name_sessions(text, secs, mentions, gaz)
    ctx = Context(
        text=text,
        parsed=parsed,
        gaz=gaz,
        book=book,
        b=b,
        persons=persons,
        main=main,
        sections=secs,
        events=mentions,
        year=year,
        ents=ents,
        sents=[(s.start_char, s.end_char) for s in parsed.sents],
    )
    relation_rules(ctx)
    return b.build()


def _is_byline(text: str, p: PersonMention) -> bool:
    line_start = text.rfind("\n", 0, p.start) + 1
    line_end = text.find("\n", p.end)
    line_end = len(text) if line_end == -1 else line_end
    return not text[line_start : p.start].strip() and not text[p.end : line_end].strip()


def _acronyms(text: str, gaz: Gazetteer, book: OrgBook, b: Builder) -> None:
    for mention, acr in acronym_definitions(text, gaz):
        if mention.kind == "organisation":
            entry = gaz.org(mention.name) or gaz.org(acr)
            book.acronyms.setdefault(acr, entry.name if entry else mention.name)
            rec = b.add(
                "organisation", entry.name if entry else mention.name, mention.start, kind=org_kind(mention.name, gaz)
            )
            b.alias(rec, mention.name)
            b.alias(rec, acr)
        elif mention.kind == "subunit":
            book.subunits.add(acr)
            book.subunits.add(mention.name)
        elif mention.kind == "initiative":
            rec = b.add("initiative", mention.name, mention.start, kind=_initiative_kind(mention.name, gaz))
            b.alias(rec, acr)
        book.kinds[mention.name] = mention.kind


def _initiative_kind(name: str, gaz: Gazetteer) -> str:
    low = name.lower()
    for word, kind in (
        ("platform", "platform"),
        ("helpdesk", "platform"),
        ("website", "platform"),
        ("portal", "platform"),
        ("marketplace", "platform"),
        ("programme", "programme"),
        ("program", "programme"),
        ("initiative", "programme"),
        ("network", "network"),
        ("package", "package"),
        ("agreement", "agreement"),
        ("convention", "agreement"),
        ("decision", "agreement"),
        ("course", "course"),
        ("report", "report"),
        ("guide", "report"),
        ("study", "report"),
        ("survey", "report"),
        ("www.", "platform"),
        ("/", "report"),
        ("protocol", "agreement"),
    ):
        if word in low:
            return kind
    return "other"


def _gazetteer_orgs(ents: list[tuple[str, int, int, str, str]], gaz: Gazetteer, b: Builder, text: str) -> None:
    """Known organisations named anywhere (the gold lists them even when only invited or cited)."""
    for surface, start, end, label, ent_id in ents:
        if label != "ORG" or not ent_id:
            continue
        nxt = re.match(r"[ \u00a0]+([a-z]+)", text[end : end + 20])
        if nxt and nxt.group(1) in gaz.words.get("initiative", ()) and nxt.group(1) != "network":
            continue  # 'the 2019 IDB decision': the acronym names a thing, not the organisation
        entry = gaz.org(ent_id)
        rec = b.add("organisation", ent_id, start, kind=entry.kind if entry else "other")
        b.alias(rec, surface)


def _persons(text: str, parsed: SpacyDoc, gaz: Gazetteer, book: OrgBook, b: Builder) -> list[PersonMention]:
    """Person mentions with honorific, bylines and spaCy PERSONs, clustered into person records."""
    mentions = honorific_mentions(text) + byline_mentions(text, gaz)
    taken = [(m.start, m.end) for m in mentions]
    for ent in parsed.ents:
        if ent.label_ != "PERSON" or any(s < ent.end_char and ent.start_char < e for s, e in taken):
            continue
        name = " ".join(ent.text.split())
        before = text[max(0, ent.start_char - 25) : ent.start_char]
        prev = re.search(r"(?:\b(?:der|von|van|de|la)|(?P<cap>[A-Z][\w-]*)|^\s*\d+\.)\s*$", before)
        if prev and not (prev.group("cap") and _is_role_word(prev.group("cap"), gaz)):
            continue  # inside a longer capitalised name, or a numbered heading
        if is_name_like(name, gaz) and re.fullmatch(r"[\w'’.\- ]+", name):
            mentions.append(PersonMention(name=name, start=ent.start_char, end=ent.end_char))
    mentions.sort(key=lambda m: m.start)
    out: list[PersonMention] = []
    seen: set[tuple[int, int]] = set()
    for m in mentions:
        if (m.start, m.end) in seen:
            continue
        seen.add((m.start, m.end))
        read_apposition(text, m, book)
        rec = _person_record(b, m.name, m.start)
        m.name = rec.name
        out.append(m)
    for m in out:
        rec = b.find(m.name)
        assert rec is not None
        for title in m.titles:
            b._append(rec, "titles", title)
        for predicate, target, _role in m.links:
            if predicate in ("holds_role_at", "affiliated_with"):
                b._append(rec, "affiliations", _target_name(b, target))
    out += _surname_mentions(text, out, b)
    out.sort(key=lambda m: m.start)
    return out


def _target_name(b: Builder, target) -> str:
    return b.canonical(target.name)


def _same_person(a: str, b: str) -> bool:
    """'Dorothy Tembo' ~ 'Dorothy Ng'ambi Tembo'; 'Rahman Ahmad Khan' ~ 'Anusha Rahman Ahmad Khan'."""
    ta, tb = normalise(a).split(), normalise(b).split()
    if not ta or not tb:
        return False
    if len(ta) >= 2 and len(tb) >= 2 and ta[0] == tb[0] and ta[-1] == tb[-1]:
        return True
    short, long = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    return len(short) >= 2 and long[-len(short) :] == short


def _is_role_word(word: str, gaz: Gazetteer) -> bool:
    """'Secretary-General', 'Minister', 'CEO': a title written right before a name."""
    return gaz.is_word("role", word) or any(gaz.is_word("role", part) for part in word.split("-"))


def _person_record(b: Builder, name: str, pos: int):
    rec = b.find(name)
    if rec is not None and rec.type == "person":
        return rec
    for other in b.recs:
        if other.type == "person" and _same_person(other.name, name):
            if len(name.split()) > len(other.name.split()):
                b.alias(other, other.name)
                b.index[normalise(name)] = other
                other.aliases = [a for a in other.aliases if normalise(a) != normalise(name)]
                other.name = name
            else:
                b.alias(other, name)
            return other
    return b.add("person", name, pos)


def _surname_mentions(text: str, full: list[PersonMention], b: Builder) -> list[PersonMention]:
    """Later surname-only mentions ('Okafor invited ...'), resolved to the latest full mention."""
    spans = sorted((m.start, m.end) for m in full)
    by_surname: dict[str, list[PersonMention]] = {}
    for m in full:
        words = m.name.split()
        if len(words) >= 2:
            by_surname.setdefault(words[-1], []).append(m)
            if len(words) >= 3:
                by_surname.setdefault(" ".join(words[-2:]), []).append(m)
    keys = sorted((k for k in by_surname if len(k) >= 2), key=len, reverse=True)
    if not keys:
        return []
    rx = re.compile(r"(?<![\w’'\-])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w\-])")
    starts = [s for s, _ in spans]
    out = []
    for hit in rx.finditer(text):
        i = bisect.bisect_right(starts, hit.start()) - 1
        if i >= 0 and spans[i][0] <= hit.start() < spans[i][1]:
            continue
        if re.search(r"[A-Z][a-z]*\s$", text[max(0, hit.start() - 15) : hit.start()]):
            continue  # part of another capitalised name
        owners = by_surname[hit.group()]
        prior = [o for o in owners if o.start < hit.start()]
        owner = prior[-1] if prior else owners[0]
        rec = b.find(owner.name)
        if rec is None:
            continue
        b.alias(rec, hit.group())
        out.append(PersonMention(name=rec.name, start=hit.start(), end=hit.end(), honorific="surname"))
    return out
