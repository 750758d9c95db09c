"""Whole-file checks of a scenario: ids, references, domains and expressions.

Runs after the pydantic models accepted the file's shape. Collects every problem (with
its position) instead of stopping at the first, and every expression's resolved AST
(kept by the checked :class:`~detente.scenario.checked.Scenario`, never written into
the document), so analyses never parse text again. The conflict section is checked by
:mod:`detente.scenario.conflict.checks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from detente.errors import Problem, did_you_mean
from detente.scenario.checking import Collector, duplicates, provenance, ref
from detente.scenario.locations import Locations, Path_
from detente.scenario.model import BooleanIssue, ChoiceIssue, IntegerIssue, ScenarioDocument

if TYPE_CHECKING:
    from detente.scenario.expr.typecheck import Type

__all__ = ["check_scenario", "issue_env"]


def issue_env(s: ScenarioDocument) -> dict[str, Type]:
    """Types of issue ids (derived quantities are added as they are checked)."""
    from detente.scenario.expr.typecheck import BoolT, ChoiceT, IntT

    env: dict[str, Type] = {}
    for issue in s.issues:
        if isinstance(issue, ChoiceIssue):
            env[issue.id] = ChoiceT(issue.id, issue.option_ids)
        elif isinstance(issue, BooleanIssue):
            env[issue.id] = BoolT()
        else:
            env[issue.id] = IntT(*issue.range)
    return env


def _derived(c: Collector, s: ScenarioDocument, env: dict[str, Type]) -> None:
    from detente.scenario.expr import ExprSyntaxError, names, parse
    from detente.scenario.expr.typecheck import ChoiceT, IntT

    by_id = {d.id: (i, d) for i, d in enumerate(s.derived)}
    deps: dict[str, set[str]] = {}
    for i, d in enumerate(s.derived):
        if d.id in env:
            c.add(("derived", i, "id"), f"derived quantity '{d.id}' has the same id as an issue")
            continue
        try:
            deps[d.id] = names(parse(d.expr)) & by_id.keys()
        except ExprSyntaxError:
            deps[d.id] = set()
    # depth-first topological order; report each cycle once
    state: dict[str, int] = {}
    order: list[str] = []

    def visit(n: str, stack: list[str]) -> None:
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            cycle = [*stack[stack.index(n) :], n]
            i = by_id[n][0]
            c.add(
                ("derived", i, "expr"),
                "circular definition: " + " -> ".join(cycle),
                hint="a derived quantity may use issues and other derived quantities, "
                "but not itself, directly or through others",
            )
            c.broken.update(cycle)
            return
        state[n] = 1
        for m in sorted(deps.get(n, ())):
            visit(m, [*stack, n])
        state[n] = 2
        order.append(n)

    for d in s.derived:
        visit(d.id, [])
    for n in order:
        i, d = by_id[n]
        if n in c.broken or n not in deps:
            continue
        out = c.expression(("derived", i, "expr"), d.expr, env, want="any")
        if out is None:
            c.broken.add(n)
            continue
        resolved, t = out
        if isinstance(t, ChoiceT):
            c.add(("derived", i, "expr"), "a derived quantity must be an integer or a condition")
            c.broken.add(n)
            continue
        c.derived[d.id] = resolved
        c.bounds[d.id] = (t.lo, t.hi) if isinstance(t, IntT) else None
        env[d.id] = t


def _value_in_domain(
    c: Collector, path: Path_, issue: ChoiceIssue | BooleanIssue | IntegerIssue, value: object
) -> None:
    if isinstance(issue, ChoiceIssue):
        if not isinstance(value, str) or value not in issue.option_ids:
            c.add(
                path,
                f"{value!r} is not an option of '{issue.id}'",
                expected="one of " + ", ".join(issue.option_ids),
                hint=did_you_mean(str(value), issue.option_ids, what="option"),
            )
    elif isinstance(issue, BooleanIssue):
        if not isinstance(value, bool):
            c.add(path, f"{value!r} is not a boolean", expected="true or false")
    else:
        lo, hi = issue.range
        if isinstance(value, bool) or not isinstance(value, int):
            c.add(path, f"{value!r} is not a whole number", expected=f"an integer in [{lo}, {hi}]")
        elif not lo <= value <= hi:
            c.add(
                path,
                f"{value} is outside the range of '{issue.id}'",
                expected=f"an integer in [{lo}, {hi}]",
            )


def _parties_without_position(c: Collector, s: ScenarioDocument) -> None:
    """In a deal model, every party of role ``party`` must state its position.

    Otherwise it would silently drop out of the analysis (a deal is what every party with
    a position accepts).
    """
    if not s.issues or not s.positions:
        return
    for i, p in enumerate(s.parties):
        if p.role == "party" and p.id not in s.positions:
            c.add(
                ("parties", i, "id"),
                f"party '{p.id}' ({p.name}) has no position, so no deal would need its consent",
                expected=f"an entry 'positions: {p.id}: ...' (red lines, priorities, reservation)",
                hint="add its positions, or make it an observer (role: observer)",
            )


def _positions(c: Collector, s: ScenarioDocument, env: Mapping[str, Type]) -> None:
    party_ids = [p.id for p in s.parties]
    source_ids = [x.id for x in s.sources]
    issues = {i.id: i for i in s.issues}
    for pid, pos in s.positions.items():
        base: Path_ = ("positions", pid)
        ref(c, base, pid, party_ids, "party", key=True)
        duplicates(c, pos.red_lines, (*base, "red_lines"), "red line")
        for j, rl in enumerate(pos.red_lines):
            rpath = (*base, "red_lines", j)
            provenance(c, rpath, rl.basis, rl.source, source_ids)
            out = c.expression((*rpath, "rule"), rl.rule, env, want="bool")
            if out is not None:
                c.red_lines[(pid, rl.id)] = out[0]
        total = 0.0
        for iid, pr in pos.priorities.items():
            ppath = (*base, "priorities", iid)
            provenance(c, ppath, pr.basis, pr.source, source_ids)
            total += pr.weight
            if not ref(c, ppath, iid, issues, "issue", key=True):
                continue
            _priority_values(c, ppath, issues[iid], pr.values)
        if pos.priorities and total <= 0:
            c.add(
                (*base, "priorities"),
                "the weights sum to 0, so this party values nothing",
                expected="at least one positive weight",
                key=True,
            )
        r = pos.reservation
        provenance(c, (*base, "reservation"), r.basis, r.source, source_ids)


def _priority_values(
    c: Collector, path: Path_, issue: ChoiceIssue | BooleanIssue | IntegerIssue, values: object
) -> None:
    vpath = (*path, "values")
    if isinstance(issue, IntegerIssue):
        if not values and not isinstance(values, str):  # {} (an empty curve) or ()
            c.add(
                vpath,
                f"no values given for the integer issue '{issue.id}'",
                expected="increasing, decreasing, or points [[x, value], ...]",
                hint="write 'increasing' or 'decreasing', or give at least one point "
                f"[x, value] with x in [{issue.range[0]}, {issue.range[1]}]",
            )
            return
        if isinstance(values, dict):
            for k in values:
                try:
                    int(k)
                except ValueError:
                    c.add(
                        (*vpath, k),
                        f"'{k}' is not a number, but '{issue.id}' is an integer issue",
                        expected="increasing, decreasing, or points [[x, value], ...]",
                        key=True,
                    )
        return
    if isinstance(values, str):
        c.add(
            vpath,
            f"'{values}' only applies to integer issues; '{issue.id}' is a {issue.kind} issue",
            expected="a map option -> value in [0, 1]",
        )
        return
    if isinstance(values, tuple):
        c.add(
            vpath,
            f"points only apply to integer issues; '{issue.id}' is a {issue.kind} issue",
            expected="a map option -> value in [0, 1]",
        )
        return
    assert isinstance(values, dict)
    for k in values:
        if k not in issue.option_ids:
            c.add(
                (*vpath, k),
                f"'{k}' is not an option of '{issue.id}'",
                expected="one of " + ", ".join(issue.option_ids),
                hint=did_you_mean(k, issue.option_ids, what="option"),
                key=True,
            )


def _proposals(c: Collector, s: ScenarioDocument) -> None:
    actors = [p.id for p in s.parties]
    sources = [x.id for x in s.sources]
    issues = {i.id: i for i in s.issues}
    duplicates(c, s.proposals, ("proposals",), "proposal")
    for i, pr in enumerate(s.proposals):
        base: Path_ = ("proposals", i)
        for j, who in enumerate(pr.by):
            ref(c, (*base, "by", j), who, actors, "party")
        ref(c, (*base, "source"), pr.source, sources, "source")
        for iid, value in pr.terms.items():
            if ref(c, (*base, "terms", iid), iid, issues, "issue", key=True):
                _value_in_domain(c, (*base, "terms", iid), issues[iid], value)
        for j, resp in enumerate(pr.responses):
            rpath = (*base, "responses", j)
            ref(c, (*rpath, "party"), resp.party, actors, "party")
            provenance(c, rpath, resp.basis, resp.source, sources)
    duplicates(c, s.amendments, ("amendments",), "amendment")
    for i, am in enumerate(s.amendments):
        base = ("amendments", i)
        provenance(c, base, am.basis, am.source, sources)
        for j, who in enumerate(am.by):
            ref(c, (*base, "by", j), who, actors, "party")
        for iid, opts in am.adds.items():
            if not ref(c, (*base, "adds", iid), iid, issues, "issue", key=True):
                continue
            issue = issues[iid]
            if not isinstance(issue, ChoiceIssue):
                c.add((*base, "adds", iid), "amendments add options to choice issues only")
                continue
            for k, opt in enumerate(opts):
                _value_in_domain(c, (*base, "adds", iid, k), issue, opt)
        for iid, opts in am.adds.items():
            issue_obj = issues.get(iid)
            if isinstance(issue_obj, ChoiceIssue) and set(issue_obj.option_ids) <= set(opts):
                c.add(
                    (*base, "adds", iid),
                    f"this would leave '{iid}' with no option before the amendment",
                    hint="an amendment unlocks extra options; keep at least one on the table",
                )


def _events(c: Collector, s: ScenarioDocument) -> None:
    actors = [p.id for p in s.parties]
    sources = [x.id for x in s.sources]
    for i, ev in enumerate(s.events):
        base: Path_ = ("events", i)
        for j, who in enumerate(ev.actors):
            ref(c, (*base, "actors", j), who, actors, "party")
        provenance(c, base, ev.basis, ev.source, sources)


def check_scenario(
    s: ScenarioDocument, name: str, pos: Locations
) -> tuple[list[Problem], Collector]:
    """Every whole-file problem of ``s``, and the collector holding what checking computed."""
    c = Collector(name, pos)
    duplicates(c, s.parties, ("parties",), "party")
    duplicates(c, s.issues, ("issues",), "issue")
    duplicates(c, s.derived, ("derived",), "derived quantity")
    duplicates(c, s.sources, ("sources",), "source")
    for i, issue in enumerate(s.issues):
        if isinstance(issue, ChoiceIssue):
            duplicates(c, issue.options, ("issues", i, "options"), "option")
    # the expression language loads only for a file that has expressions (imported
    # GENIUS domains and other plain preference files have none)
    rules = s.derived or any(p.red_lines for p in s.positions.values())
    env = issue_env(s) if rules else {}
    if s.derived:
        _derived(c, s, env)
    _positions(c, s, env)
    _parties_without_position(c, s)
    _proposals(c, s)
    _events(c, s)
    if s.conflict is not None:
        from detente.scenario.conflict.checks import check_conflict

        check_conflict(c, s)
    if s.uncertainty:  # its checks (and their schema) load only for a file that has one
        from detente.scenario.uncertainty_checks import check_uncertainty

        check_uncertainty(c, s)
    if not s.issues and s.conflict is None:
        c.add(
            ("issues",),
            "the scenario has neither issues nor a conflict section",
            hint="add 'issues' (and 'positions') for a deal analysis, or 'conflict' for GMCR",
        )
    return c.problems, c
