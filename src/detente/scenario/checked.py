"""The checked scenario: an immutable value that every analysis takes.

:class:`Scenario` pairs the validated document (:class:`~detente.scenario.model.
ScenarioDocument`, frozen pydantic models) with what checking the whole file computed:
the resolved AST of every red line, derived quantity, preference statement and
infeasibility rule, the bounds of derived integers, the file it came from and where
each item is in it. Nothing is ever written into the document; a scenario is built only
by running the checks (:meth:`Scenario.from_document`, :meth:`Scenario.from_data`,
:func:`detente.load`), so an unchecked scenario cannot reach an analysis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from detente.errors import Problem, ScenarioError, did_you_mean
from detente.scenario.dates.items import change_days, is_dated
from detente.scenario.locations import Locations, Unlocated
from detente.scenario.model import (
    Amendment,
    BooleanIssue,
    ChoiceIssue,
    Conflict,
    Derived,
    Event,
    IntegerIssue,
    Party,
    Position,
    Proposal,
    RedLine,
    ScenarioDocument,
    Source,
)
from detente.scenario.semantics import check_scenario

if TYPE_CHECKING:  # snapshots load only for a dated file, expressions for a file with one
    from detente.scenario.dates.view import History, LeftOut
    from detente.scenario.expr import Expr

__all__ = ["Scenario", "ScenarioLike"]

AnyIssue = ChoiceIssue | BooleanIssue | IntegerIssue
_SHORT_LABEL = 24  # longer option labels are descriptions: the id reads better in tables


def _frozen(d: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True, eq=False)
class Scenario:
    """A scenario whose every check passed, with the expressions checking resolved.

    Attributes
    ----------
    document:
        The validated file (frozen pydantic models).
    origin:
        The file it was loaded from (or the name given), for messages.
    locations:
        Line and column of every key and value (empty for in-memory documents).

    The document's sections are available directly (``scenario.parties``,
    ``scenario.positions``, ...). Build one with :func:`detente.load`,
    :meth:`from_data` or :meth:`from_document`; they raise
    :class:`~detente.errors.ScenarioError` listing every problem found.
    """

    document: ScenarioDocument
    origin: str | None
    locations: Locations = field(repr=False)
    _derived: Mapping[str, Expr] = field(repr=False)
    _bounds: Mapping[str, tuple[int, int] | None] = field(repr=False)
    _red_lines: Mapping[tuple[str, str], Expr] = field(repr=False)
    _statements: Mapping[str, tuple[Expr, ...]] = field(repr=False)
    _infeasible: tuple[Expr | None, ...] = field(repr=False)
    history: History | None = field(default=None, repr=False)
    """The whole file when it has dated items (:mod:`detente.scenario.dates`): the
    document is then the file as of its ``as_of`` (else its latest state)."""

    # -- construction --------------------------------------------------------------------

    @classmethod
    def from_document(
        cls,
        document: ScenarioDocument,
        *,
        origin: str | None = None,
        locations: Locations | None = None,
    ) -> Scenario:
        """Run the whole-file checks on a validated document; raise on any problem."""
        locs = locations if locations is not None else Unlocated()
        name = origin if origin is not None else "<document>"
        if is_dated(document):  # the file over time: check every day, hold the default one
            from detente.scenario.dates.checks import check_history
            from detente.scenario.dates.view import History

            problems = check_history(document, name, locs, _problems)
            if problems:
                raise ScenarioError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
            return cls._checked_day(History(document, locs, None), document.as_of, name)
        return cls._checked(document, name, locs, None)

    @classmethod
    def _checked_day(cls, history: History, day: dt.date | None, name: str) -> Scenario:
        from detente.scenario.dates.view import snapshot

        snap = snapshot(history.document, day)
        return cls._checked(
            snap.document, name, snap.locations(history.locations), replace(history, day=day)
        )

    @classmethod
    def _checked(
        cls, document: ScenarioDocument, name: str, locs: Locations, history: History | None
    ) -> Scenario:
        problems, c = check_scenario(document, name, locs)
        if problems:  # in file order, so a reader fixes them top to bottom
            raise ScenarioError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
        statements = {
            dm: tuple(a for a in asts if a is not None) for dm, asts in c.statements.items()
        }
        return cls(
            document=document,
            origin=name,
            locations=locs,
            _derived=_frozen(c.derived),
            _bounds=_frozen(c.bounds),
            _red_lines=_frozen(c.red_lines),
            _statements=_frozen(statements),
            _infeasible=tuple(c.infeasible),
            history=history,
        )

    @classmethod
    def from_data(cls, data: Mapping[str, Any], name: str = "<data>") -> Scenario:
        """Validate and check a document held in memory (plain dicts, lists, scalars)."""
        return cls.from_plain(dict(data), name, Unlocated())

    @classmethod
    def from_plain(cls, data: dict[str, Any], name: str, locations: Locations) -> Scenario:
        """Validate and check plain data read from ``name``, its positions in ``locations``.

        Raises :class:`~detente.errors.ScenarioError` listing every problem of the file,
        the schema's and the whole-file checks' alike.
        """
        try:
            document = ScenarioDocument.model_validate(data)
        except ValidationError as err:
            # report the rest of the file's problems too, in the same run
            from detente.scenario.partial import all_problems

            raise ScenarioError(all_problems(data, err, name, locations)) from None
        return cls.from_document(document, origin=name, locations=locations)

    @classmethod
    def of(cls, value: Scenario | ScenarioDocument | Mapping[str, Any]) -> Scenario:
        """A checked scenario from a scenario, a validated document or plain data.

        Documents and data run the same checks as :func:`detente.load` (raising
        :class:`~detente.errors.ScenarioError`); anything else is a ``TypeError``.
        """
        if isinstance(value, Scenario):
            return value
        if isinstance(value, ScenarioDocument):
            return cls.from_document(value)
        if isinstance(value, Mapping):
            return cls.from_data(value)
        raise TypeError(
            f"expected a Scenario (detente.load), a ScenarioDocument or a mapping, not "
            f"{type(value).__name__}"
        )

    def on(self, day: dt.date) -> Scenario:
        """The scenario as it stood on ``day``: only the items in force that day.

        See :func:`detente.scenario.dates.snapshot`; checked, with the file's locations.
        """
        from detente.scenario.dates.view import History

        history = self.history or History(self.document, self.locations, None)
        return self._checked_day(history, day, self.origin or "<document>")

    def left_out(self) -> tuple[LeftOut, ...]:
        """Items of the file not in force on the day this scenario shows, and why.

        Each comes later or had ended; none when the file has no dated items.
        """
        if self.history is None:
            return ()
        from detente.scenario.dates.view import snapshot

        h = self.history
        return snapshot(h.document, h.day if h.day is not None else h.document.as_of).left_out

    @property
    def changes(self) -> list[dt.date]:
        """Every day on which an item of the file comes into force or ends."""
        return change_days(self.history.document if self.history else self.document)

    def with_document(self, document: ScenarioDocument) -> Scenario:
        """A new scenario from a changed document, checked again (same origin)."""
        return Scenario.from_document(document, origin=self.origin, locations=Unlocated())

    def without_conflict(self) -> Scenario:
        """The scenario without its conflict section, for the deal analyses alone.

        Nothing is checked again: no check of the deal model reads the conflict section
        (checking a dated file again checks every day of its history). The history is
        kept, so the items left out that day are the same.
        """
        return replace(
            self,
            document=self.document.model_copy(update={"conflict": None}),
            _statements=MappingProxyType({}),
            _infeasible=(),
        )

    # -- what checking computed ----------------------------------------------------------

    def red_line_ast(self, party: str, red_line: str) -> Expr:
        """The resolved rule of ``party``'s red line ``red_line``."""
        return self._red_lines[(party, red_line)]

    def derived_ast(self, derived: str) -> Expr:
        """The resolved expression of a derived quantity."""
        return self._derived[derived]

    def derived_bounds(self, derived: str) -> tuple[int, int] | None:
        """(lo, hi) of an integer derived quantity; None for a condition."""
        return self._bounds[derived]

    @property
    def derived_order(self) -> tuple[str, ...]:
        """Derived quantity ids in dependency order (each after those it uses)."""
        asts = self._derived
        if not asts:
            return ()
        from detente.scenario.expr import names

        order: list[str] = []
        seen: set[str] = set()

        def visit(n: str) -> None:
            if n in seen:
                return
            seen.add(n)
            for m in sorted(names(asts[n]) & asts.keys()):
                visit(m)
            order.append(n)

        for d in self.document.derived:
            visit(d.id)
        return tuple(order)

    def statement_asts(self, decision_maker: str) -> tuple[Expr, ...]:
        """Resolved option-prioritization statements of a decision maker, most important first."""
        return self._statements.get(decision_maker, ())

    @property
    def infeasible_asts(self) -> tuple[Expr | None, ...]:
        """Resolved infeasibility rules of the conflict section (None for a pattern)."""
        return self._infeasible

    # -- the document's sections ---------------------------------------------------------

    @property
    def id(self) -> str:
        """The scenario id (``id`` in the file)."""
        return self.document.id

    @property
    def title(self) -> str:
        """The scenario title."""
        return self.document.title

    @property
    def as_of(self) -> dt.date | None:
        """The date the scenario describes the situation at (None if undated)."""
        return self.document.as_of

    @property
    def description(self) -> str | None:
        """The analyst's description of the scenario."""
        return self.document.description

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources that reported claims cite, in file order."""
        return self.document.sources

    @property
    def parties(self) -> tuple[Party, ...]:
        """Every party, mediator and observer, in file order."""
        return self.document.parties

    @property
    def issues(self) -> tuple[AnyIssue, ...]:
        """The issues on the table, in file order (the order of outcome codes)."""
        return self.document.issues

    @property
    def derived(self) -> tuple[Derived, ...]:
        """The derived quantities, in file order."""
        return self.document.derived

    @property
    def positions(self) -> Mapping[str, Position]:
        """Each party's position, by party id."""
        return self.document.positions

    @property
    def proposals(self) -> tuple[Proposal, ...]:
        """The proposals, in file order."""
        return self.document.proposals

    @property
    def amendments(self) -> tuple[Amendment, ...]:
        """The amendments floated (options locked until adopted), in file order."""
        return self.document.amendments

    @property
    def events(self) -> tuple[Event, ...]:
        """The dated events of the timeline, in file order."""
        return self.document.events

    @property
    def conflict(self) -> Conflict | None:
        """The conflict (GMCR) section, or None when there is none."""
        return self.document.conflict

    def party(self, party_id: str) -> Party:
        """The party with id ``party_id`` (StopIteration if there is none)."""
        return self.document.party(party_id)

    def party_name(self, party_id: str) -> str:
        """The party's display name, or ``party_id`` itself when no party has that id."""
        return self.document.party_name(party_id)

    def issue(self, issue_id: str) -> AnyIssue:
        """The issue with id ``issue_id`` (StopIteration if there is none)."""
        return self.document.issue(issue_id)

    def source(self, source_id: str) -> Source:
        """The source with id ``source_id`` (StopIteration if there is none)."""
        return self.document.source(source_id)

    def adopted(self, unlock: Iterable[str] | bool) -> tuple[str, ...]:
        """The amendment ids ``unlock`` names (True: every amendment), in the given order.

        Raises :class:`~detente.errors.ScenarioError` for an id the scenario lacks.
        """
        known = [a.id for a in self.document.amendments]
        adopted = tuple(known) if unlock is True else tuple(unlock or ())
        problems = [
            Problem(
                f"unknown amendment '{a}'",
                ("amendments",),
                self.origin,
                expected="one of: " + (", ".join(known) or "(the scenario has none)"),
                hint=did_you_mean(a, known, what="amendment"),
            )
            for a in adopted
            if a not in known
        ]
        if problems:
            raise ScenarioError(problems)
        return tuple(dict.fromkeys(adopted))

    def display_value(self, issue_id: str, value: object) -> str:
        """How to show an issue's value to a reader; JSON keeps ids.

        A choice option shows its short label when it has one (GENIUS domains label ids
        such as ``v_4_12`` as ``$4.12``), else its id; booleans show as ``true``/``false``.
        """
        if isinstance(value, bool):
            return "true" if value else "false"
        return self._short_labels.get((issue_id, value), str(value))

    @cached_property
    def _short_labels(self) -> dict[tuple[str, object], str]:
        """(issue, option) -> the option's short label, for the options that have one."""
        return {
            (i.id, o.id): o.label
            for i in self.document.issues
            if isinstance(i, ChoiceIssue)
            for o in i.options
            if o.label and len(o.label) <= _SHORT_LABEL
        }

    def display_terms(self, terms: Mapping[str, object]) -> dict[str, str]:
        """:meth:`display_value` of every term."""
        return {k: self.display_value(k, v) for k, v in terms.items()}

    def red_lines_of(self, party: str) -> tuple[RedLine, ...]:
        """The red lines of ``party`` (none when it has no position)."""
        pos = self.document.positions.get(party)
        return pos.red_lines if pos is not None else ()

    @property
    def bargainers(self) -> list[str]:
        """Parties (role ``party``) that have a position: the ones a deal must satisfy."""
        return self.document.bargainers

    @property
    def amendment_options(self) -> dict[str, set[str]]:
        """Per issue, the options that only exist once an amendment is adopted."""
        return self.document.amendment_options

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """The document as plain data (see pydantic's ``model_dump``)."""
        return self.document.model_dump(**kwargs)


def _problems(document: ScenarioDocument, name: str, locs: Locations) -> list[Problem]:
    return check_scenario(document, name, locs)[0]


ScenarioLike = Scenario | ScenarioDocument | Mapping[str, Any]
"""What the analyses accept: a checked scenario, or a document or data to check first."""
