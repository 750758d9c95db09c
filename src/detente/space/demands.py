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
from dataclasses import dataclass

from detente.scenario.checked import Scenario
from detente.scenario.expr import Expr

__all__ = ["Demand", "demands", "RESERVATION", "RES_TOL"]

RESERVATION = "reservation"
RES_TOL = 1e-9  # u_i >= r_i is tested as u_i >= r_i - RES_TOL (float round-off in u)


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
        return self.firmness != "absolute"

    @property
    def cost(self) -> int:
        """Firmness as a relaxation cost; only meaningful when :attr:`relaxable`."""
        return int(self.firmness) if self.relaxable else 0


def demands(s: Scenario, *, red_lines_only: bool = False) -> tuple[Demand, ...]:
    """Every demand of ``s``: red lines in party then file order, then reservations.

    Parameters
    ----------
    s:
        A checked scenario (expressions resolved).
    red_lines_only:
        Leave reservations out (``--red-lines-only``).
    """
    out: list[Demand] = []
    for pid in s.bargainers:  # mediators' and observers' lines bind no deal
        for rl in s.positions[pid].red_lines:
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
        for pid in s.bargainers:
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
