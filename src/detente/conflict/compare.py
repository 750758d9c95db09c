"""Option-removal comparison: whether a decision maker's presence changes the equilibria.

Analyses the conflict twice: as written, and with some decision makers removed (their
options held at N: the options are not available, so never taken, e.g. a threatened
suspension of weapons shipments that is off the table). Equilibria of both are written
as Y/N patterns over *all* options in declared order (removed options shown as N), so
they compare directly. Rendering lives in :mod:`detente.report`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from detente.conflict.model import compile_conflict
from detente.conflict.stability import Concept, StabilityAnalysis, analyze_stability
from detente.scenario.checked import Scenario

__all__ = ["Comparison", "compare_without"]


@dataclass(frozen=True, eq=False)
class Comparison:
    """Stability analyses with (``full``) and without (``reduced``) some decision makers."""

    removed: tuple[str, ...]
    full: StabilityAnalysis
    reduced: StabilityAnalysis

    def _full_pattern(self, reduced_pattern: str) -> str:
        letters = dict(zip(self.reduced.conflict.options, reduced_pattern, strict=True))
        fixed = self.reduced.conflict.fixed
        return "".join(
            letters[o] if o in letters else ("Y" if fixed[o] else "N")
            for o in self.full.conflict.options
        )

    def with_patterns(self, concept: Concept) -> list[str]:
        """Y/N patterns of the ``concept`` equilibria of the conflict as written."""
        pats = self.full.conflict.patterns()
        return [pats[e - 1] for e in self.full.equilibria(concept)]

    def without_patterns(self, concept: Concept) -> list[str]:
        """Y/N patterns of the ``concept`` equilibria without the removed decision makers.

        Patterns run over all options of the full conflict, removed options shown at the
        value they are held at.
        """
        pats = self.reduced.conflict.patterns()
        return [self._full_pattern(pats[e - 1]) for e in self.reduced.equilibria(concept)]

    def only_with(self, concept: Concept) -> list[str]:
        """Equilibria that exist only when the removed decision makers take part."""
        w = set(self.without_patterns(concept))
        return [p for p in self.with_patterns(concept) if p not in w]

    def only_without(self, concept: Concept) -> list[str]:
        """Equilibria that the removed decision makers' presence destroys."""
        w = set(self.with_patterns(concept))
        return [p for p in self.without_patterns(concept) if p not in w]

    def changed(self, concept: Concept) -> bool:
        """Whether removing the decision makers changes the set of ``concept`` equilibria."""
        return bool(self.only_with(concept) or self.only_without(concept))


def compare_without(
    scenario: Scenario, removed: Sequence[str], *, full: StabilityAnalysis | None = None
) -> Comparison:
    """Analyze ``scenario``'s conflict with and without the decision makers ``removed``.

    ``full``, when given, is the analysis of the conflict as written (not recomputed).
    """
    if full is None:
        full = analyze_stability(compile_conflict(scenario))
    reduced = analyze_stability(compile_conflict(scenario, without=removed))
    return Comparison(tuple(removed), full, reduced)
