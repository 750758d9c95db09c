"""Concession curves (hand-checked), ``detente plot-timeline`` and the report section."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import detente
from detente.cli import app
from detente.report.plots.timeline import timeline_figure
from detente.timeline import timeline
from detente.timeline.curves import concession_curves
from timeline.test_dates import MINIMAL

runner = CliRunner()

# A mediator m drafts p2 (x = 3) on 7 May; b accepts p1 (x = 4) on 7 May.
WITH_MEDIATOR = MINIMAL.replace(
    "  - {id: b, name: B, role: party}\n",
    "  - {id: b, name: B, role: party}\n  - {id: m, name: M, role: mediator}\n",
).replace(
    "  - {id: p1, by: [a], date: 2024-05-06, terms: {x: 4}}\n",
    "  - {id: p1, by: [a], date: 2024-05-06, terms: {x: 4},"
    " responses: [{party: b, response: accepted, date: 2024-05-07}]}\n"
    "  - {id: p2, by: [m], date: 2024-05-07, terms: {x: 3, y: y1}}\n",
)


def _load(tmp_path: Path, text: str) -> detente.Scenario:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return detente.load(path)


def test_concession_curves_hand_checked(tmp_path: Path) -> None:
    # u_a = x / 6, u_b = 1 - x / 6 (one issue each party cares about): every outcome is
    # on the whole space's frontier (distance 0). On 6-7 May the ZOPA is x in {3, 4}
    # and the Nash point x = 3, (1/2, 1/2): p1 at (2/3, 1/3) is sqrt(2)/6 from it.
    c = concession_curves(timeline(_load(tmp_path, WITH_MEDIATOR)))
    got = {(p.series, p.role, p.proposal, p.date) for p in c.points}
    assert got == {
        ("a", "made", "p1", dt.date(2024, 5, 6)),
        ("b", "accepted", "p1", dt.date(2024, 5, 7)),
        ("m", "draft", "p2", dt.date(2024, 5, 7)),
    }
    p1 = next(p for p in c.points if p.series == "a")
    assert p1.utilities["a"] == pytest.approx(2 / 3)
    assert p1.utilities["b"] == pytest.approx(1 / 3)
    assert p1.frontier_distance == pytest.approx(0.0, abs=1e-9)
    assert p1.nash_distance == pytest.approx(2**0.5 / 6)
    p2 = next(p for p in c.points if p.series == "m")
    assert p2.nash_distance == pytest.approx(0.0, abs=1e-9)
    assert set(c.series()) == {"a", "b", "m"}


def test_no_zopa_no_nash_distance(tmp_path: Path) -> None:
    text = WITH_MEDIATOR.replace("by: [m], date: 2024-05-07", "by: [m], date: 2024-05-08")
    c = concession_curves(timeline(_load(tmp_path, text)))
    p2 = next(p for p in c.points if p.series == "m")
    assert p2.date == dt.date(2024, 5, 8) and p2.nash_distance is None  # r2: no ZOPA


def test_figure_has_a_series_per_mover_and_bands(tmp_path: Path) -> None:
    t = timeline(_load(tmp_path, WITH_MEDIATOR))
    fig = timeline_figure(t, concession_curves(t))
    names = {tr["name"] for tr in fig["data"]}
    assert "M (mediator's drafts)" in names and "A (made or accepted)" in names
    reds = [sh for sh in fig["layout"]["shapes"] if sh["fillcolor"].startswith("rgba(214")]
    assert [sh["x0"] for sh in reds] == ["2024-05-08", "2024-05-09"]
    json.dumps(fig)  # plain JSON


def test_plot_timeline_and_report(tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    r = runner.invoke(app, ["plot-timeline", "-o", str(out), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["proposals"] == 1
    assert "the talks over time" in out.read_text()
    again = runner.invoke(app, ["plot-timeline", "-o", str(out)])
    assert again.exit_code == 2  # never overwritten without --force
    rep = tmp_path / "r.html"
    r = runner.invoke(app, ["report", "-o", str(rep), "--no-plots"])
    assert r.exit_code == 0, r.output
    page = rep.read_text()
    assert 'id="talks-over-time"' in page and "changes nothing in the analysis" in page
