"""One chunk runner, three back ends: in-process, a Dask LocalCluster, an existing cluster.

A run of N draws is cut into fixed chunks of :data:`~detente.robustness.sampling.CHUNK`
draws; chunk k is drawn from ``SeedSequence(seed, spawn_key=(k,))`` and evaluated in
sub-batches of a size fixed by the model alone (the last one padded), so a chunk's
statistics are the same wherever it runs. Statistics are merged in chunk order, so a
result is bitwise the same with 1 or 16 workers, local or on Dask, and a short run is a
prefix of a long one. Dask (the ``[distributed]`` extra) is imported only when asked for.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.blas import one_blas_thread
from detente.errors import DetenteError
from detente.robustness.conclusions import ConclusionSet, evaluate
from detente.robustness.model import Compiled, compile_model
from detente.robustness.sampling import chunk_bounds, draw_constrained
from detente.scenario.checked import Scenario
from detente.scenario.uncertainty_checks import Uncertainty

__all__ = [
    "WORKER_ENV",
    "ChunkStats",
    "holds_of",
    "merge",
    "run_chunk",
    "run_chunks",
    "start_local_cluster",
    "stats_of",
]

FloatArray = npt.NDArray[np.float64]
Progress = Callable[[int, int], None]
# seconds to reach a scheduler given with --dask (DETENTE_DASK_TIMEOUT overrides)
CONNECT_TIMEOUT = 10.0
_CELLS = 1 << 20  # draw x row cells per sub-batch: 8 MB arrays (2 workers share the memory bus)
# Dask's nannies start workers with glibc malloc trimming memory back eagerly, so every
# large numpy temporary of a task thread is a fresh mmap and page faults: 3-4x slower
# array arithmetic. Workers this module starts keep their heap (and so should the
# workers of a cluster given with --dask: start them with these variables set).
WORKER_ENV = {"MALLOC_TRIM_THRESHOLD_": str(1 << 30), "MALLOC_MMAP_THRESHOLD_": str(1 << 30)}


@dataclass
class ChunkStats:
    """What one chunk (or a merge of chunks, in order) contributes to the statistics.

    ``holds[c]`` counts draws where conclusion c holds; ``values[c]`` counts each value
    of a categorical conclusion and ``sums[c][value]`` adds up the draws giving it (for
    SMAA central vectors); ``flip[c]`` is the draw closest to the estimates (L-inf over
    ranges scaled to 1) where c is reversed, with that distance.
    """

    n: int
    holds: npt.NDArray[np.int64]
    values: dict[int, dict[str, int]] = field(default_factory=dict)
    sums: dict[int, dict[str, FloatArray]] = field(default_factory=dict)
    flip: dict[int, tuple[float, FloatArray]] = field(default_factory=dict)
    drawn: int = 0  # candidates drawn (more than n when weight orders reject some)
    accepted: int = 0  # of which met the orders


def batch_size(model: Compiled) -> int:
    """Draws per sub-batch: fixed by the model's size only."""
    return int(max(1, min(250, _CELLS // max(1, model.n_rows))))


def run_chunk(
    model: Compiled,
    cs: ConclusionSet,
    unc: Uncertainty,
    seed: int,
    k: int,
    n: int,
) -> ChunkStats:
    """Draw chunk ``k`` (``n`` draws) and evaluate every conclusion on it."""
    draws, drawn, accepted = draw_constrained(unc.varied, unc.orders, seed, k, n)
    with one_blas_thread():
        out = stats_of(model, cs, unc, draws)
    out.drawn, out.accepted = drawn, accepted
    return out


def holds_of(model: Compiled, cs: ConclusionSet, draws: FloatArray) -> npt.NDArray[np.bool_]:
    """Per draw, which conclusions hold (n, C), in the same padded sub-batches."""
    size = batch_size(model)
    out = np.zeros((draws.shape[0], len(cs.conclusions)), dtype=np.bool_)
    for start in range(0, draws.shape[0], size):
        part = draws[start : start + size]
        m = part.shape[0]
        if m < size:
            part = np.concatenate([part, np.repeat(part[-1:], size - m, axis=0)], axis=0)
        out[start : start + m] = evaluate(model, cs, part).holds[:m]
    return out


def stats_of(model: Compiled, cs: ConclusionSet, unc: Uncertainty, draws: FloatArray) -> ChunkStats:
    """Statistics of given draws (evaluated in fixed, padded sub-batches)."""
    n = draws.shape[0]
    size = batch_size(model)
    est = np.array([v.estimate for v in unc.varied], dtype=np.float64)
    width = np.array([max(v.hi - v.lo, 1e-12) for v in unc.varied], dtype=np.float64)
    c_n = len(cs.conclusions)
    holds = np.zeros((n, c_n), dtype=np.bool_)
    values: dict[int, list[str]] = {}
    for start in range(0, n, size):
        part = draws[start : start + size]
        m = part.shape[0]
        if m < size:  # same shapes in every sub-batch: same floating-point path
            part = np.concatenate([part, np.repeat(part[-1:], size - m, axis=0)], axis=0)
        b = evaluate(model, cs, part)
        holds[start : start + m] = b.holds[:m]
        for j, vals in b.values.items():
            values.setdefault(j, []).extend(vals[:m])
    out = ChunkStats(n, holds.sum(axis=0).astype(np.int64))
    for j, vals in values.items():
        counts: dict[str, int] = {}
        sums: dict[str, FloatArray] = {}
        arr = np.asarray(vals, dtype=object)
        for v in dict.fromkeys(vals):
            sel = arr == v
            counts[v] = int(sel.sum())
            sums[v] = draws[sel].sum(axis=0)
        out.values[j] = counts
        out.sums[j] = sums
    dist = np.abs(draws - est[None, :]) / width[None, :] if draws.shape[1] else np.zeros((n, 0))
    # a number that cannot move (a zero-width range; a fixed measurement, sd 0, whose
    # stated value is its median's to 0.0005) is no step towards any flip
    dist[:, [v.hi <= v.lo for v in unc.varied]] = 0.0
    linf = dist.max(axis=1) if draws.shape[1] else np.zeros(n)
    for j, c in enumerate(cs.conclusions):
        flipped = np.flatnonzero(holds[:, j] != c.holds)
        if len(flipped):
            best = flipped[np.argmin(linf[flipped])]
            out.flip[j] = (float(linf[best]), draws[best].copy())
    return out


def merge(parts: Sequence[ChunkStats]) -> ChunkStats:
    """Statistics of chunks merged in the order given (chunk order)."""
    first = parts[0]
    out = ChunkStats(0, np.zeros_like(first.holds))
    for p in parts:
        out.n += p.n
        out.drawn += p.drawn
        out.accepted += p.accepted
        out.holds = out.holds + p.holds
        for j, counts in p.values.items():
            tgt = out.values.setdefault(j, {})
            sums = out.sums.setdefault(j, {})
            for v, c in counts.items():
                tgt[v] = tgt.get(v, 0) + c
                sums[v] = sums[v] + p.sums[j][v] if v in sums else p.sums[j][v].copy()
        for j, (d, x) in p.flip.items():
            if j not in out.flip or d < out.flip[j][0]:
                out.flip[j] = (d, x)
    return out


# -- back ends --------------------------------------------------------------------------

_CACHE: dict[str, Compiled] = {}


def _token(s: Scenario, unc: Uncertainty) -> str:
    h = hashlib.sha256(s.document.model_dump_json().encode())
    h.update(repr(unc).encode())
    return h.hexdigest()


def _remote_chunks(
    token: str, doc: Any, origin: str | None, unc: Uncertainty, cs: ConclusionSet,
    seed: int, bounds: list[tuple[int, int]],
) -> list[ChunkStats]:  # fmt: skip
    """Consecutive chunks on a Dask worker: the model is compiled once per worker process."""
    model = _CACHE.get(token)
    if model is None:
        model = compile_model(Scenario.from_document(doc, origin=origin), unc)
        _CACHE.clear()
        _CACHE[token] = model
    return [run_chunk(model, cs, unc, seed, k, n) for k, n in bounds]


def run_chunks(
    model: Compiled,
    cs: ConclusionSet,
    unc: Uncertainty,
    *,
    draws: int,
    seed: int,
    workers: int | None = None,
    address: str | None = None,
    progress: Progress | None = None,
    cluster: Any = None,
) -> tuple[ChunkStats, bool]:
    """Run every chunk (in-process, ``workers`` on a LocalCluster, or on ``address``).

    ``cluster`` is a LocalCluster already started for ``workers``
    (:func:`start_local_cluster`); the run closes it. Returns the merged statistics and
    whether the run was interrupted (Ctrl-C): then the statistics cover the chunks
    finished so far, in order.
    """
    bounds = chunk_bounds(draws)
    done: list[ChunkStats] = []
    interrupted = False
    if workers is None and address is None:
        try:
            for k, n in bounds:
                done.append(run_chunk(model, cs, unc, seed, k, n))
                if progress is not None:
                    progress(sum(p.n for p in done), draws)
        except KeyboardInterrupt:
            interrupted = True
    else:
        done, interrupted = _run_dask(
            model, cs, unc, bounds, seed, workers, address, progress, cluster
        )
    if not done:
        return ChunkStats(0, np.zeros(len(cs.conclusions), dtype=np.int64)), interrupted
    return merge(done), interrupted


def _distributed() -> Any:
    try:
        return importlib.import_module("distributed")  # the [distributed] extra, only here
    except ImportError:
        raise DetenteError(
            "--workers and --dask need Dask: pip install 'detente[distributed]'"
        ) from None


def start_local_cluster(workers: int) -> Any:
    """A Dask LocalCluster of ``workers`` single-threaded processes on loopback.

    Its workers get :data:`WORKER_ENV`. Starting takes about a second, so
    :func:`~detente.robustness.analysis.analyze_robustness` starts it while it compiles
    the model; the caller closes it (:func:`run_chunks` does).
    """
    dist = _distributed()
    dask: Any = importlib.import_module("dask")
    spawn = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}), **WORKER_ENV}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": spawn}):
        return dist.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            dashboard_address=":0", host="127.0.0.1",
        )  # fmt: skip


