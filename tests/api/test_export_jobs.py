"""ExportJobs with a store in memory (threads): slots, time limit and gone clients, without a server."""

from __future__ import annotations

import threading

import anyio
import pytest
from pyoxigraph import Store

from api.export_jobs import ClientGone, ExportJobs
from graph.errors import QueryTimeout, ServerBusy


async def _connected() -> bool:
    return False


async def _gone() -> bool:
    return True


@pytest.fixture
def slow_export(monkeypatch):
    release = threading.Event()

    def export_view(store, spec, fmt):
        release.wait(5)
        return b"done"

    import graph.views.export

    monkeypatch.setattr(graph.views.export, "export_view", export_view)
    yield release
    release.set()


def test_a_full_house_is_turned_away_and_a_slow_export_times_out(slow_export):
    jobs = ExportJobs(store=Store(), slots=1, timeout=0.3)

    async def both():
        outcomes = []

        async def one():
            try:
                outcomes.append(await jobs.run(None, "ttl", _connected))
            except (QueryTimeout, ServerBusy) as err:
                outcomes.append(type(err).__name__)

        async with anyio.create_task_group() as group:
            group.start_soon(one)
            await anyio.sleep(0.05)
            group.start_soon(one)
        return outcomes

    assert anyio.run(both) == ["ServerBusy", "QueryTimeout"]
    # a thread cannot be stopped: its slot stays taken until it ends, then frees
    with pytest.raises(ServerBusy):
        anyio.run(jobs.run, None, "ttl", _connected)
    slow_export.set()
    for _ in range(50):
        if jobs.slots.acquire(blocking=False):
            jobs.slots.release()
            break
        threading.Event().wait(0.05)
    assert anyio.run(jobs.run, None, "ttl", _connected) == b"done"


def test_a_gone_client_stops_waiting(slow_export):
    jobs = ExportJobs(store=Store(), slots=2, timeout=5)
    with pytest.raises(ClientGone):
        anyio.run(jobs.run, None, "ttl", _gone)
