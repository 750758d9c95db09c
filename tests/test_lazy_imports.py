"""Pay only for what runs: heavy back ends stay out of the processes that do not use them.

Each case runs in a child forked from a fresh interpreter and reports which of OR-Tools
(CP-SAT), python-sat, Plotly, pandas, Dask, the web stack (FastAPI, Starlette, uvicorn)
and the table stack (pyarrow, DuckDB) it loaded; those load only on the paths that use
them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HEAVY = (
    "ortools", "pysat", "plotly", "pandas", "dask", "distributed",
    "fastapi", "starlette", "uvicorn", "pyarrow", "duckdb",
)  # fmt: skip
# our own modules that load only for files or results that need them
DEFERRED = (
    "detente.scenario.dates.view",  # snapshots: dated files only
    "detente.scenario.uncertainty_checks",  # files with an uncertainty section
    "detente.gaps.analysis",  # gaps, bridges, amendments: no ZOPA, or amendments
    "detente.gaps.mus",
    "detente.gaps.bridges",
    "detente.scenario.expr.syntax",  # files with red lines, derived quantities or rules
    "detente.deal.proposals",  # files with proposals
)
CAIRO = Path(__file__).parents[1] / "src" / "detente" / "examples" / "cairo-2024-05.yaml"
SALARY = Path(__file__).parent / "data" / "salary.yaml"

# A fresh interpreter that forks one child per check: each child starts from the
# interpreter as it stood after `import json, os, sys, traceback` (and, for commands,
# `import detente.cli`, the first thing a command's code does; checked to load no heavy
# module), runs the check's code and reports which heavy modules it then holds. The
# start-up and the import of the CLI are paid once instead of once per check.
_SERVER = r"""
import json, os, sys, traceback
HEAVY = json.loads(sys.argv[1])
if sys.argv[2]:
    __import__(sys.argv[2])
print(json.dumps([m for m in HEAVY if m in sys.modules]), flush=True)
for line in sys.stdin:
    code = json.loads(line)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)  # the child's own output must not mix with the reports
        try:
            exec(compile(code, "<check>", "exec"), {"__name__": "__main__"})
            out = {"loaded": [m for m in HEAVY if m in sys.modules]}
        except BaseException:
            out = {"error": traceback.format_exc()}
        os.write(w, json.dumps(out).encode())
        os._exit(0)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 65536):
        chunks.append(chunk)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    report = b"".join(chunks).decode() or json.dumps({"error": f"child died: {status}"})
    print(report, flush=True)
"""


class Checker:
    """A fresh interpreter (``_SERVER``) running checks in forked children."""

    def __init__(self, preload: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, json.dumps(HEAVY + DEFERRED), preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._read() == []  # the preloaded module itself loads no heavy module
        self._seen: dict[str, list[str]] = {}  # a child's report depends on its code only

    def _read(self) -> object:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"the checking interpreter exited ({self.proc.poll()})"
        return json.loads(line)

    def loaded(self, code: str) -> list[str]:
        if code in self._seen:
            return self._seen[code]
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(code) + "\n")
        self.proc.stdin.flush()
        report = self._read()
        assert isinstance(report, dict)
        assert "error" not in report, report["error"]
        self._seen[code] = list(report["loaded"])
        return self._seen[code]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def checkers() -> Iterator[dict[bool, Checker]]:
    """One checker for plain imports, one with the CLI loaded for commands."""
    bare, cli = Checker(""), Checker("detente.cli")
    yield {False: bare, True: cli}
    bare.close()
    cli.close()


class Command(str):
    """The code of one ``detente`` command (runs in the checker with the CLI loaded)."""


_PROBE = "import io, contextlib, json, sys\n"


def _loaded(checkers: dict[bool, Checker], code: str, among: tuple[str, ...] = HEAVY) -> list[str]:
    loaded = checkers[isinstance(code, Command)].loaded(_PROBE + code)
    return [m for m in loaded if m in among]


def _command(*args: str) -> Command:
    return Command(
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
def test_light_paths_load_no_heavy_backend(code: str, checkers: dict[bool, Checker]) -> None:
    assert _loaded(checkers, code) == []


def test_an_open_zopa_needs_no_sat_solver(checkers: dict[bool, Checker]) -> None:
    # salary has a ZOPA and no amendment: no gap question, so no python-sat, no CP-SAT
    assert _loaded(checkers, _command("analyze", str(SALARY), "--format", "json")) == []


UNDATED = {  # one issue, two parties, a ZOPA, nothing dated, no uncertainty
    "id": "undated",
    "title": "An undated file",
    "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    "issues": [{"id": "x", "kind": "choice", "options": ["low", "mid", "high"]}],
    "positions": {
        "a": {"priorities": {"x": {"weight": 1, "values": {"low": 0, "mid": 0.6, "high": 1}}}},
        "b": {"priorities": {"x": {"weight": 1, "values": {"low": 1, "mid": 0.6, "high": 0}}}},
    },
}


def test_files_load_only_the_machinery_they_need(
    tmp_path: Path, checkers: dict[bool, Checker]
) -> None:
    undated = tmp_path / "undated.json"
    undated.write_text(json.dumps(UNDATED), encoding="utf-8")
    import detente  # the file is valid, undated, and has a ZOPA

    s = detente.load(undated)
    assert s.history is None and not detente.analyze_deal(s).zopa.empty
    analyze = _command("analyze", str(undated), "--format", "json")
    assert _loaded(checkers, analyze, among=DEFERRED) == []
    # Cairo is dated and has no ZOPA: the rest loads (so the list names real modules)
    cairo = _command("analyze", str(CAIRO), "--format", "json")
    assert _loaded(checkers, cairo, among=DEFERRED) == [
        m for m in DEFERRED if m != "detente.scenario.uncertainty_checks"
    ]
    smaa = Path(__file__).parent / "data" / "robustness" / "smaa2-antidepressants.yaml"
    load = f"import detente; detente.load({str(smaa)!r})"
    assert "detente.scenario.uncertainty_checks" in _loaded(checkers, load, among=DEFERRED)


def test_the_gap_analysis_loads_the_sat_map_and_plots_load_plotly(
    tmp_path: Path, checkers: dict[bool, Checker]
) -> None:
    assert _loaded(checkers, _command("analyze", str(CAIRO), "--format", "json")) == ["pysat"]
    plot = _command("plot", str(SALARY), "-o", str(tmp_path / "deal.html"))
    assert _loaded(checkers, plot) == ["plotly"]


def test_in_process_runs_load_no_dask_and_no_tables(checkers: dict[bool, Checker]) -> None:
    robust = _command("robustness", str(SALARY), "--draws", "20", "--format", "json")
    assert set(_loaded(checkers, robust)) <= {"pysat"}
    sim = _command("simulate", str(SALARY), "--steps", "10", "--format", "json")
    assert set(_loaded(checkers, sim)) <= {"pysat"}
