"""Where the REST routes run their look-ups (api.deps)."""

from __future__ import annotations

import threading

import anyio
from pyoxigraph import Store

from api.deps import in_thread, look_up
from graph.store.sparql_server import SparqlStore


def test_a_look_up_by_id_runs_on_the_event_loop_for_the_embedded_store_and_in_a_thread_for_a_server():
    async def threads() -> tuple[int, int, int, int]:
        def ident(_store: object) -> int:
            return threading.get_ident()

        return (threading.get_ident(), await look_up(Store(), ident),
                await look_up(SparqlStore("http://127.0.0.1:9/sparql"), ident), await in_thread(threading.get_ident))

    loop, embedded, server, listed = anyio.run(threads)
    assert embedded == loop
    assert server != loop
    assert listed != loop
