"""Synthetic, domain-shaped graphs for benchmarks and scale tests.

Real documents are few; to see how the store and the queries behave at 10k … 10M triples we
generate documents of the same shape: a meeting (workshop, conference …) with sessions as
sub-events, people with titles and affiliations who attend, speak, chair and moderate,
organisations that organise and sponsor, economies taking part, initiatives launched,
presented and partnered on — each fact with a sentence of evidence and its offsets. The records
are the same :mod:`graph.model` dataclasses the extractor produces, mapped by
:func:`graph.rdf.map.extraction_quads`, so the generated graph has exactly the shape of an ingested
one. Names are made of syllables (no real person is named); economies come from ISO 3166.

Deterministic: the same seed and size give the same documents. Popular people and organisations
recur across documents (a skewed choice), as in the real genre.

>>> docs = list(synth_documents(2, seed=1))
>>> [d.id for d, _ in docs]
['synth-0000000', 'synth-0000001']
>>> d, x = docs[0]
>>> all(d.text[r.evidence.start:r.evidence.end] == r.evidence.quote for r in x.relations)
True
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pycountry
from pyoxigraph import Quad

from graph.model import Document, Economy, Event, Evidence, Extraction, Initiative, Organisation, Person, Relation
from graph.rdf.map import extraction_quads
from graph.resolve import resolve

SYLLABLES = ("ka", "lo", "mi", "ra", "ve", "du", "si", "no", "ta", "be",
             "zo", "li", "an", "or", "es", "ul", "ny", "ko", "pa", "ri")
ORG_PATTERNS = (
    "{w} Institute for Trade Facilitation", "{w} Chamber of Commerce", "{w} Development Bank",
    "{w} Small Business Association", "{w} Export Promotion Agency", "{w} Centre for Digital Trade",
    "{w} University School of Economics", "{w} Women Entrepreneurs Network", "{w} Logistics Council",
)
ORG_KINDS = ("academic", "company", "intergovernmental", "company", "government", "ngo", "academic", "ngo", "other")
INITIATIVE_PATTERNS = (
    ("{w} Digital Trade Platform", "platform"), ("{w} SME Finance Programme", "programme"),
    ("{w} Exporters Network", "network"), ("{w} Trade Facilitation Package", "package"),
    ("{w} E-commerce Course", "course"), ("{w} MSME Outlook Report", "report"),
)
EVENT_KINDS = ("meeting", "workshop", "conference", "forum", "webinar")
TOPICS = ("access to finance", "digital trade", "trade facilitation", "women-led enterprises", "market information",
          "e-commerce", "standards and certification", "logistics", "regulatory transparency", "green transition")
TITLES = ("Director", "Minister", "Ambassador", "Senior Economist", "Chief Executive Officer", "Head of Trade Policy",
          "Counsellor", "Professor", "Founder", "Programme Manager")
CITIES = ("Geneva", "Nairobi", "Bangkok", "Lima", "Abu Dhabi", "Singapore", "Dakar", "Vienna", "Online")
QUADS_PER_DOC = 2000  # rough mean, used only to size the entity pools for a target number of triples


def _word(index: int, width: int = 3) -> str:
    """A pronounceable, unique word for an index (base-20 syllables)."""
    space = len(SYLLABLES) ** width
    if index < space:  # a bijective scramble, so neighbours do not share syllables
        index = (index * 7919 + 101) % space
    parts = []
    for _ in range(width + 1 if index >= space else width):
        index, rem = divmod(index, len(SYLLABLES))
        parts.append(SYLLABLES[rem])
    return "".join(parts).capitalize()


@dataclass(frozen=True)
class Universe:
    """The entities documents draw from; recurring actors make the graph connected."""

    persons: tuple[Person, ...]
    person_home: tuple[int, ...]  # person index -> organisation index
    organisations: tuple[Organisation, ...]
    economies: tuple[Economy, ...]
    initiatives: tuple[Initiative, ...]

    @classmethod
    def build(cls, n_docs: int, rng: random.Random) -> Universe:
        n_persons, n_orgs, n_inits = max(60, n_docs * 6), max(20, n_docs * 2), max(10, n_docs // 2)
        persons = tuple(
            Person(name=f"{_word(rng.randrange(400), 2)} {_word(i, 4)}", titles=(rng.choice(TITLES),))
            for i in range(n_persons)
        )
        orgs = []
        for i in range(n_orgs):
            k = i % len(ORG_PATTERNS)
            name = ORG_PATTERNS[k].format(w=_word(i, 4))
            acronym = "".join(w[0] for w in name.split() if w[0].isupper()) + str(i)
            orgs.append(Organisation(name=name, aliases=(acronym,),
                                     kind=ORG_KINDS[k]))
        economies = tuple(Economy(name=c.name, iso3=c.alpha_3) for c in pycountry.countries)
        inits = []
        for i in range(n_inits):
            pattern, kind = INITIATIVE_PATTERNS[i % len(INITIATIVE_PATTERNS)]
            inits.append(Initiative(name=pattern.format(w=_word(i + 7919, 4)), kind=kind))
        home = tuple(rng.randrange(n_orgs) for _ in range(n_persons))
        return cls(persons, home, tuple(orgs), economies, tuple(inits))


class _Skewed:
    """Pick indexes with a long tail: a few very frequent, most rare (weights 1/(i+1)^0.9)."""

    def __init__(self, n: int, rng: random.Random) -> None:
        self.rng = rng
        self.cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(n)))
        self.order = list(range(n))
        rng.shuffle(self.order)

    def sample(self, k: int) -> list[int]:
        picked = {self.order[i] for i in self.rng.choices(range(len(self.cum)), cum_weights=self.cum, k=k)}
        return sorted(picked)


class _Writer:
    """Builds a document's text sentence by sentence and the relations that quote it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.relations: list[Relation] = []

    def say(self, sentence: str, facts: list[tuple[str, str, str, str | None]], rule: str = "synthetic") -> None:
        start = self.length
        self.parts.append(sentence + " ")
        self.length += len(sentence) + 1
        evidence = Evidence(sentence, start, start + len(sentence), rule, 0.9)
        self.relations += [Relation(s, p, o, evidence, role) for s, p, o, role in facts]

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _document(
    i: int, u: Universe, picks: dict[str, _Skewed], rng: random.Random, past: list[Event]
) -> tuple[Document, Extraction]:
    """One synthetic report of a meeting and its sessions."""
    w = _Writer()
    if past and rng.random() < 0.15:  # another report on an earlier meeting
        main = rng.choice(past)
    else:
        kind = rng.choice(EVENT_KINDS)
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        end = start + timedelta(days=rng.choice((0, 0, 1, 2)))
        main = Event(name=f"{rng.choice(TOPICS).capitalize()} {kind} {_word(i, 4)}", start=start.isoformat(),
                     end=end.isoformat(), location=rng.choice(CITIES), kind=kind)
        past.append(main)
    w.say(f"{main.name} ({main.start}, {main.location}).", [(main.name, "located_in", main.location or "Online", None)])
    sessions = [Event(name=f"Session {k + 1} on {rng.choice(TOPICS)} of {main.name}", start=main.start,
                      part_of=main.name, kind="session") for k in range(rng.randint(2, 6))]
    person_ids = picks["persons"].sample(rng.randint(8, 40))
    persons = [u.persons[p] for p in person_ids]
    orgs = {o.name: o for o in (u.organisations[k] for k in picks["orgs"].sample(rng.randint(2, 6)))}
    homes = {}
    for p in person_ids:
        home = u.organisations[u.person_home[p]]
        homes[u.persons[p].name] = home
        orgs.setdefault(home.name, home)
    economies = [u.economies[k] for k in picks["economies"].sample(rng.randint(3, 15))]
    initiatives = [u.initiatives[k] for k in picks["initiatives"].sample(rng.randint(1, 3))]
    organisers = list(orgs)[:2]
    w.say(f"The {main.kind} was organised by {' and '.join(organisers)}.",
          [(o, "organised", main.name, None) for o in organisers])
    if len(orgs) > 2:
        sponsor = list(orgs)[2]
        w.say(f"It was sponsored by {sponsor}.", [(sponsor, "sponsored", main.name, None)])
    chair = persons[0]
    w.say(f"{chair.titles[0]} {chair.name} chaired the {main.kind}.", [(chair.name, "chaired", main.name, "chair")])
    for person in persons:
        home, title = homes[person.name], person.titles[0]
        w.say(f"{person.name}, {title} at {home.name}, attended.",
              [(person.name, "attended", main.name, None), (person.name, "holds_role_at", home.name, title)])
    for k, session in enumerate(sessions):
        moderator = persons[(k + 1) % len(persons)]
        speakers = rng.sample(persons, min(len(persons), rng.randint(2, 5)))
        w.say(f"{moderator.name} moderated {session.name}.", [(moderator.name, "moderated", session.name, "moderator")])
        w.say(f"Speakers in {session.name} were {', '.join(p.name for p in speakers)}.",
              [(p.name, "spoke_at", session.name, "speaker") for p in speakers])
    w.say(f"Delegations of {', '.join(e.name for e in economies)} took part.",
          [(e.name, "attended", main.name, "delegation") for e in economies])
    for initiative in initiatives:
        launcher, partners = rng.choice(list(orgs)), rng.sample(list(orgs) + [e.name for e in economies], 2)
        w.say(f"{launcher} launched the {initiative.name}, with {partners[0]} and {partners[1]} as partners.",
              [(launcher, "launched", initiative.name, None),
               *((p, "partner_of", initiative.name, None) for p in partners)])
        w.say(f"The {initiative.name} was presented at {sessions[0].name}.",
              [(initiative.name, "presented_at", sessions[0].name, None)])
    text = w.text
    doc = Document(id=f"synth-{i:07d}", title=main.name, text=text, source=f"synthetic/synth-{i:07d}.txt",
                   sha256=hashlib.sha256(text.encode()).hexdigest())
    extraction = Extraction(doc=f"{doc.id}.txt", persons=tuple(persons), organisations=tuple(orgs.values()),
                            countries=tuple(economies), initiatives=tuple(initiatives), events=(main, *sessions),
                            relations=tuple(w.relations))
    return doc, resolve(extraction)


def synth_documents(
    n_docs: int, seed: int = 0, *, pool_docs: int | None = None
) -> Iterator[tuple[Document, Extraction]]:
    """``n_docs`` synthetic documents with their resolved extractions (pools sized for ``pool_docs``)."""
    rng = random.Random(seed)
    universe = Universe.build(pool_docs or n_docs, rng)
    picks = {
        "persons": _Skewed(len(universe.persons), rng),
        "orgs": _Skewed(len(universe.organisations), rng),
        "economies": _Skewed(len(universe.economies), rng),
        "initiatives": _Skewed(len(universe.initiatives), rng),
    }
    past: list[Event] = []
    for i in range(n_docs):
        yield _document(i, universe, picks, rng, past)


SYNTH_TIME = datetime(2026, 1, 1, tzinfo=UTC)


def synth_quads(target: int, seed: int = 0) -> Iterator[Quad]:
    """Quads of whole synthetic documents, stopping after the document that reaches ``target``."""
    produced = 0
    for doc, extraction in synth_documents(10**9, seed, pool_docs=max(1, target // QUADS_PER_DOC)):
        quads = extraction_quads(doc, extraction, SYNTH_TIME)
        yield from quads
        produced += len(quads)
        if produced >= target:
            return
