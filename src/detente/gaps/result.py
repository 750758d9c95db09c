"""The result of a gap analysis, and the one a scenario with an open ZOPA gets.

:class:`GapAnalysis` is what :func:`detente.gaps.analysis.analyze_gaps` returns;
:func:`zopa_open` builds it without a gap question when the deal analysis already found
a ZOPA (the composite analysis' common case), so that path loads none of the gap,
bridge, near-miss or amendment machinery.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from detente.backends.base import NearMiss, Witness
from detente.results import dataframe, frozen_mapping
from detente.scenario.checked import Scenario
from detente.space.demands import Demand, demands

if TYPE_CHECKING:
    from detente.gaps.amendments import AmendmentResult
    from detente.gaps.bridges import Bridge
    from detente.gaps.mus import Gap

__all__ = ["GapAnalysis", "Method", "zopa_open"]

Method = Literal["enumeration", "solver"]


@dataclass(frozen=True, eq=False)
class GapAnalysis:
    """Why there is no deal, what would open one, and how close the parties come.

    The header (``scenario``, ``method``, ``exact``, ``parameters``, ``notes``) is the one
    every result carries; ``engine`` is the back end that answered (``enum`` or
    ``solver``), kept for the JSON contract.
    """

    scenario: str
    method: Method
    exact: bool
    parameters: Mapping[str, object]
    notes: tuple[str, ...]
    engine: str
    red_lines_only: bool
    demands: tuple[Demand, ...]
    zopa_empty: bool
    witness: Witness | None
    gaps: tuple[Gap, ...]
    gaps_complete: bool
    bridges: tuple[Bridge, ...]
    bridges_complete: bool
    near_misses: tuple[NearMiss, ...]
    amendments: tuple[AmendmentResult, ...]

    def to_dataframe(self, what: Literal["gaps", "bridges", "near_misses"] = "bridges") -> Any:
        """A pandas DataFrame of one part of the analysis (needs the ``[pandas]`` extra).

        ``what``: the gaps, the bridges (with their deals) or the near misses.
        """
        rows: list[dict[str, Any]] = []
        if what == "gaps":
            for g in self.gaps:
                rows.append(
                    {
                        "demands": " + ".join(g.keys),
                        "parties": ", ".join(g.parties),
                        "assumed": ", ".join(d.key for d in g.demands if d.basis != "reported"),
                    }
                )
        elif what == "bridges":
            for b in self.bridges:
                row: dict[str, Any] = {
                    "relax": " + ".join(b.keys),
                    "cost": b.cost,
                    "zopa_size": b.zopa_size,
                    "zopa_size_exact": b.zopa_exact,
                }
                for kind, deal in (("nash", b.nash), ("egalitarian", b.egalitarian)):
                    for p, u in deal.utilities.items() if deal is not None else ():
                        row[f"{kind}_u_{p}"] = u
                rows.append(row)
        elif what == "near_misses":
            for nm in self.near_misses:
                rows.append(
                    {
                        **nm.terms,
                        **{f"u_{p}": u for p, u in nm.utilities.items()},
                        "violated": ", ".join(nm.violated),
                        "score": nm.score,
                    }
                )
        else:
            raise ValueError(f"unknown table {what!r}: gaps, bridges, near_misses")
        return dataframe(rows)


def zopa_open(
    s: Scenario, witness: Witness, *, red_lines_only: bool = False, engine: str = "enum"
) -> GapAnalysis:
    """The gap analysis of a scenario whose ZOPA is known to be open (``witness`` in it).

    Nothing is left to explain: no gaps, bridges or near misses; used by the composite
    analysis so that no gap question runs when the deal analysis found a ZOPA and there
    are no amendments to examine.
    """
    dems = demands(s, red_lines_only=red_lines_only)
    return GapAnalysis(
        scenario=s.id,
        method="enumeration" if engine == "enum" else "solver",
        exact=True,
        parameters=frozen_mapping({"red_lines_only": red_lines_only}),
        notes=("the ZOPA is open: there is no gap to explain",),
        engine=engine,
        red_lines_only=red_lines_only,
        demands=dems,
        zopa_empty=False,
        witness=Witness(witness.terms, witness.utilities, frozenset(range(len(dems)))),
        gaps=(),
        gaps_complete=True,
        bridges=(),
        bridges_complete=True,
        near_misses=(),
        amendments=(),
    )
