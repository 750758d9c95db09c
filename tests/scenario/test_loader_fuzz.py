"""Whatever the input, loading either succeeds or raises ScenarioError: never a traceback.

Random documents are built from the schema's own field names and plausible values, so
they get deep into validation (references, expressions, domains) instead of failing at
the first key; random text covers the YAML layer.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from detente.errors import ScenarioError
from detente.scenario import Scenario
from detente.scenario.loader import load_data, loads
from strategies import examples, integers, sampled_list

KEYS = [
    "id", "title", "parties", "issues", "positions", "proposals", "derived", "sources",
    "events", "amendments", "conflict", "name", "role", "kind", "options", "range",
    "red_lines", "rule", "firmness", "basis", "priorities", "weight", "values",
    "reservation", "value", "terms", "by", "responses", "party", "response", "expr",
    "decision_makers", "infeasible", "irreversible", "preferences", "statements",
    "ranking", "status_quo", "date", "source", "adds", "text", "actors", "pattern",
]  # fmt: skip
WORDS = [
    "a", "b", "x", "choice", "boolean", "integer", "party", "mediator", "absolute",
    "assumed", "reported", "increasing", "decreasing", "accepted", "x >= 1", "a and b",
    "x == 'y'", "NN", "YN", "2024-05-06", "forward", "__import__('os')", "x.y", "",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(WORDS),
    st.text(max_size=8),
)
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS + WORDS), inner, max_size=5),
    ),
    max_leaves=30,
)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)


def _outcome(fn: Any, arg: Any) -> None:
    try:
        result = fn(arg, "fuzz")
    except ScenarioError as err:
        assert err.problems, "a ScenarioError always lists its problems"
        for p in err.problems:
            assert p.message and p.render()
    else:
        assert isinstance(result, Scenario)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_document_loads_or_is_refused_cleanly(doc: dict[str, Any]) -> None:
    _outcome(load_data, doc)
    _outcome(loads, json.dumps(doc, default=str))


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=200))
def test_any_text_loads_or_is_refused_cleanly(text: str) -> None:
    _outcome(loads, text)


def _seed_documents() -> list[Any]:
    from pathlib import Path

    from ruamel.yaml import YAML

    root = Path(__file__).resolve().parents[2]
    files = [
        root / "tests" / "data" / "salary.yaml",
        root / "tests" / "data" / "prisoners-dilemma.yaml",
        root / "src" / "detente" / "examples" / "cairo-2024-05.yaml",
    ]
    yaml = YAML(typ="safe")
    return [
        json.loads(json.dumps(yaml.load(f.read_text(encoding="utf-8")), default=str)) for f in files
    ]


SEEDS = _seed_documents()


def edited(seed: int, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``SEEDS[seed]`` with the item at ``path`` set to ``value`` (bugs pinned)."""
    doc = json.loads(json.dumps(SEEDS[seed]))
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return doc


# Documents that once crashed an analysis after loading (found by the tests below).
# An integer issue valued by an empty map: loaded, then np.interp on no points.
EMPTY_CURVE = edited(0, ("positions", "union", "priorities", "raise", "values"), {})
# The Cairo case without the ceasefire option 'sustainable_calm', which an amendment adds:
# the dated view of the file looked the option up among the issue's own options.
AMENDMENT_ONLY_OPTION = edited(
    2,
    ("issues", 0, "options"),
    [
        o
        for o in SEEDS[2]["issues"][0]["options"]
        if (o if isinstance(o, str) else o["id"]) != "sustainable_calm"
    ],
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [*node.keys(), *(x for v in node.values() for x in _strings(v))]
    if isinstance(node, list):
        return [x for v in node for x in _strings(v)]
    return []


# per seed, built once: the string pool and the paths of the unchanged document
_SEED_POOLS = {
    id(seed): (
        st.sampled_from(sorted(set(_strings(seed)) | set(WORDS))),
        st.sampled_from([p for p in _paths(seed) if p]),
    )
    for seed in SEEDS
}
# built once, not in every draw (a strategy made in a composite is validated each time)
_SEED, _CHANGES = st.sampled_from(SEEDS), st.integers(1, 3)
_HOW = st.sampled_from(["same-type", "same-type", "drop", "anything"])
_SMALL_INT, _FLOAT = st.integers(-3, 60), st.floats(-0.5, 1.5)


def _copy(node: Any) -> Any:
    """A deep copy of plain JSON data (what ``json.loads(json.dumps(node))`` gives)."""
    if type(node) is dict:
        return {k: _copy(v) for k, v in node.items()}
    if type(node) is list:
        return [_copy(v) for v in node]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A real scenario with one to three small, mostly type-preserving changes."""
    seed = draw(_SEED)
    doc = _copy(seed)
    pool, paths = _SEED_POOLS[id(seed)]
    for k in range(draw(_CHANGES)):
        if k:  # the document has changed: its paths too
            paths = st.sampled_from([p for p in _paths(doc) if p])
        path = draw(paths)
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        old = parent[key]
        how = draw(_HOW)
        if how == "drop":
            if isinstance(parent, dict):
                del parent[key]
            else:
                parent.pop(key)
        elif how == "anything":
            parent[key] = draw(values)
        elif isinstance(old, bool):
            parent[key] = not old
        elif isinstance(old, int):
            parent[key] = draw(_SMALL_INT)
        elif isinstance(old, float):
            parent[key] = draw(_FLOAT)
        elif isinstance(old, str):
            parent[key] = draw(pool)
        elif isinstance(old, list) and old:
            j = draw(integers(0, len(old) - 1))
            parent[key] = [*old, old[j]] if draw(st.booleans()) else old[:j] + old[j + 1 :]
        elif isinstance(old, dict) and old:
            del old[draw(sampled_list(sorted(old)))]
    return doc


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
@example(AMENDMENT_ONLY_OPTION)
def test_mutated_real_scenarios_load_or_are_refused_cleanly(doc: Any) -> None:
    _outcome(load_data, doc)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated().filter(lambda d: d.get("id") != "cairo-2024-05"))
@example(EMPTY_CURVE)
def test_every_analysis_of_a_loadable_scenario_succeeds_or_refuses_cleanly(doc: Any) -> None:
    from detente.conflict import analyze_stability, compile_conflict
    from detente.deal.analysis import analyze_deal
    from detente.errors import DetenteError
    from detente.gaps.analysis import analyze_gaps

    try:
        s = load_data(doc, "fuzz")
    except ScenarioError:
        return
    for run in (
        lambda: analyze_deal(s),
        lambda: analyze_gaps(s, time_limit=5.0),
        lambda: analyze_stability(compile_conflict(s)),
    ):
        with contextlib.suppress(DetenteError):
            run()
