"""A draw written back into a scenario document: the point analysis' view of one draw.

Used by the tests (a draw evaluated by the vectorised model must agree with
:func:`detente.analyze` on the document it stands for) and by the benchmark (the
point analysis once per draw). Not on the Monte Carlo path.
"""

from __future__ import annotations

from collections.abc import Mapping

from detente.scenario.model import ScenarioDocument

__all__ = ["apply_draw"]


def apply_draw(doc: ScenarioDocument, numbers: Mapping[str, float]) -> ScenarioDocument:
    """``doc`` with the numbers at ``numbers`` (address -> value) replaced.

    Firmness values are whole numbers (the draws of firmness are).
    """
    positions = dict(doc.positions)
    for address, x in numbers.items():
        party, kind, *rest = address.split(".")
        pos = positions[party]
        if kind == "reservation":
            pos = pos.model_copy(update={"reservation": pos.reservation.model_copy(
                update={"value": float(x)})})  # fmt: skip
        elif kind == "weight":
            pr = pos.priorities[rest[0]]
            pos = pos.model_copy(update={"priorities": {**pos.priorities, rest[0]:
                                 pr.model_copy(update={"weight": float(x)})}})  # fmt: skip
        elif kind == "value":
            pr = pos.priorities[rest[0]]
            assert isinstance(pr.values, dict)
            vals = {**pr.values, rest[1]: float(x)}
            pos = pos.model_copy(update={"priorities": {**pos.priorities, rest[0]:
                                 pr.model_copy(update={"values": vals})}})  # fmt: skip
        elif kind == "firmness" and rest[0] == "reservation":
            pos = pos.model_copy(update={"reservation": pos.reservation.model_copy(
                update={"firmness": round(x)})})  # fmt: skip
        else:
            reds = tuple(
                rl.model_copy(update={"firmness": round(x)}) if rl.id == rest[0] else rl
                for rl in pos.red_lines
            )
            pos = pos.model_copy(update={"red_lines": reds})
        positions[party] = pos
    return doc.model_copy(update={"positions": positions})
