"""``detente timeline`` and ``detente diff``: the narrative, the pinned JSON keys, refusals."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from detente.cli import app
from timeline.test_dates import MINIMAL

runner = CliRunner()


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL)
    return path


def test_timeline_json_snapshots(tmp_path: Path) -> None:
    result = runner.invoke(app, ["timeline", str(_file(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert list(doc)[:3] == ["command", "format_version", "scenario"]
    assert doc["command"] == "timeline"
    snaps = doc["snapshots"]
    assert [s["date"] for s in snaps] == ["2024-05-06", "2024-05-08", "2024-05-09"]
    for s in snaps:
        assert {"date", "changes", "zopa", "gaps", "equilibria"} <= set(s)
    assert snaps[0]["zopa"] == {"empty": False, "size": 4}
    assert snaps[1]["zopa"] == {"empty": True, "size": 0}
    assert snaps[1]["gaps"] == [
        {"red_lines": ["a/r2", "b/b1"], "parties": ["a", "b"], "assumed": ["a/r2", "b/b1"]}
    ]
    assert snaps[1]["equilibria"] is None  # no conflict section
    assert [c["text"] for c in snaps[1]["changes"]] == [
        "A's red line 'r1' ends",
        "A's red line 'r2' comes into force",
    ]
    assert doc["start"]["zopa"] == {"empty": False, "size": 10}


def test_timeline_text_tells_the_cairo_week() -> None:
    result = runner.invoke(app, ["timeline", "--no-context"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "8 May 2024, US President Joe Biden (reported): United States's option" in out
    assert (
        "the status quo NNNN becomes stable under GMR, SMR and SEQ (GMR: Israel taking "
        "rafah_operation is sanctioned by United States taking suspend_weapons)" in out
    )
    assert "9 May 2024" in out and "the ZOPA closes" in out
    assert "30 November 2023" in out and "It changes nothing in the analysis." in out


def test_timeline_of_an_undated_file_is_refused(tmp_path: Path) -> None:
    plain = MINIMAL.split("positions:")[0] + "positions: {a: {}, b: {}}\n"
    path = tmp_path / "plain.yaml"
    path.write_text(plain)
    result = runner.invoke(app, ["timeline", str(path)])
    assert result.exit_code == 2
    assert "nothing dated" in result.output


def test_diff(tmp_path: Path) -> None:
    args = ["diff", str(_file(tmp_path)), "--from", "2024-05-06", "--to", "2024-05-08"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["command"] == "diff" and doc["from"] == "2024-05-06"
    assert [c["id"] for c in doc["changes"]] == ["r1", "r2"]
    assert doc["before"]["zopa"] == {"empty": False, "size": 4}
    assert doc["after"]["zopa"] == {"empty": True, "size": 0}
    assert doc["effect"]["gaps"]["new"] == [["a/r2", "b/b1"]]
    text = runner.invoke(app, args).stdout
    assert text.startswith("From 6 May 2024 to 8 May 2024:")
    assert "Effect: the ZOPA closes" in text
    bad = runner.invoke(
        app, ["diff", str(_file(tmp_path)), "--from", "2024-05-09", "--to", "2024-05-01"]
    )
    assert bad.exit_code == 2 and "--from is the earlier day" in bad.output
