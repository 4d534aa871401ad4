"""What a SPARQL request is made of, read before the engine sees it: nesting depth, SERVICE, LOAD, update operations.

pyoxigraph parses queries but does not expose the parse (no algebra in its Python API), and its
parser has two limits of its own: it recurses once per nesting level (a few thousand nested
``{``/``EXISTS`` end the process on a stack overflow; 200,000 parentheses did) and nested blank
nodes or collections take polynomial time (``[`` 64 deep: 0.3 s, 300 deep: minutes). So before a
query reaches it, :func:`inspect` reads the text once, in linear time, the way the grammar does:

- ``\\uXXXX`` escapes count where pyoxigraph reads them, inside strings and IRIs only (an
  escaped quote or ``>`` ends nothing; a keyword spelled with an escape is a syntax error);
- tokens are read with the grammar's terminals (strings, IRIs, prefixed names, variables,
  comments), anchored, with possessive patterns: no backtracking, no scan over the rest of the
  text per token;
- the one context-dependent token is ``<``: the start of an IRI, or the less-than operator. It is
  an operator exactly where the grammar allows one, right after an operand inside an expression,
  so the reader keeps a stack of what each bracket opened (group, expression, list, blank node).
  That stack is also the nesting depth, refused past ``max_depth``;
- a bare word is a keyword (prefixed names, variables, blank nodes and language tags are their own
  tokens), so ``SERVICE`` / ``LOAD`` are found as the parser would find them — never inside a
  string, an IRI, a comment or a name.

Anything the reader cannot place (an unknown character, a string that does not end, a bracket
closed by the wrong kind) is refused with 400: the reader fails closed.

A second, independent opinion guards the feature decision: when the text spells
``service`` or ``load`` anywhere (a string, an IRI) but the reader found no such keyword, rdflib's
full SPARQL parser is asked too (slower, 10–80 ms, but only for such texts). Texts that never spell
either word — almost all — pay for the reader alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pyoxigraph import NamedNode

from graph.errors import FeatureDisabled, QueryError

GUARDED = ("SERVICE", "LOAD")
DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_CHARS = 1_000_000

_WS = re.compile(r"[ \t\r\n]++")
_COMMENT = re.compile(r"#[^\r\n]*+")
_IRIREF = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]++|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>")
_STRINGS = {
    "'''": re.compile(r"'''(?:[^'\\]++|\\.|'(?!''))*+'''", re.DOTALL),
    '"""': re.compile(r'"""(?:[^"\\]++|\\.|"(?!""))*+"""', re.DOTALL),
    "'": re.compile(r"'(?:[^'\\\n\r]++|\\.)*+'"),
    '"': re.compile(r'"(?:[^"\\\n\r]++|\\.)*+"'),
}
_NAME_CHARS = r"\w\-.\u00B7\u0300-\u036F\u203F\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
# a prefixed name or a bare word: PN_PREFIX? (':' PN_LOCAL?)?
_NAME = re.compile(rf"(?:[^\W\d][{_NAME_CHARS}]*+)?(?::(?:[{_NAME_CHARS}:]|{_PLX})*+)?")
_VAR = re.compile(r"[?$][\w\u00B7\u0300-\u036F\u203F\u2040]++")
_BNODE = re.compile(rf"_:[{_NAME_CHARS}]++")
_LANGTAG = re.compile(r"@[A-Za-z]++(?:-[A-Za-z0-9]++)*+(?:--[A-Za-z]++)?")
_NUMBER = re.compile(r"(?:\d++(?:\.\d++)?|\.\d++)(?:[eE][+-]?\d++)?")
_PUNCT2 = ("^^", "&&", "||", "!=", "<=", ">=", "{|", "|}")
_PUNCT1 = frozenset("(){}[],;.*/+-!=<>|^?~")
_DIGITS = frozenset("0123456789")

# keywords after which '(' opens an expression, in a group or at the top
_EXPR_OPENERS = frozenset({"FILTER", "BIND", "HAVING", "ASC", "DESC"})
_MODIFIERS = frozenset({"GROUP", "ORDER", "HAVING"})
_MODIFIER_ENDS = frozenset({"LIMIT", "OFFSET", "VALUES"})
_OPERAND_WORDS = frozenset({"TRUE", "FALSE"})
# the top-level words an update's operations are told apart by (graph.sparql.guard.with_using)
_TOP_WORDS = frozenset({"WITH", "DELETE", "INSERT", "USING", "WHERE", "DATA", "PREFIX", "BASE"})
_WORDS_READ = frozenset(GUARDED) | _TOP_WORDS | _MODIFIERS | _MODIFIER_ENDS | {"SELECT", "FROM"}
_WHITESPACE = frozenset(" \t\r\n")
_CLOSERS = {")": ("expr", "list"), "]": ("bnode",), "}": ("group",), "|}": ("annotation",), ">>": ("triple",)}


