"""``--as-of DATE`` on show, check, analyze, gaps, stability and report: the day's file,
the date said, what was left out listed; JSON keys unchanged plus ``as_of``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from timeline.test_dates import MINIMAL

runner = CliRunner()


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL)
    return path


def _json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("command", ["show", "check", "analyze", "gaps"])
def test_json_keys_unchanged_plus_as_of(minimal: Path, command: str) -> None:
    plain = _json(command, str(minimal))
    dated = _json(command, str(minimal), "--as-of", "2024-05-08")
    assert [k for k in dated if k != "as_of"] == list(plain)
    as_of = dated["as_of"]
    assert isinstance(as_of, dict)
    assert as_of["date"] == "2024-05-08"
    left = {(x["kind"], x["id"], x["why"], x["line"]) for x in as_of["left_out"]}
    assert left == {
        ("red line", "r1", "ended", 12),
        ("amendment", "m1", "later", 24),
        ("option", "y3", "later", 8),
    }
    assert "as_of" not in plain


def test_as_of_changes_what_is_analysed(minimal: Path) -> None:
    day1 = _json("analyze", str(minimal), "--as-of", "2024-05-06")
    day2 = _json("analyze", str(minimal), "--as-of", "2024-05-08")
    assert day1["summary"]["deal"] is True  # type: ignore[index]
    assert day2["summary"]["deal"] is False  # type: ignore[index]
    before = _json("show", str(minimal), "--as-of", "2024-05-05")
    assert before["document"]["proposals"] == []  # type: ignore[index]


def test_text_says_the_date_and_lists_what_was_left_out(minimal: Path) -> None:
    result = runner.invoke(app, ["gaps", str(minimal), "--as-of", "2024-05-08"])
    assert result.exit_code == 0
    assert result.stdout.startswith("As of 8 May 2024: 3 items of the file left out:\n")
    assert "  - A's red line 'r1' (ended 2024-05-08)\n" in result.stdout
    assert "  - amendment 'm1' (from 2024-05-09)\n" in result.stdout


def test_stability_as_of_holds_the_us_option_at_n_before_biden() -> None:
    before = _json("stability", "--as-of", "2024-05-07")
    after = _json("stability", "--as-of", "2024-05-08")
    assert before["as_of"]["date"] == "2024-05-07"  # type: ignore[index]
    left = before["as_of"]["left_out"]  # type: ignore[index]
    assert [(x["kind"], x["id"]) for x in left if x["kind"] == "conflict option"] == [
        ("conflict option", "suspend_weapons")
    ]
    assert before != after


def test_report_as_of(tmp_path: Path, minimal: Path) -> None:
    out = tmp_path / "r.html"
    args = ["report", str(minimal), "-o", str(out), "--no-plots", "--as-of", "2024-05-08"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "As of 8 May 2024: left out" in page
    assert "as of 2024-05-08" in page


def test_a_bad_date_is_refused_clearly(minimal: Path) -> None:
    result = runner.invoke(app, ["analyze", str(minimal), "--as-of", "2024-13-01"])
    assert result.exit_code == 2
    assert "--as-of: '2024-13-01' is not a date; expected YYYY-MM-DD" in result.output
    doc = runner.invoke(app, ["gaps", str(minimal), "--as-of", "may", "--format", "json"])
    assert doc.exit_code == 2
    assert json.loads(doc.stdout)["ok"] is False
