"""The scenario schema: pydantic models of everything a scenario file may hold.

These models check shape and local values (types, ranges, enumerations). Checks that
need the whole file (references between sections, expressions against issue domains)
live in :mod:`detente.scenario.semantics`, which also attaches each expression's
resolved AST. Unknown keys are errors, so a misspelt key never silently vanishes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from detente.errors import FieldError
from detente.scenario.expr import Expr

__all__ = [
    "ID_PATTERN",
    "Amendment",
    "Basis",
    "BooleanIssue",
    "ChoiceIssue",
    "Conflict",
    "ConflictOption",
    "ConflictPreference",
    "ConflictRule",
    "DecisionMaker",
    "Derived",
    "Event",
    "Figure",
    "Firmness",
    "IntegerIssue",
    "Issue",
    "OptionSpec",
    "Party",
    "Position",
    "Priority",
    "Proposal",
    "RedLine",
    "Reservation",
    "Response",
    "Scenario",
    "Source",
    "Statement",
]

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_\-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
Basis = Literal["reported", "assumed"]
Firmness = Union[Annotated[int, Field(ge=1, le=10)], Literal["absolute"]]
Scalar = Union[bool, int, str]

MAX_RANGE_SIZE = 10**9  # values in one integer issue


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Provenance(_Model):
    """Where a claim comes from: reported (with a source) or assumed by the analyst."""

    basis: Basis = "assumed"
    source: Id | None = None
    date: dt.date | None = None
    quote: str | None = None
    rationale: str | None = None


class Source(_Model):
    id: Id
    title: str
    publisher: str | None = None
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None


class Party(_Model):
    id: Id
    name: str
    role: Literal["party", "mediator", "observer"] = "party"
    description: str | None = None


class OptionSpec(_Model):
    id: Id
    label: str | None = None
    description: str | None = None


def _option_list(v: Any) -> Any:
    if isinstance(v, list):
        return [{"id": o} if isinstance(o, str) else o for o in v]
    return v


class _IssueBase(_Model):
    id: Id
    label: str | None = None
    description: str | None = None


class ChoiceIssue(_IssueBase):
    """An issue with ordered options (first to last)."""

    kind: Literal["choice"]
    options: Annotated[list[OptionSpec], Field(min_length=1)]

    _normalise = field_validator("options", mode="before")(_option_list)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


class BooleanIssue(_IssueBase):
    kind: Literal["boolean"]

    @property
    def option_ids(self) -> tuple[str, ...]:
        return ("false", "true")


class IntegerIssue(_IssueBase):
    """An integer issue taking every value in ``range`` (inclusive)."""

    kind: Literal["integer"]
    range: tuple[int, int]
    unit: str | None = None

    @field_validator("range")
    @classmethod
    def _check_range(cls, v: tuple[int, int]) -> tuple[int, int]:
        # a field validator (not a model one) so errors point at `range` itself
        lo, hi = v
        if lo > hi:
            raise FieldError(
                f"range [{lo}, {hi}] is empty: lo must not exceed hi",
                expected="[lo, hi] with lo <= hi",
                hint=f"did you mean [{hi}, {lo}]?",
            )
        if hi - lo + 1 > MAX_RANGE_SIZE:
            raise FieldError(
                f"range [{lo}, {hi}] holds {hi - lo + 1:,} values, more than the limit of "
                f"{MAX_RANGE_SIZE:,}",
                expected=f"at most {MAX_RANGE_SIZE:,} values",
                hint="use a coarser unit (thousands, weeks) instead",
            )
        return v

    @property
    def size(self) -> int:
        return self.range[1] - self.range[0] + 1


Issue = Annotated[ChoiceIssue | BooleanIssue | IntegerIssue, Field(discriminator="kind")]


class Derived(_Model):
    """A named quantity computed from issues, e.g. prisoners = ratio * hostages."""

    id: Id
    expr: str
    unit: str | None = None
    label: str | None = None
    description: str | None = None
    _ast: Expr | None = PrivateAttr(default=None)
    _bounds: tuple[int, int] | None = PrivateAttr(default=None)

    @property
    def ast(self) -> Expr:
        assert self._ast is not None, "scenario not checked"
        return self._ast

    @property
    def bounds(self) -> tuple[int, int] | None:
        """(lo, hi) for an integer quantity, None for a boolean one."""
        return self._bounds


class RedLine(Provenance):
    """A hard constraint of a party: every acceptable outcome satisfies ``rule``."""

    id: Id
    rule: str
    firmness: Firmness = 5
    label: str | None = None
    _ast: Expr | None = PrivateAttr(default=None)

    @property
    def ast(self) -> Expr:
        assert self._ast is not None, "scenario not checked"
        return self._ast

    @property
    def relaxable(self) -> bool:
        return self.firmness != "absolute"


PriorityValues = Union[
    Literal["increasing", "decreasing"],
    dict[str, float],
    list[tuple[int, float]],
]


class Priority(Provenance):
    """How much a party cares about one issue (``weight``) and how it values each value.

    ``values`` is a map option -> value in [0, 1] for choices and booleans (options left
    out are worth 0); for integers ``increasing``, ``decreasing``, or points ``[[x, v], ...]``
    (or a map x -> v) of a piecewise-linear curve, constant beyond its end points.
    """

    weight: Annotated[float, Field(ge=0)]
    values: PriorityValues

    @field_validator("values")
    @classmethod
    def _unit_interval(cls, v: PriorityValues) -> PriorityValues:
        nums = (
            v.values() if isinstance(v, dict) else [p[1] for p in v] if isinstance(v, list) else []
        )
        for x in nums:
            if not 0.0 <= x <= 1.0:
                raise ValueError(f"value {x} is outside [0, 1]")
        if isinstance(v, list):
            if not v:
                raise ValueError("a piecewise-linear curve needs at least one point")
            xs = [p[0] for p in v]
            if any(b <= a for a, b in itertools.pairwise(xs)):
                raise ValueError("curve points must have strictly increasing x")
        return v


class Reservation(Provenance):
    """The utility (on the party's [0, 1] scale) below which it prefers no deal."""

    value: Annotated[float, Field(ge=0, le=1)] = 0.0
    firmness: Firmness = 5


class Position(_Model):
    red_lines: list[RedLine] = []
    priorities: dict[str, Priority] = {}
    reservation: Reservation = Reservation()
    batna: str | None = None
    rationale: str | None = None

    @field_validator("reservation", mode="before")
    @classmethod
    def _reservation_number(cls, v: Any) -> Any:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return {"value": v}
        return v


class Response(Provenance):
    party: Id
    response: Literal["accepted", "rejected", "conditional"]
    conditions: str | None = None


class Proposal(_Model):
    id: Id
    by: list[Id]
    title: str | None = None
    date: dt.date | None = None
    source: Id | None = None
    description: str | None = None
    terms: dict[str, Scalar] = {}
    responses: list[Response] = []


class Amendment(Provenance):
    """Bridging terms a mediator floated: options that are off the table until adopted."""

    id: Id
    by: list[Id] = []
    title: str | None = None
    description: str | None = None
    adds: dict[str, list[str]]


class Figure(_Model):
    label: str
    value: float
    unit: str | None = None


EventKind = Literal[
    "statement", "departure", "arrival", "meeting", "proposal", "response",
    "threat", "report", "figure", "action", "other",
]  # fmt: skip


class Event(Provenance):
    actors: list[Id] = []
    kind: EventKind = "statement"
    text: str
    speaker: str | None = None
    figures: list[Figure] = []
    date: dt.date  # required here


class ConflictOption(_Model):
    id: Id
    label: str | None = None
    description: str | None = None


class DecisionMaker(_Model):
    party: Id
    options: Annotated[list[ConflictOption], Field(min_length=1)]

    _normalise = field_validator("options", mode="before")(_option_list)


class Statement(Provenance):
    """One option-prioritization statement (a rule over options)."""

    statement: str
    _ast: Expr | None = PrivateAttr(default=None)

    @property
    def ast(self) -> Expr:
        assert self._ast is not None, "scenario not checked"
        return self._ast


def _statement_list(v: Any) -> Any:
    if isinstance(v, list):
        return [{"statement": s} if isinstance(s, str) else s for s in v]
    return v


class ConflictPreference(Provenance):
    """Either ranked option-prioritization statements or an explicit ranking of states."""

    statements: list[Statement] | None = None
    ranking: list[list[str]] | None = None

    _normalise = field_validator("statements", mode="before")(_statement_list)

    @model_validator(mode="after")
    def _one_of(self) -> ConflictPreference:
        if (self.statements is None) == (self.ranking is None):
            raise ValueError("give exactly one of 'statements' or 'ranking'")
        return self


class ConflictRule(Provenance):
    """An infeasibility rule: states where ``rule`` holds are removed.

    Either ``rule`` (an expression over options) or ``pattern`` (a Y/N/- string over all
    options in declared order, ``-`` meaning either) names the states to remove.
    """

    rule: str | None = None
    pattern: str | None = None
    _ast: Expr | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _rule_or_pattern(self) -> ConflictRule:
        if (self.rule is None) == (self.pattern is None):
            raise ValueError("give exactly one of 'rule' or 'pattern'")
        return self

    @property
    def ast(self) -> Expr:
        assert self._ast is not None, "scenario not checked (or this is a pattern)"
        return self._ast


def _rule_list(v: Any) -> Any:
    if isinstance(v, list):
        return [{"rule": s} if isinstance(s, str) else s for s in v]
    return v


class Conflict(_Model):
    """A Graph Model for Conflict Resolution: who controls which options, and preferences."""

    decision_makers: Annotated[list[DecisionMaker], Field(min_length=1)]
    infeasible: list[ConflictRule] = []
    irreversible: dict[str, Literal["forward", "backward"]] = {}
    preferences: dict[str, ConflictPreference] = {}
    status_quo: str | None = None
    description: str | None = None

    _normalise = field_validator("infeasible", mode="before")(_rule_list)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for dm in self.decision_makers for o in dm.options)


