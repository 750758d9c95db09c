"""docs/cli-json.md shows the real JSON output: its examples are regenerated and compared."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import run

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli-json.md"
_BLOCK = re.compile(r"<!-- (?P<marker>[^>]+?) -->\n```(?P<lang>\w+)\n(?P<body>.*?)\n```", re.S)


def _blocks() -> dict[str, str]:
    return {m["marker"]: m["body"] for m in _BLOCK.finditer(DOC.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("doc")
    (path / "talks.yaml").write_text(_blocks()["cli-json-scenario"] + "\n", encoding="utf-8")
    return path


def _same(documented: str, actual: str) -> None:
    # dumps keeps key order, so the order on the page is checked too
    assert json.dumps(json.loads(documented)) == json.dumps(json.loads(actual))


def test_check_output_is_as_documented(folder: Path) -> None:
    result = run("check", "talks.yaml", "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    _same(_blocks()["output-of: check"], result.stdout)


def test_show_timeline_is_as_documented(folder: Path) -> None:
    result = run("show", "talks.yaml", "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["command", "format_version", "file", "scenario", "timeline"]
    _same(_blocks()["output-of: show.timeline"], json.dumps(data["timeline"]))


def test_error_example_has_the_documented_keys(tmp_path: Path) -> None:
    text = _blocks()["cli-json-scenario"].replace("kind: boolean", "kind: bool")
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    result = run("validate", "bad.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    (problem,) = json.loads(result.stdout)["problems"]
    documented = json.loads(
        DOC.read_text(encoding="utf-8").split("```json\n", 1)[1].split("```")[0]
    )
    assert list(problem) == list(documented["problems"][0])
    assert problem["message"] == "unknown issue kind 'bool'"
