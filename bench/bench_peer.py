"""msme-kg against the servers a user would pick instead: the Oxigraph server and Virtuoso, same data, same SPARQL.

    .venv/bin/python bench/bench_peer.py [--triples 1000000] [--samples 4] [--repeat 5] [--rounds 2]
                                         [--clients 1 4 16] [--server-workers 1 2] [--load-seconds 6]
                                         [--no-virtuoso] [--profile rest|sparql]

One run builds the data once (``msme-kg synth`` into a store, ``msme-kg dump``, ``oxigraph load``
and ``optimize``; Virtuoso bulk-loads the same dump; all kept in bench/out/peer-N/), installs the
pinned Oxigraph CLI and py-spy into the bench's own venv (bench/requirements-peer.txt), starts
every server on 127.0.0.1, and times, interleaved:

- every REST look-up by id (each GET route with one ``{id}``, ``--samples`` real ids each) against
  the Oxigraph server and Virtuoso running the endpoint's named queries — the same SPARQL, the id
  written into the text as a ``VALUES`` row in each ``WHERE`` group, which gives the rows our
  bound substitution gives (checked in process before timing);
- every named query of queries/ over our ``/sparql`` against the peers, the same text;
- throughput of those look-ups with 1, 4 and 16 keep-alive clients, against ``msme-kg serve``
  with 1 and with ``--server-workers`` processes, the Oxigraph server and Virtuoso.

Latency: per value set and round, each peer in turn (who goes first rotates) makes ``--repeat``
back-to-back calls on its keep-alive connection; the first is dropped (a call after a pause finds
cold caches on this VM: bench/RESULTS.md §3), p50/p95 over the rest. A ratio is ours / the Oxigraph
server's p50 for the same query; its spread is the min–max of that ratio per round.
Goals (issue 17): look-ups by id ≤ 1.2; /sparql ≤ 1.2 for queries of ≥ 1 ms; 4-client throughput ≥ 1.0.

``--profile rest|sparql``: instead, record ``msme-kg serve`` (one process) with py-spy under a 4-client
load of that mix and print where its time goes (bench/out/peer-profile-*.txt keeps the stacks).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench_http import routes_of
from common import PROJECT_DIR, machine, median, percentile, table
from lookups import cases as query_cases
from peers import OUT, Peer, build_oxigraph, msme_kg, oxigraph_server, tools, virtuoso, virtuoso_available
from pyoxigraph import Store
from sparql_text import peer_text

from graph.sparql.queries import load_queries
from graph.sparql.sample import ParamSampler

OXIGRAPH = "Oxigraph server"
GOAL_RATIO = 1.2


# ------------------------------------------------------------------ data


def build_data(triples: int, binaries: Path, rebuild: bool) -> Path:
    """bench/out/peer-N/: ``store`` (msme-kg synth), ``dump.nq`` (msme-kg dump), ``oxigraph`` (oxigraph load)."""
    folder = OUT / f"peer-{triples}"
    ready = folder / "ready"
    if ready.exists() and not rebuild:
        return folder
    started = time.perf_counter()
    subprocess.run(["rm", "-rf", str(folder)], check=True)
    folder.mkdir(parents=True)
    cli = [sys.executable, "-m", "graph.cli.main"]
    subprocess.run([*cli, "synth", "--triples", str(triples), "--store", str(folder / "store")],
                   check=True, cwd=PROJECT_DIR)
    subprocess.run([*cli, "dump", str(folder / "dump.nq"), "--store", str(folder / "store")],
                   check=True, cwd=PROJECT_DIR)
    build_oxigraph(binaries, folder / "dump.nq", folder / "oxigraph")
    ready.write_text(f"{triples}\n")
    print(f"data built in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


# ------------------------------------------------------------------ what is asked


@dataclass
class Case:
    """One thing to time: our request, and the SPARQL texts each peer runs for the same answer."""

    group: str  # "rest" or "sparql"
    name: str  # route template or query name
    ours: tuple[str, str, bytes | None, dict]  # (method, path, body, headers) on msme-kg
    texts: list[str]  # what the peers run (several for a REST route made of several queries)
    forms: list[str] = field(default_factory=list)  # how the values were written into each text
    by_id: bool = True
    rows: dict[str, int] = field(default_factory=dict)


def rest_cases(store: Store, sampler: ParamSampler, samples: int, rng: random.Random) -> list[Case]:
    from api.main import create_app

    queries = load_queries()
    out = []
    for path, cls, names in routes_of(create_app().openapi()):
        if not cls or not names or path.startswith("/export"):
            continue
        pool = sampler.ids.get(cls, [])[:200]
        for value in rng.sample(pool, min(samples, len(pool))):
            texts, forms = [], []
            for name in names:
                query = queries[name]
                ids = [p for p in query.params if p.type in ("entity", "document")]
                form, text = peer_text(store, query, {ids[0].name: value} if ids else {})
                texts.append(text)
                forms.append(form)
            url = path.replace("{id}", value)
            out.append(Case("rest", path, ("GET", url, None, {}), texts, forms))
    return out


def sparql_cases(store: Store, samples: int) -> list[Case]:
    out = []
    for name, group in query_cases(store, samples, seed=3).items():
        for case in group:
            form, text = peer_text(store, case.query, case.values)
            out.append(Case("sparql", name, ("POST", "/sparql", None, {}), [text], [form], bool(case.values)))
    return out


def request_for(peer: Peer, case: Case, ours: bool) -> list[tuple[str, str, bytes | None, dict]]:
    """The requests ``peer`` is sent for ``case`` (ours: the REST call, or /sparql with the same text)."""
    if ours and case.group == "rest":
        return [case.ours]
    return [peer.sparql(text) for text in case.texts]


def rows_of(body: bytes) -> int:
    try:
        return len(json.loads(body)["results"]["bindings"])
    except (ValueError, KeyError, TypeError):
        try:  # a REST answer: a page of items, or one object
            data = json.loads(body)
        except ValueError:
            return -1
        return len(data.get("items", [])) if isinstance(data, dict) and "items" in data else 1


# ------------------------------------------------------------------ latency


@dataclass
class Times:
    warm: list[float] = field(default_factory=list)
    by_block: dict[tuple[int, int], list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)


def latency(peers: list[Peer], ours: Peer, cases: list[Case], *, repeat: int, rounds: int,
            budget: float) -> dict[tuple[str, str], dict[str, Times]]:
    """(group, name) -> peer -> times; every peer in turn on each value set, first call dropped."""
    connections = {p.name: p.connect() for p in peers}
    results: dict[tuple[str, str], dict[str, Times]] = defaultdict(lambda: defaultdict(Times))
    for index, case in enumerate(cases):
        for round_ in range(rounds):
            order = peers[(index + round_) % len(peers):] + peers[:(index + round_) % len(peers)]
            for peer in order:
                requests = request_for(peer, case, peer is ours)
                times = results[case.group, case.name][peer.name]
                calls = repeat
                spent_first = 0.0
                for call in range(calls):
                    started = time.perf_counter()
                    status = 200
                    for method, path, body, headers in requests:
                        status, answer = connections[peer.name].request(method, path, body, headers)
                        if status >= 300:
                            break
                    spent = time.perf_counter() - started
                    times.statuses[status] += 1
                    if call == 0:
                        spent_first = spent
                        if round_ == 0 and status < 300 and case.group == "sparql":
                            case.rows[peer.name] = rows_of(answer)
                        if spent_first * repeat > budget:  # a slow list: one warm call is enough
                            calls = 2
                        continue
                    times.warm.append(spent)
                    times.by_block[index, round_].append(spent)
                    if call + 1 >= calls:
                        break
        print(f"  {case.group} {case.name}: done", flush=True)
    for name, connection in connections.items():
        if connection.reconnects:
            print(f"  {name} closed the keep-alive connection {connection.reconnects} time(s); reopened")
        connection.close()
    return results


def block_ratios(ours: Times, peer: Times) -> list[float]:
    """Ours / peer p50 for each (value set, round): the same id, the two servers back to back.

    A route's value sets differ in cost (an initiative with 2 partners or 40), so ratios are
    taken per value set, not between medians of mixed ids.
    """
    return [median(ours.by_block[key]) / median(peer.by_block[key])
            for key in ours.by_block if ours.by_block[key] and peer.by_block.get(key)]


def latency_table(results, group: str, cases: list[Case], peers: list[Peer], ours: Peer
                  ) -> tuple[str, list[tuple[str, float, float, bool]]]:
    rows, verdicts = [], []
    names = list(dict.fromkeys(c.name for c in cases if c.group == group))
    by_name = {c.name: c for c in cases if c.group == group}
    for name in names:
        per_peer = results[group, name]
        base = per_peer[OXIGRAPH]
        ours_t = per_peer[ours.name]
        row = [name]
        if group == "sparql":
            counts = {p: n for c in cases if c.group == group and c.name == name for p, n in c.rows.items()}
            row.append("list" if not by_name[name].by_id else "by id")
            row.append(", ".join(sorted({str(n) for n in counts.values()})) or "?")
        for peer in peers:
            t = per_peer[peer.name]
            bad = {s: n for s, n in t.statuses.items() if s >= 300}
            row.append(f"{median(t.warm) * 1e3:.3g} / {percentile(t.warm, 95) * 1e3:.3g}"
                       + (f" (HTTP {', '.join(map(str, bad))})" if bad else ""))
        ratios = block_ratios(ours_t, base)
        ratio, low, high = median(ratios), min(ratios, default=float("nan")), max(ratios, default=float("nan"))
        judged = group == "rest" or median(base.warm) >= 1e-3
        met = ratio <= GOAL_RATIO
        row += [f"{ratio:.2f} ({low:.2f}–{high:.2f})",
                ("met" if met else "NOT met") if judged else "(< 1 ms: not judged)"]
        rows.append(row)
        if judged:
            verdicts.append((name, ratio, median(base.warm) * 1e3, met))
    headers = ["route" if group == "rest" else "named query"]
    if group == "sparql":
        headers += ["kind", "rows"]
    headers += [f"{p.name} p50 / p95 ms" for p in peers]
    headers += ["ours / Oxigraph p50: median (min–max) over value sets × rounds", f"goal ≤ {GOAL_RATIO}"]
    return table(headers, rows), verdicts


# ------------------------------------------------------------------ throughput


def load(peer: Peer, work: list[list[tuple]], clients: int, seconds: float) -> tuple[float, float, float, int]:
    """(look-ups/s, p50 ms, p95 ms, errors): ``clients`` threads, each on its own keep-alive connection."""
    deadline = time.perf_counter() + seconds
    spent: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        connection = peer.connect()
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            requests = rng.choice(work)
            started = time.perf_counter()
            for method, path, body, headers in requests:
                status, _ = connection.request(method, path, body, headers)
                if status >= 500:
                    bad += 1
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            spent.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(spent) / elapsed, percentile(spent, 50) * 1e3, percentile(spent, 95) * 1e3, errors


def throughput(load_peers: list[Peer], ours_names: set[str], cases: list[Case], *, clients: list[int],
               seconds: float, rounds: int) -> str:
    """Look-ups/s of each peer, by mix and client count; rounds interleaved; median (min–max)."""
    mixes = {"REST look-ups by id": [c for c in cases if c.group == "rest"],
             "/sparql look-ups by id": [c for c in cases if c.group == "sparql" and c.by_id]}
    rates: dict[tuple[str, int, str], list[float]] = defaultdict(list)
    latencies: dict[tuple[str, int, str], list[float]] = defaultdict(list)
    for round_ in range(rounds):
        for mix, mix_cases in mixes.items():
            for count in clients:
                shift = round_ % len(load_peers)
                for peer in load_peers[shift:] + load_peers[:shift]:
                    work = [request_for(peer, c, peer.name in ours_names) for c in mix_cases]
                    rate, p50, _, errors = load(peer, work, count, seconds)
                    if errors:
                        print(f"  {peer.name}: {errors} server errors under load", flush=True)
                    rates[mix, count, peer.name].append(rate)
                    latencies[mix, count, peer.name].append(p50)
                print(f"  load round {round_ + 1}, {mix}, {count} client(s): done", flush=True)
    rows = []
    for mix in mixes:
        for count in clients:
            row = [mix, str(count)]
            for peer in load_peers:
                values = rates[mix, count, peer.name]
                row.append(f"{median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f}); "
                           f"p50 {median(latencies[mix, count, peer.name]):.3g} ms")
            best = max(median(rates[mix, count, p.name]) for p in load_peers if p.name in ours_names)
            row.append(f"{best / median(rates[mix, count, OXIGRAPH]):.2f}")
            rows.append(row)
    headers = ["mix", "clients"] + [f"{p.name} look-ups/s (min–max)" for p in load_peers]
    return table([*headers, "best msme-kg / Oxigraph"], rows)


# ------------------------------------------------------------------ profile


def profile(binaries: Path, ours: Peer, cases: list[Case], mix: str, seconds: float) -> None:
    """py-spy over one ``msme-kg serve`` process under a 4-client load of one mix; the top frames."""
    picked = [c for c in cases if (c.group == "rest") == (mix == "rest") and c.by_id]
    work = [request_for(ours, c, True) for c in picked]
    raw = OUT / f"peer-profile-{mix}.txt"
    recorder = subprocess.Popen([str(binaries / "py-spy"), "record", "--pid", str(ours.pid), "--rate", "500",
                                 "--format", "raw", "--output", str(raw), "--duration", str(int(seconds)),
                                 "--subprocesses", "--nonblocking", "--full-filenames"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    rate, p50, p95, _ = load(ours, work, 4, seconds - 2)
    recorder.wait(timeout=seconds + 60)
    print(f"\nprofile of {mix} ({len(picked)} requests, 4 clients): {rate:.0f} look-ups/s, p50 {p50:.3g} ms, "
          f"p95 {p95:.3g} ms; stacks in {raw}\n")
    print(summarise_profile(raw))


def _component(frame: str) -> str:
    """Which library (or part of ours) a frame's file belongs to."""
    path = frame[frame.rfind("(") + 1:].split(":", maxsplit=1)[0]
    if "site-packages/" in path:
        return path.split("site-packages/")[1].split("/")[0].removesuffix(".py")
    for part in ("graph/", "api/"):
        if f"/{part}" in path:
            return part + path.split(f"/{part}")[1].split("/")[0]
    return "python" if path.startswith(("/usr", "/root/.pyenv", "<frozen")) else path


