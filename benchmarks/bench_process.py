"""Whole-process timings: what a user waits for, imports and all, with ratios.

Every figure is the median wall time of ``--runs`` fresh processes (after one warm-up
run). The two sides of a ratio are measured interleaved (round by round: the detente
command a few times, then its peer once), so a machine whose speed drifts during the run
slows both sides alike; each ratio is the median of the rounds' ratios:

- ``detente --help`` and ``detente validate`` on the Cairo example, against
  ``python -c "import numpy, pydantic"`` (target: within 3x);
- ``detente analyze FILE --format json`` on the seeded 10^6-outcome 2- and 3-party
  scenarios of ``bench_deal.py``, against a NegMAS process that loads the same scenario
  and computes the same frontier and Nash point (``pareto_frontier`` + ``nash_points``;
  target: detente at least 15x faster). NegMAS comes from the ``bench`` extra; without
  it those rows are skipped.

Usage::

    python benchmarks/bench_process.py            # 5 runs each
    python benchmarks/bench_process.py --runs 3 --no-negmas

Prints one JSON line per measurement and one per ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bench_deal import scenario

PY = sys.executable
DETENTE = str(Path(PY).with_name("detente"))
CAIRO = str(Path(__file__).parents[1] / "src" / "detente" / "examples" / "cairo-2024-05.yaml")

NEGMAS = """
import json, sys
from negmas.outcomes import make_issue, make_os
from negmas.preferences import LinearAdditiveUtilityFunction, nash_points, pareto_frontier
spec = json.load(open(sys.argv[1]))
issues = [make_issue(values=list(i["options"]), name=i["id"]) for i in spec["issues"]]
os_ = make_os(issues)
ufuns = []
for pos in spec["positions"].values():
    pri = pos["priorities"]
    ufuns.append(LinearAdditiveUtilityFunction(
        values={i["id"]: dict(pri[i["id"]]["values"]) for i in spec["issues"]},
        weights={i["id"]: pri[i["id"]]["weight"] for i in spec["issues"]},
        outcome_space=os_, reserved_value=0.0))
front, _ = pareto_frontier(ufuns, outcomes=list(os_.enumerate()))
nash = nash_points(ufuns, front, outcome_space=os_)
print(json.dumps({"frontier": len(front), "nash": list(nash[0][0]) if nash else None}))
"""


def timed(cmd: list[str], runs: int) -> float:
    """Median seconds of ``runs`` runs of ``cmd`` (after one warm-up run)."""
    return statistics.median([run_once(cmd) for _ in range(runs + 1)][1:])


def run_once(cmd: list[str]) -> float:
    """Wall seconds of one run of ``cmd`` (which must succeed)."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    dt = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return dt


def interleaved(
    ours: list[str], peer: list[str], rounds: int, per_round: int = 1
) -> tuple[float, float, float]:
    """(our median, the peer's median, the median per-round ratio ours / peer).

    Each round runs ``ours`` ``per_round`` times, then ``peer`` once, after one warm-up
    round; a round's ratio divides the median of ours in that round by the peer's time.
    """
    mine: list[float] = []
    theirs: list[float] = []
    ratios: list[float] = []
    for i in range(rounds + 1):
        a = [run_once(ours) for _ in range(per_round)]
        b = run_once(peer)
        if i:
            mine += a
            theirs.append(b)
            ratios.append(statistics.median(a) / b)
    return statistics.median(mine), statistics.median(theirs), statistics.median(ratios)


def emit(row: dict[str, Any]) -> None:
    print(json.dumps(row), flush=True)


def compile_sources() -> None:
    """Byte-compile detente's sources, as ``pip install`` does for the peer's.

    An editable install leaves ``src/`` uncompiled, and with ``PYTHONDONTWRITEBYTECODE``
    set (as on these machines) every process would compile every module again: about
    60 ms that no installed copy of detente pays.
    """
    import compileall

    compileall.compile_dir(str(Path(__file__).parents[1] / "src"), quiet=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-negmas", action="store_true")
    args = ap.parse_args()
    compile_sources()
    floor = [PY, "-c", "import numpy, pydantic"]
    bases = []
    for name, cmd in (
        ("detente --help", [DETENTE, "--help"]),
        ("detente validate cairo", [DETENTE, "validate", CAIRO]),
    ):
        s, base, ratio = interleaved(cmd, floor, args.runs)
        bases.append(base)
        emit(
            {
                "measure": name,
                "seconds": round(s, 4),
                "ratio_to_import_baseline": round(ratio, 2),
            }
        )
    emit(
        {
            "measure": "python -c 'import numpy, pydantic'",
            "seconds": round(statistics.median(bases), 4),
        }
    )
    try:
        import negmas  # noqa: F401

        have_negmas = not args.no_negmas
    except ModuleNotFoundError:
        have_negmas = False
    with tempfile.TemporaryDirectory() as tmp:
        for parties in (2, 3):
            spec = scenario(parties, 6, seed=parties)
            path = Path(tmp) / f"p{parties}.json"
            path.write_text(json.dumps(spec), encoding="utf-8")
            ours = [DETENTE, "analyze", str(path), "--format", "json"]
            row: dict[str, Any] = {
                "measure": f"detente analyze --format json, {parties} parties, 10^6 outcomes",
            }
            if have_negmas:
                # NegMAS takes seconds: three of our runs per round, about half as many rounds
                # (an odd count of rounds: the median of the inverses is the inverse)
                s, n, ratio = interleaved(
                    ours, [PY, "-c", NEGMAS, str(path)], args.runs // 4 * 2 + 1, per_round=3
                )
                row["seconds"] = round(s, 4)
                row["negmas_seconds"] = round(n, 4)
                row["ratio_negmas_over_detente"] = round(1 / ratio, 2)
            else:
                row["seconds"] = round(timed(ours, args.runs), 4)
            emit(row)


if __name__ == "__main__":
    main()
