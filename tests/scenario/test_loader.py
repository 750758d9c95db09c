"""The Python API ``detente.load``: structured errors, JSON input, and no writes."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path

import pytest

import detente
from detente.errors import Problem, ScenarioError, did_you_mean, plural

DATA = Path(__file__).resolve().parents[1] / "data"
SALARY = (DATA / "salary.yaml").read_text(encoding="utf-8")


def _load_text(tmp_path: Path, text: str, name: str = "s.yaml") -> detente.Scenario:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return detente.load(path)


def test_load_returns_the_validated_scenario() -> None:
    s = detente.load(DATA / "salary.yaml")
    assert s.id == "salary-talks"
    assert [i.id for i in s.issues] == ["raise", "term", "remote"]
    assert s.proposals[0].date == dt.date(2024, 5, 6)
    assert s.positions["firm"].red_lines[0].firmness == "absolute"
    assert s.positions["union"].reservation.value == 0.4
    assert s.origin == str(DATA / "salary.yaml")


def test_load_raises_one_error_carrying_structured_problems(tmp_path: Path) -> None:
    text = SALARY.replace("by: [union]", "by: [unoin]").replace("kind: boolean", "kind: bool")
    with pytest.raises(ScenarioError) as info:
        _load_text(tmp_path, text)
    problems = info.value.problems
    # every problem in one run: the shape error, and the rest of the file checked too
    assert len(problems) == 2
    p, unknown = problems
    assert isinstance(p, Problem)
    assert unknown.path == ("proposals", 0, "by", 0) and unknown.hint == "did you mean 'union'?"
    assert (p.line, p.column, p.path) == (9, 24, ("issues", 2, "kind"))
    assert p.hint == "did you mean 'boolean'?"
    assert p.file == str(tmp_path / "s.yaml")
    assert p.to_dict()["path"] == "issues[2].kind"
    assert "2 problems found" in str(info.value)


def test_whole_file_problems_are_collected_together(tmp_path: Path) -> None:
    text = SALARY.replace("by: [union]", "by: [unoin]").replace('"raise >= 3"', '"rase >= 3"')
    with pytest.raises(ScenarioError) as info:
        _load_text(tmp_path, text)
    paths = [p.path for p in info.value.problems]
    assert ("positions", "union", "red_lines", 0, "rule") in paths
    assert ("proposals", 0, "by", 0) in paths
    by = next(p for p in info.value.problems if p.path[0] == "proposals")
    assert by.hint == "did you mean 'union'?" and by.line == 27


def test_json_input_loads_like_yaml(tmp_path: Path) -> None:
    yaml_s = detente.load(DATA / "salary.yaml")
    doc = yaml_s.model_dump(mode="json")
    s = _load_text(tmp_path, json.dumps(doc), "s.json")
    assert s.model_dump() == yaml_s.model_dump()


def test_a_failing_derived_quantity_is_reported_once(tmp_path: Path) -> None:
    text = SALARY.replace(
        "positions:\n",
        'derived:\n  - {id: d, expr: "term + 1"}\n  - {id: e, expr: "d * 2"}\npositions:\n',
    ).replace('"raise >= 3"', '"e >= 3"')
    with pytest.raises(ScenarioError) as info:
        _load_text(tmp_path, text)
    (p,) = info.value.problems
    assert p.path == ("derived", 0, "expr") and "needs integers" in p.message


def test_loading_never_writes(tmp_path: Path) -> None:
    files = {
        "good.yaml": SALARY,
        "bad.yaml": SALARY.replace("kind: boolean", "kind: bool"),
        "worse.yaml": SALARY.replace('"raise >= 3"', "\"__import__('os').system('touch x')\""),
        "empty.yaml": "",
        "list.json": "[1, 2]",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")

    def snapshot() -> dict[str, tuple[int, int]]:
        out = {}
        for root in (tmp_path, Path.cwd()):
            for entry in os.scandir(root):
                st = entry.stat()
                out[entry.path] = (st.st_mtime_ns, st.st_size)
        return out

    before = snapshot()
    dir_mtime = tmp_path.stat().st_mtime_ns
    for name in files:
        with contextlib.suppress(ScenarioError):
            detente.load(tmp_path / name)
    assert snapshot() == before
    assert tmp_path.stat().st_mtime_ns == dir_mtime
    assert not (tmp_path / "x").exists()


def test_loads_from_text_names_the_origin() -> None:
    with pytest.raises(ScenarioError) as info:
        detente.loads("id: [", name="inline")
    assert info.value.problems[0].file == "inline"


def test_plural_and_hints() -> None:
    assert [plural(w) for w in ("party", "issue", "key", "decision maker", "class")] == [
        "parties",
        "issues",
        "keys",
        "decision makers",
        "classes",
    ]
    assert did_you_mean("zz", ["a", "a", "b"], what="party") == "known parties: 'a', 'b'"
    assert did_you_mean("unoin", ["union", "firm"]) == "did you mean 'union'?"
    assert did_you_mean("zz", [f"n{i}" for i in range(20)]) is None


def test_load_data_validates_in_memory_documents_without_lines() -> None:
    from detente.scenario.loader import load_data

    good = {
        "id": "mem",
        "title": "in memory",
        "parties": [{"id": "a", "name": "A"}],
        "issues": [{"id": "x", "kind": "boolean"}],
    }
    assert load_data(good, "mem").issues[0].id == "x"
    bad = {**good, "issues": [{"id": "x", "kind": "bool"}]}
    with pytest.raises(ScenarioError) as info:
        load_data(bad, "mem")
    (problem,) = info.value.problems
    assert problem.file == "mem" and problem.line is None
    assert "unknown issue kind 'bool'" in problem.message
