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
      - of: b.value.y.o2         # a measurement, mapped linearly to the value:
        normal: [9.2, 1.86]      # N(mean, sd) of the measurement (sd 0: fixed)
        scale: [20.6, 1.0]       # [worst, best]: the measurements worth 0 and 1
      - of: b.value.z.o1
        lognormal: [0.086, 0.056]  # exp(N(mu, sigma)): mu and sigma of the log
        scale: [0.98, 1.23]
      - of: conflict.preferences.israel   # a decision maker's ranking of states
        swaps: 1                 # up to this many adjacent swaps (Kendall tau)
      - of: a.weights            # a constraint on draws, not a distribution: a's
        order: [x, y]            # weight on x stays at least its weight on y

**Measurements.** With ``scale: [worst, best]`` the drawn number is a measurement
(an incidence, an odds ratio), not the value: the option's value in a draw is
(x - worst) / (best - worst), linear on the scale and extrapolated beyond it, as
SMAA-2's linear partial value functions are (Lahdelma & Salminen 2001; JSMAA's
``UtilityFunction`` extrapolates the end segments too). ``worst > best`` for a
lower-is-better criterion. ``normal`` and ``lognormal`` are unbounded and always
describe a measurement, so they need ``scale`` (``scale: [0, 1]`` when the draw is
the value itself); ``range`` and ``triangular`` take an optional ``scale`` (their
bounds are then measurements too). Only ``party.value.ISSUE.OPTION`` items take a
``scale``, a ``normal`` or a ``lognormal``. For an unbounded entry the machinery that
needs bounds (one-at-a-time intervals, the tornado, the scaling of the nearest
reversing draw) uses its central :data:`CENTRAL` interval in value units
(:meth:`UncertaintyEntry.value_bounds`).

This module holds the shapes only (pydantic, strict numbers) and the arithmetic of a
measurement; which addresses exist, whether the number is an assumption, whether the
range fits its domain and whether the stated value agrees with the distribution are
checked against the whole file by :mod:`detente.scenario.uncertainty_checks`.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["CENTRAL", "DISTRIBUTIONS", "UNBOUNDED", "UncertaintyEntry"]

_Number = Annotated[float, Field(strict=True)]
DISTRIBUTIONS = ("range", "triangular", "dirichlet", "swaps", "order", "normal", "lognormal")
UNBOUNDED = ("normal", "lognormal")
CENTRAL = 0.999  # the central interval that stands for an unbounded entry's bounds
_Z = 3.2905267314919255  # standard normal quantile of (1 + CENTRAL) / 2


class UncertaintyEntry(BaseModel):
    """One varied assumption: its address (``of``) and its distribution (exactly one)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    of: Annotated[str, Field(min_length=1, max_length=300)]
    range: tuple[_Number, _Number] | None = None
    triangular: tuple[_Number, _Number, _Number] | None = None
    dirichlet: Annotated[float, Field(gt=0, strict=True)] | None = None
    swaps: Annotated[int, Field(ge=1, le=50, strict=True)] | None = None
    order: Annotated[tuple[str, ...], Field(min_length=2, max_length=50)] | None = None
    normal: tuple[_Number, _Number] | None = None  # mean, sd of the measurement
    lognormal: tuple[_Number, _Number] | None = None  # mu, sigma of its log
    scale: tuple[_Number, _Number] | None = None  # worst, best measurement

    @model_validator(mode="after")
    def _one_distribution(self) -> UncertaintyEntry:
        given = [k for k in DISTRIBUTIONS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'range', 'triangular', 'dirichlet', 'swaps', 'order', "
                "'normal' or 'lognormal'" + (f" (found {', '.join(given)})" if given else "")
            )
        self._check_measurement(given[0])
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

    def _check_measurement(self, kind: str) -> None:
        if kind in UNBOUNDED:
            _, sd = self.normal or self.lognormal or (0.0, 0.0)
            what = "sd" if kind == "normal" else "sigma (of the log)"
            if not sd >= 0 or not math.isfinite(sd):
                raise ValueError(f"{kind}: {what} {sd:g} must be >= 0 (0: a fixed measurement)")
            if self.scale is None:
                raise ValueError(
                    f"'{kind}' draws a measurement: give 'scale: [worst, best]', the "
                    "measurements worth 0 and 1 (scale: [0, 1] when the draw is the value itself)"
                )
        if self.scale is not None:
            if kind not in ("range", "triangular", *UNBOUNDED):
                raise ValueError(
                    f"'scale' maps a measurement to an option's value: it goes with 'range', "
                    f"'triangular', 'normal' or 'lognormal', not with '{kind}'"
                )
            worst, best = self.scale
            if worst == best:
                raise ValueError(f"scale [{worst:g}, {best:g}]: worst and best must differ")

    def to_value(self, x: float) -> float:
        """The value of measurement ``x`` on the entry's scale (``x`` itself without one)."""
        if self.scale is None:
            return float(x)
        worst, best = self.scale
        return (float(x) - worst) / (best - worst)

    @property
    def median(self) -> float | None:
        """The value at the measurement's median (normal: the mean; lognormal: e^mu)."""
        if self.normal is not None:
            return self.to_value(self.normal[0])
        if self.lognormal is not None:
            return self.to_value(math.exp(self.lognormal[0]))
        return None

    @property
    def bounds(self) -> tuple[float, float] | None:
        """(lo, hi) of a range or triangular entry, in value units; None for the others.

        With a scale the bounds are measurements, mapped to values (and sorted).
        """
        ends = (
            self.range if self.range is not None
            else (self.triangular[0], self.triangular[2]) if self.triangular is not None
            else None
        )  # fmt: skip
        if ends is None:
            return None
        a, b = self.to_value(ends[0]), self.to_value(ends[1])
        return (min(a, b), max(a, b))

    @property
    def mode(self) -> float | None:
        """A triangular entry's mode, in value units."""
        return None if self.triangular is None else self.to_value(self.triangular[1])

    def value_bounds(self) -> tuple[float, float] | None:
        """:attr:`bounds`, or for a normal or lognormal its central :data:`CENTRAL` interval.

        Normal: mean +/- z sd; lognormal: exp(mu +/- z sigma); z the standard normal
        quantile of (1 + CENTRAL) / 2; mapped to values and sorted.
        """
        if self.normal is not None or self.lognormal is not None:
            m, sd = self.normal or self.lognormal or (0.0, 0.0)
            lo, hi = m - _Z * sd, m + _Z * sd
            if self.lognormal is not None:
                lo, hi = math.exp(lo), math.exp(hi)
            a, b = self.to_value(lo), self.to_value(hi)
            return (min(a, b), max(a, b))
        return self.bounds
