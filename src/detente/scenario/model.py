"""The scenario schema: pydantic models of everything a scenario file may hold.

These models check shape and local values (types, ranges, enumerations). Checks that
need the whole file (references between sections, expressions against issue domains)
live in :mod:`detente.scenario.semantics`; what checking computes is held by the checked
:class:`~detente.scenario.checked.Scenario`, never written into these models. Ids,
numbers and provenance are in :mod:`detente.scenario.fields`. Unknown keys are errors,
so a misspelt key never silently vanishes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Annotated, Any, Literal, Union

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from detente.errors import FieldError
from detente.scenario.fields import (
    ID_PATTERN,
    MAX_RANGE_SIZE,
    Basis,
    Firmness,
    Id,
    Number,
    Provenance,
    Scalar,
    Whole,
    expression_name,
)
from detente.scenario.fields import Model as _Model
from detente.scenario.uncertainty import UncertaintyEntry

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
    "Provenance",
    "Priority",
    "Proposal",
    "RedLine",
    "Reservation",
    "Response",
    "ScenarioDocument",
    "Source",
    "Statement",
]


class Source(_Model):
    """A source that reported claims cite: an article, a statement, a document."""

    id: Id
    title: str
    publisher: str | None = None
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None


class Party(_Model):
    """A participant: a bargaining ``party``, a ``mediator`` or an ``observer``."""

    id: Id
    name: str
    role: Literal["party", "mediator", "observer"] = "party"
    description: str | None = None


class OptionSpec(_Model):
    """One option of a choice issue (in the file, a bare id is enough)."""

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

    _name = field_validator("id", mode="before")(expression_name)


class ChoiceIssue(_IssueBase):
    """An issue with ordered options (first to last)."""

    kind: Literal["choice"]
    options: Annotated[tuple[OptionSpec, ...], Field(min_length=1)]

    _normalise = field_validator("options", mode="before")(_option_list)

    @property
    def option_ids(self) -> tuple[str, ...]:
        """Option ids, in declared order (code k is option k)."""
        return tuple(o.id for o in self.options)


class BooleanIssue(_IssueBase):
    """A yes/no issue; its options are ``false`` (code 0) and ``true`` (code 1)."""

    kind: Literal["boolean"]

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The two options, ``("false", "true")``, in code order."""
        return ("false", "true")


class IntegerIssue(_IssueBase):
    """An integer issue taking every value in ``range`` (inclusive)."""

    kind: Literal["integer"]
    range: tuple[Whole, Whole]
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
        """Number of values in ``range``."""
        return self.range[1] - self.range[0] + 1


Issue = Annotated[ChoiceIssue | BooleanIssue | IntegerIssue, Field(discriminator="kind")]


class Derived(_Model):
    """A named quantity computed from issues, e.g. prisoners = ratio * hostages."""

    id: Id
    expr: str
    unit: str | None = None
    label: str | None = None
    description: str | None = None

    _name = field_validator("id", mode="before")(expression_name)


class RedLine(Provenance):
    """A hard constraint of a party: every acceptable outcome satisfies ``rule``."""

    id: Id
    rule: str
    firmness: Firmness = 5
    label: str | None = None
    until: dt.date | None = None  # no longer in force from that day (detente.scenario.dates)

    @property
    def relaxable(self) -> bool:
        """Whether a bridge may relax the red line: any firmness but ``absolute``."""
        return self.firmness != "absolute"


PriorityValues = Union[
    Literal["increasing", "decreasing"],
    dict[str, Number],
    tuple[tuple[Whole, Number], ...],
]


class Priority(Provenance):
    """How much a party cares about one issue (``weight``) and how it values each value.

    ``values`` is a map option -> value in [0, 1] for choices and booleans (options left
    out are worth 0); for integers ``increasing``, ``decreasing``, or points ``[[x, v], ...]``
    (or a map x -> v) of a piecewise-linear curve, constant beyond its end points.
    """

    weight: Annotated[float, Field(ge=0, strict=True)]
    values: PriorityValues
    until: dt.date | None = None
    # dated versions, written as a list instead of one mapping (detente.scenario.dates)
    versions: SkipJsonSchema[tuple[Priority, ...]] = ()

    @field_validator("values")
    @classmethod
    def _unit_interval(cls, v: PriorityValues) -> PriorityValues:
        nums = (
            v.values() if isinstance(v, dict) else [p[1] for p in v] if isinstance(v, tuple) else []
        )
        for x in nums:
            if not 0.0 <= x <= 1.0:
                raise ValueError(f"value {x} is outside [0, 1]")
        if isinstance(v, tuple):
            if not v:
                raise ValueError("a piecewise-linear curve needs at least one point")
            xs = [p[0] for p in v]
            if any(b <= a for a, b in itertools.pairwise(xs)):
                raise ValueError("curve points must have strictly increasing x")
        return v