class Scenario(_Model):
    """A negotiation or conflict, as an analyst writes it down."""

    id: Id
    title: str
    as_of: dt.date | None = None
    description: str | None = None
    sources: list[Source] = []
    parties: Annotated[list[Party], Field(min_length=1)]
    issues: list[Issue] = []
    derived: list[Derived] = []
    positions: dict[str, Position] = {}
    proposals: list[Proposal] = []
    amendments: list[Amendment] = []
    events: list[Event] = []
    conflict: Conflict | None = None
    _origin: str | None = PrivateAttr(default=None)

    @property
    def origin(self) -> str | None:
        """The file this scenario was loaded from, if any."""
        return self._origin

    def party(self, party_id: str) -> Party:
        return next(p for p in self.parties if p.id == party_id)

    def party_name(self, party_id: str) -> str:
        """The party's display name, or ``party_id`` itself when no party has that id."""
        return next((p.name for p in self.parties if p.id == party_id), party_id)

    def issue(self, issue_id: str) -> ChoiceIssue | BooleanIssue | IntegerIssue:
        return next(i for i in self.issues if i.id == issue_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    @property
    def bargainers(self) -> list[str]:
        """Parties (role ``party``) that have a position: the ones a deal must satisfy."""
        return [p.id for p in self.parties if p.role == "party" and p.id in self.positions]

    @property
    def amendment_options(self) -> dict[str, set[str]]:
        """issue -> options that only exist once an amendment is adopted."""
        out: dict[str, set[str]] = {}
        for a in self.amendments:
            for issue, opts in a.adds.items():
                out.setdefault(issue, set()).update(opts)
        return out
