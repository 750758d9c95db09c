"""Plain text of a stability analysis: the classic tableau plus plain-language notes.

The tableau follows Fang, Hipel & Kilgour (1993): options as rows grouped by decision
maker, feasible states as columns (Y/N), then one row per concept per decision maker
(``s`` stable, ``.`` unstable), then the equilibria (``E``). Notes explain each
equilibrium in words, with the certificate of any decision maker's tempting move.
Large conflicts get the equilibria list only. Rendering only: nothing is computed here
that the analysis did not already decide.
"""

from __future__ import annotations

from detente.conflict.compare import Comparison
from detente.conflict.stability import CONCEPTS, Concept, StabilityAnalysis
from detente.conflict.status_quo import StatusQuoAnalysis
from detente.scenario.model import Scenario

__all__ = ["conflict_text", "TABLE_MAX_STATES", "NOTES_MAX"]

TABLE_MAX_STATES = 40
NOTES_MAX = 8
_LABEL = {"nash": "Nash", "gmr": "GMR", "smr": "SMR", "seq": "SEQ"}
_MEANING = {
    "nash": "no one can do better by moving on their own",
    "gmr": "every tempting move can be punished by the others",
    "smr": "every tempting move can be punished, with no way to escape the punishment",
    "seq": "every tempting move can be punished by others who gain from punishing",
}


def _name(scenario: Scenario | None, pid: str) -> str:
    if scenario is None:
        return pid
    try:
        return scenario.party(pid).name
    except StopIteration:
        return pid


def _tableau(result: StabilityAnalysis) -> list[str]:
    cc = result.conflict
    pats = cc.patterns()
    n = cc.n_states
    w = max(2, len(str(n)) + 1)
    dm_w = max([len(d) for d in result.dm_ids] + [len("Equilibria")])
    row_w = max([len(o) for o in cc.options] + [4]) + 1
    head = " " * (dm_w + 2 + row_w) + "".join(f"{k:>{w}}" for k in range(1, n + 1))
    lines = [head]
    for d in cc.decision_makers:
        for j, o in enumerate(d.options):
            col = d.lo + j
            cells = "".join(f"{p[col]:>{w}}" for p in pats)
            lines.append(f"{(d.party if j == 0 else ''):<{dm_w}}  {o:<{row_w}}{cells}")
    lines.append("-" * len(head))
    for dm in result.dm_ids:
        for k, c in enumerate(CONCEPTS):
            cells = "".join(f"{'s' if ok else '.':>{w}}" for ok in result.stable[dm][c])
            lines.append(f"{(dm if k == 0 else ''):<{dm_w}}  {_LABEL[c]:<{row_w}}{cells}")
    lines.append("-" * len(head))
    for k, c in enumerate(CONCEPTS):
        cells = "".join(f"{'E' if ok else '.':>{w}}" for ok in result.equilibrium_mask(c))
        label = "Equilibria" if k == 0 else ""
        lines.append(f"{label:<{dm_w}}  {_LABEL[c]:<{row_w}}{cells}")
    return lines


def _describe(result: StabilityAnalysis, scenario: Scenario | None, state: int) -> str:
    cc = result.conflict
    p = cc.patterns()[state - 1]
    parts = []
    for d in cc.decision_makers:
        labels = {o.id: (o.label or o.id) for dm in cc.source.decision_makers for o in dm.options}
        taken = [labels[o] for j, o in enumerate(d.options) if p[d.lo + j] == "Y"]
        what = ", ".join(taken) if taken else "none of its options"
        parts.append(f"{_name(scenario, d.party)}: {what}")
    return "; ".join(parts)


def _notes(result: StabilityAnalysis, scenario: Scenario | None) -> list[str]:
    out: list[str] = []
    shown = 0
    seen: set[int] = set()
    for c in CONCEPTS:
        for e in result.equilibria(c):
            if e in seen:
                continue
            seen.add(e)
            if shown == NOTES_MAX:
                out.append("(further equilibria omitted; see --format json)")
                return out
            shown += 1
            concepts = [x for x in CONCEPTS if result.equilibrium_mask(x)[e - 1]]
            pattern = result.conflict.patterns()[e - 1]
            out.append(
                f"State {e} ({pattern}) is an equilibrium under "
                + ", ".join(_LABEL[x] for x in concepts)
                + f": {_describe(result, scenario, e)}."
            )
            for dm in result.dm_ids:
                if result.stable[dm]["nash"][e - 1]:
                    continue
                strongest: Concept = next(x for x in ("seq", "smr", "gmr") if x in concepts)
                cert = result.certificate(dm, e, strongest)
                for chk in cert.improvements[:2]:
                    out.append(
                        f"  {_name(scenario, dm)} would prefer state {chk.improvement}, "
                        f"but it is {chk.reason} ({_LABEL[strongest]})."
                    )
    if not seen:
        out.append(
            "No state is an equilibrium under any concept: every state tempts someone "
            "into a move the others cannot deter."
        )
    return out


