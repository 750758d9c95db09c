"""docs/cli-json.md shows the real JSON output: its examples are regenerated and compared.

Markers on the page (an HTML comment right before a fenced block):

- ``cli-json-scenario``: the example scenario, saved as ``talks.yaml``;
- ``cli-json-file: PATH``: another input file (scenario, GENIUS XML), saved as PATH;
- ``output-of: check`` / ``output-of: show.timeline``: whole documents (tests below);
- ``error-of: ARGS``: the error document ``detente ARGS`` prints (it must exit with 2);
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


def _error_markers() -> list[str]:
    return [m for m in _blocks() if m.startswith("error-of: ")]


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
    assert list(data) == ["command", "format_version", "scenario", "file", "document", "timeline"]
    assert data["scenario"] == data["document"]["id"] == "talks"
    _same(_blocks()["output-of: show.timeline"], json.dumps(data["timeline"]))


@pytest.mark.parametrize("marker", _error_markers())
def test_error_document_is_as_documented(folder: Path, marker: str) -> None:
    result = run(*shlex.split(marker.removeprefix("error-of: ")), cwd=folder)
    assert result.returncode == 2
    _same(_blocks()[marker], result.stdout)
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["message"].split(";")[0] in " ".join(result.stderr.split())


def test_the_error_examples_show_a_located_problem_and_a_refusal(folder: Path) -> None:
    docs = {m: json.loads(_blocks()[m]) for m in _error_markers()}
    invalid = docs["error-of: validate bad.yaml --format json"]
    assert invalid["scenario"] is None and invalid["error"] == "invalid"
    assert invalid["problems"][0]["message"] == "unknown issue kind 'bool'"
    assert invalid["problems"][0]["line"] == 6
    refused = docs["error-of: analyze talks.yaml --engine enum --limit 3 --format json"]
    assert refused["scenario"] == "talks" and refused["error"] == "refused"
    assert "--engine solver" in refused["problems"][0]["message"]


def test_the_page_has_json_examples_for_every_command() -> None:
    commands = {shlex.split(m.removeprefix("json-of: "))[0] for m in _json_markers()}
    assert commands >= {
        "validate",
        "show",
        "analyze",
        "gaps",
        "stability",
        "plot",
        "plot-conflict",
        "import-genius",
        "examples",
        "demo",
    }


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
    assert data["output"] == "deal.html"
    assert data["bytes"] == (folder / data["output"]).stat().st_size > 0


# ---------------------------------------------------------------- every key documented

# The commands whose every key must be named (as `key`) in the page section headed by
# the given command; outputs on both example scenarios so that nulls and lists are filled.
SECTIONS = {
    "detente validate": ["validate talks.yaml --format json"],
    "detente check": ["check talks.yaml --format json", "check standoff.yaml --format json"],
    "detente analyze": [
        "analyze talks.yaml --format json",
        "analyze standoff.yaml --format json",
    ],
    "detente gaps": ["gaps talks.yaml --format json", "gaps standoff.yaml --format json"],
    "detente stability": [
        "stability standoff.yaml --from-status-quo --without broker --format json",
        "stability standoff.yaml --preferences --certificates --format json",
    ],
    "detente plot ": ["plot talks.yaml -o deal.html --format json"],
    "detente plot-conflict": ["plot-conflict standoff.yaml -o graph.html --format json"],
    "detente import-genius": ["import-genius genius -o lunch.yaml --format json"],
    "detente examples": [
        "examples list --format json",
        "examples copy cairo-2024-05 ex --force --format json",
    ],
    "detente robustness": ["robustness talks.yaml --draws 500 --seed 1 --format json"],
}


# `detente gaps` prints the lists documented under `detente analyze`, and the `stability`
# of `detente analyze` is the document documented under `detente stability`
ALSO = {"detente gaps": "detente analyze", "detente analyze": "detente stability"}


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
    # addresses of varied numbers (robustness `changes`, `central`) are data, not keys
    missing = sorted(k for k in keys if f"`{k}`" not in section and "." not in k)
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


# ---------------------------------------------------------------- claims of the page

DEAL_KEYS = ["terms", "utilities", "value", "count", "ties", "optimal", "method"]
ENVELOPE = ["command", "format_version", "scenario"]


def _deals(doc: dict[str, Any]) -> list[Any]:
    """Every bargaining point of an ``analyze`` document (None where there is none)."""
    s = doc["summary"]
    found = [s["fair_deal"], s["nash_deal"], *doc["solutions"].values()]
    if s["cheapest_bridge"] is not None:
        found += [s["cheapest_bridge"]["egalitarian"], s["cheapest_bridge"]["nash"]]
    for b in [*doc["bridges"], *doc["amendments"]]:
        found += [b["nash"], b["egalitarian"]]
    return found


@pytest.mark.parametrize("name", ["talks", "standoff"])
def test_every_deal_has_the_same_keys(folder: Path, name: str) -> None:
    doc = _output(folder, f"analyze {name}.yaml --format json")
    deals = [d for d in _deals(doc) if d is not None]
    assert len(deals) >= 6  # talks: summary + 4 solutions; standoff: bridges, amendments
    for d in deals:
        assert list(d) == DEAL_KEYS
        assert all(list(t) == ["terms", "utilities"] for t in d["ties"])


def test_the_summary_is_taken_from_the_analyses(folder: Path) -> None:
    talks = _output(folder, "analyze talks.yaml --format json")
    assert talks["summary"]["deal"] is True and talks["summary"]["zopa_size"] == 2
    assert talks["summary"]["fair_deal"] == talks["solutions"]["egalitarian"]
    assert talks["summary"]["nash_deal"] == talks["solutions"]["nash"]
    assert talks["summary"]["cheapest_bridge"] is None and talks["stability"] is None
    assert talks["summary"]["proposals"] == [
        {"id": "p1", "acceptable_to_all": "never", "rejected_by": ["firm"]}
    ]

    doc = _output(folder, "analyze standoff.yaml --format json")
    s = doc["summary"]
    assert s["deal"] is False and s["fair_deal"] is None and s["nash_deal"] is None
    assert sorted(g["red_lines"] for g in s["gaps"]) == sorted(g["red_lines"] for g in doc["gaps"])
    assert all(g["assumed"] == [] for g in s["gaps"] if g["reported_only"])
    bridge = {**doc["bridges"][0]}
    assert s["cheapest_bridge"] == {
        **{k: bridge[k] for k in ("relax", "cost", "zopa_size", "zopa_size_exact")},
        "egalitarian": bridge["egalitarian"],
        "nash": bridge["nash"],
    }
    assert s["amendments_examined"] == len(doc["amendments"])
    assert s["bridging_amendments"] == [a["adopted"] for a in doc["amendments"] if a["opens_zopa"]]
    st = doc["stability"]
    pattern = {x["id"]: x["options"] for x in st["states"]}
    assert s["equilibria"] == {c: [pattern[i] for i in ids] for c, ids in st["equilibria"].items()}
    assert s["status_quo"] == st["status_quo"]["options"]
    assert s["status_quo_stable"] == {
        c: st["status_quo"]["state"] in ids for c, ids in st["equilibria"].items()
    }
    assert s["pressure"]["without"] == st["without"]["removed"] == ["broker"]
    assert s["pressure"]["changed"] == {
        c: e["changed"] for c, e in st["without"]["equilibria"].items()
    }


def test_analyze_stability_is_the_stability_document(folder: Path) -> None:
    analyzed = _output(folder, "analyze standoff.yaml --format json")["stability"]
    alone = _output(
        folder, "stability standoff.yaml --from-status-quo --without broker --format json"
    )
    assert list(alone)[:3] == ENVELOPE
    assert analyzed == {k: v for k, v in alone.items() if k not in ENVELOPE}


def test_demo_holds_the_documents_of_the_commands(folder: Path) -> None:
    demo = _output(folder, "demo standoff.yaml --format json")
    assert demo["show"] == _output(folder, "show standoff.yaml --format json")
    assert demo["check"] == _output(folder, "check standoff.yaml --format json")
    assert demo["analyze"] == _output(folder, "analyze standoff.yaml --format json")
    assert demo["stability"] == _output(
        folder, "stability standoff.yaml --from-status-quo --without broker --format json"
    )


def test_every_document_starts_with_the_envelope(folder: Path) -> None:
    ids = {"talks.yaml": "talks", "standoff.yaml": "standoff", "genius": "lunch"}
    for args in sorted({a for group in SECTIONS.values() for a in group}):
        words = shlex.split(args)
        doc = _output(folder, args)
        assert list(doc)[:3] == ENVELOPE, args
        assert doc["command"] == " ".join(words[:2] if words[0] == "examples" else words[:1])
        assert doc["format_version"] == 2
        assert doc["scenario"] == next((ids[w] for w in words if w in ids), None), args
