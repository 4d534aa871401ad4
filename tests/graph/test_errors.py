"""Domain errors (graph.errors): one base class, so one handler of the API and the CLI catches them all."""

from __future__ import annotations

import inspect

from api.errors import status_for
from graph import errors


def test_every_error_of_the_module_is_an_msme_kg_error():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__]
    assert len(classes) > 10
    assert all(issubclass(c, errors.MsmeKgError) for c in classes)


def test_a_subclass_takes_the_status_of_the_nearest_mapped_ancestor():
    class StoreGone(errors.StoreError):
        pass

    assert status_for(StoreGone("x")) == status_for(errors.StoreError("x")) == 503
    assert status_for(errors.DocumentTooLarge("x")) == 500  # a document error reaches HTTP only by mistake
