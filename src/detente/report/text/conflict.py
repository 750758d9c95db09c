"""Plain text of a stability analysis: the classic tableau plus plain-language notes.

The tableau follows Fang, Hipel & Kilgour (1993): options as rows grouped by decision
maker, feasible states as columns (Y/N), then one row per concept per decision maker
(``s`` stable, ``.`` unstable), then the equilibria (``E``). Notes explain each
equilibrium in words, with the certificate of any decision maker's tempting move, naming
parties and options by their names and labels. Wide tableaux are split into blocks of
states that fit the terminal; prose is wrapped to it. Large conflicts get the equilibria
list only. Rendering only: nothing is computed here that the analysis did not already
decide.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from detente.conflict.analysis import ConflictAnalysis
from detente.conflict.certificates import Move
from detente.conflict.compare import Comparison
from detente.conflict.stability import CONCEPTS, Concept, StabilityAnalysis
from detente.conflict.status_quo import StatusQuoAnalysis
from detente.report.text.gaps import text_width
from detente.scenario.checked import Scenario

__all__ = ["NOTES_MAX", "TABLE_MAX_STATES", "conflict_text", "preferences_text"]

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
    return pid if scenario is None else scenario.party_name(pid)


def _tableau(result: StabilityAnalysis, width: int) -> list[str]:
    """The tableau, in blocks of consecutive states that each fit in ``width`` columns."""
    cc = result.conflict
    n = cc.n_states
    w = max(2, len(str(n)) + 1)
    dm_w = max([len(d) for d in result.dm_ids] + [len("Equilibria")])
    row_w = max([len(o) for o in cc.options] + [4]) + 1
    per_block = max(1, (width - dm_w - 2 - row_w) // w)
    lines: list[str] = []
    for lo in range(0, n, per_block):
        if lines:
            lines.append("")
        lines += _block(result, range(lo, min(n, lo + per_block)), w, dm_w, row_w)
    return lines


def _block(result: StabilityAnalysis, states: range, w: int, dm_w: int, row_w: int) -> list[str]:
    cc = result.conflict
    pats = cc.patterns()
    head = " " * (dm_w + 2 + row_w) + "".join(f"{k + 1:>{w}}" for k in states)
    lines = [head]
    for d in cc.decision_makers:
        for j, o in enumerate(d.options):
            col = d.lo + j
            cells = "".join(f"{pats[k][col]:>{w}}" for k in states)
            lines.append(f"{(d.party if j == 0 else ''):<{dm_w}}  {o:<{row_w}}{cells}")
    lines.append("-" * len(head))
    for dm in result.dm_ids:
        for i, c in enumerate(CONCEPTS):
            ok = result.stable[dm][c]
            cells = "".join(f"{'s' if ok[k] else '.':>{w}}" for k in states)
            lines.append(f"{(dm if i == 0 else ''):<{dm_w}}  {_LABEL[c]:<{row_w}}{cells}")
    lines.append("-" * len(head))
    for i, c in enumerate(CONCEPTS):
        eq = result.equilibrium_mask(c)
        cells = "".join(f"{'E' if eq[k] else '.':>{w}}" for k in states)
        label = "Equilibria" if i == 0 else ""
        lines.append(f"{label:<{dm_w}}  {_LABEL[c]:<{row_w}}{cells}")
    return lines


def _labels(result: StabilityAnalysis) -> dict[str, str]:
    return {
        o.id: (o.label or o.id) for dm in result.conflict.source.decision_makers for o in dm.options
    }


def _option_key(result: StabilityAnalysis, scenario: Scenario | None) -> list[str]:
    """One line per option that has a label: "id: label (decision maker)"."""
    labels = _labels(result)
    out = []
    for d in result.conflict.decision_makers:
        for o in d.options:
            if labels[o] != o:
                out.append(f"  {o}: {labels[o]} ({_name(scenario, d.party)})")
    return ["Options:", *out] if out else []


def _move_phrase(result: StabilityAnalysis, before: int, move: Move) -> str:
    """What a move does, e.g. "taking 'Suspend the weapons shipments' (state 8)"."""
    cc = result.conflict
    labels = _labels(result)
    a, b = cc.patterns()[before - 1], cc.patterns()[move.to - 1]
    d = cc.dm(move.dm)
    changes = []
    for j, o in enumerate(d.options):
        x, y = a[d.lo + j], b[d.lo + j]
        if x != y:
            changes.append(f"{'taking' if y == 'Y' else 'dropping'} '{labels[o]}'")
    return f"{' and '.join(changes) or 'moving'} (state {move.to})"


def _sanction_sentence(
    result: StabilityAnalysis,
    scenario: Scenario | None,
    dm: str,
    state: int,
    improvement: int,
    path: Sequence[Move],
    concept: Concept,
) -> str:
    """The sentence explaining one sanctioned improvement of ``dm`` from ``state``.

    E.g. "Israel would gain by taking 'X' (state 2), but the United States would answer
    by taking 'Y' (state 8), which Israel likes no better than state 1 (SEQ).".
    """
    who = _name(scenario, dm)
    steps = []
    at = improvement
    for k, mv in enumerate(path):
        mover = _name(scenario, mv.dm)
        by = "would answer by" if k == 0 else "by"
        steps.append(f"{mover} {by} {_move_phrase(result, at, mv)}")
        at = mv.to
    text = (
        f"{who} would gain by {_move_phrase(result, state, Move(dm, improvement))}, but "
        f"{', then '.join(steps)}, which {who} likes no better than state {state}"
    )
    if concept == "smr":
        text += f", and {who} cannot escape from there to a state it prefers"
    return text + f" ({_LABEL[concept]})."


def _describe(result: StabilityAnalysis, scenario: Scenario | None, state: int) -> str:
    """Each decision maker's options taken at ``state``, by label."""
    cc = result.conflict
    p = cc.patterns()[state - 1]
    labels = _labels(result)
    parts = []
    for d in cc.decision_makers:
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
                        "  "
                        + _sanction_sentence(
                            result, scenario, dm, e, chk.improvement, chk.path, strongest
                        )
                    )
    if not seen:
        out.append(
            "No state is an equilibrium under any concept: every state tempts someone "
            "into a move the others cannot deter."
        )
    return out


