"""The curation file read safely and fast: YAML checked as a stream of events before it is built.

Why: ruamel.yaml's round-trip loader (kept for edits, which must preserve comments) is pure
Python and recursive: a 200,000-entry file took 153 s and 1.46 GB to list, 50,000 nested lists
ended in a RecursionError traceback, and a tag such as ``!!python/object/apply:os.system`` was
silently read as a plain list. Here libyaml (through PyYAML's C parser) emits the file's events
without recursion; before anything is built, every event is checked:

- nesting deeper than :data:`MAX_DEPTH` is an error naming its line (the format needs 3 levels);
- an explicit tag other than YAML's plain ones (``!!str``, ``!!int`` ...) is refused;
- anchors and aliases are refused (the format never needs them, and an alias expanded on
  building is the YAML form of a billion-laughs bomb).

For reading only (ingest, ``curate list``, ``curate apply``, the API) the checked file is then
built into plain dicts and lists that remember their line (:func:`load_plain`): a 200,000-entry
file in seconds. Edits still go through ruamel, after the same check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graph.errors import CurationError

MAX_DEPTH = 16
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)
NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class Lined(dict):
    """A mapping of the file that knows its line (1-based) and the lines of its keys."""

    line: int = 0
    key_lines: dict


class LinedList(list):
    """A list of the file that knows its line (1-based)."""

    line: int = 0


def check_events(text: str, source: str) -> None:
    """Raise :class:`CurationError` for a tag, an anchor, an alias or nesting the curation format never has."""
    for _ in _checked_events(text, source):
        pass


def _checked_events(text: str, source: str) -> Iterator[tuple[Any, int]]:
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=_loader()):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise CurationError(f"{source} line {line}: YAML anchors and aliases are not allowed here")
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in PLAIN_TAGS and tag != "!":
                raise CurationError(f"{source} line {line}: YAML tag {tag!r} is not allowed (plain values only)")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise CurationError(f"{source} line {line}: nested more than {MAX_DEPTH} levels deep "
                                        "(a curation entry needs 3)")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            yield event, line
    except yaml.YAMLError as err:
        raise CurationError(f"{source}: not valid YAML: {err}") from err


def load_plain(text: str, source: str) -> Any:
    """The checked file as :class:`Lined` mappings, :class:`LinedList` lists and strings (None for nulls).

    Built from the same single pass of events that checks the file (PyYAML's own node composer
    took 40 s on a 200,000-entry file; this pass takes a few). Scalars stay strings (the
    curation format reads every value as text): ``yes`` is "yes", not YAML 1.1's True, as with
    ruamel's YAML 1.2 reading of the same file.

    >>> tree = load_plain("merge:\\n  - {keep: a, drop: [b, c]}\\n", "c.yaml")
    >>> tree, tree["merge"][0].line
    ({'merge': [{'keep': 'a', 'drop': ['b', 'c']}]}, 2)
    """
    import yaml

    root: Any = None
    stack: list[Any] = []  # open collections
    keys: list[str | None] = []  # per open mapping: the key waiting for its value
    for event, line in _checked_events(text, source):
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            keys.pop()
            continue
        if isinstance(event, yaml.MappingStartEvent):
            value: Any = Lined()
            value.line, value.key_lines = line, {}
        elif isinstance(event, yaml.SequenceStartEvent):
            value = LinedList()
            value.line = line
        elif isinstance(event, yaml.ScalarEvent):
            value = None if event.style is None and event.value in NULLS else event.value
        else:
            continue  # stream and document start/end
        if not stack:
            root = value
        elif isinstance(stack[-1], Lined):
            key = keys[-1]
            if key is None:  # this value is a key
                if not isinstance(value, str) or value in stack[-1]:
                    raise CurationError(f"{source} line {line}: a key must be a name, given once")
                keys[-1] = value
                stack[-1].key_lines[value] = line
                continue
            stack[-1][key] = value
            keys[-1] = None
        else:
            stack[-1].append(value)
        if isinstance(value, Lined | LinedList):
            stack.append(value)
            keys.append(None)
    return root


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)
