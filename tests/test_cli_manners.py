"""The command line behaves as users expect of one: a version, one-line errors, nothing created by mistake."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import pytest

from graph.cli.main import main
from graph.errors import QueryError
from graph.ingest.pipeline import COUNTED
from graph.sparql.queries import load_queries
from graph.store.oxigraph import is_store
from graph.views.network import check_date
from graph.views.stats import PLURALS
from tests.helpers.server import serving
from tests.paths import ROOT, SEEDS


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_version_is_the_installed_distributions(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"msme-kg {version('msme-kg')}"


def test_ingest_of_a_missing_path_says_so_and_creates_no_store(tmp_path, capsys):
    store = tmp_path / "store"
    code = main(["ingest", str(tmp_path / "nope.txt"), str(SEEDS), "--store", str(store)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{tmp_path / 'nope.txt'}: no such file or directory" in err
    _no_traceback(err)
    assert not store.exists() and not (tmp_path / "store-search.sqlite").exists()


def test_ingest_of_a_folder_without_documents_creates_no_store(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code = main(["ingest", str(tmp_path / "empty"), "--store", str(tmp_path / "store")])
    assert code == 1
    assert "no files found" in capsys.readouterr().err
    assert not (tmp_path / "store").exists()


def test_query_of_a_missing_file_says_the_file_is_missing(tmp_path, capsys, hand_store_path):
    code = main(["query", str(tmp_path / "missing.rq"), "--store", str(hand_store_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "missing.rq: no such query file" in err and "no query named" not in err
    assert main(["query", "missing.rq", "--store", str(hand_store_path)]) == 1
    assert "no such query file" in capsys.readouterr().err


def test_query_of_an_unknown_name_lists_the_known_ones(capsys, hand_store_path):
    assert main(["query", "no-such-query", "--store", str(hand_store_path)]) == 1
    err = capsys.readouterr().err
    assert "no query named 'no-such-query'" in err and "people" in err


def test_query_list_shows_every_named_query_with_its_summary(capsys):
    assert main(["query", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    queries = load_queries()
    assert len(lines) == len(queries)
    for line, (name, query) in zip(lines, queries.items(), strict=True):
        assert line.startswith(name + " ") and query.summary in line
    participants = next(line for line in lines if line.startswith("event-participants "))
    assert "--param event" in participants


def test_query_list_refuses_a_query_name(capsys):
    assert main(["query", "people", "--list"]) == 1
    assert "--list" in capsys.readouterr().err


@pytest.mark.parametrize("target", ["missing/graph.dot", "missing/"])
def test_export_into_a_missing_folder_is_one_error_line(tmp_path, capsys, hand_store_path, target):
    code = main(["export", "-f", "dot", "-o", str(tmp_path) + "/" + target, "--store", str(hand_store_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "no such directory" in err
    _no_traceback(err)
    assert list(tmp_path.iterdir()) == []


def test_export_into_an_existing_folder_names_the_file(tmp_path, capsys, hand_store_path):
    assert main(["export", "-f", "dot", "-o", str(tmp_path), "--store", str(hand_store_path)]) == 0
    written = list(tmp_path.iterdir())
    assert [p.suffix for p in written] == [".dot"] and written[0].read_text().startswith(("digraph", "graph"))


@pytest.mark.parametrize("missing", ["gold", "docs"])
def test_eval_of_a_missing_folder_fails(tmp_path, capsys, missing):
    folders = {"gold": str(ROOT / "tests" / "data" / "gold"), "docs": str(SEEDS)}
    folders[missing] = str(tmp_path / "nowhere")
    assert main(["eval", "--gold", folders["gold"], "--docs", folders["docs"]]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nowhere'}: no such directory" in err
    _no_traceback(err)


def test_eval_of_a_folder_without_gold_files_fails(tmp_path, capsys):
    assert main(["eval", "--gold", str(tmp_path), "--docs", str(SEEDS)]) == 1
    assert "no gold files" in capsys.readouterr().err


def test_serve_refuses_a_folder_that_is_not_a_store(tmp_path, capsys):
    assert main(["serve", "--store", str(tmp_path / "new"), "--port", "1"]) == 1
    err = capsys.readouterr().err
    assert "no store at" in err and "--create" in err
    assert not (tmp_path / "new").exists()


def test_serve_create_never_fills_a_folder_of_other_files(tmp_path, capsys, seed_copy):
    before = sorted(seed_copy.iterdir())
    assert main(["serve", "--store", str(seed_copy), "--create", "--port", "1"]) == 1
    assert "is not a store" in capsys.readouterr().err
    assert sorted(seed_copy.iterdir()) == before


@pytest.mark.slow
def test_serve_create_serves_a_new_empty_store(tmp_path):
    store = tmp_path / "new"
    with serving(store, "--create") as (base, _process):
        import json
        import urllib.request

        with urllib.request.urlopen(base + "/health", timeout=10) as response:
            assert response.status == 200 and json.load(response)["status"] == "ok"
    assert is_store(store)


@pytest.mark.parametrize("date", ["2017-13-01", "2023-02-29", "2024-00", "24-01-01", "2024-1-1"])
def test_export_refuses_a_date_that_does_not_exist(capsys, hand_store_path, date):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "-f", "dot", "--since", date, "--store", str(hand_store_path)])
    assert exit_info.value.code == 2
    assert f"bad date {date!r}" in capsys.readouterr().err


def test_real_dates_of_every_precision_pass():
    assert [check_date(d) for d in ("2024", "2024-02", "2024-02-29")] == ["2024", "2024-02", "2024-02-29"]
    with pytest.raises(QueryError):
        check_date("2023-02-29")


@pytest.mark.parametrize(("args", "says"), [
    (["--kind", "organisation"], "--kind"),
    (["--view", "partnership", "--kind", "person"], "--kind"),
    (["--depth", "2"], "--depth"),
    (["--view", "ego"], "--focus"),
    (["-f", "ttl", "--size-by", "betweenness"], "--size-by"),
])
def test_export_refuses_options_the_view_does_not_use(capsys, hand_store_path, args, says):
    command = ["export", *args, "--store", str(hand_store_path)]
    if "-f" not in args:
        command += ["-f", "dot"]
    assert main(command) == 1
    err = capsys.readouterr().err
    assert says in err
    _no_traceback(err)


def test_export_takes_the_options_of_its_view(tmp_path, hand_store_path):
    out = tmp_path / "people.dot"
    assert main(["export", "-f", "dot", "--view", "coattendance", "--kind", "organisation", "--size-by", "strength",
                 "-o", str(out), "--store", str(hand_store_path)]) == 0
    assert out.read_text().strip()


def test_ingest_counts_in_the_words_of_stats():
    assert set(COUNTED) <= set(PLURALS.values())


@pytest.mark.slow
def test_ingest_and_stats_print_the_same_words(tmp_path):
    store = tmp_path / "store"
    cli = [sys.executable, "-m", "graph.cli.main"]
    ingest = subprocess.run([*cli, "ingest", str(SEEDS / "000_ccb6c9cf5474de64.txt"), "--store", str(store)],
                            capture_output=True, text=True, check=True, cwd=tmp_path)
    stats = subprocess.run([*cli, "stats", "--store", str(store)], capture_output=True, text=True, check=True)
    line = next(x for x in ingest.stderr.splitlines() if x.startswith("added"))
    words = {part.split()[1] for part in line.split("triples", 1)[1].split(",")}
    assert "economies" in words and words <= {row.split()[0] for row in stats.stdout.splitlines()}


def test_a_closed_pipe_ends_quietly():
    process = subprocess.Popen([sys.executable, "-m", "graph.cli.main", "query", "--list"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader (`| head`) went away before anything was written
    err = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err
    assert process.returncode == 141
