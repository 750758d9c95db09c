"""The numbers behind the positions, each with its address and whether it is an assumption.

A scenario's conclusions rest on numbers: each party's weights and option values, its
reservation, and the firmness of its red lines and reservation. This module lists them
with the address the ``uncertainty`` section uses to vary them:

- ``party.weight.ISSUE``: the weight of a priority;
- ``party.value.ISSUE.OPTION``: the value of a choice or boolean option (options left
  out of ``values`` are worth 0 and are listed too);
- ``party.reservation``: the reservation value;
- ``party.firmness.RED_LINE``: a red line's firmness (``absolute`` ones are not numbers);
- ``party.firmness.reservation``: the reservation's firmness.

An item is *reported* only when the file marks it ``basis: reported`` (with a source);
everything else is the analyst's assumption. Firmness is never reported: a file states
what a party demands, not how firmly, so firmness numbers are always assumptions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from detente.scenario.model import BooleanIssue, ChoiceIssue, IntegerIssue, Position

__all__ = ["Number", "NumberKind", "numbers"]

NumberKind = Literal["weight", "value", "reservation", "firmness"]


@dataclass(frozen=True)
class Number:
    """One number behind a position: where it is, its value, and whether it is assumed.

    ``path`` is its field path in the file (for messages and line numbers).
    """

    address: str
    kind: NumberKind
    party: str
    value: float
    assumed: bool
    path: tuple[str | int, ...]
    lo: float
    hi: float | None  # its domain (None: unbounded above)


class _Positions(Protocol):
    """A scenario document or a checked scenario (both expose these sections)."""

    @property
    def bargainers(self) -> list[str]: ...
    @property
    def positions(self) -> Mapping[str, Position]: ...
    @property
    def issues(self) -> Sequence[ChoiceIssue | BooleanIssue | IntegerIssue]: ...


def numbers(s: _Positions) -> tuple[Number, ...]:
    """Every number behind the bargaining parties' positions, in file order."""
    return tuple(_numbers(s))


def _numbers(s: _Positions) -> Iterator[Number]:
    for pid in s.bargainers:
        pos = s.positions[pid]
        base: tuple[str | int, ...] = ("positions", pid)
        for iid, pr in pos.priorities.items():
            ppath = (*base, "priorities", iid)
            assumed = pr.basis != "reported"
            yield Number(
                f"{pid}.weight.{iid}", "weight", pid, float(pr.weight), assumed,
                (*ppath, "weight"), 0.0, None,
            )  # fmt: skip
            issue = next((i for i in s.issues if i.id == iid), None)
            if isinstance(issue, (ChoiceIssue, BooleanIssue)) and isinstance(pr.values, dict):
                for opt in issue.option_ids:
                    yield Number(
                        f"{pid}.value.{iid}.{opt}", "value", pid,
                        float(pr.values.get(opt, 0.0)), assumed,
                        (*ppath, "values", opt), 0.0, 1.0,
                    )  # fmt: skip
        r = pos.reservation
        yield Number(
            f"{pid}.reservation", "reservation", pid, float(r.value), r.basis != "reported",
            (*base, "reservation"), 0.0, 1.0,
        )  # fmt: skip
        for j, rl in enumerate(pos.red_lines):
            if rl.firmness != "absolute":
                yield Number(
                    f"{pid}.firmness.{rl.id}", "firmness", pid, float(rl.firmness), True,
                    (*base, "red_lines", j, "firmness"), 1.0, 10.0,
                )  # fmt: skip
        if r.firmness != "absolute":
            yield Number(
                f"{pid}.firmness.reservation", "firmness", pid, float(r.firmness), True,
                (*base, "reservation", "firmness"), 1.0, 10.0,
            )  # fmt: skip
