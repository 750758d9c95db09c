"""Proposal checks: hand-computed cases, a brute-force oracle, agreement with analyze."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import detente
from detente.deal.analysis import analyze_deal
from detente.deal.proposals import (
    ProposalCheck,
    ReportedResponse,
    check_completions,
    check_proposals,
    check_terms,
    completion_space,
    response_consistency,
)
from detente.errors import LimitError, ScenarioError
from detente.scenario.checked import Scenario
from detente.scenario.expr import Expr
from detente.scenario.model import BooleanIssue, ChoiceIssue
from detente.space.demands import acceptable
from reference_eval import free_names, reference_eval
from strategies import expr_scenario_documents

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = [
    *sorted((Path(detente.__file__).parent / "examples").glob("*.yaml")),
    DATA / "salary.yaml",
]


@pytest.fixture(scope="module")
def salary() -> Scenario:
    return detente.load(DATA / "salary.yaml")


def test_salary_proposal_by_hand(salary: Scenario) -> None:
    (c,) = check_proposals(salary)
    assert c.completions == 1 and c.open_issues == ()
    union, firm = c.party("union"), c.party("firm")
    # union: raw = 0.6*0.6 + 0.3*1.0 + 0.1*1 = 0.76; worst 0.06, best 1.0
    assert union.utility_min == pytest.approx((0.76 - 0.06) / 0.94)
    assert union.verdict == "acceptable" and union.broken_always == ()
    # firm: raw = 0.7*0.4 + 0.3*0.7 = 0.49; worst 0.15, best 1.0
    assert firm.utility_min == pytest.approx((0.49 - 0.15) / 0.85)
    assert firm.verdict == "unacceptable" and firm.broken_always == ("cap",)
    assert firm.below_reservation == "never"
    assert c.deal == "never"


def test_open_terms_give_a_set_of_completions(salary: Scenario) -> None:
    c = check_terms(salary, {"raise": 4})
    assert c.open_issues == ("term", "remote") and c.completions == 6
    union = c.party("union")
    # raise 4 -> 0.24; acceptable iff term/remote add >= 0.196: two_years (both), three+remote
    assert union.acceptable_in == 3 and union.verdict == "possibly_acceptable"
    assert union.below_reservation == "sometimes" and union.below_reservation_in == 3
    assert c.party("firm").verdict == "acceptable"
    assert c.acceptable_to_all_in == 3 and c.deal == "sometimes"


def test_red_line_broken_only_for_some_completions(salary: Scenario) -> None:
    c = check_terms(salary, {"term": "two_years"})
    firm = c.party("firm")
    (cap,) = firm.red_lines
    assert c.completions == 22 and cap.broken_in == 10  # raise 6..10, remote either
    assert cap.broken == "sometimes" and firm.broken_sometimes == ("cap",)


def test_too_many_completions_are_refused_with_the_count(salary: Scenario) -> None:
    with pytest.raises(LimitError) as info:
        check_terms(salary, {}, max_completions=10)
    text = str(info.value)
    assert "66 completions" in text and "'raise' (11 values)" in text
    assert "fix more terms" in text


def test_unknown_terms_are_refused(salary: Scenario) -> None:
    with pytest.raises(ScenarioError) as info:
        check_terms(salary, {"rase": 3, "term": "forever"})
    messages = [p.message for p in info.value.problems]
    assert any("unknown issue 'rase'" in m for m in messages)
    assert any("'forever' is not a value of 'term'" in m for m in messages)
    assert info.value.problems[0].hint == "did you mean 'raise'?"


def _response(kind: str) -> ReportedResponse:
    return ReportedResponse("firm", kind, None, None, "assumed", None, None)  # type: ignore[arg-type]


def test_response_consistency_rules(salary: Scenario) -> None:
    never = check_proposals(salary)[0].party("firm")
    some = check_terms(salary, {"term": "two_years"}).party("firm")
    always = check_terms(salary, {"raise": 2}).party("firm")
    assert always.verdict == "acceptable"
    table = {
        (p.verdict, r): response_consistency(p, _response(r))
        for p in (never, some, always)
        for r in ("accepted", "rejected", "conditional")
    }
    assert table == {
        ("unacceptable", "accepted"): "inconsistent",
        ("unacceptable", "rejected"): "consistent",
        ("unacceptable", "conditional"): "undetermined",
        ("possibly_acceptable", "accepted"): "consistent",
        ("possibly_acceptable", "rejected"): "consistent",
        ("possibly_acceptable", "conditional"): "undetermined",
        ("acceptable", "accepted"): "consistent",
        ("acceptable", "rejected"): "inconsistent",
        ("acceptable", "conditional"): "undetermined",
    }


def test_cairo_responses_follow_from_the_red_lines() -> None:
    from detente.cli.app import bundled_example

    s = detente.load(bundled_example("cairo-2024-05"))
    reported = [p for p in s.proposals if p.responses]
    assert reported
    for c in check_proposals(s):
        for pc in c.parties:
            for r in pc.responses:
                assert response_consistency(pc, r) == "consistent", (c.proposal, pc.party)
    first = check_proposals(s)[0]
    israel = first.party("israel")
    assert israel.verdict == "unacceptable" and israel.broken_always


# --- brute-force oracle -------------------------------------------------------------


def _ref(node: Expr, row: dict[str, int | bool]) -> int | bool:
    """Resolved expression on one outcome (choices as option indices)."""
    value = reference_eval(node, row)
    assert not isinstance(value, str)
    return value


def _values(s: Scenario) -> dict[str, list[int]]:
    out = {}
    for issue in s.issues:
        if isinstance(issue, ChoiceIssue):
            out[issue.id] = list(range(len(issue.options)))
        elif isinstance(issue, BooleanIssue):
            out[issue.id] = [0, 1]
        else:
            out[issue.id] = list(range(issue.range[0], issue.range[1] + 1))
    return out


def _raw_utilities(s: Scenario, party: str, cols: dict[str, np.ndarray]) -> np.ndarray:
    """Weighted sum of the party's issue values on every outcome (columns of codes)."""
    total = np.zeros(len(next(iter(cols.values()))))
    for iid, pr in s.positions[party].priorities.items():
        issue, x = s.issue(iid), cols[iid]
        if isinstance(issue, ChoiceIssue):
            table = [pr.values.get(o.id, 0.0) for o in issue.options]  # type: ignore[union-attr]
            v = np.array(table, dtype=np.float64)[x]
        elif isinstance(issue, BooleanIssue):
            table = [pr.values.get(b, 0.0) for b in ("false", "true")]  # type: ignore[union-attr]
            v = np.array(table, dtype=np.float64)[x]
        else:
            lo, hi = issue.range
            v = (x - lo) / (hi - lo) if pr.values == "increasing" else (hi - x) / (hi - lo)
        total += pr.weight * v
    return total


