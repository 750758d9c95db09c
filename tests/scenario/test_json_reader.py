"""JSON scenarios read without YAML nodes: the same values, the same messages, positions on demand."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from tests.strategies import examples

import detente
from detente.errors import ScenarioError
from detente.scenario.locations import Locations
from detente.scenario.reading.json_reader import DeferredLocations, parse_json
from detente.scenario.reading.yaml_reader import parse

# characters YAML does not print (outside its printable set) or reads as line breaks
NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
EXAMPLES = Path(__file__).parents[2] / "src" / "detente" / "examples"

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=25,
)


def yaml_values(text: str) -> Any:
    return parse(text, "x.json", Locations())


@settings(max_examples=examples(150), deadline=None)
@given(
    st.dictionaries(st.text(max_size=6), values, max_size=5), st.sampled_from([None, 0, 1, 2, "\t"])
)
@example({"a": 1e16, "b": -0.0, "c": "yes", "d": "2024-05-01", "<<": {"x": 1}}, 2)
@example({"\x7f": None}, None)  # valid JSON, refused by YAML (and once hinted at tabs)
def test_the_same_values_as_the_yaml_reading(doc: dict[str, Any], indent: int | str | None) -> None:
    text = json.dumps(doc, indent=indent, ensure_ascii=False)
    got = parse_json(text)
    assert got is not None
    try:
        want = yaml_values(text)
    except ScenarioError as err:
        # valid JSON that YAML refuses: only for characters YAML does not print
        assert any(NOT_YAML.match(c) for c in text), err
        assert "tabs" not in str(err)
        return
    assert json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)
    assert got == want or doc != doc  # nan-free, so equal as values too


@pytest.mark.parametrize(
    "text",
    [
        '{"id": "a", "id": "b"}',  # repeated key: the YAML reading refuses it with a line
        '{"x": NaN}',
        '{"x": -Infinity}',
        '{"x": ' + "9" * 5000 + "}",  # longer than int() converts
        "[1, 2]",
        '"text"',
    ],
)
def test_what_only_the_yaml_reading_can_say_is_left_to_it(text: str) -> None:
    assert parse_json(text) is None


def test_text_that_is_not_json_raises_the_json_error() -> None:
    with pytest.raises(json.JSONDecodeError):
        parse_json('{"id": ')


def test_positions_are_read_when_asked_and_survive_pickling() -> None:
    text = json.dumps({"id": "x", "parties": [{"id": "a", "name": "A"}]}, indent=2)
    want = Locations()
    parse(text, "x.json", want)
    for copy in (
        DeferredLocations(text, "x.json"),
        pickle.loads(pickle.dumps(DeferredLocations(text, "x.json"))),
    ):
        assert copy.at(("parties", 0, "name")) == want.at(("parties", 0, "name")) == (6, 15)
        assert copy.quoted == want.quoted and copy.key == want.key
        assert pickle.loads(pickle.dumps(copy)).value == want.value


@pytest.mark.parametrize("example_file", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_an_example_as_json_loads_to_the_same_scenario(example_file: Path, tmp_path: Path) -> None:
    data = YAML(typ="safe").load(example_file.read_text(encoding="utf-8"))
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    fast = detente.load(path)
    slow = detente.loads(path.read_text(encoding="utf-8"), str(path))
    assert fast.document == slow.document
    assert isinstance(fast.locations, DeferredLocations)


def test_a_problem_in_a_json_file_is_located(tmp_path: Path) -> None:
    data = YAML(typ="safe").load((EXAMPLES / "labour-2023.yaml").read_text(encoding="utf-8"))
    data["parties"][0]["colour"] = "red"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        detente.load(path)
    text = path.read_text(encoding="utf-8").splitlines()
    (problem,) = err.value.problems
    assert problem.line is not None and '"colour"' in text[problem.line - 1]
    assert "colour" in str(err.value)


def test_loading_json_leaves_ruamel_out(tmp_path: Path) -> None:
    data = YAML(typ="safe").load((EXAMPLES / "labour-2023.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "s.json"  # a file with dated items: every day's snapshot is checked
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    probe = f"import sys, detente; detente.load({str(path)!r}); print('ruamel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
