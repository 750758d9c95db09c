"""Brute-force GMCR from the scenario document, definition by definition.

Independent of the engine it checks: it reads the ``conflict`` section of a scenario
*document* (a plain dict, as written in the file) and compiles everything itself:

- states: bit ``j`` of a state's code is option ``j`` in declared order (decision makers
  first to last); a state is infeasible when an ``infeasible`` rule holds in it (parsed
  with :func:`detente.scenario.expr.parse`, evaluated by :func:`reference_eval`) or a
  Y/N/- pattern matches it;
- moves: R_i(s), the feasible states i reaches by changing any of its own options at
  once, an ``irreversible`` option only in its allowed direction (forward N to Y,
  backward Y to N);
- preferences: option prioritization, score = sum of 2^(k-j) over the statements j
  (1..k, most important first) true in the state; or an explicit ranking, groups best
  first, each feasible state in exactly one group;
- stability (Fang, Hipel & Kilgour 1993, sec. 3; DESIGN.md), for i at s:
  Nash: R_i^+(s) is empty; GMR: every s1 in R_i^+(s) has some s2 in R_{N-i}(s1) with
  u_i(s2) <= u_i(s); SMR: as GMR, and every s3 in R_i(s2) has u_i(s3) <= u_i(s);
  SEQ: as GMR with s2 in R^+_{N-i}(s1). R_{N-i}(s1): states the others reach from s1 by
  one or more unilateral moves, no decision maker twice in a row (one may move again
  later); in R^+ every move improves its mover.

Deliberately naive (Python sets, one state at a time) but memoised: R_i, R_i^+, every
coalition's reachable set and every verdict are computed once per state and reused;
option bits are compared as integer masks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from detente.scenario.expr import parse
from reference_eval import reference_eval

CONCEPTS = ("nash", "gmr", "smr", "seq")


@cache
def _bits(pattern: str) -> tuple[int, int]:
    """(bits that must be set, bits that must be clear) for a Y/N/- pattern."""
    yes = sum(1 << j for j, ch in enumerate(pattern) if ch == "Y")
    no = sum(1 << j for j, ch in enumerate(pattern) if ch not in "Y-")
    return yes, no


def _ids(items: Iterable[Any], key: str) -> list[str]:
    return [x if isinstance(x, str) else x[key] for x in items]


class Oracle:
    """The graph model of one document's conflict section (see module docstring)."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        cf = doc["conflict"]
        self.dms: list[str] = [d["party"] for d in cf["decision_makers"]]
        self.options: list[str] = []
        self.owner: list[str] = []
        for d in cf["decision_makers"]:
            for o in _ids(d["options"], "id"):
                self.options.append(o)
                self.owner.append(d["party"])
        n = len(self.options)
        rules, patterns = [], []
        for r in cf.get("infeasible", []):
            if isinstance(r, dict) and "pattern" in r:
                patterns.append(r["pattern"])
            else:
                rules.append(parse(r if isinstance(r, str) else r["rule"]))
        self.states: list[int] = [
            c
            for c in range(1 << n)
            if not any(self.holds(r, c) for r in rules)
            and not any(self.matches(p, c) for p in patterns)
        ]
        self.feasible = frozenset(self.states)
        self._names = {c: self.pattern(c) for c in self.states}
        irr = cf.get("irreversible", {})
        self.forward = [irr.get(o) == "forward" for o in self.options]
        self.backward = [irr.get(o) == "backward" for o in self.options]
        self.u: dict[str, dict[int, int]] = {
            dm: self._preference(cf["preferences"][dm]) for dm in self.dms
        }
        self._own = {
            dm: sum(1 << j for j, o in enumerate(self.owner) if o == dm) for dm in self.dms
        }
        self._fwd = sum(1 << j for j, f in enumerate(self.forward) if f)
        self._bwd = sum(1 << j for j, b in enumerate(self.backward) if b)
        self._moves: dict[tuple[str, int], frozenset[int]] = {}
        self._improvements: dict[tuple[str, int], frozenset[int]] = {}
        self._stable: dict[tuple[str, int, str], bool] = {}
        self._reach: dict[tuple[frozenset[str], int, bool], frozenset[int]] = {}

    # -- states ----------------------------------------------------------------------

    def row(self, code: int) -> dict[str, bool]:
        return {o: bool(code >> j & 1) for j, o in enumerate(self.options)}

    def holds(self, rule: Any, code: int) -> bool:
        return bool(reference_eval(rule, self.row(code)))

    def matches(self, pattern: str, code: int) -> bool:
        """Every Y position of ``pattern`` is set in ``code`` and every other but - is clear."""
        yes, no = _bits(pattern)
        return code & yes == yes and code & no == 0

    def pattern(self, code: int) -> str:
        return "".join("Y" if code >> j & 1 else "N" for j in range(len(self.options)))

    def patterns(self, codes: Iterable[int]) -> set[str]:
        return {self._names[c] if c in self._names else self.pattern(c) for c in codes}

    def _preference(self, pref: Mapping[str, Any]) -> dict[int, int]:
        if pref.get("statements") is not None:
            statements = [parse(s) for s in _ids(pref["statements"], "statement")]
            k = len(statements)
            return {
                s: sum(1 << (k - j) for j, st in enumerate(statements, 1) if self.holds(st, s))
                for s in self.states
            }
        groups = pref["ranking"]
        out: dict[int, int] = {}
        for s in self.states:
            where = [g for g, group in enumerate(groups) for p in group if self.matches(p, s)]
            assert len(where) == 1, f"state {self.pattern(s)} ranked {len(where)} times"
            out[s] = len(groups) - where[0]
        return out

    # -- moves -----------------------------------------------------------------------

    def moves(self, dm: str, s: int) -> frozenset[int]:
        """R_i(s): feasible states ``dm`` reaches by one move (its own options only)."""
        key = (dm, s)
        if key not in self._moves:
            # t differs from s only in dm's own bits, never reversing a one-way option:
            # a forward option never goes from Y (set in s) to N, a backward one never N to Y
            own, fwd, bwd = self._own[dm], self._fwd, self._bwd
            out = set()
            for t in self.states:
                diff = s ^ t
                if diff and not diff & ~own and not diff & fwd & s and not diff & bwd & ~s:
                    out.add(t)
            self._moves[key] = frozenset(out)
        return self._moves[key]

    def improvements(self, dm: str, s: int) -> frozenset[int]:
        """R_i^+(s): the moves ``dm`` strictly prefers to staying at s."""
        key = (dm, s)
        if key not in self._improvements:
            u = self.u[dm]
            self._improvements[key] = frozenset(t for t in self.moves(dm, s) if u[t] > u[s])
        return self._improvements[key]

    def reach(self, coalition: Iterable[str], s: int, improving: bool) -> frozenset[int]:
        """R_H(s) (or R_H^+(s)): one or more moves by members, none twice in a row."""
        members = frozenset(coalition)
        key = (members, s, improving)
        if key not in self._reach:
            seen: set[tuple[int, str]] = set()
            stack: list[tuple[int, str | None]] = [(s, None)]
            while stack:
                x, last = stack.pop()
                for j in members:
                    if j == last:
                        continue
                    step = self.improvements(j, x) if improving else self.moves(j, x)
                    for t in step:
                        if (t, j) not in seen:
                            seen.add((t, j))
                            stack.append((t, j))
            self._reach[key] = frozenset(t for t, _ in seen)
        return self._reach[key]

    # -- stability -------------------------------------------------------------------

    def stable(self, dm: str, s: int, concept: str) -> bool:
        key = (dm, s, concept)
        if key not in self._stable:
            self._stable[key] = self._decide(dm, s, concept)
        return self._stable[key]

    def _decide(self, dm: str, s: int, concept: str) -> bool:
        u = self.u[dm]
        others = [j for j in self.dms if j != dm]
        ui = self.improvements(dm, s)
        if concept == "nash":
            return not ui
        for s1 in ui:
            if concept == "gmr":
                ok = any(u[s2] <= u[s] for s2 in self.reach(others, s1, False))
            elif concept == "smr":
                ok = any(
                    u[s2] <= u[s] and all(u[s3] <= u[s] for s3 in self.moves(dm, s2))
                    for s2 in self.reach(others, s1, False)
                )
            else:
                assert concept == "seq"
                ok = any(u[s2] <= u[s] for s2 in self.reach(others, s1, True))
            if not ok:
                return False
        return True

    def stable_states(self, dm: str, concept: str) -> set[str]:
        """Y/N strings of the states stable for ``dm`` under ``concept``."""
        return self.patterns(s for s in self.states if self.stable(dm, s, concept))

    def equilibria(self, concept: str) -> set[str]:
        """States stable for every decision maker under ``concept``."""
        return self.patterns(
            s for s in self.states if all(self.stable(dm, s, concept) for dm in self.dms)
        )

    def distances(self, start: int, improving: bool) -> dict[int, int]:
        """Fewest moves from ``start`` to each reachable state (no DM twice in a row)."""
        best = {start: 0}
        seen: set[tuple[int, str | None]] = {(start, None)}
        queue: deque[tuple[int, str | None, int]] = deque([(start, None, 0)])
        while queue:
            x, last, d = queue.popleft()
            for j in self.dms:
                if j == last:
                    continue
                for t in self.improvements(j, x) if improving else self.moves(j, x):
                    if (t, j) not in seen:
                        seen.add((t, j))
                        best.setdefault(t, d + 1)
                        queue.append((t, j, d + 1))
        return best
