"""`detente gaps`: text and JSON on the Cairo example, exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from detente.cli import app

runner = CliRunner()


def test_gaps_json_on_cairo() -> None:
    out = runner.invoke(app, ["gaps", "--format", "json", "--red-lines-only"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["zopa_empty"] is True and data["red_lines_only"] is True
    assert len(data["gaps"]) == 2
    assert all(
        set(b) >= {"relax", "cost", "zopa_size", "nash", "egalitarian"} for b in data["bridges"]
    )


def test_gaps_text_and_forced_solver(tmp_path: Path) -> None:
    out = runner.invoke(app, ["gaps", "--engine", "solver", "--red-lines-only"])
    assert out.exit_code == 0, out.output
    assert "2 minimal conflicts" in out.stdout


def test_gaps_bad_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: y\nparties: []\n")
    out = runner.invoke(app, ["gaps", str(bad)])
    assert out.exit_code == 2
