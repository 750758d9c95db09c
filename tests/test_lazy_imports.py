"""Pay only for what runs: heavy back ends stay out of the processes that do not use them.

Each case runs in a fresh interpreter and reports which of OR-Tools (CP-SAT), python-sat,
Plotly, pandas, Dask, the web stack (FastAPI, Starlette, uvicorn) and the table stack
(pyarrow, DuckDB) it loaded; those load only on the paths that use them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "ortools", "pysat", "plotly", "pandas", "dask", "distributed",
    "fastapi", "starlette", "uvicorn", "pyarrow", "duckdb",
)  # fmt: skip
CAIRO = Path(__file__).parents[1] / "src" / "detente" / "examples" / "cairo-2024-05.yaml"
SALARY = Path(__file__).parent / "data" / "salary.yaml"


def _loaded(code: str) -> list[str]:
    probe = (
        "import io, contextlib, json, sys\n"
        + code
        + f"\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout.splitlines()[-1]))


def _command(*args: str) -> str:
    return (
        f"sys.argv = ['detente', *{list(args)!r}]\n"
        "from detente.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
    )


@pytest.mark.parametrize(
    "code",
    [
        "import detente",
        "import detente.cli",
        "import detente; detente.analyze, detente.analyze_deal, detente.analyze_gaps",
        _command("validate", str(CAIRO)),
        _command("show", str(CAIRO)),
        _command("stability", str(CAIRO)),
        _command("check", str(CAIRO)),
        _command("--help"),
    ],
    ids=["import", "import-cli", "api-names", "validate", "show", "stability", "check", "help"],
)
def test_light_paths_load_no_heavy_backend(code: str) -> None:
    assert _loaded(code) == []


def test_an_open_zopa_needs_no_sat_solver() -> None:
    # salary has a ZOPA and no amendment: no gap question, so no python-sat, no CP-SAT
    assert _loaded(_command("analyze", str(SALARY), "--format", "json")) == []


def test_the_gap_analysis_loads_the_sat_map_and_plots_load_plotly(tmp_path: Path) -> None:
    assert _loaded(_command("analyze", str(CAIRO), "--format", "json")) == ["pysat"]
    plot = _command("plot", str(SALARY), "-o", str(tmp_path / "deal.html"))
    assert _loaded(plot) == ["plotly"]


def test_in_process_runs_load_no_dask_and_no_tables() -> None:
    robust = _command("robustness", str(SALARY), "--draws", "20", "--format", "json")
    assert set(_loaded(robust)) <= {"pysat"}
    sim = _command("simulate", str(SALARY), "--steps", "10", "--format", "json")
    assert set(_loaded(sim)) <= {"pysat"}