@dataclass
class _Frame:
    kind: str  # top, group, expr, list, bnode, triple, annotation
    start: int
    mode: str | None = None  # at a query level: "select" (projection) or "modifier" (GROUP/ORDER BY, HAVING)


@dataclass(frozen=True)
class Word:
    """A keyword, ``;`` or top-level group of the request, with its offsets in the text."""

    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Inspection:
    """What :func:`inspect` learnt: the text, its depth, its guarded keywords, its top-level words."""

    text: str
    depth: int
    keywords: frozenset[str]
    top: tuple[Word, ...] = field(default=(), repr=False)


def _matched(pattern: re.Pattern[str], text: str, pos: int) -> str:
    """What ``pattern`` matches at ``pos`` (a pattern that matches there, possibly the empty string)."""
    found = pattern.match(text, pos)
    return found.group() if found else ""


def _operand_end(kind: str, value: str) -> bool:
    if kind in ("var", "iri", "string", "number", "langtag", "bnode"):
        return True
    if kind == "name":
        return ":" in value or value.upper() in _OPERAND_WORDS
    return kind == "punct" and value in (")", "]")


class _Reader:
    """One pass over a request: tokens, the bracket stack, keywords and top-level words."""

    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.stack = [_Frame("top", 0)]
        self.depth = 0
        self.keywords: set[str] = set()
        self.top: list[Word] = []
        self.prev: tuple[str, str] = ("start", "")
        self.prev2: tuple[str, str] = ("start", "")

    def fail(self, pos: int, message: str) -> QueryError:
        line = self.text.count("\n", 0, pos) + 1
        column = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return QueryError(f"syntax error at {line}:{column}: {message}")

    # -- the bracket stack ------------------------------------------------------------------------

    def push(self, kind: str, pos: int) -> None:
        self.stack.append(_Frame(kind, pos))
        if len(self.stack) - 1 > self.max_depth:
            raise self.fail(pos, f"the request nests brackets more than {self.max_depth} deep")
        self.depth = max(self.depth, len(self.stack) - 1)

    def pop(self, closer: str, pos: int, end: int) -> None:
        frame = self.stack[-1]
        if len(self.stack) == 1 or frame.kind not in _CLOSERS[closer]:
            raise self.fail(pos, f"unbalanced {closer!r}")
        self.stack.pop()
        if len(self.stack) == 1 and frame.kind == "group":
            self.top.append(Word("{}", frame.start, end))

    def paren_kind(self) -> str:
        """What a '(' opens here: an expression or a list (collection, path, VALUES row)."""
        frame = self.stack[-1]
        if frame.kind == "expr" or frame.mode in ("select", "modifier"):
            return "expr"
        kind, value = self.prev
        if kind == "name" and value.upper() in _EXPR_OPENERS:
            return "expr"
        if kind in ("name", "iri") and self.prev2[0] == "name" and self.prev2[1].upper() in ("FILTER", "HAVING"):
            return "expr"  # FILTER regex(...), FILTER <f>(...), FILTER ex:f(...)
        return "list"

    # -- keywords ---------------------------------------------------------------------------------

    def word(self, value: str, pos: int, end: int) -> None:
        upper = value.upper()
        if upper not in _WORDS_READ:
            return
        if upper in GUARDED:
            self.keywords.add(upper)
        frame = self.stack[-1]
        if upper == "SELECT":
            frame.mode = "select"
        elif upper in ("WHERE", "FROM"):
            frame.mode = None
        elif upper in _MODIFIERS:
            frame.mode = "modifier"
        elif upper in _MODIFIER_ENDS:
            frame.mode = None
        if len(self.stack) == 1:
            self.top.append(Word(upper, pos, end))

    # -- the tokens -------------------------------------------------------------------------------

    def token(self, pos: int) -> tuple[str, str, int]:
        """(kind, value, end) of the token at ``pos`` (``pos`` is not whitespace or a comment)."""
        text = self.text
        c = text[pos]
        if c == "<":
            after_operand = self.stack[-1].kind == "expr" and _operand_end(*self.prev)
            if not after_operand:
                m = _IRIREF.match(text, pos)
                if m:
                    return "iri", m.group(), m.end()
                if text.startswith("<<", pos):
                    return "punct", "<<", pos + 2
            if text.startswith("<=", pos):
                return "punct", "<=", pos + 2
            return "punct", "<", pos + 1
        if c in "'\"":
            long = text[pos:pos + 3]
            m = _STRINGS[long if long in _STRINGS else c].match(text, pos)
            if not m:
                raise self.fail(pos, "a string that does not end")
            return "string", "", m.end()
        if c in "?$":
            m = _VAR.match(text, pos)
            if m:
                return "var", m.group(), m.end()
            return "punct", c, pos + 1
        if c == "_" and text.startswith("_:", pos):
            m = _BNODE.match(text, pos)
            if not m:
                raise self.fail(pos, "a blank node label without a name")
            value = m.group().rstrip(".")
            return "bnode", value, pos + len(value)
        if c == "@":
            m = _LANGTAG.match(text, pos)
            if not m:
                raise self.fail(pos, "a language tag without a language")
            return "langtag", m.group(), m.end()
        if c in _DIGITS or (c == "." and text[pos + 1:pos + 2] in _DIGITS):
            number = _matched(_NUMBER, text, pos)
            return "number", number, pos + len(number)
        if c == ":" or c.isalpha() or c == "_":
            value = _matched(_NAME, text, pos)
            while value.endswith(".") and not value.endswith("\\."):  # a name never ends with '.'
                value = value[:-1]
            if value:
                return "name", value, pos + len(value)
        two = text[pos:pos + 2]
        if two in _PUNCT2 or (two == ">>" and self.stack[-1].kind == "triple"):
            return "punct", two, pos + 2
        if c in _PUNCT1:
            return "punct", c, pos + 1
        raise self.fail(pos, f"unexpected character {c!r}")

    def read(self) -> None:
        text, pos, size = self.text, 0, len(self.text)
        while pos < size:
            if text[pos] in _WHITESPACE:
                pos += len(_matched(_WS, text, pos))
                continue
            if text[pos] == "#":
                pos += len(_matched(_COMMENT, text, pos))
                continue
            kind, value, end = self.token(pos)
            if kind == "name" and ":" not in value:
                self.word(value, pos, end)
            elif kind == "punct":
                self.punct(value, pos, end)
            self.prev2, self.prev = self.prev, (kind, value)
            pos = end
        if len(self.stack) > 1:
            raise self.fail(self.stack[-1].start, "a bracket that is never closed")

    def punct(self, value: str, pos: int, end: int) -> None:
        if value == "(":
            self.push(self.paren_kind(), pos)
        elif value == "{":
            self.stack[-1].mode = None if self.stack[-1].mode == "select" else self.stack[-1].mode
            self.push("group", pos)
        elif value == "[":
            self.push("bnode", pos)
        elif value == "<<":
            self.push("triple", pos)
        elif value == "{|":
            self.push("annotation", pos)
        elif value in _CLOSERS:
            self.pop(value, pos, end)
        elif value == ";" and len(self.stack) == 1:
            self.top.append(Word(";", pos, end))


