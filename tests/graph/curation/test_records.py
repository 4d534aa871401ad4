"""The curators' corrections as records (graph.curation.records): merge chains resolve to the last kept id."""

from __future__ import annotations

from graph.curation.records import Curation, Merge


def test_redirects_follow_chains_of_merges_to_the_id_finally_kept():
    curation = Curation(merges=(Merge("org-b", ("org-a",)), Merge("org-c", ("org-b", "org-x"))))
    assert curation.redirects() == {"org-a": "org-c", "org-b": "org-c", "org-x": "org-c"}


def test_a_cycle_of_merges_stops_instead_of_looping():
    curation = Curation(merges=(Merge("org-b", ("org-a",)), Merge("org-a", ("org-b",))))
    assert set(curation.redirects()) == {"org-a", "org-b"}


def test_a_merge_naming_the_kept_id_among_the_dropped_is_no_redirect():
    assert Curation(merges=(Merge("org-a", ("org-a", "org-b")),)).redirects() == {"org-b": "org-a"}
