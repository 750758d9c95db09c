"""Evaluate proposals against each party's red lines and reservation value.

A proposal's ``terms`` fix some issues and may leave others open, so a proposal denotes
the *set* of its completions: every outcome that agrees with the terms, with each open
issue ranging over its domain (amendment options stay locked unless adopted, as in
:func:`detente.space.utility.domains`). The completions are the outcome space restricted
to the fixed terms (:class:`detente.space.outcomes.OutcomeSpace` with ``restrict=``; their
number is its ``size``); they are enumerated in its bounded-memory chunks, and its red
line masks and canonical utilities are counted chunk by chunk, fully vectorised. This is
the one evaluation of a proposal's completions: ``detente check`` reports it directly and
``detente analyze`` summarises it (:mod:`detente.deal.scoring`).

Definitions (DESIGN.md, "Deal model"): an outcome x is *acceptable* to party i when it
satisfies every red line of i and u_i(x) >= r_i (on the canonical utilities of
:func:`detente.space.outcomes.canonical`, so r_i itself counts as reached; the rule of
:meth:`OutcomeSpace.acceptable`). For a set of completions C, i finds the proposal
acceptable in all of C, in some of C, or in none of C; a red line is broken in every
completion (the fixed terms alone break it), in some (only certain fillings of the open
terms break it), or in none. Parties without a utility (mediators or observers that
state red lines only) are judged on their red lines alone.

A reported response is compared with the verdict: an acceptance is consistent with the
encoding when some completion is acceptable to that party; a rejection is consistent
when some completion is not; a conditional answer is left undetermined.

This module only computes; the sentences and tables live in :mod:`detente.report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.deal.limits import MAX_COMPLETIONS
from detente.errors import LimitError, Problem, ScenarioError, did_you_mean
from detente.scenario.checked import Scenario
from detente.scenario.model import Proposal, RedLine, Response
from detente.space.demands import RESERVATION, demands, party_columns, satisfaction
from detente.space.outcomes import DEFAULT_CHUNK, OutcomeSpace
from detente.space.utility import domains

__all__ = [
    "MAX_COMPLETIONS",
    "Consistency",
    "Frequency",
    "PartyCheck",
    "ProposalCheck",
    "RedLineCheck",
    "ReportedResponse",
    "Verdict",
    "check_completions",
    "check_proposal",
    "check_proposals",
    "check_terms",
    "completion_space",
    "response_consistency",
]


Scalar = bool | int | str
Verdict = Literal["acceptable", "possibly_acceptable", "unacceptable"]
Frequency = Literal["never", "sometimes", "always"]
Consistency = Literal["consistent", "inconsistent", "undetermined"]
FloatArray = npt.NDArray[np.float64]
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
        """The evidence of a scenario file's response ``r``."""
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
        """Acceptable if every completion is, possibly acceptable if some are, else unacceptable."""
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
        """How often the completions fall below the reservation value: always, sometimes or never."""
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
        """The check of party ``party_id`` (StopIteration if it has no position)."""
        return next(p for p in self.parties if p.party == party_id)


def response_consistency(check: PartyCheck, response: ReportedResponse) -> Consistency:
    """Whether a reported response agrees with the encoded red lines and reservation."""
    if response.response == "accepted":
        return "consistent" if check.acceptable_in > 0 else "inconsistent"
    if response.response == "rejected":
        return "consistent" if check.acceptable_in < check.completions else "inconsistent"
    return "undetermined"


def _validate_terms(s: Scenario, terms: Mapping[str, Scalar], label: str) -> None:
    """Refuse unknown issues and values (API callers; the loader checks file proposals)."""
    doms = {d.issue: d for d in domains(s, unlock=True)}
    problems: list[Problem] = []
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
    if problems:
        raise ScenarioError(problems)


def completion_space(
    s: Scenario,
    terms: Mapping[str, Scalar],
    *,
    label: str = "these terms",
    unlock: bool | Iterable[str] = False,
) -> OutcomeSpace:
    """The completions of ``terms``: the outcome space with each fixed issue restricted.

    A term may fix an issue to an amendment's option even when the amendment is not
    adopted (the proposal puts it on the table); the open issues keep ``unlock``'s
    domains. Unknown issues and values raise :class:`~detente.errors.ScenarioError`.
    """
    _validate_terms(s, terms, label)
    return OutcomeSpace(
        s, unlock, restrict={iid: [v] for iid, v in terms.items()}, deal_model=False
    )


def _refuse_if_too_many(
    sub: OutcomeSpace, open_issues: tuple[str, ...], limit: int, label: str
) -> None:
    if sub.size <= limit:
        return
    radix = dict(zip(sub.issues, sub.radices, strict=True))
    detail = ", ".join(f"'{iid}' ({radix[iid]:,} values)" for iid in open_issues)
    raise LimitError(
        f"{label} leaves {len(open_issues)} issue(s) open: {detail}, i.e. {sub.size:,} "
        f"completions, more than the limit of {limit:,}; fix more terms in the "
        "proposal, or raise the limit (--max-completions / max_completions=)"
    )


