"""Work functions for the worker-pool tests: picklable by name, so a worker process can import them."""

from __future__ import annotations

import os


def echo_or_die(item: str) -> str:
    """``item`` back, except for ``"die"``: the worker process ends at once (as an out-of-memory kill would)."""
    if item == "die":
        os._exit(1)
    if item == "raise":
        raise RecursionError("maximum recursion depth exceeded")
    return item