def summarise_profile(raw: Path, top: int = 25) -> str:
    """Where the samples are: by library (own time of their frames), and the functions of most own time."""
    own: Counter = Counter()
    by_component: Counter = Counter()
    query_engine = 0
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        leaf = frames[-1]
        own[re.sub(r"\(/.*/", "(", leaf)] += n
        by_component[_component(leaf)] += n
        if any("run_query" in f or ("run_named" in f and "lookups.py" in f) for f in frames[-2:]):
            query_engine += n
    parts = table(["library or module (own time of its frames)", "% of samples"],
                  [[name, f"{100 * n / total:.1f}"] for name, n in by_component.most_common(top)])
    functions = table(["function (file:line)", "own %"],
                      [[frame, f"{100 * n / total:.1f}"] for frame, n in own.most_common(top)])
    return f"{parts}\n\n{functions}\n\n{total} samples"


# ------------------------------------------------------------------ main


def main() -> None:  # noqa: PLR0915 - one block per step of the run
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=4, help="value sets per route and per named query")
    parser.add_argument("--repeat", type=int, default=5, help="back-to-back calls per value set and peer")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (latency and load)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--server-workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--load-seconds", type=float, default=6.0)
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per value set before a list is cut")
    parser.add_argument("--no-virtuoso", action="store_true")
    parser.add_argument("--no-load", action="store_true", help="latency only")
    parser.add_argument("--only", choices=("rest", "sparql"), default=None)
    parser.add_argument("--profile", choices=("rest", "sparql"), default=None)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data even if bench/out has it")
    args = parser.parse_args()
    print(f"# bench_peer — {machine()}")
    print("command: .venv/bin/python bench/bench_peer.py " + " ".join(sys.argv[1:]), flush=True)

    binaries = tools()
    folder = build_data(args.triples, binaries, args.rebuild)
    store = Store.read_only(str(folder / "store"))
    rng = random.Random(7)
    sampler = ParamSampler(store, seed=1)
    cases: list[Case] = []
    if args.only != "sparql":
        cases += rest_cases(store, sampler, args.samples, rng)
    if args.only != "rest":
        cases += sparql_cases(store, args.samples)
    del store, sampler
    print(f"{len(cases)} cases: {sum(c.group == 'rest' for c in cases)} REST look-ups, "
          f"{sum(c.group == 'sparql' for c in cases)} /sparql queries", flush=True)

    with ExitStack() as stack:
        if args.profile:
            ours = stack.enter_context(msme_kg(folder / "store", 1))
            profile(binaries, ours, cases, args.profile, max(10.0, args.load_seconds * 3))
            return
        servers = [stack.enter_context(msme_kg(folder / "store", n)) for n in args.server_workers]
        oxigraph = stack.enter_context(oxigraph_server(binaries, folder / "oxigraph"))
        peers = [servers[0], oxigraph]
        if not args.no_virtuoso:
            if virtuoso_available():
                peers.append(stack.enter_context(virtuoso(OUT / "peer-virtuoso", folder / "dump.nq")))
            else:
                print("Virtuoso not installed (scripts/install-virtuoso.sh): left out")
        started = time.perf_counter()
        results = latency(peers, servers[0], cases, repeat=args.repeat, rounds=args.rounds, budget=args.budget)
        print(f"\nlatency timed in {time.perf_counter() - started:.0f} s; {args.rounds} rounds x {args.samples} value "
              f"sets x {args.repeat} back-to-back calls per peer, first dropped; ours = {servers[0].name}\n")
        verdicts = {}
        for group, title in (("rest", "REST look-ups by id (peers: the endpoint's named queries, same SPARQL)"),
                             ("sparql", "named queries over /sparql (the same text to every peer)")):
            if any(c.group == group for c in cases):
                text, verdicts[group] = latency_table(results, group, cases, peers, servers[0])
                print(f"### {title}\n\n{text}\n")
        mismatched = [c for c in cases if len(set(c.rows.values())) > 1]
        for case in mismatched:
            print(f"rows differ for {case.name}: {case.rows}")
        for group, found in verdicts.items():
            met = sum(v[3] for v in found)
            print(f"{group}: {met} of {len(found)} judged cases within {GOAL_RATIO}x of the Oxigraph server; "
                  f"median ratio {statistics.median([v[1] for v in found]):.2f}" if found else f"{group}: none judged")
        if not args.no_load:
            load_peers = [*servers, *peers[1:]]
            print(f"\n### throughput: look-ups/s, {args.load_seconds:g} s per run, {args.rounds} rounds "
                  f"interleaved, median (min–max)\n")
            print(throughput(load_peers, {s.name for s in servers}, cases, clients=args.clients,
                             seconds=args.load_seconds, rounds=args.rounds))


if __name__ == "__main__":
    main()