def _holds(s: Scenario, node: Expr, cols: dict[str, np.ndarray]) -> np.ndarray:
    """The reference meaning of ``node`` on every outcome.

    Evaluated once per combination of the values of the names it reads, then looked up.
    """
    values = _values(s)
    names = sorted(free_names(node))
    table = np.zeros([len(values[k]) for k in names], dtype=np.bool_)
    for at in itertools.product(*(range(len(values[k])) for k in names)):
        env: dict[str, int | bool] = {}
        for k, i in zip(names, at, strict=True):
            env[k] = bool(values[k][i]) if isinstance(s.issue(k), BooleanIssue) else values[k][i]
        table[at] = bool(_ref(node, env))
    n = len(next(iter(cols.values())))
    return np.broadcast_to(table[tuple(cols[k] - values[k][0] for k in names)], (n,))


Space = dict[str, np.ndarray]


@dataclass(frozen=True)
class Brute:
    """Every outcome (in itertools.product order): codes, raw utilities, red lines kept."""

    cols: Space
    raws: dict[str, np.ndarray]
    kept: dict[str, list[np.ndarray]]


def _space(s: Scenario) -> Brute:
    values = _values(s)
    grid = np.meshgrid(*(np.array(v, dtype=np.int64) for v in values.values()), indexing="ij")
    cols = {k: g.reshape(-1) for k, g in zip(values, grid, strict=True)}
    return Brute(
        cols,
        {party: _raw_utilities(s, party, cols) for party in s.positions},
        {
            party: [_holds(s, s.red_line_ast(party, rl.id), cols) for rl in pos.red_lines]
            for party, pos in s.positions.items()
        },
    )


