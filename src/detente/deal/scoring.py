"""How each proposal fares: utilities, acceptability, red lines broken, dominance.

A proposal that fixes every issue is one outcome. A proposal that leaves issues open is
the *set* of its completions (every value of the open issues); it is scored by the range
of each party's utility over the set, which parties accept all / some completions, and
which red lines every / some completion breaks. Those set-based parts are a summary, for
the bargaining parties, of :func:`detente.deal.proposals.check_completions` (the one
evaluation of a proposal's completions, also behind ``detente check``), so the two
commands cannot disagree.

Dominance (DESIGN.md: x Pareto-dominates y when u_i(x) >= u_i(y) for all i, > for some):
a proposal standing for one outcome p is dominated iff some point of the whole space's Pareto
frontier dominates it (a finite space's every dominated outcome is dominated by a
frontier point). The improvement suggested is chosen among the outcomes of the frontier
of the whole space and of the ZOPA that dominate p: first those acceptable to the most
parties, then the largest gain for the party worst off under p (lowest u_i - r_i), then
the largest utility sum. Its term changes against p are spelled out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.deal.frontier import FrontierPoints
from detente.deal.proposals import PartyCheck, check_completions
from detente.scenario.model import Proposal
from detente.space.demands import acceptable
from detente.space.outcomes import OutcomeSpace, Terms

__all__ = ["Improvement", "ProposalScore", "score_proposal", "score_proposals"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Improvement:
    """An outcome that Pareto-dominates a proposal, and how it differs from it."""

    terms: Terms
    utilities: FloatArray
    gains: FloatArray
    changes: dict[str, tuple[str | int | bool, str | int | bool]]  # issue -> (from, to)
    acceptable_to: tuple[str, ...]


@dataclass(frozen=True)
class ProposalScore:
    """A proposal's evaluation.

    For a complete proposal ``u_min == u_max`` and the "some" fields equal the "all"
    ones. ``completions`` counts the outcomes the proposal stands for; ``evaluated`` is
    False when there were too many open-issue completions to enumerate (then the
    ranges and acceptability are None / empty).
    """

    id: str
    terms: dict[str, str | int | bool]
    open_issues: tuple[str, ...]
    completions: int
    evaluated: bool
    u_min: FloatArray | None
    u_max: FloatArray | None
    acceptable_to: tuple[str, ...]  # by every completion
    acceptable_to_some: tuple[str, ...]  # by at least one completion
    violations: dict[str, tuple[str, ...]]  # party -> red lines every completion breaks
    violations_some: dict[str, tuple[str, ...]]  # party -> red lines some completion breaks
    below_reservation: tuple[str, ...]  # parties for which every completion is below r
    dominated_by: Improvement | None

    @property
    def complete(self) -> bool:
        """Whether the proposal settles every issue (no open issues)."""
        return not self.open_issues

    @property
    def utilities(self) -> FloatArray | None:
        """Utilities of a complete proposal (None when issues are open)."""
        return self.u_min if self.complete else None


def _improvement(
    space: OutcomeSpace,
    p_codes: IntArray,
    u: FloatArray,
    candidates: list[FrontierPoints],
) -> Improvement | None:
    rows = [f.codes for f in candidates if len(f)] + [
        t for f in candidates for t in f.ties if len(t)
    ]
    if not rows:
        return None
    codes = np.unique(np.concatenate(rows), axis=0)
    chunk = space.chunk_of_codes(codes)
    cu = space.utility_matrix(chunk)
    dom = np.all(cu >= u, axis=1) & np.any(cu > u, axis=1)
    if not dom.any():
        return None
    codes, cu, chunk = codes[dom], cu[dom], space.chunk_of_codes(codes[dom])
    acc = acceptable(space, chunk)
    n_acc = np.sum([acc[p] for p in space.parties], axis=0)
    worst = int(np.argmin(u - space.reservations))
    gain_worst = cu[:, worst] - u[worst]
    index = space.indices_of(codes)
    order = np.lexsort((index, -cu.sum(axis=1), -gain_worst, -n_acc))
    j = int(order[0])
    before = space.terms(p_codes)
    after = space.terms(codes[j])
    return Improvement(
        terms=after,
        utilities=cu[j],
        gains=cu[j] - u,
        changes={k: (before[k], after[k]) for k in after if after[k] != before[k]},
        acceptable_to=tuple(p for p in space.parties if acc[p][j]),
    )


def score_proposal(
    space: OutcomeSpace,
    proposal: Proposal,
    frontiers: list[FrontierPoints],
    *,
    limit: int,
) -> ProposalScore:
    """Score one proposal against ``space`` (see the module docstring)."""
    open_issues = tuple(i for i in space.issues if i not in proposal.terms)
    sub = space.restrict({iid: [v] for iid, v in proposal.terms.items()})
    parties = space.parties
    if sub.size > limit:
        return ProposalScore(
            id=proposal.id,
            terms=dict(proposal.terms),
            open_issues=open_issues,
            completions=sub.size,
            evaluated=False,
            u_min=None,
            u_max=None,
            acceptable_to=(),
            acceptable_to_some=(),
            violations={},
            violations_some={},
            below_reservation=(),
            dominated_by=None,
        )
    check = check_completions(
        sub, proposal.terms, label=f"proposal '{proposal.id}'", max_completions=limit
    )
    of: dict[str, PartyCheck] = {pc.party: pc for pc in check.parties}
    u_min = np.array([_utility(of[p].utility_min) for p in parties], dtype=np.float64)
    u_max = np.array([_utility(of[p].utility_max) for p in parties], dtype=np.float64)
    dominated_by = None
    if sub.size == 1:  # one outcome, even if an open issue has a single value
        codes = sub.codes_of([0])[0]
        dominated_by = _improvement(space, codes, u_min, frontiers)
    return ProposalScore(
        id=proposal.id,
        terms=dict(proposal.terms),
        open_issues=open_issues,
        completions=sub.size,
        evaluated=True,
        u_min=u_min,
        u_max=u_max,
        acceptable_to=tuple(p for p in parties if of[p].verdict == "acceptable"),
        acceptable_to_some=tuple(p for p in parties if of[p].verdict != "unacceptable"),
        violations={p: of[p].broken_always for p in parties},
        violations_some={
            p: tuple(r.red_line for r in of[p].red_lines if r.broken != "never") for p in parties
        },
        below_reservation=tuple(p for p in parties if of[p].below_reservation == "always"),
        dominated_by=dominated_by,
    )


def _utility(value: float | None) -> float:
    assert value is not None  # every bargaining party has a utility
    return value


def score_proposals(
    space: OutcomeSpace, frontiers: list[FrontierPoints], *, limit: int
) -> tuple[ProposalScore, ...]:
    """Score every proposal of the scenario, in file order."""
    return tuple(score_proposal(space, p, frontiers, limit=limit) for p in space.scenario.proposals)