class Reservation(Provenance):
    """The utility (on the party's [0, 1] scale) below which it prefers no deal."""

    value: Annotated[float, Field(ge=0, le=1, strict=True)] = 0.0
    firmness: Firmness = 5
    until: dt.date | None = None
    # dated versions, written as a list instead of one mapping (detente.scenario.dates)
    versions: SkipJsonSchema[tuple[Reservation, ...]] = ()


def _one_or_versions(schema: dict[str, Any]) -> None:
    """JSON Schema: a reservation, or a priority, may also be a list of dated versions."""
    props = schema.get("properties", {})
    if "reservation" in props:
        one = {k: v for k, v in props["reservation"].items() if k != "default"}
        props["reservation"] = {
            "anyOf": [{"type": "number"}, one, {"type": "array", "items": one}],
            "default": 0,
        }
    if "priorities" in props:
        one = props["priorities"].get("additionalProperties", {})
        props["priorities"]["additionalProperties"] = {
            "anyOf": [one, {"type": "array", "items": one}]
        }


def _versions(v: Any) -> Any:
    """A list of dated versions becomes one item holding them (``versions``)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return {"value": v}
    if isinstance(v, list):
        return {"versions": [_versions(x) for x in v]}
    return v


class Position(_Model):
    """A party's position: red lines, priorities (its utility), reservation value, BATNA."""

    model_config = ConfigDict(json_schema_extra=_one_or_versions)

    red_lines: tuple[RedLine, ...] = ()
    priorities: dict[str, Priority] = {}
    reservation: Reservation = Reservation()
    batna: str | None = None
    rationale: str | None = None

    @field_validator("reservation", mode="before")
    @classmethod
    def _reservation_number(cls, v: Any) -> Any:
        return _versions(v)

    @field_validator("priorities", mode="before")
    @classmethod
    def _priority_versions(cls, v: Any) -> Any:
        if isinstance(v, dict):  # a list holds versions; placeholder weight and values
            return {
                k: {"weight": 0.0, "values": {}, "versions": x} if isinstance(x, list) else x
                for k, x in v.items()
            }
        return v


class Response(Provenance):
    """A party's reported response to a proposal: accepted, rejected or conditional."""

    party: Id
    response: Literal["accepted", "rejected", "conditional"]
    conditions: str | None = None
    until: dt.date | None = None


class Proposal(_Model):
    """A proposal put forward by some parties: its terms (possibly partial) and responses."""

    id: Id
    by: tuple[Id, ...]
    title: str | None = None
    date: dt.date | None = None
    source: Id | None = None
    description: str | None = None
    terms: dict[str, Scalar] = {}
    responses: tuple[Response, ...] = ()
    until: dt.date | None = None


class Amendment(Provenance):
    """Bridging terms a mediator floated: options that are off the table until adopted."""

    id: Id
    by: tuple[Id, ...] = ()
    title: str | None = None
    description: str | None = None
    adds: dict[str, tuple[str, ...]]
    until: dt.date | None = None


class Figure(_Model):
    """A number an event reports, e.g. hostages released, with its unit."""

    label: str
    value: Number
    unit: str | None = None


EventKind = Literal[
    "statement", "departure", "arrival", "meeting", "proposal", "response",
    "threat", "report", "figure", "action", "other",
]  # fmt: skip


class Event(Provenance):
    """A dated event of the timeline: who did or said what, with the figures reported."""

    actors: tuple[Id, ...] = ()
    kind: EventKind = "statement"
    text: str
    speaker: str | None = None
    figures: tuple[Figure, ...] = ()
    date: dt.date  # required here


