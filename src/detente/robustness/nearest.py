"""The nearest reversing draw, shrunk: an upper bound on the flip distance for any conclusion.

Where no closed form applies (weights, values, mixed moves), the Monte Carlo keeps the
reversing draw closest to the estimates (L-inf over ranges scaled to 1). That draw is
then shrunk: each moved number, smallest move first, goes back to its estimate when the
conclusion stays reversed without it; then the remaining move is scaled down by
bisection along the segment from the estimates. The result reverses the conclusion and
is an upper bound on the smallest change (``exact: false``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from detente.robustness.conclusions import ConclusionSet, evaluate
from detente.robustness.model import Compiled
from detente.robustness.results import Flip
from detente.scenario.uncertainty_checks import Uncertainty

__all__ = ["shrink_flip"]

FloatArray = npt.NDArray[np.float64]
_STEPS = 20


def shrink_flip(
    model: Compiled, cs: ConclusionSet, unc: Uncertainty, j: int, draw: FloatArray
) -> Flip:
    """Shrink a reversing ``draw`` of conclusion ``j`` (module docstring)."""
    est = np.array([v.estimate for v in unc.varied], dtype=np.float64)
    width = np.array([max(v.hi - v.lo, 1e-12) for v in unc.varied], dtype=np.float64)
    fixed = np.array([v.hi <= v.lo for v in unc.varied], dtype=np.bool_)  # no step (runner)
    target = cs.conclusions[j].holds
    one, at = _alone(cs, j)
    seen: dict[bytes, bool] = {}  # bisection on whole firmness steps revisits points

    def reversed_at(x: FloatArray) -> bool:
        key = x.tobytes()
        if key not in seen:
            seen[key] = bool(evaluate(model, one, x[None, :]).holds[0, at] != target)
        return seen[key]

    x = draw.astype(np.float64).copy()
    order = np.argsort(np.abs(x - est) / width, kind="stable")
    for c in order:
        if x[c] == est[c]:
            continue
        trial = x.copy()
        trial[c] = est[c]
        if reversed_at(trial):
            x = trial
    lo, hi = 0.0, 1.0
    integer = np.array([v.kind == "firmness" for v in unc.varied], dtype=np.bool_)

    def point(t: float) -> FloatArray:
        y = est + t * (x - est)
        y[integer] = np.where(x[integer] > est[integer], np.ceil(y[integer] - 1e-12),
                              np.floor(y[integer] + 1e-12))  # fmt: skip
        return y

    for _ in range(_STEPS):
        mid = (lo + hi) / 2
        if reversed_at(point(mid)):
            hi = mid
        else:
            lo = mid
    y = np.round(point(hi), 6)  # on the JSON's grid, still reversing
    t = hi
    for _ in range(60):
        if reversed_at(y) or t >= 1.0:
            break
        t = min(1.0, t + max(1e-6, 0.05 * (1.0 - t)))
        y = np.round(point(t), 6)
    if not reversed_at(y):
        y = x
    dist = float(np.where(fixed, 0.0, np.abs(y - est) / width).max()) if len(y) else 0.0
    changes = {v.address: float(yv) for v, yv, e in zip(unc.varied, y, est, strict=True) if yv != e}
    return Flip(dist, "linf-range", False, "all varied numbers", changes)


def _alone(cs: ConclusionSet, j: int) -> tuple[ConclusionSet, int]:
    """Conclusion ``j`` alone where its evaluation does not depend on the others.

    A gap, the bridge or a deal is computed the same way in any set (the others cost
    as much again); whether a ZOPA opens is read off the table or the deals the set
    computes anyway, so it keeps its set.
    """
    c = cs.conclusions[j]
    if c.kind == "zopa":
        return cs, j
    return ConclusionSet((c,), cs.combo_labels), 0