def _status_quo_lines(result: StabilityAnalysis, sq: StatusQuoAnalysis) -> list[str]:
    pats = result.conflict.patterns()
    lines = [f"From the status quo, state {sq.status_quo} ({pats[sq.status_quo - 1]}):"]
    by_state: dict[int, list[str]] = {}
    for c in CONCEPTS:
        for e in sq.equilibria[c]:
            by_state.setdefault(e, []).append(_LABEL[c])

    def path(steps: object) -> str:
        if steps is None:
            return "unreachable"
        if not steps:
            return "already there"
        return " -> ".join(f"{m.dm} to {m.to}" for m in steps)  # type: ignore[attr-defined]

    for e, concepts in by_state.items():
        lines.append(
            f"  equilibrium {e} ({pats[e - 1]}; {', '.join(concepts)}): by moves: "
            f"{path(sq.by_moves.path(e))}; by improvements: {path(sq.by_improvements.path(e))}"
        )
    if not by_state:
        lines.append("  there is no equilibrium to reach")
    return lines


def _comparison_lines(cmp: Comparison, scenario: Scenario | None) -> list[str]:
    who = ", ".join(_name(scenario, r) for r in cmp.removed)
    lines = [
        f"Without {who} (its options held at N), over options "
        f"{' '.join(cmp.full.conflict.options)}:"
    ]
    for c in CONCEPTS:
        w, wo = cmp.with_patterns(c), cmp.without_patterns(c)
        verdict = "changes" if cmp.changed(c) else "no change"
        lines.append(
            f"  {_LABEL[c]:<4} with: {', '.join(w) or 'none'}; without: "
            f"{', '.join(wo) or 'none'} ({verdict})"
        )
        if cmp.only_with(c):
            lines.append(f"       only with {who}: {', '.join(cmp.only_with(c))}")
        if cmp.only_without(c):
            lines.append(f"       only without {who}: {', '.join(cmp.only_without(c))}")
    return lines


def conflict_text(
    result: StabilityAnalysis,
    scenario: Scenario | None = None,
    status_quo: StatusQuoAnalysis | None = None,
    comparison: Comparison | None = None,
) -> str:
    """The text report of ``detente stability``."""
    cc = result.conflict
    title = scenario.title if scenario is not None else "Conflict"
    lines = [
        f"{title}: stability analysis (graph model, {cc.n_states} feasible states, "
        f"{len(cc.decision_makers)} decision makers)"
    ]
    if cc.fixed:
        lines.append(
            "Held fixed: " + ", ".join(f"{o}={'Y' if v else 'N'}" for o, v in cc.fixed.items())
        )
    lines.append("")
    if cc.n_states <= TABLE_MAX_STATES:
        lines += _tableau(result)
        lines.append("s = stable for that decision maker, E = equilibrium (stable for all)")
    else:
        lines.append(f"({cc.n_states} states: too many for the tableau; equilibria only)")
        for c in CONCEPTS:
            eq = result.equilibria(c)
            shown = ", ".join(str(e) for e in eq[:20]) + (" ..." if len(eq) > 20 else "")
            lines.append(f"  {_LABEL[c]}: {len(eq)} equilibria {shown}")
    lines.append("")
    lines.append("Concepts: " + "; ".join(f"{_LABEL[c]}: {_MEANING[c]}" for c in CONCEPTS) + ".")
    lines.append("")
    lines += _notes(result, scenario)
    if status_quo is not None:
        lines.append("")
        lines += _status_quo_lines(result, status_quo)
    if comparison is not None:
        lines.append("")
        lines += _comparison_lines(comparison, scenario)
    return "\n".join(lines) + "\n"