def _status_quo_lines(
    result: StabilityAnalysis, sq: StatusQuoAnalysis, scenario: Scenario | None
) -> list[str]:
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
        return " -> ".join(f"{_name(scenario, m.dm)} to {m.to}" for m in steps)  # type: ignore[attr-defined]

    for e, concepts in by_state.items():
        lines.append(
            f"  equilibrium {e} ({pats[e - 1]}; {', '.join(concepts)}): by any moves: "
            f"{path(sq.by_moves.path(e))}; by improving moves only: "
            f"{path(sq.by_improvements.path(e))}"
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


def _wrap(lines: list[str], width: int) -> list[str]:
    """Wrap prose lines (an indented line's continuation is indented two more)."""
    out: list[str] = []
    for line in lines:
        indent = len(line) - len(line.lstrip())
        out += textwrap.wrap(
            line,
            width,
            subsequent_indent=" " * (indent + 2),
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]
    return out


def conflict_text(
    result: StabilityAnalysis,
    scenario: Scenario | None = None,
    status_quo: StatusQuoAnalysis | None = None,
    comparison: Comparison | None = None,
    *,
    width: int | None = None,
) -> str:
    """The text report of ``detente stability``, wrapped to ``width`` (default: terminal)."""
    cc = result.conflict
    width = text_width(width)
    title = scenario.title if scenario is not None else "Conflict"
    head = [
        f"{title}: stability analysis (graph model, {cc.n_states} feasible states, "
        f"{len(cc.decision_makers)} decision makers)"
    ]
    if cc.fixed:
        head.append(
            "Held fixed: " + ", ".join(f"{o}={'Y' if v else 'N'}" for o, v in cc.fixed.items())
        )
    lines = _wrap(head, width)
    lines.append("")
    if cc.n_states <= TABLE_MAX_STATES:
        lines += _tableau(result, width)
        lines += _wrap(
            ["s = stable for that decision maker, E = equilibrium (stable for all)"], width
        )
        key = _option_key(result, scenario)
        if key:
            lines.append("")
            lines += _wrap(key, width)
    else:
        lines.append(f"({cc.n_states} states: too many for the tableau; equilibria only)")
        for c in CONCEPTS:
            eq = result.equilibria(c)
            shown = ", ".join(str(e) for e in eq[:20]) + (" ..." if len(eq) > 20 else "")
            lines += _wrap([f"  {_LABEL[c]}: {len(eq)} equilibria {shown}"], width)
    lines.append("")
    lines.append("Concepts (a state is stable for a decision maker when):")
    lines += _wrap([f"  {_LABEL[c]}: {_MEANING[c]}" for c in CONCEPTS], width)
    lines.append("")
    lines += _wrap(_notes(result, scenario), width)
    if status_quo is not None:
        lines.append("")
        lines += _wrap(_status_quo_lines(result, status_quo, scenario), width)
    if comparison is not None:
        lines.append("")
        lines += _wrap(_comparison_lines(comparison, scenario), width)
    return "\n".join(lines) + "\n"


def preferences_text(analysis: ConflictAnalysis, scenario: Scenario | None = None) -> str:
    """Each decision maker's ranking of the states, most preferred first, ties with '='.

    States are shown by id and Y/N pattern, as GMCR tools list preferences first.
    """
    st = analysis.stability
    pats = st.conflict.patterns()
    width = text_width(None)
    lines = [
        "Preferences over the feasible states (most preferred first; '=' joins ties; "
        "options in order " + ", ".join(st.conflict.options) + ")"
    ]
    for dm, groups in analysis.rankings.items():
        ranked = " > ".join(" = ".join(f"{i} {pats[i - 1]}" for i in g) for g in groups)
        lines += textwrap.wrap(f"{_name(scenario, dm)}: {ranked}", width, subsequent_indent="    ")
    return "\n".join(lines) + "\n"
