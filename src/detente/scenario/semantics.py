"""Whole-file checks of a scenario: ids, references, domains and expressions.

Runs after the pydantic models accepted the file's shape. Collects every problem (with
its position) instead of stopping at the first, and attaches each expression's resolved
AST to its model object so analyses never parse text again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from detente.errors import Problem, did_you_mean, plural
from detente.scenario.expr import Expr, ExprSyntaxError, names, parse
from detente.scenario.model import BooleanIssue, ChoiceIssue, IntegerIssue, Scenario
from detente.scenario.typecheck import BoolT, ChoiceT, ExprTypeError, IntT, Type, check

if TYPE_CHECKING:
    from detente.scenario.loader import Positions

__all__ = ["check_scenario", "conflict_env", "issue_env", "state_pattern_problem"]

Path_ = tuple[str | int, ...]


class _Collector:
    def __init__(self, name: str, pos: Positions) -> None:
        self.name = name
        self.pos = pos
        self.problems: list[Problem] = []
        # derived quantities already reported as wrong: expressions using them are
        # skipped, so one mistake is not echoed as "unknown name" everywhere
        self.broken: set[str] = set()

    def add(
        self,
        path: Path_,
        message: str,
        *,
        expected: str | None = None,
        hint: str | None = None,
        key: bool = False,
        col_offset: int | None = None,
    ) -> None:
        line, col = self.pos.at(path, key=key)
        if col_offset is not None and col is not None and path in self.pos.value:
            col = col + col_offset + (1 if path in self.pos.quoted else 0)
        self.problems.append(Problem(message, path, self.name, line, col, expected, hint))

    def expression(
        self, path: Path_, text: str, env: Mapping[str, Type], want: str
    ) -> tuple[Expr, Type] | None:
        """Parse and type-check; report a located problem and return None on failure."""
        try:
            node = parse(text)
            if names(node) & self.broken:
                return None
            resolved, t = check(node, env)
        except (ExprSyntaxError, ExprTypeError) as err:
            caret = f"\n      {text}\n      {' ' * err.col}^"
            self.add(
                path,
                f"in expression: {err.message}{caret}",
                hint=err.hint,
                col_offset=err.col,
            )
            return None
        if want == "bool" and not isinstance(t, BoolT):
            self.add(
                path,
                f"this expression gives {'an integer' if isinstance(t, IntT) else 'an option'}, "
                "not a condition",
                expected='a condition such as "raise >= 3"',
                hint="compare it with something",
            )
            return None
        return resolved, t


def _duplicates(c: _Collector, items: Sequence[object], path: Path_, what: str) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        ident = str(getattr(item, "id", getattr(item, "party", "")))
        if ident in seen:
            c.add(
                (*path, i, "id") if hasattr(item, "id") else (*path, i),
                f"duplicate {what} id '{ident}' (first defined at {path[-1]}[{seen[ident]}])",
                hint=f"each {what} needs its own id",
            )
        else:
            seen[ident] = i


def _ref(
    c: _Collector,
    path: Path_,
    ref: str | None,
    known: Iterable[str],
    what: str,
    *,
    key: bool = False,
) -> bool:
    if ref is None:
        return True
    pool = list(known)
    if ref in pool:
        return True
    hint = did_you_mean(ref, pool, what=what)
    if not pool:
        hint = f"no {plural(what)} are declared yet; add one (or fix the reference)"
    c.add(path, f"unknown {what} '{ref}'", hint=hint, key=key)
    return False


def issue_env(s: Scenario) -> dict[str, Type]:
    """Types of issue ids (derived quantities are added as they are checked)."""
    env: dict[str, Type] = {}
    for issue in s.issues:
        if isinstance(issue, ChoiceIssue):
            env[issue.id] = ChoiceT(issue.id, issue.option_ids)
        elif isinstance(issue, BooleanIssue):
            env[issue.id] = BoolT()
        else:
            env[issue.id] = IntT(*issue.range)
    return env


def conflict_env(s: Scenario) -> dict[str, Type]:
    """Types in conflict rules: every option is a boolean."""
    assert s.conflict is not None
    return {o: BoolT() for o in s.conflict.option_ids}


def _derived(c: _Collector, s: Scenario, env: dict[str, Type]) -> None:
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
        d._ast = resolved
        d._bounds = (t.lo, t.hi) if isinstance(t, IntT) else None
        env[d.id] = t


def _value_in_domain(
    c: _Collector, path: Path_, issue: ChoiceIssue | BooleanIssue | IntegerIssue, value: object
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


def _positions(c: _Collector, s: Scenario, env: Mapping[str, Type]) -> None:
    party_ids = [p.id for p in s.parties]
    source_ids = [x.id for x in s.sources]
    issues = {i.id: i for i in s.issues}
    for pid, pos in s.positions.items():
        base: Path_ = ("positions", pid)
        _ref(c, base, pid, party_ids, "party", key=True)
        _duplicates(c, pos.red_lines, (*base, "red_lines"), "red line")
        for j, rl in enumerate(pos.red_lines):
            rpath = (*base, "red_lines", j)
            _provenance(c, rpath, rl.basis, rl.source, source_ids)
            out = c.expression((*rpath, "rule"), rl.rule, env, want="bool")
            if out is not None:
                rl._ast = out[0]
        total = 0.0
        for iid, pr in pos.priorities.items():
            ppath = (*base, "priorities", iid)
            _provenance(c, ppath, pr.basis, pr.source, source_ids)
            total += pr.weight
            if not _ref(c, ppath, iid, issues, "issue", key=True):
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
        _provenance(c, (*base, "reservation"), r.basis, r.source, source_ids)


def _priority_values(
    c: _Collector, path: Path_, issue: ChoiceIssue | BooleanIssue | IntegerIssue, values: object
) -> None:
    vpath = (*path, "values")
    if isinstance(issue, IntegerIssue):
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
    if isinstance(values, list):
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


def _provenance(
    c: _Collector, path: Path_, basis: str, source: str | None, sources: list[str]
) -> None:
    if source is not None:
        _ref(c, (*path, "source"), source, sources, "source")
    elif basis == "reported":
        c.add(
            (*path, "basis"),
            "marked 'reported' but names no source",
            expected="a 'source' id from the sources section",
            hint="add 'source: <id>', or mark it 'basis: assumed'",
        )


def _proposals(c: _Collector, s: Scenario) -> None:
    actors = [p.id for p in s.parties]
    sources = [x.id for x in s.sources]
    issues = {i.id: i for i in s.issues}
    _duplicates(c, s.proposals, ("proposals",), "proposal")
    for i, pr in enumerate(s.proposals):
        base: Path_ = ("proposals", i)
        for j, who in enumerate(pr.by):
            _ref(c, (*base, "by", j), who, actors, "party")
        _ref(c, (*base, "source"), pr.source, sources, "source")
        for iid, value in pr.terms.items():
            if _ref(c, (*base, "terms", iid), iid, issues, "issue", key=True):
                _value_in_domain(c, (*base, "terms", iid), issues[iid], value)
        for j, resp in enumerate(pr.responses):
            rpath = (*base, "responses", j)
            _ref(c, (*rpath, "party"), resp.party, actors, "party")
            _provenance(c, rpath, resp.basis, resp.source, sources)
    _duplicates(c, s.amendments, ("amendments",), "amendment")
    for i, am in enumerate(s.amendments):
        base = ("amendments", i)
        _provenance(c, base, am.basis, am.source, sources)
        for j, who in enumerate(am.by):
            _ref(c, (*base, "by", j), who, actors, "party")
        for iid, opts in am.adds.items():
            if not _ref(c, (*base, "adds", iid), iid, issues, "issue", key=True):
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


def _events(c: _Collector, s: Scenario) -> None:
    actors = [p.id for p in s.parties]
    sources = [x.id for x in s.sources]
    for i, ev in enumerate(s.events):
        base: Path_ = ("events", i)
        for j, who in enumerate(ev.actors):
            _ref(c, (*base, "actors", j), who, actors, "party")
        _provenance(c, base, ev.basis, ev.source, sources)


def state_pattern_problem(pattern: str, n: int) -> str | None:
    """Why ``pattern`` is not a Y/N(/-) state string over ``n`` options, or None if it is."""
    if len(pattern) != n:
        return f"'{pattern}' has {len(pattern)} letters but there are {n} options"
    bad = sorted(set(pattern) - set("YN-"))
    if bad:
        return f"'{pattern}' contains {', '.join(repr(b) for b in bad)}; use Y, N (or - for either)"
    return None


def _conflict(c: _Collector, s: Scenario) -> None:
    cf = s.conflict
    if cf is None:
        return
    base: Path_ = ("conflict",)
    problems_before = len(c.problems)
    party_ids = [p.id for p in s.parties]
    dm_ids: list[str] = []
    seen_opts: dict[str, str] = {}
    issue_ids = {i.id for i in s.issues} | {d.id for d in s.derived}
    for i, dm in enumerate(cf.decision_makers):
        _ref(c, (*base, "decision_makers", i, "party"), dm.party, party_ids, "party")
        if dm.party in dm_ids:
            c.add(
                (*base, "decision_makers", i, "party"),
                f"'{dm.party}' is listed twice as a decision maker",
            )
        dm_ids.append(dm.party)
        for j, opt in enumerate(dm.options):
            opath = (*base, "decision_makers", i, "options", j)
            if opt.id in seen_opts:
                c.add(
                    opath,
                    f"option '{opt.id}' is already controlled by '{seen_opts[opt.id]}'",
                    hint="option ids must be unique across decision makers",
                )
            elif opt.id in issue_ids:
                c.add(
                    opath,
                    f"option '{opt.id}' has the same id as an issue",
                    hint="rename one of them",
                )
            seen_opts[opt.id] = dm.party
    n = len(seen_opts)
    if n > 24:
        c.add(
            (*base, "decision_makers"),
            f"{n} options give up to {2**n:,} states, beyond the limit of 2^24",
            hint="merge or drop options; GMCR models rarely need more than 20",
        )
    env = conflict_env(s)
    sources = [x.id for x in s.sources]
    for i, rule in enumerate(cf.infeasible):
        _provenance(c, (*base, "infeasible", i), rule.basis, rule.source, sources)
        if rule.pattern is not None:
            why = state_pattern_problem(rule.pattern, n)
            if why:
                c.add(
                    (*base, "infeasible", i, "pattern"),
                    why,
                    expected=f"{n} letters Y/N/- in declared option order",
                )
            continue
        assert rule.rule is not None
        out = c.expression((*base, "infeasible", i, "rule"), rule.rule, env, want="bool")
        if out is not None:
            rule._ast = out[0]
    for opt_id in cf.irreversible:
        _ref(c, (*base, "irreversible", opt_id), opt_id, seen_opts, "option", key=True)
    for pid, pref in cf.preferences.items():
        ppath = (*base, "preferences", pid)
        _ref(c, ppath, pid, dm_ids, "decision maker", key=True)
        _provenance(c, ppath, pref.basis, pref.source, sources)
        for j, st in enumerate(pref.statements or []):
            _provenance(c, (*ppath, "statements", j), st.basis, st.source, sources)
            out = c.expression(
                (*ppath, "statements", j, "statement"), st.statement, env, want="bool"
            )
            if out is not None:
                st._ast = out[0]
        for j, group in enumerate(pref.ranking or []):
            for k, state in enumerate(group):
                why = state_pattern_problem(state, n)
                if why:
                    c.add(
                        (*ppath, "ranking", j, k),
                        why,
                        expected=f"{n} letters Y/N in declared option order",
                    )
    for dm_id in dm_ids:
        if dm_id not in cf.preferences:
            c.add(
                (*base, "preferences"),
                f"decision maker '{dm_id}' has no preferences",
                hint="add 'statements' or a 'ranking' for it",
                key=True,
            )
    if cf.status_quo is not None:
        why = state_pattern_problem(cf.status_quo, n)
        if why or "-" in cf.status_quo:
            c.add(
                (*base, "status_quo"),
                why or "the status quo must be one state (no '-')",
                expected=f"{n} letters Y/N in declared option order",
            )
    if len(c.problems) == problems_before:
        # rankings must list every feasible state exactly once; needs the feasible set
        from detente.conflict.preferences import ranking_problems

        for path, message, hint in ranking_problems(cf):
            c.add((*base, *path), message, hint=hint)


def check_scenario(s: Scenario, name: str, pos: Positions) -> list[Problem]:
    """Every whole-file problem of ``s``; attaches resolved expressions as it goes."""
    c = _Collector(name, pos)
    _duplicates(c, s.parties, ("parties",), "party")
    _duplicates(c, s.issues, ("issues",), "issue")
    _duplicates(c, s.derived, ("derived",), "derived quantity")
    _duplicates(c, s.sources, ("sources",), "source")
    for i, issue in enumerate(s.issues):
        if isinstance(issue, ChoiceIssue):
            _duplicates(c, issue.options, ("issues", i, "options"), "option")
    env = issue_env(s)
    _derived(c, s, env)
    _positions(c, s, env)
    _proposals(c, s)
    _events(c, s)
    _conflict(c, s)
    if not s.issues and s.conflict is None:
        c.add(
            ("issues",),
            "the scenario has neither issues nor a conflict section",
            hint="add 'issues' (and 'positions') for a deal analysis, or 'conflict' for GMCR",
        )
    return c.problems
