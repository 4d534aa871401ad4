"""Every command has help text, and the README documents every command."""

import pytest

from graph.cli.main import build_parser, main
from tests.paths import ROOT as PROJECT_DIR


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return list(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_each_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert f"msme-kg {command}" in out and len(out) > 80


@pytest.mark.parametrize("command", _commands())
def test_readme_documents_each_command(command):
    readme = (PROJECT_DIR / "README.md").read_text()
    assert f"msme-kg {command}" in readme


def test_query_with_missing_param_is_a_clear_error(tmp_path, capsys):
    code = main(["query", "event-participants", "--store", str(tmp_path / "s")])
    assert code == 1
    assert "event" in capsys.readouterr().err
