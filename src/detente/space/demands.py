"""Demands: the constraints whose joint satisfiability decides whether a deal exists.

Definition (DESIGN.md, "Deal model"): the demands are every red line of every party plus,
for each bargaining party i, its reservation "u_i >= r_i" (labelled ``party/reservation``).
The ZOPA is empty exactly when the demands cannot all hold. Each demand carries its
firmness (1-10, or ``absolute`` = never relaxed) and its provenance (basis, source, date,
quote) so that every gap and bridge built from it can say where it comes from.

This module only lists demands; it does not decide anything about them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from detente.scenario.checked import Scenario
from detente.space.outcomes import Chunk, OutcomeSpace

if TYPE_CHECKING:
    from detente.scenario.expr import Expr

__all__ = [
    "RESERVATION",
    "Demand",
    "acceptable",
    "demands",
    "disagreement",
    "party_columns",
    "satisfaction",
]

RESERVATION = "reservation"
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Demand:
    """One red line or one reservation, with its firmness and provenance.

    Attributes
    ----------
    key:
        ``party/id`` for a red line, ``party/reservation`` for a reservation.
    kind:
        ``red_line`` or ``reservation``.
    firmness:
        1-10 (the cost of relaxing it) or ``"absolute"`` (never relaxed).
    rule:
        The red line's source text, or ``utility >= r`` for a reservation.
    ast:
        The resolved expression of a red line; None for a reservation.
    value:
        The reservation value r_i (0 for a red line).
    """

    key: str
    party: str
    id: str
    kind: str
    firmness: int | str
    rule: str
    label: str | None
    basis: str
    source: str | None
    date: dt.date | None
    quote: str | None
    ast: Expr | None = None
    value: float = 0.0

    @property
    def relaxable(self) -> bool:
        """Whether a bridge may relax the demand: any firmness but ``absolute``."""
        return self.firmness != "absolute"

    @property
    def cost(self) -> int:
        """Firmness as a relaxation cost; only meaningful when :attr:`relaxable`."""
        return int(self.firmness) if self.relaxable else 0


def demands(
    s: Scenario, *, red_lines_only: bool = False, parties: Sequence[str] | None = None
) -> tuple[Demand, ...]:
    """Every demand of ``s``: red lines in party then file order, then reservations.

    Parameters
    ----------
    s:
        A checked scenario (expressions resolved).
    red_lines_only:
        Leave reservations out (``--red-lines-only``).
    parties:
        Whose red lines to list (default: the bargaining parties; mediators' and
        observers' red lines bind no deal, but a proposal check reports them).
        Reservations are the bargaining parties' only (the others have no utility).
    """
    out: list[Demand] = []
    for pid in s.bargainers if parties is None else parties:
        for rl in s.red_lines_of(pid):
            out.append(
                Demand(
                    key=f"{pid}/{rl.id}",
                    party=pid,
                    id=rl.id,
                    kind="red_line",
                    firmness=rl.firmness,
                    rule=rl.rule,
                    label=rl.label,
                    basis=rl.basis,
                    source=rl.source,
                    date=rl.date,
                    quote=rl.quote,
                    ast=s.red_line_ast(pid, rl.id),
                )
            )
    if not red_lines_only:
        for pid in s.bargainers if parties is None else [q for q in parties if q in s.bargainers]:
            r = s.positions[pid].reservation
            out.append(
                Demand(
                    key=f"{pid}/{RESERVATION}",
                    party=pid,
                    id=RESERVATION,
                    kind=RESERVATION,
                    firmness=r.firmness,
                    rule=f"utility >= {r.value:g}",
                    label=f"{pid} reservation",
                    basis=r.basis,
                    source=r.source,
                    date=r.date,
                    quote=r.quote,
                    value=float(r.value),
                )
            )
    return tuple(out)


def party_columns(dems: Sequence[Demand], parties: Sequence[str]) -> dict[str, IntArray]:
    """Indices of each party's demands in ``dems``, by party."""
    return {
        p: np.array([j for j, d in enumerate(dems) if d.party == p], dtype=np.int64)
        for p in parties
    }


def satisfaction(
    space: OutcomeSpace, chunk: Chunk, dems: Sequence[Demand], *, utility: FloatArray | None = None
) -> tuple[BoolArray, FloatArray]:
    """(satisfied (n, D), utilities (n, k)): which demand each outcome of ``chunk`` meets.

    The one acceptability evaluator: a red line holds where its rule does, a
    reservation where the party's canonical utility reaches it (u_i >= r_i, with r_i
    itself counting as reached). An outcome is acceptable to a party when every one of
    its demands holds (:func:`party_columns`); the ZOPA, proposal checks and the gap
    engines all read this matrix.
    """
    u = space.utility_matrix(chunk) if utility is None else utility
    keys = [(d.party, d.id) for d in dems if d.kind != RESERVATION]
    masks = space.red_line_masks(chunk, keys) if keys else {}
    col = {p: j for j, p in enumerate(space.parties)}
    sat = np.empty((chunk.n, len(dems)), dtype=np.bool_)
    for j, d in enumerate(dems):
        if d.kind == RESERVATION:
            sat[:, j] = u[:, col[d.party]] >= d.value
        else:
            sat[:, j] = masks[(d.party, d.id)]
    return sat, u


def disagreement(dems: Sequence[Demand], parties: Sequence[str], keep: Iterable[int]) -> FloatArray:
    """d_i = r_i when party i's reservation is among the kept demands, else 0."""
    kept = {dems[j].party for j in keep if dems[j].kind == RESERVATION}
    res = {d.party: d.value for d in dems if d.kind == RESERVATION}
    return np.array([res.get(p, 0.0) if p in kept else 0.0 for p in parties], dtype=np.float64)


def acceptable(
    space: OutcomeSpace,
    chunk: Chunk,
    *,
    utility: FloatArray | None = None,
    dems: Sequence[Demand] | None = None,
) -> dict[str, BoolArray]:
    """Per party, True where the outcome meets every demand of the party (red lines, u >= r).

    ``dems`` defaults to the bargaining parties' demands; parties without a demand
    accept everything.
    """
    ds = tuple(demands(space.scenario, parties=space.parties)) if dems is None else tuple(dems)
    sat, _ = satisfaction(space, chunk, ds, utility=utility)
    cols = party_columns(ds, sorted({d.party for d in ds} | set(space.parties)))
    out: dict[str, BoolArray] = {}
    for p, c in cols.items():
        out[p] = np.asarray(sat[:, c].all(axis=1)) if len(c) else np.ones(chunk.n, dtype=np.bool_)
    return out