class ConflictOption(Provenance):
    """An option of a decision maker in the conflict model: an action, taken (Y) or not (N)."""

    id: Id
    label: str | None = None
    description: str | None = None
    until: dt.date | None = None  # ``date``/``until``: when the option exists (dates.py)

    _name = field_validator("id", mode="before")(expression_name)


class DecisionMaker(_Model):
    """A party in the conflict model with the options it controls (Fang, Hipel & Kilgour 1993)."""

    party: Id
    options: Annotated[tuple[ConflictOption, ...], Field(min_length=1)]

    _normalise = field_validator("options", mode="before")(_option_list)


class Statement(Provenance):
    """One option-prioritization statement (a rule over options)."""

    statement: str


def _statement_list(v: Any) -> Any:
    if isinstance(v, list):
        return [{"statement": s} if isinstance(s, str) else s for s in v]
    return v


class ConflictPreference(Provenance):
    """Either ranked option-prioritization statements or an explicit ranking of states."""

    statements: tuple[Statement, ...] | None = None
    ranking: tuple[tuple[str, ...], ...] | None = None

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

    @model_validator(mode="after")
    def _rule_or_pattern(self) -> ConflictRule:
        if (self.rule is None) == (self.pattern is None):
            raise ValueError("give exactly one of 'rule' or 'pattern'")
        return self


def _rule_list(v: Any) -> Any:
    if isinstance(v, list):
        return [{"rule": s} if isinstance(s, str) else s for s in v]
    return v


class Conflict(_Model):
    """A Graph Model for Conflict Resolution: who controls which options, and preferences."""

    decision_makers: Annotated[tuple[DecisionMaker, ...], Field(min_length=1)]
    infeasible: tuple[ConflictRule, ...] = ()
    irreversible: dict[str, Literal["forward", "backward"]] = {}
    preferences: dict[str, ConflictPreference] = {}
    status_quo: str | None = None
    description: str | None = None

    _normalise = field_validator("infeasible", mode="before")(_rule_list)

    @property
    def option_ids(self) -> tuple[str, ...]:
        """Every decision maker's option ids, decision makers in order, then options."""
        return tuple(o.id for dm in self.decision_makers for o in dm.options)


class ScenarioDocument(_Model):
    """A negotiation or conflict, as an analyst writes it down (the file, validated).

    This is the document only: shape and local values. What checking the whole file
    computes (resolved expressions, bounds, where each item is) lives in the checked
    :class:`detente.scenario.checked.Scenario` that :func:`detente.load` returns.
    """

    model_config = ConfigDict(title="Scenario")

    id: Id
    title: str
    as_of: dt.date | None = None
    description: str | None = None
    sources: tuple[Source, ...] = ()
    parties: Annotated[tuple[Party, ...], Field(min_length=1)]
    issues: tuple[Issue, ...] = ()
    derived: tuple[Derived, ...] = ()
    positions: dict[str, Position] = {}
    proposals: tuple[Proposal, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    events: tuple[Event, ...] = ()
    conflict: Conflict | None = None
    # assumed numbers' ranges for robustness (detente.scenario.uncertainty)
    uncertainty: tuple[UncertaintyEntry, ...] | None = None

    def party(self, party_id: str) -> Party:
        """The party with id ``party_id`` (StopIteration if there is none)."""
        return next(p for p in self.parties if p.id == party_id)

    def party_name(self, party_id: str) -> str:
        """The party's display name, or ``party_id`` itself when no party has that id."""
        return next((p.name for p in self.parties if p.id == party_id), party_id)

    def issue(self, issue_id: str) -> ChoiceIssue | BooleanIssue | IntegerIssue:
        """The issue with id ``issue_id`` (StopIteration if there is none)."""
        return next(i for i in self.issues if i.id == issue_id)

    def source(self, source_id: str) -> Source:
        """The source with id ``source_id`` (StopIteration if there is none)."""
        return next(s for s in self.sources if s.id == source_id)

    @property
    def bargainers(self) -> list[str]:
        """Parties (role ``party``) that have a position: the ones a deal must satisfy."""
        return [p.id for p in self.parties if p.role == "party" and p.id in self.positions]

    @property
    def amendment_options(self) -> dict[str, set[str]]:
        """Per issue, the options that only exist once an amendment is adopted."""
        out: dict[str, set[str]] = {}
        for a in self.amendments:
            for issue, opts in a.adds.items():
                out.setdefault(issue, set()).update(opts)
        return out
