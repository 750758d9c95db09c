"""docs/cli-json.md shows the real JSON output: its examples are regenerated and compared.

Markers on the page (an HTML comment right before a fenced block):

- ``cli-json-scenario``: the example scenario, saved as ``talks.yaml``;
- ``cli-json-file: PATH``: another input file (scenario, GENIUS XML), saved as PATH;
- ``output-of: check`` / ``output-of: show.timeline``: whole documents (tests below);
- ``json-of: ARGS | SELECTOR``: what ``detente ARGS`` prints, cut down by SELECTOR, which
  is a dotted path (keys, list indices; ``{keys}`` = the list of an object's keys; empty =
  the whole document), optionally followed by ``; SUB[:N]`` clauses that shorten the list
  at SUB (inside the selection) to its first N items, and by ``~ KEY,...``: keys of the
  selection whose values vary from run to run (only their presence and type are compared).

Every ``json-of`` block is compared exactly, key order included. Besides, every key the
commands print must be named in their section of the page, and every key the issues'
JSON contracts name must be there.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from detente.scenario import load

from .conftest import run

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli-json.md"
_BLOCK = re.compile(r"<!-- (?P<marker>[^>]+?) -->\n```(?P<lang>\w+)\n(?P<body>.*?)\n```", re.S)
_OUTPUTS: dict[tuple[Path, str], str] = {}


def _blocks() -> dict[str, str]:
    return {m["marker"]: m["body"] for m in _BLOCK.finditer(DOC.read_text(encoding="utf-8"))}


def _json_markers() -> list[str]:
    return [m for m in _blocks() if m.startswith("json-of: ")]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("doc")
    blocks = _blocks()
    (path / "talks.yaml").write_text(blocks["cli-json-scenario"] + "\n", encoding="utf-8")
    for marker, body in blocks.items():
        if marker.startswith("cli-json-file: "):
            target = path / marker.removeprefix("cli-json-file: ")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body + "\n", encoding="utf-8")
    return path


def _output(folder: Path, args: str) -> Any:
    """Parsed stdout of ``detente ARGS`` in ``folder``, run once per module."""
    key = (folder, args)
    if key not in _OUTPUTS:
        result = run(*shlex.split(args), cwd=folder)
        assert result.returncode == 0, result.stderr
        _OUTPUTS[key] = result.stdout
    return json.loads(_OUTPUTS[key])


def _at(data: Any, path: str) -> Any:
    for part in filter(None, path.split(".")):
        if part == "{keys}":
            data = list(data)
        elif isinstance(data, list):
            data = data[int(part)]
        else:
            data = data[part]
    return data


def _select(data: Any, selector: str) -> tuple[Any, list[str]]:
    """The part of ``data`` a marker's selector names, and the keys not compared."""
    selector, _, varying = selector.partition("~")
    path, *cuts = (s.strip() for s in selector.split(";"))
    part = _at(data, path)
    for cut in cuts:
        m = re.fullmatch(r"(?P<sub>[\w.]*)\[:(?P<n>\d+)\]", cut)
        assert m, f"bad cut {cut!r}"
        sub, _, last = m["sub"].rpartition(".")
        parent = _at(part, sub)
        parent[last] = parent[last][: int(m["n"])]
    return part, [k.strip() for k in varying.split(",") if k.strip()]


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


def test_the_page_has_json_examples_for_every_command() -> None:
    commands = {shlex.split(m.removeprefix("json-of: "))[0] for m in _json_markers()}
    assert commands >= {"analyze", "gaps", "stability", "plot", "plot-conflict", "import-genius"}


@pytest.mark.parametrize("marker", _json_markers())
def test_json_example_is_as_documented(folder: Path, marker: str) -> None:
    args, _, selector = marker.removeprefix("json-of: ").partition("|")
    actual, loose = _select(_output(folder, args.strip()), selector)
    documented = json.loads(_blocks()[marker])
    for key in loose:
        assert type(documented[key]) is type(actual[key]), key
        documented[key] = actual[key]
    assert json.dumps(documented) == json.dumps(actual)


def test_plot_reports_the_size_of_the_file_it_wrote(folder: Path) -> None:
    data = _output(folder, "plot talks.yaml -o deal.html --format json")
    assert data["bytes"] == (folder / data["written"]).stat().st_size > 0


# ---------------------------------------------------------------- every key documented

