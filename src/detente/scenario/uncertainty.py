"""The ``uncertainty`` section: how far each assumed number may move (a contract).

Each entry varies one assumed number (or all of one party's weights at once), named by
the address of :mod:`detente.scenario.numbers` in ``of``, with exactly one
distribution::

    uncertainty:
      - of: a.reservation        # party.reservation
        range: [0.3, 0.7]        # uniform between the bounds
      - of: a.weight.x           # party.weight.ISSUE
        triangular: [0.2, 0.4, 0.8]   # lo, mode, hi
      - of: a.weights            # all of a's weights (priorities)
        dirichlet: 50            # concentration, centred on the stated weights
      - of: b.firmness.r1        # party.firmness.RED_LINE (or .reservation)
        range: [3, 9]
      - of: b.value.y.o1         # party.value.ISSUE.OPTION (choice and boolean issues)
        range: [0.1, 0.6]
      - of: conflict.preferences.israel   # a decision maker's ranking of states
        swaps: 1                 # up to this many adjacent swaps (Kendall tau)
      - of: a.weights            # a constraint on draws, not a distribution: a's
        order: [x, y]            # weight on x stays at least its weight on y

This module holds the shapes only (pydantic, strict numbers); which addresses exist,
whether the number is an assumption and whether the range fits its domain are checked
against the whole file by :mod:`detente.scenario.uncertainty_checks`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["UncertaintyEntry"]

_Number = Annotated[float, Field(strict=True)]


class UncertaintyEntry(BaseModel):
    """One varied assumption: its address (``of``) and its distribution (exactly one)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    of: Annotated[str, Field(min_length=1, max_length=300)]
    range: tuple[_Number, _Number] | None = None
    triangular: tuple[_Number, _Number, _Number] | None = None
    dirichlet: Annotated[float, Field(gt=0, strict=True)] | None = None
    swaps: Annotated[int, Field(ge=1, le=50, strict=True)] | None = None
    order: Annotated[tuple[str, ...], Field(min_length=2, max_length=50)] | None = None

    @model_validator(mode="after")
    def _one_distribution(self) -> UncertaintyEntry:
        given = [
            k
            for k in ("range", "triangular", "dirichlet", "swaps", "order")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'range', 'triangular', 'dirichlet', 'swaps' or 'order'"
                + (f" (found {', '.join(given)})" if given else "")
            )
        if self.range is not None and self.range[0] > self.range[1]:
            lo, hi = self.range
            raise ValueError(f"range [{lo:g}, {hi:g}] is empty: lo must not exceed hi")
        if self.triangular is not None:
            lo, mode, hi = self.triangular
            if not lo <= mode <= hi or lo == hi:
                raise ValueError(
                    f"triangular [{lo:g}, {mode:g}, {hi:g}] needs lo <= mode <= hi and lo < hi"
                )
        return self

    @property
    def bounds(self) -> tuple[float, float] | None:
        """(lo, hi) of a range or triangular entry; None for the other kinds."""
        if self.range is not None:
            return (float(self.range[0]), float(self.range[1]))
        if self.triangular is not None:
            return (float(self.triangular[0]), float(self.triangular[2]))
        return None
