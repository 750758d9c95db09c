"""The arena: utilities bit-identical to the space's, demand masks, relaxation refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from tests.simulate.scenarios import three_by_three
from tests.strategies import deal_scenario_documents, examples

from detente.errors import ScenarioError
from detente.scenario import load
from detente.scenario.checked import Scenario
from detente.simulate.arena import prepare, relaxed
from detente.simulate.simulation import simulate
from detente.space.demands import acceptable, demands, party_columns, satisfaction
from detente.space.outcomes import OutcomeSpace

DETENTE = Path(sys.executable).parent / "detente"


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deal_scenario_documents(max_parties=3, max_outcomes=300))
def test_utilities_and_masks_are_the_spaces(doc: dict[str, object]) -> None:
    """Utilities bit for bit :meth:`OutcomeSpace.utility_matrix`'s; feasible, worst and
    best from the one acceptability evaluator."""
    doc.pop("_conditions")
    s = Scenario.from_data(doc)
    a = prepare(s)
    space = OutcomeSpace(s, ())
    chunk = space.chunk_of_range(0, space.size)
    want = space.utility_matrix(chunk).T
    assert a.utilities.tobytes() == np.ascontiguousarray(want).tobytes()
    ok = acceptable(space, chunk)
    dems = demands(s)
    sat, _ = satisfaction(space, chunk, dems)
    cols = party_columns(dems, space.parties)
    for i, p in enumerate(a.parties):
        assert a.feasible[i].tolist() == ok[p].tolist()
        red = [j for j in cols[p] if dems[j].kind != "reservation"]
        keep = sat[:, red].all(axis=1) if red else np.ones(space.size, dtype=np.bool_)
        if keep.any():
            assert a.worst[i] == want[i][keep].min() and a.best[i] == want[i][keep].max()
        else:
            assert np.isnan(a.worst[i]) and np.isnan(a.best[i])
        assert a.sorted[i].order.tolist() == sorted(
            np.flatnonzero(ok[p]).tolist(), key=lambda x: (want[i][x], x)
        )


def _absolute(tmp_path: Path) -> Path:
    doc = three_by_three(red_lines_a=("a != 'a2'", "b != 'b2'"))
    doc["positions"]["A"]["red_lines"][1]["firmness"] = "absolute"
    p = tmp_path / "absolute.yaml"
    p.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return p


def test_an_absolute_demand_is_never_relaxed(tmp_path: Path) -> None:
    s = load(_absolute(tmp_path))
    assert relaxed(s, ["A/a-rl0"]).red_lines_of("A")[0].id == "a-rl1"  # firmness 5: relaxed
    with pytest.raises(ScenarioError) as err:
        relaxed(s, ["A/a-rl1", "A/nope"])
    text = err.value.render()
    assert "'A/a-rl1' is absolute and is never relaxed" in text
    assert "no demand 'A/nope'" in text
    problem = next(p for p in err.value.problems if "absolute" in p.message)
    assert problem.path == ("positions", "A", "red_lines", 1, "firmness")
    assert problem.file is not None and problem.file.endswith("absolute.yaml")
    assert problem.line is not None and problem.hint
    with pytest.raises(ScenarioError, match="absolute"):
        simulate(s, relax=["A/a-rl1"], steps=3)
    # the web editor's leniency: unknown demands left out, absolute ones still refused
    assert relaxed(s, ["A/gone"], lenient=True) is s
    with pytest.raises(ScenarioError, match="absolute"):
        relaxed(s, ["A/a-rl1"], lenient=True, field="relax")


def test_simulate_relax_of_an_absolute_demand_exits_2(tmp_path: Path) -> None:
    f = _absolute(tmp_path)
    for extra in ([], ["--format", "json"]):
        out = subprocess.run(
            [str(DETENTE), "simulate", str(f), "--relax", "A/a-rl1", "--steps", "3", *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.returncode == 2, out.stderr
        assert "Traceback" not in out.stderr
        if extra:
            doc = json.loads(out.stdout)
            assert doc["ok"] is False and "is absolute and is never relaxed" in json.dumps(doc)
        else:
            assert "'A/a-rl1' is absolute and is never relaxed" in out.stderr
            assert "absolute.yaml:" in out.stderr