def _run_dask(
    model: Compiled,
    cs: ConclusionSet,
    unc: Uncertainty,
    bounds: list[tuple[int, int]],
    seed: int,
    workers: int | None,
    address: str | None,
    progress: Progress | None,
    cluster: Any = None,
) -> tuple[list[ChunkStats], bool]:
    dist = _distributed()
    s = model.scenario
    token = _token(s, unc)
    if address is None:
        if cluster is None:
            cluster = start_local_cluster(workers or 1)
        client = dist.Client(cluster)
    else:
        try:
            wait = float(os.environ.get("DETENTE_DASK_TIMEOUT", CONNECT_TIMEOUT))
            client = dist.Client(address, timeout=wait)
        except (OSError, TimeoutError) as err:
            raise DetenteError(
                f"cannot reach the Dask scheduler at {address} ({err}); start one with "
                "'dask scheduler' and 'dask worker ADDRESS', or run without --dask"
            ) from None
    results: dict[int, list[ChunkStats]] = {}
    interrupted = False
    try:
        doc = client.scatter(s.document, broadcast=True)
        shared = client.scatter(cs, broadcast=True)
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        # a few tasks per worker: fewer round trips, and still balanced
        size = max(1, -(-len(bounds) // (4 * n_workers)))
        groups = [bounds[i : i + size] for i in range(0, len(bounds), size)]
        futures = [
            client.submit(_remote_chunks, token, doc, s.origin, unc, shared, seed, g,
                          key=f"detente-robustness-{token[:12]}-{seed}-{g[0][0]}-{len(g)}",
                          pure=False)
            for g in groups
        ]  # fmt: skip
        index = {f.key: j for j, f in enumerate(futures)}
        total = sum(n for _, n in bounds)
        try:
            for fut in dist.as_completed(futures):
                results[index[fut.key]] = fut.result()
                if progress is not None:
                    progress(sum(r.n for rs in results.values() for r in rs), total)
        except KeyboardInterrupt:
            interrupted = True
            client.cancel(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    ordered: list[ChunkStats] = []
    for j in range(len(results)):  # chunks done so far, in order, without a hole
        if j not in results:
            break
        ordered.extend(results[j])
    return ordered, interrupted
