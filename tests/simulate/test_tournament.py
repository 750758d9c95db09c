"""Tournaments (issue 12): every seating, identical results on every back end, resume."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests import dask_cluster as shared
from tests.invoke import Outcome, detente, process
from tests.simulate.scenarios import three_by_three

from detente.scenario.checked import Scenario
from detente.simulate.tournament import ranking, run_tournament

STRATEGIES = ["boulware", "linear", "conceder", "random"]


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[str]:
    """A running Dask scheduler and two workers on loopback (tests/dask_cluster.py)."""
    with shared.running() as address:
        yield address


def _scenarios() -> list[Scenario]:
    return [
        Scenario.from_data(three_by_three()),
        Scenario.from_data({**three_by_three(reservation_b=0.5), "id": "three-b"}),
        Scenario.from_data({**three_by_three(third=True), "id": "three-c"}),
    ]


def _key(r: dict[str, object]) -> tuple[object, ...]:
    return (r["scenario_index"], r["assignment"], r["repetition"])


def test_every_seating_is_played_and_ranked() -> None:
    t = run_tournament(_scenarios(), strategies=STRATEGIES, steps=4, repetitions=2, seed=1)
    # 4^2 seatings on each two-party scenario, 4^3 on the three-party one, twice each
    assert len(t.rows) == 2 * (16 + 16 + 64)
    assert len({_key(r) for r in t.rows}) == len(t.rows)
    first = t.rows[0]
    assert first["strategies"] == ["boulware", "boulware"]
    # the 3x3 boulware pair of N = 4 agrees on a0b2 at step 3 (test_sao_traces)
    assert first["agreement"] and first["agreement_step"] == 3
    assert json.loads(first["terms"]) == {"a": "a0", "b": "b2"}
    assert first["utilities"] == pytest.approx([0.7, 0.6])
    names = [r.strategy for r in t.ranking]
    assert sorted(names) == sorted(STRATEGIES)
    for r in t.ranking:
        assert r.ci_low <= r.mean_utility <= r.ci_high
        assert r.seats == sum(row["strategies"].count(r.strategy) for row in t.rows)


def test_same_rows_on_two_processes_and_when_resumed() -> None:
    one = run_tournament(_scenarios(), strategies=STRATEGIES, steps=6, repetitions=2, seed=7)
    two = run_tournament(
        _scenarios(), strategies=STRATEGIES, steps=6, repetitions=2, seed=7, workers=2
    )
    assert one.rows == two.rows
    half = {_key(r) for r in one.rows[::2]}
    seen: list[dict[str, object]] = []
    rest = run_tournament(
        _scenarios(),
        strategies=STRATEGIES,
        steps=6,
        repetitions=2,
        seed=7,
        skip=half,
        on_rows=seen.extend,
    )
    assert {_key(r) for r in rest.rows}.isdisjoint(half)
    merged = sorted([*one.rows[::2], *rest.rows], key=_key)
    assert merged == list(one.rows)
    assert len(seen) == len(rest.rows)
    assert ranking(merged) == one.ranking


def _run(*args: str | Path) -> Outcome:
    """``detente tournament ARGS`` in-process (typer's runner: parsing to exit code)."""
    return detente("tournament", *args)


def test_cli_resumes_without_losing_or_repeating(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import yaml

    files = []
    for j, s in enumerate(_scenarios()):
        f = tmp_path / f"s{j}.yaml"
        f.write_text(yaml.safe_dump(dict(s.document.model_dump(mode="json", exclude_none=True))))
        files.append(f)
    out = tmp_path / "results.parquet"
    args = [*files, "--strategies", "boulware,linear,random", "--steps", "5", "--out", out]
    full = _run(*args, "--format", "json")
    assert full.returncode == 0, full.stderr
    doc = json.loads(full.stdout)
    assert doc["negotiations"] == 9 + 9 + 27 and doc["played"] == 45
    table = pq.read_table(out)
    rows = table.to_pylist()
    # an interruption: the file lost its last 20 rows, 10 of them sit in a part file
    pq.write_table(table.slice(0, 25), out)
    parts = tmp_path / "results.parquet.parts"
    parts.mkdir()
    pq.write_table(table.slice(25, 10), parts / "part-a.parquet")
    again = _run(*args, "--format", "json")
    assert again.returncode == 0, again.stderr
    doc2 = json.loads(again.stdout)
    assert (doc2["played"], doc2["resumed"], doc2["negotiations"]) == (10, 35, 45)
    assert pq.read_table(out).to_pylist() == rows
    assert not parts.exists()
    assert doc2["ranking"] == doc["ranking"]
    # the one real process (the console script): its exit code as the shell sees it
    other = process("tournament", *files, "--strategies", "linear", "--out", out)
    assert other.returncode == 2 and "other settings" in other.stderr


@pytest.mark.slow
def test_dask_cluster_gives_the_same_rows(dask_cluster: str) -> None:
    # the shared two-worker cluster on loopback (tests/dask_cluster.py)
    distributed = pytest.importorskip("distributed")
    local = run_tournament(_scenarios(), strategies=STRATEGIES, steps=5, seed=3)
    with distributed.Client(dask_cluster) as client:
        via_client = run_tournament(
            _scenarios(), strategies=STRATEGIES, steps=5, seed=3, dask=client
        )
    via_address = run_tournament(
        _scenarios(), strategies=STRATEGIES, steps=5, seed=3, dask=dask_cluster
    )
    assert local.rows == via_client.rows == via_address.rows


@pytest.mark.slow
def test_cli_on_a_scheduler_and_workers_on_loopback(tmp_path: Path, dask_cluster: str) -> None:
    import yaml

    pytest.importorskip("pyarrow")
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(three_by_three(third=True)), encoding="utf-8")
    args = [f, "--strategies", "boulware,random", "--steps", "6", "--repetitions", "2"]
    local = _run(*args, "--out", tmp_path / "local.parquet", "--format", "json")
    assert local.returncode == 0, local.stderr
    remote = _run(*args, "--dask", dask_cluster, "--out", tmp_path / "remote.parquet",
                  "--format", "json")  # fmt: skip
    assert remote.returncode == 0, remote.stderr
    pq = pytest.importorskip("pyarrow.parquet")
    a = pq.read_table(tmp_path / "local.parquet").to_pylist()
    b = pq.read_table(tmp_path / "remote.parquet").to_pylist()
    assert a == b and len(a) == 2 * 2**3
    assert json.loads(remote.stdout)["ranking"] == json.loads(local.stdout)["ranking"]


@pytest.mark.slow
def test_spawned_workers_give_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    # where there is no fork (Windows, macOS's default): a spawned pool receiving every
    # arena and reference once
    import types

    from detente.simulate import tasks

    one = run_tournament(_scenarios(), strategies=STRATEGIES, steps=5, seed=2)
    monkeypatch.setattr(tasks, "os", types.SimpleNamespace())  # no os.fork
    two = run_tournament(_scenarios(), strategies=STRATEGIES, steps=5, seed=2, workers=2)
    assert one.rows == two.rows


def test_the_duckdb_example_of_the_docs_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("duckdb")
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    doc = (Path(__file__).resolve().parents[2] / "docs" / "simulation.md").read_text("utf-8")
    block = next(b for b in doc.split("```python\n")[1:] if "duckdb" in b).split("```")[0]
    t = run_tournament(_scenarios(), strategies=["boulware", "linear"], steps=5, seed=1)
    pq.write_table(pa.Table.from_pylist(list(t.rows)), tmp_path / "results.parquet")
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "docs/simulation.md", "exec"), {})  # the page's own queries
    out = capsys.readouterr().out
    assert "boulware" in out and "three-b" in out  # both queries printed their tables