def check_completions(
    sub: OutcomeSpace,
    terms: Mapping[str, Scalar],
    *,
    label: str = "these terms",
    max_completions: int = MAX_COMPLETIONS,
    chunk_size: int = DEFAULT_CHUNK,
) -> ProposalCheck:
    """Count, chunk by chunk, how every party with a position fares on ``sub``'s outcomes.

    Parameters
    ----------
    sub : OutcomeSpace
        The completions, usually ``space.restrict`` to ``terms`` or
        :func:`completion_space`.
    terms : mapping
        The fixed terms (reported back; issues of ``sub`` not among them are open).
    label : str
        How the terms are named in error messages.
    max_completions : int
        Refuse (:class:`~detente.errors.LimitError`) when ``sub`` holds more outcomes.
    chunk_size : int
        Outcomes evaluated at once; memory stays bounded by it, not by ``sub.size``.
    """
    s = sub.scenario
    open_issues = tuple(iid for iid in sub.issues if iid not in terms)
    _refuse_if_too_many(sub, open_issues, max_completions, label)
    assessed = [p for p in s.parties if p.id in s.positions]
    red_lines: dict[tuple[str, str], RedLine] = {
        (p.id, rl.id): rl for p in assessed for rl in s.positions[p.id].red_lines
    }
    # bargainers: red lines and u >= r; the others (mediators, observers): red lines alone
    dems = demands(s, parties=[p.id for p in assessed])
    cols = party_columns(dems, [p.id for p in assessed])
    rl_col = {(d.party, d.id): j for j, d in enumerate(dems) if d.kind != RESERVATION}
    k = len(sub.parties)
    u_min: FloatArray = np.full(k, np.inf)
    u_max: FloatArray = np.full(k, -np.inf)
    below: IntArray = np.zeros(k, dtype=np.int64)
    kept = dict.fromkeys(red_lines, 0)
    accepted = {p.id: 0 for p in assessed}
    all_ok_in = 0
    for chunk in sub.chunks(chunk_size):
        sat, u = satisfaction(sub, chunk, dems)
        all_ok: BoolArray = np.ones(chunk.n, dtype=np.bool_)
        for p in assessed:
            c = cols[p.id]
            ok = sat[:, c].all(axis=1) if len(c) else np.ones(chunk.n, dtype=np.bool_)
            accepted[p.id] += int(ok.sum())
            all_ok &= ok
        all_ok_in += int(all_ok.sum())
        for key, jc in rl_col.items():
            kept[key] += int(sat[:, jc].sum())
        if k:
            u_min = np.minimum(u_min, u.min(axis=0))
            u_max = np.maximum(u_max, u.max(axis=0))
            below += np.sum(u < sub.reservations, axis=0)
    n = sub.size
    column = {pid: j for j, pid in enumerate(sub.parties)}
    parties = []
    for p in assessed:
        checks = tuple(
            RedLineCheck(rl.id, rl.rule, rl.firmness, rl.basis, rl.source, n - kept[key], n)
            for key, rl in red_lines.items()
            if key[0] == p.id
        )
        j = column.get(p.id)
        parties.append(
            PartyCheck(
                p.id,
                p.role,
                checks,
                j is not None,
                None if j is None else float(u_min[j]),
                None if j is None else float(u_max[j]),
                None if j is None else float(sub.reservations[j]),
                0 if j is None else int(below[j]),
                accepted[p.id],
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
        open_issues,
        n,
        tuple(parties),
        all_ok_in,
        (),
    )


def check_terms(
    s: Scenario,
    terms: Mapping[str, Scalar],
    *,
    label: str = "these terms",
    unlock: bool | Iterable[str] = False,
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
    unlock : bool or iterable of str
        Amendments whose options the open issues may take (see ``domains``).
    max_completions : int
        Refuse (:class:`~detente.errors.LimitError`) when the open issues have more
        combinations than this.
    """
    sub = completion_space(s, terms, label=label, unlock=unlock)
    return check_completions(sub, terms, label=label, max_completions=max_completions)


def check_proposal(
    s: Scenario,
    proposal: Proposal,
    *,
    unlock: bool | Iterable[str] = False,
    max_completions: int = MAX_COMPLETIONS,
) -> ProposalCheck:
    """Check one proposal of ``s``, attaching its reported responses as evidence."""
    base = check_terms(
        s,
        proposal.terms,
        label=f"proposal '{proposal.id}'",
        unlock=unlock,
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
    unlock: bool | Iterable[str] = False,
    max_completions: int = MAX_COMPLETIONS,
) -> tuple[ProposalCheck, ...]:
    """Check every proposal of ``s`` in file order."""
    return tuple(
        check_proposal(s, p, unlock=unlock, max_completions=max_completions) for p in s.proposals
    )
