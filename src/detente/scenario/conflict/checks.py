"""Whole-file checks of a conflict section: decision makers, options, rules, preferences.

Collects every problem (with its position) and each resolved expression: infeasibility
rules and preference statements. Rankings must list every feasible state exactly once
(:func:`detente.scenario.conflict.states.ranking_problems`).
"""

from __future__ import annotations

from detente.scenario.checking import Collector, provenance, ref
from detente.scenario.expr.typecheck import BoolT, Type
from detente.scenario.locations import Path_
from detente.scenario.model import ScenarioDocument

__all__ = ["check_conflict", "conflict_env", "state_pattern_problem"]


def conflict_env(s: ScenarioDocument) -> dict[str, Type]:
    """Types in conflict rules: every option is a boolean."""
    assert s.conflict is not None
    return {o: BoolT() for o in s.conflict.option_ids}


def state_pattern_problem(pattern: str, n: int) -> str | None:
    """Why ``pattern`` is not a Y/N(/-) state string over ``n`` options, or None if it is."""
    if len(pattern) != n:
        return f"'{pattern}' has {len(pattern)} letters but there are {n} options"
    bad = sorted(set(pattern) - set("YN-"))
    if bad:
        return f"'{pattern}' contains {', '.join(repr(b) for b in bad)}; use Y, N (or - for either)"
    return None


def check_conflict(c: Collector, s: ScenarioDocument) -> None:
    """Check the conflict section of ``s`` (if any) into ``c``, resolving its expressions."""
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
        ref(c, (*base, "decision_makers", i, "party"), dm.party, party_ids, "party")
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
        provenance(c, (*base, "infeasible", i), rule.basis, rule.source, sources)
        if rule.pattern is not None:
            c.infeasible.append(None)
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
        c.infeasible.append(None if out is None else out[0])
    for opt_id in cf.irreversible:
        ref(c, (*base, "irreversible", opt_id), opt_id, seen_opts, "option", key=True)
    for pid, pref in cf.preferences.items():
        ppath = (*base, "preferences", pid)
        ref(c, ppath, pid, dm_ids, "decision maker", key=True)
        provenance(c, ppath, pref.basis, pref.source, sources)
        asts = c.statements.setdefault(pid, [])
        for j, st in enumerate(pref.statements or []):
            provenance(c, (*ppath, "statements", j), st.basis, st.source, sources)
            out = c.expression(
                (*ppath, "statements", j, "statement"), st.statement, env, want="bool"
            )
            asts.append(None if out is None else out[0])
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
    has_ranking = any(p.ranking is not None for p in cf.preferences.values())
    if len(c.problems) == problems_before and has_ranking:
        # rankings must list every feasible state exactly once; needs the feasible set
        # (numpy loads only for conflicts with explicit rankings)
        from detente.scenario.conflict.states import ranking_problems

        for path, message, hint in ranking_problems(cf, c.infeasible):
            c.add((*base, *path), message, hint=hint)
