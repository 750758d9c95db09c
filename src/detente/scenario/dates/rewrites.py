"""Rewrites behind a snapshot: expressions and the conflict section without absent options.

An option that does not exist on a day (:mod:`detente.scenario.dates`) is taken out of
the file as it stood: a red line or derived quantity that names a choice option no
amendment in force adds reads as it does on that day's outcomes, and in the conflict
section an option not in force is held at N.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from detente.scenario.expr import (
    BoolOp,
    Compare,
    Const,
    Expr,
    ExprSyntaxError,
    InList,
    Name,
    Not,
    parse,
    unparse,
)
from detente.scenario.locations import Path_
from detente.scenario.model import (
    ChoiceIssue,
    Conflict,
    ConflictPreference,
    ConflictRule,
    DecisionMaker,
    ScenarioDocument,
)

__all__ = ["conflict_on", "without_options"]

InForce = Callable[[Any, "dt.date | None"], bool]


def without_options(text: str, removed: Mapping[str, set[str]], doc: ScenarioDocument) -> str:
    """A rule or derived expression over the options that exist that day.

    A comparison with an option no amendment in force adds reads as it does on the day's
    outcomes (none takes that option): ``x == 'o'`` is false, ``x != 'o'`` true, an
    ordering comparison the list of existing options it allows, and ``o`` leaves lists.
    Text that does not parse is left for the usual check to report.
    """
    if not any(f"'{o}'" in text or f'"{o}"' in text for opts in removed.values() for o in opts):
        return text
    try:
        node = parse(text)
    except ExprSyntaxError:
        return text
    order = {i.id: i.option_ids for i in doc.issues if isinstance(i, ChoiceIssue)}
    gone = {iid: o for iid, o in removed.items() if iid in order}
    return unparse(_rewrite(node, gone, order))


_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}
_ORDER: dict[str, Callable[[int, int], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _rewrite(
    node: Expr, gone: Mapping[str, set[str]], order: Mapping[str, tuple[str, ...]]
) -> Expr:
    def issue_of(e: Expr) -> str | None:
        return e.id if isinstance(e, Name) and e.id in gone else None

    if isinstance(node, Compare):
        left, right, op = node.left, node.right, str(node.op)
        if isinstance(left, Const) and issue_of(right):
            left, right, op = right, left, _FLIP[op]
        iid = issue_of(left)
        if iid and isinstance(right, Const) and right.value in gone[iid]:
            if op in ("==", "!="):
                return Const(op == "!=")
            opts = order[iid]
            pos = opts.index(str(right.value))
            keep = [o for i, o in enumerate(opts) if o not in gone[iid] and _ORDER[op](i, pos)]
            if not keep:
                return Const(False)
            return InList(left, tuple(Const(o) for o in keep))
        return Compare(node.op, _rewrite(node.left, gone, order), _rewrite(node.right, gone, order))
    if isinstance(node, InList):
        iid = issue_of(node.operand)
        items = tuple(
            i for i in node.items if not (iid and isinstance(i, Const) and i.value in gone[iid])
        )
        if not items:
            return Const(node.negated)
        return InList(node.operand, items, node.negated)
    if isinstance(node, BoolOp):
        return BoolOp(node.op, tuple(_rewrite(o, gone, order) for o in node.operands))
    if isinstance(node, Not):
        return Not(_rewrite(node.operand, gone, order))
    return node


_NAME = r"(?<![A-Za-z0-9_'\"]){}(?![A-Za-z0-9_'\"])"


def _held_at_n(text: str, absent: set[str]) -> str:
    """An expression with every absent option read as ``false`` (held at N)."""
    for o in sorted(absent, key=len, reverse=True):
        text = re.sub(_NAME.format(re.escape(o)), "false", text)
    return text


def _project(state: str, at: list[int]) -> str | None:
    """A state string without the absent options' characters (None: one of them is Y)."""
    if any(i < len(state) and state[i] == "Y" for i in at):
        return None
    return "".join(ch for i, ch in enumerate(state) if i not in at)


def conflict_on(
    cf: Conflict,
    day: dt.date | None,
    lists: dict[Path_, tuple[int, ...]],
    in_force: InForce,
) -> Conflict | None:
    """The conflict section on ``day``: options not in force held at N (None: no option left)."""
    every = [o.id for dm in cf.decision_makers for o in dm.options]
    absent = {o.id for dm in cf.decision_makers for o in dm.options if not in_force(o, day)}
    if not absent:
        return cf
    at = [i for i, o in enumerate(every) if o in absent]
    dms: list[DecisionMaker] = []
    kept_dms = []
    for i, dm in enumerate(cf.decision_makers):
        keep = tuple(j for j, o in enumerate(dm.options) if o.id not in absent)
        if not keep:
            continue
        if len(keep) < len(dm.options):
            lists[("conflict", "decision_makers", len(dms), "options")] = keep
        kept_dms.append(i)
        dms.append(dm.model_copy(update={"options": tuple(dm.options[j] for j in keep)}))
    if not dms:
        return None
    if len(kept_dms) < len(cf.decision_makers):
        lists[("conflict", "decision_makers")] = tuple(kept_dms)
    parties = {dm.party for dm in dms}
    rules: list[ConflictRule] = []
    kept_rules = []
    for i, r in enumerate(cf.infeasible):
        if r.rule is not None:
            rules.append(r.model_copy(update={"rule": _held_at_n(r.rule, absent)}))
        else:
            pattern = _project(r.pattern or "", at)
            if pattern is None:
                continue
            rules.append(r.model_copy(update={"pattern": pattern}))
        kept_rules.append(i)
    if len(kept_rules) < len(cf.infeasible):
        lists[("conflict", "infeasible")] = tuple(kept_rules)
    prefs: dict[str, ConflictPreference] = {}
    for dm_id, pref in cf.preferences.items():
        if dm_id not in parties:
            continue
        if pref.statements is not None:
            st = tuple(
                s.model_copy(update={"statement": _held_at_n(s.statement, absent)})
                for s in pref.statements
            )
            prefs[dm_id] = pref.model_copy(update={"statements": st})
        else:
            groups = [
                tuple(p for s in g if (p := _project(s, at)) is not None)
                for g in pref.ranking or ()
            ]
            prefs[dm_id] = pref.model_copy(update={"ranking": tuple(g for g in groups if g)})
    sq = _project(cf.status_quo, at) if cf.status_quo is not None else None
    return cf.model_copy(
        update={
            "decision_makers": tuple(dms),
            "infeasible": tuple(rules),
            "irreversible": {o: d for o, d in cf.irreversible.items() if o not in absent},
            "preferences": prefs,
            "status_quo": sq,
        }
    )
