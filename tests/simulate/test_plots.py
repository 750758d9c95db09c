"""The simulation's figure and page (``detente plot-simulation``), and its report section."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from tests.invoke import detente
from tests.simulate.scenarios import three_by_three

from detente.report.plots.simulation import simulation_figure, simulation_section
from detente.scenario.checked import Scenario
from detente.simulate.simulation import simulate


def test_figure_holds_every_offer_and_the_points() -> None:
    r = simulate(
        Scenario.from_data(three_by_three()), strategies={"A": "boulware", "B": "linear"}, steps=4
    )
    fig = simulation_figure(r)
    by_name: dict[str, list[dict[str, object]]] = {}
    for tr in fig["data"]:
        by_name.setdefault(str(tr["name"]), []).append(tr)
    # A's panel: A's own utilities of its 4 offers (a0b0 x3, then a0b2)
    a_panel = by_name["offers by A"][0]
    assert a_panel["x"] == [0, 1, 2, 3] and a_panel["y"] == [1.0, 1.0, 1.0, 0.7]
    # the agreement at step 3 in both panels and in utility space
    stars = by_name["agreement"]
    assert [s["x"] for s in stars[:2]] == [[3], [3]]
    assert stars[-1]["x"] == [0.7] and stars[-1]["y"] == [0.6]
    assert "Nash point" in by_name and "Pareto frontier (ZOPA)" in by_name
    json.dumps(fig)  # JSON-ready
    sec = simulation_section(r, "text", key="sim")
    assert "sim-figure" in sec.figures and "text" in sec.body


def test_plot_simulation_writes_a_page(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(three_by_three()), encoding="utf-8")
    out = tmp_path / "sim.html"
    p = detente("plot-simulation", f, "--steps", "4", "-o", out)
    assert p.returncode == 0, p.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "offers by A" in html
    again = detente("plot-simulation", f, "-o", out)
    assert again.returncode == 2 and "--force" in again.stderr


def test_report_with_simulation_sections(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    p = detente("report", "--simulate", "--no-plots", "-o", out)
    assert p.returncode == 0, p.stderr
    page = out.read_text(encoding="utf-8")
    assert 'id="simulation-sao"' in page and 'id="simulation-text"' in page
    assert "Played out: alternating offers" in page and "mediated single text" in page