# The commands whose every key must be named (as `key`) in the page section headed by
# the given command; outputs on both example scenarios so that nulls and lists are filled.
SECTIONS = {
    "detente analyze": [
        "analyze talks.yaml --format json",
        "analyze standoff.yaml --format json",
    ],
    "detente gaps": ["gaps talks.yaml --format json", "gaps standoff.yaml --format json"],
    "detente stability": [
        "stability standoff.yaml --from-status-quo --without broker --format json"
    ],
    "detente plot ": ["plot talks.yaml -o deal.html --format json"],
    "detente plot-conflict": ["plot-conflict standoff.yaml -o graph.html --format json"],
    "detente import-genius": ["import-genius genius -o lunch.yaml --format json"],
}


# `detente gaps` prints the lists documented under `detente analyze`
ALSO = {"detente gaps": "detente analyze"}


def _section(heading: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## `{heading}")
    end = text.find("\n## ", start + 1)
    own = text[start : end if end >= 0 else len(text)]
    return own + _section(ALSO[heading]) if heading in ALSO else own


def _keys(data: Any, skip: set[str]) -> set[str]:
    """Every object key in ``data``, recursively, except scenario ids used as keys."""
    if isinstance(data, dict):
        own = {k for k in data if k not in skip}
        return own.union(*(_keys(v, skip) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_keys(v, skip) for v in data))
    return set()


def _scenario_ids(folder: Path) -> set[str]:
    ids: set[str] = set()
    for name in ("talks.yaml", "standoff.yaml"):
        s = load(folder / name)
        ids |= {p.id for p in s.parties} | {i.id for i in s.issues}
        ids |= {rl.id for pos in s.positions.values() for rl in pos.red_lines}
        if s.conflict is not None:
            ids |= set(s.conflict.option_ids)
    return ids


@pytest.mark.parametrize("heading", sorted(SECTIONS))
def test_every_key_is_documented(folder: Path, heading: str) -> None:
    section = _section(heading)
    skip = _scenario_ids(folder)
    keys = set().union(*(_keys(_output(folder, args), skip) for args in SECTIONS[heading]))
    missing = sorted(k for k in keys if f"`{k}`" not in section)
    assert not missing, f"keys printed but not documented under {heading}: {missing}"


# The keys the issues' JSON contracts name (issue 3: analyze; issue 4: gaps, bridges,
# near misses; issue 5: stability), as paths into the real output.
CONTRACTS = {
    "analyze standoff.yaml --format json": [
        "zopa.size",
        "zopa.empty",
        "frontier",
        "frontier_all.0.terms",
        "frontier_all.0.utilities",
        "solutions.nash",
        "solutions.kalai_smorodinsky",
        "solutions.egalitarian",
        "solutions.utilitarian",
        "proposals.0.id",
        "proposals.0.utilities",
        "proposals.0.acceptable_to",
        "proposals.0.violations.north",
        "proposals.0.dominated_by",
        "gaps.0.red_lines",
        "bridges.0.relax",
        "bridges.0.cost",
        "bridges.0.zopa_size",
        "bridges.0.nash",
        "bridges.0.egalitarian",
        "near_misses",
    ],
    "analyze talks.yaml --format json": [
        "frontier.0.terms",
        "frontier.0.utilities",
        "solutions.nash.terms",
        "solutions.kalai_smorodinsky.utilities",
        "solutions.egalitarian.terms",
        "solutions.utilitarian.utilities",
    ],
    "stability standoff.yaml --from-status-quo --without broker --format json": [
        "states.0.id",
        "states.0.options",
        "states.0.stable.north.nash",
        "states.0.stable.south.gmr",
        "states.0.stable.broker.smr",
        "states.0.stable.broker.seq",
        "equilibria.nash",
        "equilibria.gmr",
        "equilibria.smr",
        "equilibria.seq",
    ],
}


@pytest.mark.parametrize("args", sorted(CONTRACTS))
def test_contracted_keys_are_printed(folder: Path, args: str) -> None:
    data = _output(folder, args)
    for path in CONTRACTS[args]:
        _at(data, path)  # KeyError / IndexError when missing
    if args.startswith("analyze standoff"):
        assert data["gaps"][1]["red_lines"] == ["north/no-permanent", "south/reservation"]
        assert [b["cost"] for b in data["bridges"]] == sorted(b["cost"] for b in data["bridges"])
    if args.startswith("stability"):
        assert all(re.fullmatch("[YN]+", s["options"]) for s in data["states"])