def inspect(text: str, *, max_depth: int = DEFAULT_MAX_DEPTH, max_chars: int = DEFAULT_MAX_CHARS) -> Inspection:
    """Read a query or update once (linear time): depth, guarded keywords, top-level words.

    >>> inspect("SELECT * WHERE { BIND(1<'a>' AS ?x) SERVICE <http://x/> { ?s ?p ?o } }").keywords
    frozenset({'SERVICE'})
    >>> inspect('SELECT ?service WHERE { ?s <http://x/#LOAD> "SERVICE" } # LOAD').keywords
    frozenset()
    >>> inspect("ASK { FILTER(((1))) }").depth
    4
    """
    if len(text) > max_chars:
        raise QueryError(f"the request is longer than {max_chars} characters")
    reader = _Reader(text, max_depth)
    reader.read()
    return Inspection(reader.text, reader.depth, frozenset(reader.keywords), tuple(reader.top))


def _spelled(text: str) -> set[str]:
    folded = text.casefold()
    return {word for word in GUARDED if word.casefold() in folded}


@lru_cache(maxsize=256)
def _rdflib_keywords(text: str, update: bool) -> frozenset[str] | None:
    """SERVICE / LOAD as rdflib's parser sees them; None when rdflib cannot parse the text."""
    from rdflib.plugins.sparql import parser

    try:
        tree = parser.parseUpdate(text) if update else parser.parseQuery(text)
    except RecursionError:
        return None
    except Exception:
        return None
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            found.add("SERVICE")
        elif name == "Load":
            found.add("LOAD")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
        elif hasattr(node, "asList"):
            stack.extend(list(node))
    return frozenset(found)


