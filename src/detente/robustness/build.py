"""The conclusions of a scenario at its estimates, from the point analysis.

The gaps are the point analysis' own (:func:`detente.analysis.analyze`); whether the
ZOPA is open, the cheapest bridge and the deals at the estimates are evaluated by the
same code as every draw (:func:`detente.robustness.conclusions.evaluate`), and the tests
check them against ``analyze``. Red-line-only gaps depend on no number: they are marked
assumption-free and computed once. GMCR equilibria depend on no number either.
"""

from __future__ import annotations

from dataclasses import replace

from detente.analysis.composite import Analysis
from detente.robustness.conclusions import (
    NONE,
    Conclusion,
    ConclusionSet,
    combo_labels,
    evaluate,
)
from detente.robustness.model import Compiled
from detente.robustness.sampling import estimates
from detente.scenario.uncertainty_checks import Uncertainty

__all__ = ["build_conclusions", "equilibrium_conclusions"]

_CONCEPTS = ("nash", "gmr", "smr", "seq")


def equilibrium_conclusions(a: Analysis) -> list[Conclusion]:
    """``equilibrium:CONCEPT:STATE`` for every equilibrium (no number moves them)."""
    out = []
    if a.conflict is not None:
        for concept in _CONCEPTS:
            for state in a.conflict.equilibria(concept):
                out.append(
                    Conclusion(
                        f"equilibrium:{concept}:{state}", "equilibrium",
                        f"state {state} is a {concept.upper()} equilibrium", True,
                        assumption_free=True,
                    )
                )  # fmt: skip
    return out


def build_conclusions(model: Compiled | None, a: Analysis, unc: Uncertainty) -> ConclusionSet:
    """Every conclusion of ``a`` that a robustness run tests, valued at the estimates."""
    if model is None or a.deal is None:
        return ConclusionSet(tuple(equilibrium_conclusions(a)))
    red_index = {d.key: j for j, d in enumerate(model.red_lines)}
    party_bit = {d.key: 1 << j for j, d in enumerate(model.reservations)}
    clear = model.clear_pattern
    items: list[Conclusion] = [
        Conclusion(
            "zopa-nonempty", "zopa", "some outcome meets every red line and reservation",
            not a.deal.zopa.empty, assumption_free=clear is None,
        )
    ]  # fmt: skip
    if a.gaps is not None:
        for g in a.gaps.gaps:
            keys = tuple(sorted(g.keys))
            res = sum(party_bit[k] for k in keys if k in party_bit)
            assumed = [d.key for d in g.demands if d.basis != "reported"]
            what = "reported" if not assumed else "assumed: " + ", ".join(sorted(assumed))
            items.append(
                Conclusion(
                    "gap:" + "+".join(keys), "gap", f"{' + '.join(keys)} cannot all hold "
                    f"({what})", True, assumption_free=res == 0,
                    red=tuple(red_index[k] for k in keys if k in red_index), res=res, keys=keys,
                )
            )  # fmt: skip
    never = clear is None  # no outcome meets the red lines: no ZOPA, no deal, ever
    items += [
        Conclusion("cheapest-bridge", "bridge", "the cheapest demands to relax", True, ""),
        Conclusion("nash-deal", "deal", "the Nash bargaining deal", True,
                   NONE if never else "", assumption_free=never),
        Conclusion("egalitarian-deal", "deal", "the egalitarian deal", True,
                   NONE if never else "", assumption_free=never),
    ]  # fmt: skip
    items += equilibrium_conclusions(a)
    cs = ConclusionSet(tuple(items), combo_labels(model))
    at = evaluate(model, cs, estimates(unc.varied)[None, :])
    fixed = []
    for j, c in enumerate(cs.conclusions):
        if c.categorical and not c.assumption_free:
            c = replace(c, value=at.values[j][0])
        elif c.kind in ("zopa", "gap"):
            assert bool(at.holds[0, j]) == c.holds, f"{c.id}: the point analysis disagrees"
        fixed.append(c)
    return ConclusionSet(tuple(fixed), cs.combo_labels)
