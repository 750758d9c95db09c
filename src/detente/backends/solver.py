"""The CP-SAT engine: gap questions answered without enumerating the outcome space.

Every query clones the compiled base model (:class:`detente.backends.cpsat.Compiled`) and
adds what it needs:

- satisfiability of a demand set: the demands' Booleans as *assumptions*; when
  infeasible, CP-SAT's ``SufficientAssumptionsForInfeasibility`` gives an unsat core,
  which MARCO then shrinks to a minimal one (:mod:`detente.gaps.mus`);
- cheapest correction set: minimise sum of firmness x (1 - sat_j) with absolute demands
  forced and, for each MCS already found, a clause "one of its demands holds" (the
  optimum is then a new MCS: with positive costs a cheapest correction set is minimal);
- deals: utilitarian max sum U_i; egalitarian max t with t <= U_i - D_i; Nash, see below;
- near misses: minimise firmness-weighted violations plus firmness x shortfall.

Exactness. Utilities are scaled integers (:mod:`detente.backends.cpsat`), reservations
compiled permissively; each feasible answer is re-evaluated in float arithmetic by
:class:`detente.backends.base.Evaluator`, and an outcome that fails the exact check is cut
off (a no-good on the issue values) before solving again. Deals are optimal for the
rounded utilities; the reported value is the exact float objective of the returned
outcome, within (err_i summed over parties)/SCALE of the float optimum.

Nash product. prod_i (u_i - d_i) is not linear, and products of four 10^6-scaled
factors overflow 64 bits, so the engine maximises sum_i z_i with z_i below the tangents
of L*log(g_i / SCALE) at geometric breakpoints (ratio 1.1) of the scaled gain
g_i = max(U_i - D_i, 1): a concave piecewise-linear over-estimate, linear for CP-SAT and
valid for any number of parties (a zero gain counts as 1/SCALE). Because it
over-estimates, its optimum bounds every outcome's true log product; Kelley's
cutting-plane loop (outer approximation) adds the tangents at each solution's gains and
stops once the bound is within rounding (one unit of 1/L per party) of the best exact
value found, at most :data:`NASH_ROUNDS` rounds; otherwise the deal is reported as not
proven optimal.
Multiplication constraints on scaled integers were the alternative; they only fit two or
three parties at a coarse scale and propagate poorly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from ortools.sat.python import cp_model as cp

from detente.backends.base import DealKind, Evaluator, NearMiss, Witness
from detente.backends.cpsat import SCALE, Compiled
from detente.errors import LimitError
from detente.scenario.checked import Scenario
from detente.scenario.expr import Expr, names
from detente.space.bargaining import Deal
from detente.space.demands import RESERVATION, Demand, disagreement
from detente.space.outcomes import OutcomeSpace

__all__ = ["SolverBackend", "CUT_LIMIT", "NASH_ROUNDS", "LOG_SCALE"]

CUT_LIMIT = 50  # no-goods per query before giving up on certifying a witness
NASH_ROUNDS = 25
COUNT_SECONDS = 5.0  # counting enumerates solutions; past this the count is "at least"
LOG_SCALE = 100_000
_RATIO = 1.1


def _tangent(model: cp.CpModel, z: cp.IntVar, g: cp.IntVar, p: int) -> None:
    """Add the tangent of L * log(g / SCALE) at p as a bound on z.

    The cut is p * z <= L * p * log(p / SCALE) + L * (g - p), its constant rounded up so
    the line stays above the curve.
    """
    const = math.ceil(LOG_SCALE * p * math.log(p / SCALE))
    model.add(p * z <= const + LOG_SCALE * (g - p))


class SolverBackend:
    """Answers the gap questions with CP-SAT (see module docstring).

    Parameters
    ----------
    scenario, demands, unlock:
        The scenario, the demands analysed and the amendments adopted.
    time_limit:
        Seconds allowed to one CP-SAT call; a call that runs out raises LimitError.
    workers:
        CP-SAT search workers (1 keeps results deterministic).
    """

    name = "solver"

    def __init__(
        self,
        scenario: Scenario,
        demands: Sequence[Demand],
        unlock: Sequence[str] = (),
        *,
        time_limit: float = 60.0,
        workers: int = 1,
    ) -> None:
        self.demands = tuple(demands)
        self.space = OutcomeSpace(scenario, tuple(unlock))
        self.c = Compiled(self.space, self.demands)
        self.evaluator = Evaluator(self.space, self.demands)
        self.time_limit = time_limit
        self.workers = workers
        self._index = {v.index: j for j, v in enumerate(self.c.sat)}
        # answers are deterministic (one worker): the gaps, the bridges and the caller ask
        # some of the same questions (everything at once, the first correction set)
        self._solved: dict[frozenset[int], tuple[Witness | None, frozenset[int]]] = {}
        self._corrections: dict[
            tuple[frozenset[int], ...], tuple[frozenset[int], Witness] | None
        ] = {}

    # -- plumbing ----------------------------------------------------------------------

    def _solver(self) -> cp.CpSolver:
        solver = cp.CpSolver()
        solver.parameters.num_workers = self.workers
        solver.parameters.max_time_in_seconds = self.time_limit
        return solver

    def _codes(self, solver: cp.CpSolver) -> np.ndarray:
        return np.array([solver.value(v) for v in self.c.x], dtype=np.int64)

    def _nogood(self, model: cp.CpModel, codes: np.ndarray) -> None:
        """Forbid exactly this outcome."""
        diff = []
        for v, a in zip(self.c.x, codes, strict=True):
            b = model.new_bool_var("")
            model.add(v != int(a)).only_enforce_if(b)
            diff.append(b)
        model.add_bool_or(diff)

    def _timeout(self, what: str) -> LimitError:
        return LimitError(
            f"CP-SAT found no answer to '{what}' within {self.time_limit:g} s on a space of "
            f"{self.space.size:,} outcomes; raise the time limit or simplify the scenario"
        )

    def _certified(
        self,
        model: cp.CpModel,
        ok: Callable[[Witness, cp.CpSolver], bool],
        what: str,
        *,
        presolve: bool = True,
    ) -> tuple[cp.CpSolver, np.ndarray, Witness, bool] | None:
        """Solve; cut off witnesses failing the exact check ``ok``; None if infeasible.

        The last item says the answer was proven optimal (always True without objective);
        a time-out with a solution in hand returns it unproven, without one raises.
        """
        for _ in range(CUT_LIMIT):
            solver = self._solver()
            solver.parameters.cp_model_presolve = presolve
            status = solver.solve(model)
            if status == cp.INFEASIBLE:
                return None
            if status not in (cp.OPTIMAL, cp.FEASIBLE):
                raise self._timeout(what)
            codes = self._codes(solver)
            w = self.evaluator.witness(codes)
            if ok(w, solver):
                return solver, codes, w, status == cp.OPTIMAL
            self._nogood(model, codes)
        raise LimitError(
            f"'{what}': {CUT_LIMIT} solver answers in a row failed the exact utility check "
            "(reservations within rounding of 1e-5 of the utilities); use --engine enum"
        )

    def _keep_model(self, keep: frozenset[int]) -> cp.CpModel:
        model = self.c.model.clone()
        for j in keep:
            model.add(self.c.sat[j] == 1)
        return model

    # -- engine protocol ---------------------------------------------------------------

    def solve(self, keep: frozenset[int]) -> tuple[Witness | None, frozenset[int]]:
        """(certified witness, empty) if ``keep`` is satisfiable, else (None, an unsat core)."""
        got = self._solved.get(keep)
        if got is None:
            got = self._solved[keep] = self._solve(keep)
        return got

    def _solve(self, keep: frozenset[int]) -> tuple[Witness | None, frozenset[int]]:
        model = self.c.model.clone()
        model.add_assumptions([self.c.sat[j] for j in sorted(keep)])

        def ok(w: Witness, solver: cp.CpSolver) -> bool:
            return keep <= w.satisfied

        for _ in range(CUT_LIMIT):
            solver = self._solver()
            status = solver.solve(model)
            if status == cp.INFEASIBLE:
                core = frozenset(
                    self._index[i]
                    for i in solver.sufficient_assumptions_for_infeasibility()
                    if i in self._index
                )
                return None, (core & keep) or keep
            if status not in (cp.OPTIMAL, cp.FEASIBLE):
                raise self._timeout("are these demands compatible?")
            codes = self._codes(solver)
            w = self.evaluator.witness(codes)
            if ok(w, solver):
                return w, frozenset()
            self._nogood(model, codes)
        raise LimitError(
            f"could not certify a witness within {CUT_LIMIT} rounds; use --engine enum"
        )

    def cheapest_correction(
        self, blocked: Sequence[frozenset[int]]
    ) -> tuple[frozenset[int], Witness] | None:
        """The cheapest correction set by minimising violated firmness, each of ``blocked`` hit.

        Raises :class:`~detente.errors.LimitError` when the optimum is not proven (an
        unproven optimum could be a non-minimal set).
        """
        key = tuple(blocked)
        if key not in self._corrections:
            self._corrections[key] = self._cheapest_correction(key)
        return self._corrections[key]

    def _cheapest_correction(
        self, blocked: Sequence[frozenset[int]]
    ) -> tuple[frozenset[int], Witness] | None:
        c = self.c
        model = c.model.clone()
        soft = [j for j, d in enumerate(self.demands) if d.relaxable]
        for j, d in enumerate(self.demands):
            if not d.relaxable:
                model.add(c.sat[j] == 1)
        for block in blocked:
            model.add_bool_or([c.sat[j] for j in sorted(block)])
        model.minimize(sum(self.demands[j].cost * (1 - c.sat[j]) for j in soft))
        hard = frozenset(j for j, d in enumerate(self.demands) if not d.relaxable)

        def ok(w: Witness, solver: cp.CpSolver) -> bool:
            seen = frozenset(j for j in range(len(self.demands)) if solver.value(c.sat[j]))
            return hard <= w.satisfied and seen == w.satisfied

        got = self._certified(model, ok, "which cheapest relaxation opens a deal?")
        if got is None:
            return None
        _, _, w, proven = got
        if not proven:  # an unproven optimum could be a non-minimal set: refuse it
            raise self._timeout("which cheapest relaxation opens a deal?")
        return frozenset(j for j in soft if j not in w.satisfied), w

    def _free_issues(self, keep: frozenset[int]) -> list[int]:
        """Issues no demand of ``keep`` reads (through derived quantities too)."""
        sc = self.space.scenario
        derived = set(sc.derived_order)
        read: set[str] = set()
        todo: list[Expr] = []
        for j in keep:
            dem = self.demands[j]
            if dem.kind == RESERVATION:
                ut = self.space.utilities[dem.party]
                read |= {d.issue for d, w in zip(self.space.domains, ut.weights, strict=True) if w}
            else:
                assert dem.ast is not None
                todo.append(dem.ast)
        seen: set[str] = set()
        while todo:
            for n in names(todo.pop()) - seen:
                seen.add(n)
                if n in derived:
                    todo.append(sc.derived_ast(n))
                else:
                    read.add(n)
        return [k for k, d in enumerate(self.space.domains) if d.issue not in read]

    def count(self, keep: frozenset[int], cap: int) -> tuple[int, bool]:
        """(outcomes satisfying ``keep``, exact?) by enumerating up to ``cap`` CP-SAT solutions.

        An issue no kept demand reads is fixed to one value and the count multiplied by
        its number of values (every auxiliary variable is a function of the issues, so
        solutions are outcomes and each value of a free issue counts alike). The search
        halves the issues' domains in order: on ranges of millions CP-SAT's default search
        often ran into :data:`COUNT_SECONDS` before the cap, this one reaches it.
        Inexact (an "at least") when ``cap`` is reached or the search stops at
        :data:`COUNT_SECONDS`.
        """
        model = self._keep_model(keep)
        doms = self.space.domains
        times = 1
        for k in self._free_issues(keep):
            codes = doms[k].codes()
            model.add(self.c.x[k] == int(codes[0]))
            times *= len(codes)
        model.add_decision_strategy(self.c.x, cp.CHOOSE_FIRST, cp.SELECT_LOWER_HALF)
        solver = self._solver()
        solver.parameters.max_time_in_seconds = min(self.time_limit, COUNT_SECONDS)
        solver.parameters.enumerate_all_solutions = True
        solver.parameters.search_branching = cp.FIXED_SEARCH
        # one value per solution read back: the outcome's mixed-radix index (when it fits)
        radix = [d.hi - d.lo + 1 for d in doms]
        strides = [math.prod(radix[k + 1 :]) for k in range(len(doms))]
        fits = math.prod(radix) < 2**62
        index = sum(st * (v - d.lo) for st, v, d in zip(strides, self.c.x, doms, strict=True))
        found: set[int] | set[tuple[int, ...]] = set()
        xs = self.c.x

        class _Collect(cp.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                found.add(self.Value(index) if fits else tuple(self.Value(v) for v in xs))  # type: ignore[arg-type]
                if len(found) >= cap:
                    self.StopSearch()

        status = solver.solve(model, _Collect())
        if not found:
            return 0, status == cp.INFEASIBLE or status == cp.OPTIMAL
        if fits:
            at = np.array(sorted(found), dtype=np.int64)[:, None]
            lo = np.array([d.lo for d in doms], dtype=np.int64)
            codes = lo + at // np.array(strides, dtype=np.int64) % np.array(radix, dtype=np.int64)
        else:
            codes = np.array(sorted(found), dtype=np.int64)
        sat, _ = self.evaluator.matrix(codes)
        idx = np.array(sorted(keep), dtype=np.int64)
        n = int(sat[:, idx].all(axis=1).sum()) if len(idx) else len(codes)
        exact = status == cp.OPTIMAL and len(found) < cap
        return n * times, exact

    def deal(self, keep: frozenset[int], kind: DealKind) -> Deal | None:
        """The ``kind`` deal over outcomes satisfying ``keep``, optimal for the rounded utilities.

        Egalitarian is leximin by stages (Ogryczak & Sliwinski 2006); Nash by tangent cuts
        on the log product (module docstring). None if no outcome satisfies ``keep``.
        """
        c = self.c
        model = self._keep_model(keep)
        d = disagreement(self.demands, self.space.parties, keep)
        D = [round(SCALE * float(x)) for x in d]

        def ok(w: Witness, solver: cp.CpSolver) -> bool:
            return keep <= w.satisfied

        if kind == "nash":
            return self._nash(model, D, keep, ok)
        method = f"CP-SAT, utilities scaled by {SCALE:,} and rounded"
        if kind == "utilitarian":
            model.maximize(sum(c.U))
            got = self._certified(model, ok, "the utilitarian deal")
            if got is None:
                return None
            return self.evaluator.deal(kind, got[1], keep, optimal=got[3], method=method)
        # egalitarian, leximin (Ogryczak & Sliwinski 2006): stage m maximises the sum of
        # the m smallest gains, m*t - sum_i max(0, t - g_i), then holds it at its optimum
        # less twice the rounding of the scaled gains: outcomes whose exact sums tie must
        # stay in, or the next stage cannot see the exact leximin (found by make fuzz)
        gains = [u - di for u, di in zip(c.U, D, strict=True)]
        n = len(gains)
        slack = math.ceil(2 * sum(e + 0.5 for e in c.err))
        codes = None
        proven = True
        for m in range(1, n + 1):
            t = model.new_int_var(-2 * SCALE, 2 * SCALE, "")
            e = [model.new_int_var(0, 4 * SCALE, "") for _ in gains]
            for ei, g in zip(e, gains, strict=True):
                model.add(ei >= t - g)
            s_m = m * t - sum(e)
            model.maximize(s_m)
            got = self._certified(model, ok, "the egalitarian deal")
            if got is None:
                return None
            solver, stage_codes, _, stage_proven = got
            codes = stage_codes
            proven &= stage_proven
            model.add(s_m >= round(solver.objective_value) - slack)
            model.clear_objective()  # type: ignore[no-untyped-call]
        assert codes is not None
        return self.evaluator.deal(kind, codes, keep, optimal=proven, method=method + ", leximin")

    def _polish(
        self, model: cp.CpModel, codes: np.ndarray, ok: Callable[[Witness, cp.CpSolver], bool]
    ) -> np.ndarray:
        """An outcome no worse for anyone than ``codes`` and undominated (scaled utilities)."""
        c = self.c
        probe = self.c.model.clone()
        for v, a in zip(c.x, codes, strict=True):
            probe.add(v == int(a))
        solver = self._solver()
        if solver.solve(probe) not in (cp.OPTIMAL, cp.FEASIBLE):
            return codes
        here = [solver.value(u) for u in c.U]
        better = model.clone()
        better.clear_objective()  # type: ignore[no-untyped-call]
        for u, h in zip(c.U, here, strict=True):
            better.add(u >= h)
        better.maximize(sum(c.U))
        got = self._certified(better, ok, "an undominated deal")
        if got is None:
            return codes
        new = got[1]
        before = self.evaluator.matrix(codes.reshape(1, -1))[1][0]
        after = self.evaluator.matrix(new.reshape(1, -1))[1][0]
        return new if bool(np.all(after >= before)) else codes

    def _nash(
        self,
        model: cp.CpModel,
        D: list[int],
        keep: frozenset[int],
        ok: Callable[[Witness, cp.CpSolver], bool],
    ) -> Deal | None:
        c = self.c
        top = 2 * SCALE + int(max(c.err, default=0.0)) + 2
        points = sorted({round(_RATIO**j) for j in range(int(math.log(top, _RATIO)) + 2)})
        zs, gs = [], []
        for u, di in zip(c.U, D, strict=True):
            g = model.new_int_var(1, top, "")
            model.add_max_equality(g, [u - di, 1])
            z = model.new_int_var(-LOG_SCALE * 40, LOG_SCALE * 2, "")
            for p in points:
                _tangent(model, z, g, p)
            zs.append(z)
            gs.append(g)
        model.maximize(sum(zs))
        best: tuple[float, np.ndarray] | None = None
        proven = False
        for _ in range(NASH_ROUNDS):
            # without presolve: it spent most of each round on the tangent rows (Nash
            # deals 3x faster on the contract's scenarios, 2.5x at 10^8 outcomes)
            got = self._certified(model, ok, "the Nash deal", presolve=False)
            if got is None:
                break
            solver, codes, _, round_proven = got
            gains = [solver.value(g) for g in gs]
            value = sum(LOG_SCALE * math.log(gi / SCALE) for gi in gains)
            if best is None or value > best[0]:
                best = (value, codes)
            # the objective over-estimates every outcome's log product: once it is within
            # rounding (1 unit per party) of the incumbent, nothing can beat the incumbent
            if round_proven and solver.objective_value <= best[0] + len(zs) + 1:
                proven = True
                break
            if not round_proven:
                break
            for z, gi in zip(zs, gains, strict=True):  # Kelley cut: tangents at this point
                _tangent(model, z, gs[zs.index(z)], gi)
        if best is None:
            return None
        best = (best[0], self._polish(model, best[1], ok))
        method = (
            "CP-SAT, tangent cuts on the log Nash product (outer approximation), exact re-check"
        )
        return self.evaluator.deal("nash", best[1], keep, optimal=proven, method=method)

    def near_misses(self, k: int) -> tuple[NearMiss, ...]:
        """Up to ``k`` near misses, best first, each with a new set of violated demands."""
        c = self.c
        model = c.model.clone()
        terms = []
        for j, dem in enumerate(self.demands):
            if not dem.relaxable:
                model.add(c.sat[j] == 1)
            elif dem.kind == RESERVATION:
                i = self.space.parties.index(dem.party)
                short = model.new_int_var(0, 2 * SCALE, "")
                model.add(short >= c.R[i] - c.U[i])
                terms.append(dem.cost * short)
            else:
                terms.append(dem.cost * SCALE * (1 - c.sat[j]))
        model.add_bool_or([s.negated() for s in c.sat])
        model.minimize(sum(terms))
        out: list[NearMiss] = []
        for _ in range(k):
            got = self._certified(model, lambda w, s: True, "near misses")
            if got is None:
                break
            solver, codes, _, _ = got
            out.append(self.evaluator.near_miss(codes))
            pattern = [solver.value(s) for s in c.sat]
            diff = []
            for s, v in zip(c.sat, pattern, strict=True):
                diff.append(s.negated() if v else s)
            model.add_bool_or(diff)
        return tuple(sorted(out, key=lambda nm: nm.score))
