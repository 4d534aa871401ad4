"""The curation file (graph.curation.file): each section read into records with its line, edits that keep
comments and order, and errors that name the line to fix."""

from __future__ import annotations

import pytest

from graph.curation.file import CurationFile, check_ids, load_curation
from graph.curation.records import Curation, Reject, Retype, Split
from graph.errors import CurationError

FILE = """\
# kept at the top
aliases:
  - names: [Example Trade Agency, ETA]   # two spellings
    type: organisation
merge:
  - keep: org-a
    drop: [org-b, org-c]
    reason: one agency
split:
  - id: person-x
    as: person-y
    name: Y
    docs: [doc-1]
reject:
  - subject: person-x
    predicate: attended
    object: event-e
    reason: listed, not present
assert:
  - subject: person-x
    predicate: chaired
    object: event-e
    by: A. Curator
    reason: the agenda says so
types:
  - id: org-d
    type: initiative
    kind: programme
"""


def test_every_section_becomes_records_that_remember_their_line(tmp_path):
    path = tmp_path / "curation.yaml"
    path.write_text(FILE)
    curation = load_curation(path)
    assert curation.aliases[0].names == ("Example Trade Agency", "ETA") and curation.aliases[0].line == 3
    assert curation.merges[0].drop == ("org-b", "org-c") and curation.merges[0].reason == "one agency"
    assert curation.splits[0].as_id == "person-y" and curation.splits[0].docs == ("doc-1",)
    assert curation.rejects[0].line == 15 and curation.asserts[0].by == "A. Curator"
    assert curation.types == (Retype("org-d", "initiative", "programme", line=26),)
    assert curation.source == "curation.yaml" and len(curation.sha256) == 64


@pytest.mark.parametrize(("text", "message"), [
    ("merge:\n  - keep: org-a\n", r"line 2: merge entry needs drop"),
    ("reject:\n  - subject: a\n    predicate: likes\n    object: b\n    reason: r\n",
     r"line 2: unknown predicate 'likes'"),
    ("types:\n  - id: org-a\n    type: planet\n", r"line 2: unknown type 'planet'"),
    ("aliases:\n  - names: [A]\n    colour: red\n", r"line 2: aliases entry has unknown key 'colour'"),
    ("merge: [\n", "not valid YAML"),
])
def test_a_wrong_entry_is_refused_with_the_line_to_fix(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(CurationError, match=message):
        load_curation(path)


def test_an_edit_keeps_comments_and_order_and_an_unchanged_file_is_not_rewritten(tmp_path):
    path = tmp_path / "curation.yaml"
    path.write_text(FILE)
    unchanged = CurationFile.read(path)
    assert unchanged.dump() == FILE and unchanged.write() is False
    edited = CurationFile.read(path)
    entry = {"subject": "person-x", "predicate": "spoke_at", "object": "event-e", "reason": "r"}
    assert edited.add("reject", entry)
    assert not edited.add("reject", entry, same=lambda e: e.get("predicate") == "spoke_at")  # already there
    assert edited.write()
    text = path.read_text()
    assert text.startswith("# kept at the top") and "# two spellings" in text
    assert text.index("reason: listed, not present") < text.index("predicate: spoke_at") < text.index("types:")


def test_check_ids_lets_later_entries_name_an_id_a_split_created():
    curation = Curation(rejects=(Reject("person-y", "attended", "event-e", line=4),),
                        splits=(Split("person-x", "person-y", name="Y", line=2),))
    assert check_ids(curation, {"person-x": "person", "event-e": "event"}) == []
    assert check_ids(Curation(rejects=curation.rejects), {"event-e": "event"}) == [
        "curation.yaml line 4: no entity with id 'person-y' in the store"]

