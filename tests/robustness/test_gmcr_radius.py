"""GMCR robustness radii: the Nash closed form against the search, and their order."""

from __future__ import annotations

import numpy as np
import pytest
from tests.robustness.conftest import PRISONERS

import detente
from detente.conflict.analysis import analyze_conflict
from detente.conflict.stability import analyze_stability
from detente.robustness.gmcr import equilibrium_radii, search_radii


@pytest.mark.parametrize(
    "scenario",
    [
        detente.loads(PRISONERS, "pd.yaml"),
        detente.load(detente.__path__[0] + "/examples/cairo-2024-05.yaml"),
    ],
    ids=["prisoners", "cairo"],
)
def test_nash_closed_form_equals_the_search(scenario: detente.Scenario) -> None:
    c = analyze_conflict(scenario)
    radii = equilibrium_radii(c, bound=0)  # the Nash radii are closed-form: no search
    nash = [k for k in radii if k.startswith("nash:")]
    assert nash
    searched = search_radii(c, nash, bound=3)
    for k in nash:
        closed, found = radii[k], searched[k]
        assert closed is not None and found is not None
        assert closed.distance == found.distance, k


def test_the_prisoners_dilemma_equilibrium_falls_with_one_swap() -> None:
    # NN is the Nash equilibrium; from NN each prisoner can move to the state one level
    # below NN in its own ranking, so one swap there makes that move an improvement
    c = analyze_conflict(detente.loads(PRISONERS, "pd.yaml"))
    assert c.equilibria("nash") == [1]  # state 1 = NN
    r = equilibrium_radii(c)["nash:1"]
    assert r is not None and r.distance == 1.0 and r.norm == "kendall-tau"
    (dm,) = r.changes
    party = dm.removeprefix("conflict.preferences.")
    # applying one swap (YN above NN in that party's ranking) removes the equilibrium
    st = c.stability
    level = np.asarray(st.ranks[party]).copy()
    yn = 2 if party == "p1" else 3  # YN is state 2 for p1's move, NY state 3 for p2's
    nn = 1
    level[nn - 1], level[yn - 1] = level[yn - 1], level[nn - 1]
    util = np.full(1 << st.conflict.n_options, -1, dtype=np.int64)
    util[st.conflict.codes] = level
    again = analyze_stability(st.conflict, {**st.utilities, party: util})
    assert not again.equilibrium_mask("nash")[nn - 1]


def test_radii_are_ordered_as_the_concepts_nest() -> None:
    # Nash-stable implies SMR-stable implies GMR-stable, so removal is hardest for GMR
    c = analyze_conflict(detente.load(detente.__path__[0] + "/examples/cairo-2024-05.yaml"))
    r = equilibrium_radii(c, bound=2)  # the Nash equilibrium's radii are 1 (SMR) and 2 (GMR)
    assert r["gmr:8"] is not None and r["gmr:8"].distance == 2.0  # the order is not vacuous
    inf = float("inf")

    def d(k: str) -> float:
        f = r.get(k)
        return inf if f is None else f.distance

    for state in c.equilibria("nash"):
        assert d(f"nash:{state}") <= d(f"smr:{state}") <= d(f"gmr:{state}")


def test_sampled_swaps_give_the_analytic_support() -> None:
    # p1's ranking has 3 adjacent pairs; a draw makes 0 or 1 swap (1/2 each), and only
    # the swap of NN with YN (the state p1 reaches from NN) removes NN: support 5/6
    from detente.robustness.analysis import analyze_robustness

    text = PRISONERS + "uncertainty:\n  - {of: conflict.preferences.p1, swaps: 1}\n"
    r = analyze_robustness(detente.loads(text, "pd.yaml"), draws=30_000, seed=4)
    nash = next(c for c in r.conclusions if c.id == "equilibrium:nash:1")
    assert not nash.assumption_free and nash.verdict == "possibly"
    assert abs(nash.support - 5 / 6) < 0.01
    assert nash.ci[0] < 5 / 6 < nash.ci[1]
    again = analyze_robustness(detente.loads(text, "pd.yaml"), draws=30_000, seed=4)
    assert [c.support for c in again.conclusions] == [c.support for c in r.conclusions]
