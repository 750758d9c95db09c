"""Evaluate proposals against each party's red lines and reservation value.

A proposal's ``terms`` fix some issues and may leave others open, so a proposal denotes
the *set* of its completions: every outcome that agrees with the terms, with each open
issue ranging over its domain (amendment options stay locked unless adopted, as in
:func:`detente.deal.utility.domains`). Completions are enumerated at once as numpy
columns and every red line, derived quantity and utility is evaluated as one array
operation per expression node (:func:`detente.scenario.evaluate.evaluate`).

Definitions (DESIGN.md, "Deal model"): an outcome x is *acceptable* to party i when it
satisfies every red line of i and u_i(x) >= r_i. For a set of completions C, i finds the
proposal acceptable in all of C, in some of C, or in none of C; a red line is broken in
every completion (the fixed terms alone break it), in some (only certain fillings of
the open terms break it), or in none. Parties without a utility (mediators or observers
that state red lines only) are judged on their red lines alone.

A reported response is compared with the verdict: an acceptance is consistent with the
encoding when some completion is acceptable to that party; a rejection is consistent
when some completion is not; a conditional answer is left undetermined.

This module only computes; the sentences and tables live in :mod:`detente.report`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.deal.utility import Domain, domains, utilities
from detente.errors import LimitError, Problem, ScenarioError, did_you_mean
from detente.scenario.evaluate import evaluate
from detente.scenario.expr import names
from detente.scenario.model import Derived, Proposal, Response, Scenario

__all__ = [
    "MAX_COMPLETIONS",
    "Consistency",
    "Frequency",
    "PartyCheck",
    "ProposalCheck",
    "RedLineCheck",
    "ReportedResponse",
    "Verdict",
    "check_proposal",
    "check_proposals",
    "check_terms",
    "response_consistency",
]

MAX_COMPLETIONS = 1_000_000
TOLERANCE = 1e-9  # utilities are rescaled floats; r_i itself must count as reached

Scalar = bool | int | str
Verdict = Literal["acceptable", "possibly_acceptable", "unacceptable"]
Frequency = Literal["never", "sometimes", "always"]
Consistency = Literal["consistent", "inconsistent", "undetermined"]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _frequency(count: int, total: int) -> Frequency:
    if count == 0:
        return "never"
    return "always" if count == total else "sometimes"


@dataclass(frozen=True)
class RedLineCheck:
    """One red line against the completions of a proposal."""

    red_line: str
    rule: str
    firmness: int | Literal["absolute"]
    basis: str
    source: str | None
    broken_in: int
    completions: int

    @property
    def broken(self) -> Frequency:
        """``always`` (the fixed terms break it), ``sometimes`` or ``never``."""
        return _frequency(self.broken_in, self.completions)


@dataclass(frozen=True)
class ReportedResponse:
    """A response reported in the scenario file, as evidence to compare with."""

    party: str
    response: Literal["accepted", "rejected", "conditional"]
    date: dt.date | None
    source: str | None
    basis: str
    quote: str | None
    conditions: str | None

    @classmethod
    def of(cls, r: Response) -> ReportedResponse:
        return cls(r.party, r.response, r.date, r.source, r.basis, r.quote, r.conditions)


@dataclass(frozen=True)
class PartyCheck:
    """How one party fares under a proposal, with the evidence.

    ``utility_min``/``utility_max`` range over the completions (None for a party with no
    utility); ``acceptable_in`` counts completions meeting every red line and, when the
    party has a utility, its reservation value.
    """

    party: str
    role: str
    red_lines: tuple[RedLineCheck, ...]
    has_utility: bool
    utility_min: float | None
    utility_max: float | None
    reservation: float | None
    below_reservation_in: int
    acceptable_in: int
    completions: int
    responses: tuple[ReportedResponse, ...]

    @property
    def verdict(self) -> Verdict:
        freq = _frequency(self.acceptable_in, self.completions)
        return {
            "always": "acceptable",
            "sometimes": "possibly_acceptable",
            "never": "unacceptable",
        }[freq]  # type: ignore[return-value]

    @property
    def broken_always(self) -> tuple[str, ...]:
        """Red lines the fixed terms break whatever the open issues."""
        return tuple(r.red_line for r in self.red_lines if r.broken == "always")

    @property
    def broken_sometimes(self) -> tuple[str, ...]:
        """Red lines broken only by some fillings of the open issues."""
        return tuple(r.red_line for r in self.red_lines if r.broken == "sometimes")

    @property
    def below_reservation(self) -> Frequency:
        return _frequency(self.below_reservation_in, self.completions)


@dataclass(frozen=True)
class ProposalCheck:
    """A proposal (or any set of terms) checked against every party with a position."""

    proposal: str
    by: tuple[str, ...]
    date: dt.date | None
    source: str | None
    terms: tuple[tuple[str, Scalar], ...]
    open_issues: tuple[str, ...]
    completions: int
    parties: tuple[PartyCheck, ...]
    acceptable_to_all_in: int
    other_responses: tuple[ReportedResponse, ...]  # by parties with no position

    @property
    def deal(self) -> Frequency:
        """Whether the completions are acceptable to every assessed party at once."""
        return _frequency(self.acceptable_to_all_in, self.completions)

    def party(self, party_id: str) -> PartyCheck:
        return next(p for p in self.parties if p.party == party_id)


def response_consistency(check: PartyCheck, response: ReportedResponse) -> Consistency:
    """Whether a reported response agrees with the encoded red lines and reservation."""
    if response.response == "accepted":
        return "consistent" if check.acceptable_in > 0 else "inconsistent"
    if response.response == "rejected":
        return "consistent" if check.acceptable_in < check.completions else "inconsistent"
    return "undetermined"


def _derived_order(derived: list[Derived]) -> list[Derived]:
    """Derived quantities with every dependency before its users (Kahn-free DFS)."""
    by_id = {d.id: d for d in derived}
    done: set[str] = set()
    out: list[Derived] = []

    def visit(d: Derived) -> None:
        if d.id in done:
            return
        done.add(d.id)  # the loader refused cycles, so marking early is safe
        for n in sorted(names(d.ast) & by_id.keys()):
            visit(by_id[n])
        out.append(d)

    for d in derived:
        visit(d)
    return out


def _completions(open_doms: list[Domain], limit: int, label: str) -> tuple[int, list[IntArray]]:
    sizes = [d.size for d in open_doms]
    total = math.prod(sizes)
    if total > limit:
        detail = ", ".join(f"'{d.issue}' ({d.size:,} values)" for d in open_doms)
        raise LimitError(
            f"{label} leaves {len(open_doms)} issue(s) open: {detail}, i.e. {total:,} "
            f"completions, more than the limit of {limit:,}; fix more terms in the "
            "proposal, or raise the limit (--max-completions / max_completions=)"
        )
    if not open_doms:
        return 1, []
    grids = np.meshgrid(*[d.codes() for d in open_doms], indexing="ij")
    return total, [g.ravel() for g in grids]


def _validated_codes(s: Scenario, terms: Mapping[str, Scalar], label: str) -> dict[str, int]:
    """Codes of the fixed terms; refuse unknown issues and values (API callers)."""
    doms = {d.issue: d for d in domains(s, unlocked=True)}
    problems: list[Problem] = []
    codes: dict[str, int] = {}
    for iid, value in terms.items():
        dom = doms.get(iid)
        if dom is None:
            hint = did_you_mean(iid, doms, what="issue")
            problems.append(Problem(f"{label}: unknown issue '{iid}'", ("terms", iid), hint=hint))
            continue
        ok = (
            (dom.kind == "choice" and isinstance(value, str) and value in dom.option_ids)
            or (dom.kind == "boolean" and isinstance(value, bool))
            or (
                dom.kind == "integer"
                and isinstance(value, int)
                and not isinstance(value, bool)
                and dom.lo <= value <= dom.hi
            )
        )
        if not ok:
            problems.append(
                Problem(f"{label}: {value!r} is not a value of '{iid}'", ("terms", iid))
            )
            continue
        codes[iid] = dom.code(value)
    if problems:
        raise ScenarioError(problems)
    return codes


def check_terms(
    s: Scenario,
    terms: Mapping[str, Scalar],
    *,
    label: str = "these terms",
    unlocked: bool | Iterable[str] = False,
    max_completions: int = MAX_COMPLETIONS,
) -> ProposalCheck:
    """Check a set of terms (issue -> value; issues left out are open) for every party.

    Parameters
    ----------
    s : Scenario
        A loaded scenario.
    terms : mapping
        Scenario-file values: option ids, booleans, integers.
    label : str
        How the terms are named in error messages.
    unlocked : bool or iterable of str
        Amendments whose options the open issues may take (see ``domains``).
    max_completions : int
        Refuse (:class:`~detente.errors.LimitError`) when the open issues have more
        combinations than this.
    """
    fixed = _validated_codes(s, terms, label)
    doms = domains(s, unlocked=unlocked)
    open_doms = [d for d in doms if d.issue not in fixed]
    n, open_cols = _completions(open_doms, max_completions, label)
    columns: dict[str, IntArray] = {d.issue: c for d, c in zip(open_doms, open_cols, strict=True)}
    for iid, code in fixed.items():
        columns[iid] = np.full(n, code, dtype=np.int64)
    env: dict[str, npt.NDArray[np.generic]] = {
        d.issue: columns[d.issue].astype(np.bool_) if d.kind == "boolean" else columns[d.issue]
        for d in doms
    }
    for d in _derived_order(s.derived):
        env[d.id] = np.broadcast_to(np.asarray(evaluate(d.ast, env)), (n,))
    utils = utilities(s)
    all_ok: BoolArray = np.ones(n, dtype=np.bool_)
    parties = []
    for party in s.parties:
        pos = s.positions.get(party.id)
        if pos is None:
            continue
        ok: BoolArray = np.ones(n, dtype=np.bool_)
        checks = []
        for rl in pos.red_lines:
            kept = np.broadcast_to(np.asarray(evaluate(rl.ast, env), dtype=np.bool_), (n,))
            ok = ok & kept
            checks.append(
                RedLineCheck(
                    rl.id, rl.rule, rl.firmness, rl.basis, rl.source, int(n - kept.sum()), n
                )
            )
        u_min = u_max = r = None
        below = 0
        if party.id in utils:
            u = utils[party.id](columns)
            r = utils[party.id].reservation
            under = u < r - TOLERANCE
            below = int(under.sum())
            ok = ok & ~under
            u_min, u_max = float(u.min()), float(u.max())
        all_ok = all_ok & ok
        parties.append(
            PartyCheck(
                party.id,
                party.role,
                tuple(checks),
                party.id in utils,
                u_min,
                u_max,
                r,
                below,
                int(ok.sum()),
                n,
                (),
            )
        )
    return ProposalCheck(
        label,
        (),
        None,
        None,
        tuple(terms.items()),
        tuple(d.issue for d in open_doms),
        n,
        tuple(parties),
        int(all_ok.sum()),
        (),
    )


def check_proposal(
    s: Scenario,
    proposal: Proposal,
    *,
    unlocked: bool | Iterable[str] = False,
    max_completions: int = MAX_COMPLETIONS,
) -> ProposalCheck:
    """Check one proposal of ``s``, attaching its reported responses as evidence."""
    base = check_terms(
        s,
        proposal.terms,
        label=f"proposal '{proposal.id}'",
        unlocked=unlocked,
        max_completions=max_completions,
    )
    responses = [ReportedResponse.of(r) for r in proposal.responses]
    assessed = {p.party for p in base.parties}
    parties = tuple(
        replace(p, responses=tuple(r for r in responses if r.party == p.party))
        for p in base.parties
    )
    return ProposalCheck(
        proposal.id,
        tuple(proposal.by),
        proposal.date,
        proposal.source,
        base.terms,
        base.open_issues,
        base.completions,
        parties,
        base.acceptable_to_all_in,
        tuple(r for r in responses if r.party not in assessed),
    )


def check_proposals(
    s: Scenario,
    *,
    unlocked: bool | Iterable[str] = False,
    max_completions: int = MAX_COMPLETIONS,
) -> tuple[ProposalCheck, ...]:
    """Check every proposal of ``s`` in file order."""
    return tuple(
        check_proposal(s, p, unlocked=unlocked, max_completions=max_completions)
        for p in s.proposals
    )