def check(text: str, *, update: bool = False, allow_service: bool = False, allow_load: bool = False,
          max_depth: int = DEFAULT_MAX_DEPTH, max_chars: int = DEFAULT_MAX_CHARS) -> Inspection:
    """:func:`inspect`, then refuse SERVICE / LOAD unless allowed (:class:`FeatureDisabled`).

    >>> check("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.errors.FeatureDisabled: SERVICE (federated query) is disabled on this server
    """
    found = inspect(text, max_depth=max_depth, max_chars=max_chars)
    refused = {word for word, allowed in (("SERVICE", allow_service), ("LOAD", allow_load)) if not allowed}
    used = set(found.keywords)
    if refused - used and refused & _spelled(found.text):
        second = _rdflib_keywords(found.text, update)
        if second is None:
            raise QueryError("the request spells " + " or ".join(sorted(refused & _spelled(found.text)))
                             + " and could not be checked by a second parser; this server refuses it")
        used |= second
    if "SERVICE" in used and not allow_service:
        raise FeatureDisabled("SERVICE (federated query) is disabled on this server")
    if "LOAD" in used and not allow_load:
        raise FeatureDisabled("LOAD is disabled on this server")
    return found


# -- the Protocol's using-graph-uri / using-named-graph-uri -------------------------------------


def _operations(found: Inspection) -> list[list[Word]]:
    ops: list[list[Word]] = [[]]
    for word in found.top:
        if word.value == ";":
            ops.append([])
        else:
            ops[-1].append(word)
    return [op for op in ops if op]


def with_using(found: Inspection, default: tuple[str, ...], named: tuple[str, ...]) -> str:
    """The update text with ``USING`` / ``USING NAMED`` added to each DELETE/INSERT ... WHERE operation.

    SPARQL 1.1 Protocol §2.2.3: the using-graph-uri / using-named-graph-uri parameters give the
    dataset of the WHERE clauses; an update that names its own (USING, USING NAMED or WITH) is an
    error. The IRIs are checked and written by pyoxigraph (``<...>``, never spliced raw).

    >>> text = "INSERT { ?s a <http://x/C> } WHERE { ?s ?p ?o } ;\\nDELETE WHERE { ?a ?b ?c }"
    >>> print(with_using(inspect(text), ("http://g/1",), ()))
    INSERT { ?s a <http://x/C> }  USING <http://g/1> WHERE { ?s ?p ?o } ;
    DELETE { ?a ?b ?c } USING <http://g/1> WHERE { ?a ?b ?c }
    """
    if not default and not named:
        return found.text
    try:
        clause = " ".join([f"USING {NamedNode(g)}" for g in default] + [f"USING NAMED {NamedNode(g)}" for g in named])
    except ValueError as err:
        raise QueryError(f"bad graph IRI in using-graph-uri / using-named-graph-uri: {err}") from err
    text = found.text
    edits: list[tuple[int, int, str]] = []
    for operation in _operations(found):
        op = [w for w in operation if w.value not in ("PREFIX", "BASE")]  # the prologue's words
        words = [w.value for w in op]
        if not words or words[0] not in ("WITH", "DELETE", "INSERT") or (len(words) > 1 and words[1] == "DATA"):
            continue
        if "WITH" in words or "USING" in words:
            raise QueryError("using-graph-uri / using-named-graph-uri cannot be combined with USING or WITH "
                             "in the update (SPARQL 1.1 Protocol 2.2.3)")
        where = next((i for i, w in enumerate(op) if w.value == "WHERE"), None)
        if where is None or where + 1 >= len(op):
            continue  # not an update pyoxigraph will take: its parser says why
        if words[0] == "DELETE" and where == 1:  # DELETE WHERE { P } is DELETE { P } WHERE { P }
            block = op[where + 1]
            pattern = text[block.start:block.end]
            edits.append((op[0].end, op[where].start, f" {pattern} {clause} "))
        else:
            edits.append((op[where].start, op[where].start, f" {clause} "))
    for start, end, insert in reversed(edits):
        text = text[:start] + insert + text[end:]
    return text
