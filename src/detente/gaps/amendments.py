"""Candidate amendments: whether the bridging terms that mediators floated open a deal.

An amendment puts options on the table that are otherwise locked
(:class:`detente.scenario.model.Amendment`). For each set of amendments considered
(every non-empty subset when there are at most :data:`ALL_SUBSETS_UP_TO`, otherwise each
alone and all together), the demands are re-examined over the enlarged space: does a
ZOPA open (an outcome satisfying every demand), how large is it, what are the Nash and
egalitarian deals, which gaps of the original space it resolves (they become
satisfiable) and which gaps remain, i.e. what still blocks a deal. Utilities keep the
scale of the whole declared space, amendment options included
(:func:`detente.space.utility.utilities`), so adopting an amendment moves no party's scale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

from detente.backends.base import Backend
from detente.gaps.mus import Gap, as_gaps, enumerate_gaps
from detente.space.bargaining import Deal

__all__ = ["AmendmentResult", "analyze_amendments", "amendment_sets", "ALL_SUBSETS_UP_TO"]

ALL_SUBSETS_UP_TO = 4
COUNT_CAP = 1_000


@dataclass(frozen=True)
class AmendmentResult:
    """What adopting ``adopted`` does to the gaps and the ZOPA."""

    adopted: tuple[str, ...]
    opens_zopa: bool
    zopa_size: int
    zopa_exact: bool
    nash: Deal | None
    egalitarian: Deal | None
    resolved: tuple[Gap, ...]  # gaps of the original space that no longer hold
    remaining: tuple[Gap, ...]  # gaps over the enlarged space
    remaining_complete: bool


def amendment_sets(ids: Sequence[str]) -> list[tuple[str, ...]]:
    """The sets of amendments examined, smallest first (see module docstring)."""
    if len(ids) <= ALL_SUBSETS_UP_TO:
        return [c for r in range(1, len(ids) + 1) for c in combinations(ids, r)]
    return [(a,) for a in ids] + [tuple(ids)]


def analyze_amendments(
    ids: Sequence[str],
    make_backend: Callable[[Sequence[str]], Backend],
    base_gaps: Sequence[frozenset[int]],
    *,
    gap_limit: int = 20,
) -> tuple[AmendmentResult, ...]:
    """Examine each set of amendments (back ends built by ``make_backend(adopted)``)."""
    out = []
    for adopted in amendment_sets(ids):
        engine = make_backend(adopted)
        demands = engine.demands
        resolved = [g for g in base_gaps if engine.solve(g)[0] is not None]
        everything = frozenset(range(len(demands)))
        muses = enumerate_gaps(engine, gap_limit)
        opens = muses.witness is not None
        size, exact = engine.count(everything, COUNT_CAP) if opens else (0, True)
        out.append(
            AmendmentResult(
                adopted=tuple(adopted),
                opens_zopa=opens,
                zopa_size=size,
                zopa_exact=exact,
                nash=engine.deal(everything, "nash") if opens else None,
                egalitarian=engine.deal(everything, "egalitarian") if opens else None,
                resolved=as_gaps(demands, resolved),
                remaining=as_gaps(demands, sorted(muses.muses, key=lambda m: (len(m), sorted(m)))),
                remaining_complete=muses.complete,
            )
        )
    return tuple(out)
