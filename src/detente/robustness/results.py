"""The frozen result of a robustness run, and the Wilson interval.

Nothing here computes an analysis; :mod:`detente.robustness.analysis` fills these.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "ConclusionResult",
    "Flip",
    "Interval",
    "RobustnessResult",
    "Value",
    "Verdict",
    "wilson",
]

Verdict = Literal["necessarily", "possibly", "never"]


def wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion (Wilson 1927).

    Centre (p + z^2/2n) / (1 + z^2/n), half-width z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n).
    """
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Flip:
    """The smallest change of the varied numbers found to reverse a conclusion.

    ``distance`` in ``norm`` (``linf``: the largest move, in the numbers' own units;
    ``linf-range``: the largest move as a share of each number's range); ``exact``
    false means an upper bound (the nearest reversing draw); ``moves`` which numbers
    the search could move; ``changes`` the moved numbers' new values.
    """

    distance: float
    norm: str
    exact: bool
    moves: str
    changes: Mapping[str, float]


@dataclass(frozen=True)
class Interval:
    """One-at-a-time stability interval of one varied number for one conclusion.

    The conclusion holds (as at the estimates) for values in [lo, hi] of the number,
    the others at their estimates; ``range`` is the number's own range, ``share`` the
    interval's share of it (1: the number cannot reverse it alone).
    """

    address: str
    lo: float
    hi: float
    range: tuple[float, float]
    estimate: float
    exact: bool

    @property
    def share(self) -> float:
        """The interval's share of the number's range."""
        width = self.range[1] - self.range[0]
        return 1.0 if width <= 0 else (self.hi - self.lo) / width


@dataclass(frozen=True)
class Value:
    """A value of a categorical conclusion: its share of draws and SMAA-2 descriptors.

    ``share`` is its acceptability (share of draws giving it); ``central`` the mean of
    the varied numbers over those draws (the central vector); ``confidence`` the share
    of draws giving it when the preference numbers (weights, values) are held at the
    central vector and the others vary (the confidence factor; None when not computed).
    """

    value: str
    count: int
    share: float
    central: Mapping[str, float]
    confidence: float | None = None


@dataclass(frozen=True)
class ConclusionResult:
    """One conclusion's robustness (the JSON keys of ``detente robustness``)."""

    id: str
    kind: str
    text: str
    holds: bool
    value: str | None
    support: float
    ci: tuple[float, float]
    assumption_free: bool
    verdict: Verdict | None
    verdict_exact_note: str | None
    flip: Flip | None
    nearest_draw: Flip | None
    acceptability: tuple[Value, ...] | None
    intervals: tuple[Interval, ...]

    @property
    def critical(self) -> Interval | None:
        """The varied number whose stability interval is the smallest share of its range."""
        moving = [i for i in self.intervals if i.share < 1.0 - 1e-12]
        return min(moving, key=lambda i: (i.share, i.address)) if moving else None


@dataclass(frozen=True, eq=False)
class RobustnessResult:
    """A robustness run.

    Header as every result; ``draws`` is what was asked for and ``completed`` what ran
    (less when interrupted).
    """

    scenario: str
    method: Literal["monte-carlo"]
    exact: bool
    parameters: Mapping[str, Any]
    notes: tuple[str, ...]
    title: str
    draws: int
    completed: int
    seed: int
    interrupted: bool
    default_uncertainty: bool
    varied: tuple[Mapping[str, Any], ...]
    conclusions: tuple[ConclusionResult, ...]
    backend: str
    acceptance: float | None = None  # share of candidate draws meeting the weight orders
    # how the orders were met: "rejection" or "hit-and-run" (None without orders)
    sampler: str | None = None
