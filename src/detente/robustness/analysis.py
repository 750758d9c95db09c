"""The entry point: how far each conclusion holds when the assumed numbers move.

:func:`analyze_robustness` runs the point analysis once (:func:`detente.analysis.
analyze`) for the conclusions, compiles the deal model for batches of draws
(:mod:`detente.robustness.model`), runs the seeded Monte Carlo
(:mod:`detente.robustness.runner`), and adds the exact answers
(:mod:`detente.robustness.exact`) and the SMAA-2 descriptors of the categorical
conclusions (Lahdelma & Salminen 2001, adapted from rankings to deals and bridges):
acceptability (share of draws giving a value), central vector (the mean assumptions
under which it wins) and confidence factor (its share of draws when the preference
numbers, unmeasured weights and values, are held at its central vector and the others,
measured values included, still vary: SMAA-2 holds the weights at the central weight
vector and redraws the criteria measurements).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.blas import one_blas_thread
from detente.results import frozen_mapping
from detente.robustness.build import build_conclusions
from detente.robustness.conclusions import ConclusionSet
from detente.robustness.exact import (
    flip_by_firmness,
    flip_by_reservations,
    linear_verdict,
    oat_intervals,
)
from detente.robustness.gmcr import equilibrium_radii, swap_support
from detente.robustness.model import DEFAULT_LIMIT, Compiled, compile_model
from detente.robustness.nearest import shrink_flip
from detente.robustness.results import (
    ConclusionResult,
    Flip,
    Interval,
    RobustnessResult,
    Value,
    wilson,
)
from detente.robustness.runner import (
    ChunkStats,
    holds_of,
    run_chunks,
    start_local_cluster,
    stats_of,
)
from detente.robustness.sampling import (
    CHUNK,
    chunk_bounds,
    draw_constrained,
    estimates,
    n_streams,
    sampler,
)
from detente.scenario.checked import Scenario, ScenarioLike
from detente.scenario.uncertainty import UncertaintyEntry
from detente.scenario.uncertainty_checks import Uncertainty, resolve_uncertainty

__all__ = ["analyze_robustness"]

FloatArray = npt.NDArray[np.float64]
Progress = Callable[[int, int], None]
CONFIDENCE_DRAWS = 1000  # the default; SMAA-2 redraws as many as the run (see docs)
_CONFIDENCE_VALUES = 4  # values per conclusion given a confidence factor
_CONFIDENCE_KEY = 1 << 30  # chunk keys of the confidence draws: apart from the run's
# compiled models of the last few runs, by content: the same file run again (another seed
# or draw count, a report after a run, the web app) skips the enumeration (0.5 s on Cairo)
_MODELS: dict[str, Compiled] = {}
_MODELS_KEPT = 2  # a model holds (rows x features) arrays: keep few
_MODELS_LOCK = threading.Lock()


def analyze_robustness(
    scenario: ScenarioLike,
    *,
    draws: int = 10_000,
    seed: int = 0,
    uncertainty: Sequence[UncertaintyEntry] | None = None,
    workers: int | None = None,
    address: str | None = None,
    limit: int = DEFAULT_LIMIT,
    intervals: bool = True,
    progress: Progress | None = None,
    confidence_draws: int = CONFIDENCE_DRAWS,
) -> RobustnessResult:
    """Robustness of every conclusion of ``scenario`` to its assumed numbers.

    Parameters
    ----------
    scenario:
        A checked scenario (or a document or data to check).
    draws, seed:
        Monte Carlo draws and the seed of ``numpy.random.SeedSequence``.
    uncertainty:
        Entries replacing the file's ``uncertainty`` section (``--uncertainty FILE``,
        checked with :func:`~detente.scenario.uncertainty_checks.load_uncertainty`);
        with neither, the stated default applies (the result's notes say so).
    workers, address:
        Run the chunks on a Dask ``LocalCluster`` of ``workers`` processes, or on the
        cluster at ``address``; in-process by default. Results are identical.
    intervals:
        Compute one-at-a-time stability intervals (the tornado).
    progress:
        Called as ``progress(done, total)`` after each chunk.
    confidence_draws:
        Draws of the non-preference numbers behind each confidence factor.
    """
    # a LocalCluster takes about a second to start: start it while the model compiles
    early = _Early(workers) if workers is not None and address is None else None
    try:
        return _robustness(
            scenario, draws=draws, seed=seed, uncertainty=uncertainty, workers=workers,
            address=address, limit=limit, intervals=intervals, progress=progress,
            confidence_draws=confidence_draws, early=early,
        )  # fmt: skip
    finally:
        if early is not None:
            early.discard()


def _compiled(s: Scenario, unc: Uncertainty, limit: int) -> Compiled:
    """:func:`compile_model`, or the model compiled for the same content (read-only)."""
    h = hashlib.sha256(s.document.model_dump_json().encode())
    h.update(f"\0{s.origin}\0{unc!r}\0{limit}".encode())
    key = h.hexdigest()
    with _MODELS_LOCK:
        model = _MODELS.pop(key, None)
    if model is None:
        model = compile_model(s, unc, limit=limit)
    with _MODELS_LOCK:
        _MODELS[key] = model  # the newest last
        while len(_MODELS) > _MODELS_KEPT:
            _MODELS.pop(next(iter(_MODELS)))
    return model


class _Early:
    """A LocalCluster starting in a thread; taken by the run, or closed unused."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._future = self._pool.submit(start_local_cluster, workers)
        self._taken = False

    def take(self) -> Any:
        """The started cluster (or the error starting it); the run closes it."""
        self._taken = True
        return self._future.result()

    def discard(self) -> None:
        if not self._taken:
            with contextlib.suppress(Exception):
                self._future.result().close()
        self._pool.shutdown(wait=False)


def _robustness(
    scenario: ScenarioLike,
    *,
    draws: int,
    seed: int,
    uncertainty: Sequence[UncertaintyEntry] | None,
    workers: int | None,
    address: str | None,
    limit: int,
    intervals: bool,
    progress: Progress | None,
    confidence_draws: int,
    early: _Early | None,
) -> RobustnessResult:
    from detente.analysis.composite import analyze

    s = Scenario.of(scenario)
    unc = resolve_uncertainty(s.document, uncertainty)
    a = analyze(s, limit=limit)
    model = _compiled(s, unc, limit) if a.deal is not None else None
    cs = build_conclusions(model, a, unc)
    notes = list(unc.notes)
    most = max([0, *(k for _, k in unc.swaps)])

    def independent() -> tuple[list[tuple[Interval, ...]] | None, Mapping[str, Flip | None]]:
        # what does not depend on the draws: the one-at-a-time intervals and the radii
        tables = None
        if model is not None and intervals:
            with one_blas_thread():
                tables = oat_intervals(model, cs, unc, lambda d: holds_of(model, cs, d))
        radii = equilibrium_radii(a.conflict, max(2, most)) if a.conflict is not None else {}
        return tables, radii

    if model is None:
        stats: ChunkStats = ChunkStats(draws, np.array([draws if c.holds else 0 for c in
                                                        cs.conclusions], dtype=np.int64))  # fmt: skip
        interrupted = False
        tables, radii = independent()
    elif workers is None and address is None:
        stats, interrupted = run_chunks(model, cs, unc, draws=draws, seed=seed, progress=progress)
        tables, radii = independent()
    else:
        # on a cluster this process only waits for the chunks: meanwhile it computes what
        # does not depend on them, so that work is not left serial after the run
        with ThreadPoolExecutor(max_workers=1) as pool:
            side = pool.submit(independent)
            stats, interrupted = run_chunks(
                model, cs, unc, draws=draws, seed=seed, workers=workers, address=address,
                progress=progress, cluster=None if early is None else early.take(),
            )  # fmt: skip
            tables, radii = side.result()
    how = sampler(unc.varied, unc.orders, seed) if unc.orders else None
    if how is not None:
        notes.append(
            f"weight orders are met by {how} (see sampler, acceptance); the one-at-a-time "
            "intervals move one number alone and do not apply them"
        )
    unbounded = [v.address for v in unc.varied if not v.bounded]
    if unbounded:
        notes.append(
            "normal and lognormal entries are unbounded: their lo and hi are the central "
            "99.9 % interval of the value, which the one-at-a-time intervals (then not "
            "exact at those ends), the tornado and the nearest reversing draw's scaling use; "
            "verdicts over varied values come from the draws only"
        )
    if interrupted:
        notes.append(f"interrupted: {stats.n:,} of {draws:,} draws done, reported as such")
    est = estimates(unc.varied)
    swapped: dict[str, int] = {}
    if unc.swaps and a.conflict is not None:  # the equilibria under random swaps
        swapped = swap_support(a.conflict, unc.swaps, seed, chunk_bounds(stats.n),
                               n_streams(unc.varied))  # fmt: skip
        notes.append(
            "preference swaps: each draw applies 0 to N random adjacent swaps to each listed "
            "decision maker's ranking of states"
        )
    results = []
    for j, c in enumerate(cs.conclusions):
        n = max(stats.n, 1)
        held = int(stats.holds[j])
        free = c.assumption_free
        if c.kind == "equilibrium" and swapped:
            held = swapped[c.id.removeprefix("equilibrium:")]
            free = False
        support = float(held) / n
        verdict, vnote = (
            linear_verdict(model, unc, c, support) if model is not None and free is c.assumption_free
            else ("necessarily", None)
        )  # fmt: skip
        if c.kind == "equilibrium" and swapped:
            radius = radii.get(c.id.removeprefix("equilibrium:"))
            verdict, vnote = (
                ("possibly", None) if support < 1.0
                else ("necessarily", None) if radius is None or radius.distance > most
                else (None, "no draw removed it, but a ranking within the swaps does")
            )  # fmt: skip
        flip = None
        if model is not None:
            flip = (
                flip_by_firmness(model, unc, cs, est) if c.kind == "bridge"
                else flip_by_reservations(model, unc, c, est)
            )  # fmt: skip
        if c.kind == "equilibrium":
            flip = radii.get(c.id.removeprefix("equilibrium:"))
        nearest = None
        if j in stats.flip and model is not None:
            with one_blas_thread():
                nearest = shrink_flip(model, cs, unc, j, stats.flip[j][1])
        acc = (
            _acceptability(model, cs, unc, stats, j, seed, confidence_draws)
            if c.categorical else None
        )  # fmt: skip
        results.append(
            ConclusionResult(
                id=c.id, kind=c.kind, text=c.text, holds=c.holds, value=c.value,
                support=support, ci=wilson(held, stats.n),
                assumption_free=free, verdict=verdict, verdict_exact_note=vnote,
                flip=flip if flip is not None else None, nearest_draw=nearest,
                acceptability=acc, intervals=tables[j] if tables is not None else (),
            )
        )  # fmt: skip
    backend = (
        "in-process" if workers is None and address is None
        else f"dask {address}" if address else f"dask LocalCluster({workers})"
    )  # fmt: skip
    return RobustnessResult(
        scenario=s.id,
        method="monte-carlo",
        exact=False,
        parameters=frozen_mapping(
            {
                "draws": draws,
                "seed": seed,
                "chunk": CHUNK,
                "limit": limit,
                "intervals": intervals,
                "confidence_draws": confidence_draws,
            }
        ),
        notes=tuple(notes),
        title=s.title,
        draws=draws,
        completed=stats.n,
        seed=seed,
        interrupted=interrupted,
        default_uncertainty=unc.default,
        varied=tuple(_varied_dict(v) for v in unc.varied),
        conclusions=tuple(results),
        backend=backend,
        acceptance=stats.accepted / stats.drawn if unc.orders and stats.drawn else None,
        sampler=how,
    )


def _varied_dict(v: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "of": v.address,
        "estimate": v.estimate,
        "lo": v.lo,
        "hi": v.hi,
        "distribution": v.distribution,
    }
    if v.mode is not None:
        out["mode"] = v.mode
    if v.kappa is not None:
        out["kappa"] = v.kappa
    if v.scale is not None:
        out["scale"] = list(v.scale)
        out["measurement"] = list(v.measurement or ())
    return out


def _acceptability(
    model: Compiled | None, cs: ConclusionSet, unc: Uncertainty, stats: ChunkStats, j: int,
    seed: int, draws: int,
) -> tuple[Value, ...]:  # fmt: skip
    counts = stats.values.get(j, {})
    n = max(stats.n, 1)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    for rank, (value, count) in enumerate(ranked):
        central = stats.sums[j][value] / count
        conf = None
        if model is not None and rank < _CONFIDENCE_VALUES:
            conf = _confidence(model, cs, unc, j, value, central, seed, draws)
        out.append(
            Value(
                value, count, count / n,
                {v.address: float(x) for v, x in zip(unc.varied, central, strict=True)}, conf,
            )
        )  # fmt: skip
    return tuple(out)


def _confidence(
    model: Compiled, cs: ConclusionSet, unc: Uncertainty, j: int, value: str,
    central: FloatArray, seed: int, draws: int,
) -> float:  # fmt: skip
    """SMAA-2 confidence factor: preference numbers at the central vector, others drawn.

    The preference numbers are the weights and the unmeasured option values (the
    decision maker's tastes); measured values are criteria measurements and are drawn,
    as in SMAA-2 (Lahdelma & Salminen 2001, section 3).
    """
    prefs = np.array(
        [v.kind in ("weight", "value") and not v.measured for v in unc.varied], dtype=np.bool_
    )
    if prefs.all():
        d = central[None, :].copy()
    else:
        d = draw_constrained(unc.varied, unc.orders, seed, _CONFIDENCE_KEY, draws)[0]
        d[:, prefs] = central[prefs]
    # only conclusion j is evaluated: the others (and the gap table they may need) would
    # cost as much again and their values are not read
    one = ConclusionSet((cs.conclusions[j],), cs.combo_labels)
    with one_blas_thread():
        st = stats_of(model, one, unc, d)
    return st.values.get(0, {}).get(value, 0) / st.n
