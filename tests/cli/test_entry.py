"""The console-script entry point: it builds only the command a process runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from detente.cli import app, main

CAIRO = Path(__file__).parents[2] / "src" / "detente" / "examples" / "cairo-2024-05.yaml"


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["detente", *args])
    with pytest.raises(SystemExit) as done:
        main()
    out, err = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_one_command_runs_and_the_tree_is_whole_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (list(app.registered_commands), list(app.registered_groups))
    code, out, _ = run(monkeypatch, capsys, "--debug", "validate", str(CAIRO), "--format", "json")
    assert code == 0
    assert json.loads(out)["command"] == "validate"
    assert (app.registered_commands, app.registered_groups) == before


def test_a_group_runs_its_subcommand(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(monkeypatch, capsys, "examples", "list")
    assert code == 0
    assert "cairo-2024-05" in out


def test_help_lists_every_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(monkeypatch, capsys, "--help")
    assert code == 0
    for name in ("validate", "analyze", "gaps", "stability", "robustness", "timeline", "serve"):
        assert name in out


def test_a_misspelt_command_gets_one_suggestion(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, "valdate", str(CAIRO))
    assert code == 2
    assert err.count("Did you mean 'validate'?") == 1


def test_a_bad_option_is_refused_by_its_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, "analyze", str(CAIRO), "--bogus")
    assert code == 2
    assert "No such option" in err and "detente analyze" in err