def _oracle(
    s: Scenario, terms: dict[str, object], space: Brute
) -> dict[str, tuple[int, list[int], float, float]]:
    out = {}
    for party in s.positions:
        raws = space.raws[party]
        worst, best = raws.min(), raws.max()
        scale = best - worst if best > worst else 1.0
        rows = np.ones(len(raws), dtype=np.bool_)
        for k, v in terms.items():
            issue = s.issue(k)
            code = issue.option_ids.index(v) if isinstance(issue, ChoiceIssue) else int(v)  # type: ignore[arg-type]
            rows &= space.cols[k] == code
        kept = [k[rows] for k in space.kept[party]]
        u = (raws[rows] - worst) / scale
        ok = np.all(kept, axis=0) if kept else np.ones(len(u), dtype=np.bool_)
        ok &= u >= s.positions[party].reservation.value - 1e-9
        broken = [int((~k).sum()) for k in kept]
        out[party] = (int(ok.sum()), broken, float(u.min()), float(u.max()))
    return out


@settings(max_examples=50, deadline=None)
@given(expr_scenario_documents())
def test_checks_match_a_brute_force_oracle(doc: dict[str, object]) -> None:
    s = detente.loads(json.dumps(doc))
    space = _space(s)
    for c in check_proposals(s):
        assert isinstance(c, ProposalCheck)
        terms = dict(c.terms)
        expected = _oracle(s, terms, space)
        assert c.completions == int(
            np.prod([len(v) for k, v in _values(s).items() if k not in terms])
        )
        for pc in c.parties:
            ok, broken, u_min, u_max = expected[pc.party]
            assert pc.acceptable_in == ok
            assert [r.broken_in for r in pc.red_lines] == broken
            assert pc.utility_min == pytest.approx(u_min, abs=1e-9)
            assert pc.utility_max == pytest.approx(u_max, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(expr_scenario_documents(), st.integers(7, 400))
def test_chunking_does_not_change_the_counts(doc: dict[str, object], chunk_size: int) -> None:
    s = detente.loads(json.dumps(doc))
    for p in s.proposals:
        sub = completion_space(s, p.terms)
        whole = check_completions(sub, p.terms, chunk_size=sub.size)
        assert check_completions(sub, p.terms, chunk_size=chunk_size) == whole


# --- parties judged on red lines alone ------------------------------------------------


def _mediated(bargainer_role: str, *extra_issues: dict[str, object]) -> dict[str, object]:
    """salary.yaml plus a mediator whose position has red lines only, and an observer."""
    issues: list[dict[str, object]] = [
        {"id": "raise", "kind": "integer", "range": [0, 10]},
        {"id": "term", "kind": "choice", "options": ["one_year", "two_years", "three_years"]},
        {"id": "remote", "kind": "boolean"},
        *extra_issues,
    ]
    doc: dict[str, object] = {
        "id": "mediated",
        "title": "Mediated salary talks",
        "parties": [
            {"id": "union", "name": "Union", "role": bargainer_role},
            {"id": "firm", "name": "Firm", "role": bargainer_role},
            {"id": "gov", "name": "Government", "role": "mediator"},
            {"id": "press", "name": "Press", "role": "observer"},
        ],
        "issues": issues,
        "derived": [{"id": "cost", "expr": "raise * 2"}],
        "positions": {
            "union": {
                "red_lines": [{"id": "min-raise", "rule": "raise >= 3"}],
                "priorities": {
                    "raise": {"weight": 0.6, "values": "increasing"},
                    "term": {
                        "weight": 0.3,
                        "values": {"one_year": 0.2, "two_years": 1.0, "three_years": 0.6},
                    },
                    "remote": {"weight": 0.1, "values": {"true": 1, "false": 0}},
                },
                "reservation": 0.4,
            },
            "firm": {
                "red_lines": [{"id": "cap", "rule": "raise <= 5 or term == 'three_years'"}],
                "priorities": {
                    "raise": {"weight": 0.7, "values": "decreasing"},
                    "term": {
                        "weight": 0.3,
                        "values": {"one_year": 0.5, "two_years": 0.7, "three_years": 1.0},
                    },
                },
                "reservation": 0.3,
            },
            "gov": {
                "red_lines": [
                    {"id": "cost-cap", "rule": "cost <= 16"},
                    {"id": "remote-ok", "rule": "remote"},
                ]
            },
        },
        "proposals": [
            {
                "id": "p1",
                "by": ["gov"],
                "terms": {"term": "two_years"},
                "responses": [{"party": "press", "response": "accepted"}],
            }
        ],
    }
    return doc


def test_a_mediator_is_judged_on_its_red_lines_alone() -> None:
    s = detente.loads(json.dumps(_mediated("party")))
    (c,) = check_proposals(s)
    assert c.completions == 22 and [p.party for p in c.parties] == ["union", "firm", "gov"]
    gov = c.party("gov")
    assert not gov.has_utility and gov.utility_min is None and gov.reservation is None
    # cost = 2 * raise > 16 for raise 9, 10 (x2 remote); remote false in 11 of 22
    assert [r.broken_in for r in gov.red_lines] == [4, 11]
    assert gov.acceptable_in == 9 and gov.below_reservation_in == 0
    # union: raise >= 3 (16); firm: raise <= 5 (12); all three: raise 3..5 with remote
    assert (c.party("union").acceptable_in, c.party("firm").acceptable_in) == (16, 12)
    assert c.acceptable_to_all_in == 3
    assert [r.party for r in c.other_responses] == ["press"]
    # analyze scores the bargainers only, with the same counts behind them
    (score,) = analyze_deal(s).proposals
    assert score.acceptable_to == () and score.acceptable_to_some == ("union", "firm")
    assert score.violations_some == {"union": ("min-raise",), "firm": ("cap",)}


def test_a_scenario_without_bargainers_is_still_checked() -> None:
    s = detente.loads(json.dumps(_mediated("observer")))
    assert not s.bargainers
    (c,) = check_proposals(s)
    assert all(not p.has_utility for p in c.parties)
    assert [p.acceptable_in for p in c.parties] == [16, 12, 9]
    assert c.acceptable_to_all_in == 3 and c.deal == "sometimes"


def test_a_fixed_wide_issue_is_not_tabulated() -> None:
    wide: dict[str, object] = {"id": "fund", "kind": "integer", "range": [0, 999_999]}
    s = detente.loads(json.dumps(_mediated("party", wide)))
    sub = completion_space(s, {"fund": 7, "term": "two_years"})
    check = check_completions(sub, {"fund": 7, "term": "two_years"})
    assert check.completions == 22 and check.acceptable_to_all_in == 3
    # the utility tables span the allowed codes of a fixed issue, not its whole range
    assert max(len(table) for _, table in sub._utility_tables) == 11


# --- check and analyze agree ----------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_check_verdicts_and_analyze_scores_agree(path: Path) -> None:
    s = detente.load(path)
    a = analyze_deal(s)
    checks = check_proposals(s)
    assert s.proposals and [c.proposal for c in checks] == [p.id for p in a.proposals]
    for c, score in zip(checks, a.proposals, strict=True):
        assert score.evaluated and score.completions == c.completions
        assert score.open_issues == c.open_issues and score.terms == dict(c.terms)
        assert score.u_min is not None and score.u_max is not None
        sub = a.space.restrict({iid: [v] for iid, v in score.terms.items()})
        (chunk,) = sub.chunks(sub.size)
        zopa_rule = acceptable(sub, chunk)  # the rule the ZOPA counts with
        for j, party in enumerate(a.space.parties):
            pc = c.party(party)
            assert pc.acceptable_in == int(zopa_rule[party].sum())
            assert (party in score.acceptable_to) == (pc.verdict == "acceptable")
            assert (party in score.acceptable_to_some) == (pc.verdict != "unacceptable")
            assert score.violations[party] == pc.broken_always
            assert set(score.violations_some[party]) == {
                *pc.broken_always,
                *pc.broken_sometimes,
            }
            assert (party in score.below_reservation) == (pc.below_reservation == "always")
            assert (score.u_min[j], score.u_max[j]) == (pc.utility_min, pc.utility_max)
