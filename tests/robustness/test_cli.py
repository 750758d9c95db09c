"""``detente robustness`` end to end: pinned JSON keys, text, refusals, Dask on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import free_port
from tests.invoke import Outcome, detente
from tests.robustness.conftest import ANALYTIC


def run(*args: str | Path) -> Outcome:
    """``detente ARGS`` in-process; an unreachable scheduler is refused after 2 s here."""
    return detente(*args, env={"DETENTE_DASK_TIMEOUT": "2"})


CAIRO_ARGS = ("robustness", "--draws", "1500", "--seed", "3", "--format", "json")


@pytest.fixture(scope="module")
def cairo_out() -> Outcome:
    """The bundled example's JSON run: its document is compared by several tests."""
    out = run(*CAIRO_ARGS)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""  # no progress bar when piped
    return out


@pytest.fixture(scope="module")
def cairo_json(cairo_out: Outcome) -> dict[str, object]:
    data: dict[str, object] = json.loads(cairo_out.stdout)
    return data


def test_json_has_the_pinned_keys(cairo_json: dict[str, object]) -> None:
    d = cairo_json
    assert list(d)[:3] == ["command", "format_version", "scenario"]
    assert d["command"] == "robustness" and d["draws"] == 1500 and d["seed"] == 3
    ids = [c["id"] for c in d["conclusions"]]  # type: ignore[attr-defined]
    assert ids[0] == "zopa-nonempty" and "cheapest-bridge" in ids
    assert "nash-deal" in ids and "egalitarian-deal" in ids
    assert "gap:hamas/choose-prisoners-without-veto+israel/veto-on-prisoner-selection" in ids
    assert any(i.startswith("equilibrium:nash:") for i in ids)
    for c in d["conclusions"]:  # type: ignore[attr-defined]
        for key in ("id", "holds", "support", "ci", "verdict", "flip"):
            assert key in c
        assert 0 <= c["ci"][0] <= c["support"] <= c["ci"][1] <= 1
        if c["flip"] is not None:
            assert set(c["flip"]) >= {"distance", "norm", "exact", "changes"}
    bridge = next(c for c in d["conclusions"] if c["id"] == "cheapest-bridge")  # type: ignore[attr-defined]
    counts = [v["count"] for v in bridge["acceptability"]]
    assert sum(counts) == 1500  # every value seen, ties kept
    assert d["default_uncertainty"] is True
    assert any("no uncertainty section" in n for n in d["notes"])  # type: ignore[attr-defined]


def test_same_seed_same_json(cairo_out: Outcome) -> None:
    # a second run of the module's (intervals included): one run, not two, per check
    again = run(*CAIRO_ARGS)
    assert again.returncode == 0 and again.stdout == cairo_out.stdout


def test_confidence_draws_sets_the_draws_behind_each_confidence_factor() -> None:
    out = run("robustness", "--draws", "600", "--no-intervals", "--confidence-draws", "40",
              "--format", "json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    conf = [
        v["confidence"]
        for c in json.loads(out.stdout)["conclusions"]
        for v in c.get("acceptability") or []
        if v.get("confidence") is not None
    ]
    assert conf and all(abs(x * 40 - round(x * 40)) < 1e-6 for x in conf)  # shares of 40
    assert any(0 < x < 1 for x in conf)
    bad = run("robustness", "--confidence-draws", "0", "--format", "json")
    assert bad.returncode == 2


def test_text_report(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(ANALYTIC.replace("RES", "0.8"))
    out = run("robustness", f, "--draws", "2000")
    assert out.returncode == 0, out.stderr
    assert "No deal in" in out.stdout
    assert "A's reservation falling by 0.1 to 0.7 (exact)" in out.stdout


def test_a_bad_uncertainty_file_is_refused_with_its_line(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(ANALYTIC.replace("RES", "0.8"))
    u = tmp_path / "u.yaml"
    u.write_text("uncertainty:\n  - of: a.reservation\n    range: [0.1, 0.3]\n")
    out = run("robustness", f, "--uncertainty", u)
    assert out.returncode == 2
    assert f"{u}:3:" in out.stderr and "does not contain the stated value 0.8" in out.stderr
    out = run("robustness", f, "--uncertainty", u, "--format", "json")
    doc = json.loads(out.stdout)
    assert doc["ok"] is False and doc["problems"][0]["line"] == 3


@pytest.mark.slow
def test_an_existing_dask_cluster_on_loopback_gives_the_same_json(
    cairo_json: dict[str, object], dask_cluster: str
) -> None:
    out = run(*CAIRO_ARGS, "--dask", dask_cluster)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == cairo_json


def test_report_with_a_robustness_section(tmp_path: Path) -> None:
    out_file = tmp_path / "r.html"
    out = run("report", "--robustness", "--draws", "1000", "-o", out_file, "--no-plots")
    assert out.returncode == 0, out.stderr
    page = out_file.read_text()
    assert 'id="robustness"' in page and "Robustness of the conclusions" in page
    assert "Robustness (1,000 draws): Assumption-free: no deal" in page  # bottom line


def test_figures_are_plain_plotly_dicts() -> None:
    from tests.robustness.conftest import analytic

    from detente.report.plots.robustness import acceptability_figure, tornado_figure
    from detente.robustness.analysis import analyze_robustness

    r = analyze_robustness(analytic(0.6), draws=500, seed=0)
    t = tornado_figure(r)
    assert t is not None
    (bar, est) = t["data"]
    assert bar["y"][0] == "zopa-nonempty | a.reservation"
    assert bar["base"][0] == 0.0 and bar["x"][0] == pytest.approx(0.5, abs=1e-5)
    assert est["x"][0] == pytest.approx(0.25)
    assert acceptability_figure(r) is not None  # the Nash deal's values
    json.dumps(t)


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_clear_refusal() -> None:
    pytest.importorskip("distributed")
    # a closed port is refused at once; the client retries it until the timeout (0.5 s)
    out = detente("robustness", "--draws", "10", "--dask", f"tcp://127.0.0.1:{free_port()}",
                  env={"DETENTE_DASK_TIMEOUT": "0.5"})  # fmt: skip
    assert out.returncode == 2
    assert "cannot reach the Dask scheduler" in out.stderr and "Traceback" not in out.stderr


def test_as_of_runs_on_the_scenario_as_it_stood_that_day(cairo_json: dict[str, object]) -> None:
    # on 8 May the red lines of 9 May were not yet in force: a ZOPA at the estimates
    out = run(
        "robustness",
        "--as-of",
        "2024-05-08",
        "--draws",
        "100",
        "--no-intervals",
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["as_of"]["date"] == "2024-05-08" and d["as_of"]["left_out"]
    first = {c["id"]: c for c in d["conclusions"]}["zopa-nonempty"]
    assert first["holds"] is True
    # and on the article's day, no deal at the estimates (the undated run)
    today = {c["id"]: c for c in cairo_json["conclusions"]}["zopa-nonempty"]  # type: ignore[attr-defined]
    assert today["holds"] is False
    text = run("robustness", "--as-of", "2024-05-08", "--draws", "100", "--no-intervals")
    assert text.returncode == 0 and "2024-05-08" in text.stdout.replace("8 May 2024", "2024-05-08")
