"""show, check, examples, schema and demo through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SALARY, run

RICH = """
sources:
  - {id: wire, title: Wire story, publisher: Wire, date: 2024-05-07}
amendments:
  - id: bridge
    by: [mediator]
    adds: {term: [three_years]}
    basis: reported
    source: wire
    description: A three-year term floated as a bridge [sic]
events:
  - {date: 2024-05-08, actors: [firm], kind: departure, text: Firm leaves, basis: reported, source: wire}
  - {date: 2024-05-01, actors: [union], kind: statement, text: "Union opens [talks]", basis: assumed}
"""


@pytest.fixture
def rich_file(tmp_path: Path, salary_text: str) -> Path:
    text = salary_text.replace(
        "  - {id: firm, name: Firm, role: party}\n",
        "  - {id: firm, name: Firm, role: party}\n  - {id: mediator, name: Mediation Service, role: mediator}\n",
    ).replace(
        "terms: {raise: 6, term: two_years, remote: true}}",
        "terms: {raise: 6, term: two_years, remote: true},\n"
        "     responses: [{party: firm, response: rejected, basis: reported, source: wire, date: 2024-05-07},\n"
        "                 {party: mediator, response: accepted}]}\n"
        "  - {id: p2, by: [mediator], terms: {raise: 4}}",
    )
    path = tmp_path / "rich.yaml"
    path.write_text(text + RICH, encoding="utf-8")
    return path


def test_show_text_lists_everything_with_provenance(rich_file: Path) -> None:
    result = run("show", rich_file)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for fragment in (
        "Salary talks (illustrative)",
        "Mediation Service",
        "0..10 percent",
        "one_year < two_years < three_years [amendment]",
        "raise <= 5 or term == 'three_years'",
        "absolute",
        "reported: wire, 2024-05-07",
        "Reservation: 0.4",
        "Proposal p1",
        "rejected",
        "A three-year term floated as a bridge [sic]",
        "Union opens [talks]",
    ):
        assert fragment in out, fragment
    assert out.index("2024-05-01") < out.index("2024-05-08")  # timeline sorted by date
    assert out.index("party ") < out.index("mediator ")  # parties grouped by role


def test_show_json_is_the_scenario_plus_a_sorted_timeline(rich_file: Path) -> None:
    result = run("show", rich_file, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["command", "format_version", "scenario", "file", "document", "timeline"]
    assert data["command"] == "show" and data["format_version"] == 2
    assert data["scenario"] == data["document"]["id"] == "salary-talks"
    assert data["file"] == str(rich_file)
    assert [e["date"] for e in data["timeline"]] == ["2024-05-01", "2024-05-08"]
    assert [e["index"] for e in data["timeline"]] == [1, 0]
    red = data["document"]["positions"]["firm"]["red_lines"][0]
    assert red["firmness"] == "absolute" and red["basis"] == "assumed"


def test_check_text_says_who_accepts_and_why(rich_file: Path) -> None:
    result = run("check", rich_file)
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Unacceptable to Firm: it breaks red line 'cap' (absolute)." in out
    assert "Acceptable to Union: it keeps its red line and gives utility 0.74" in out
    assert "Firm rejected (2024-05-07, wire): consistent with red line 'cap' broken." in out
    assert "Mediation Service accepted (no position encoded, so not assessed)." in out
    assert "Proposal p2 by Mediation Service" in out
    assert "open: term, remote (4 completions)" in out  # amendment option locked


def test_check_json_structure(rich_file: Path) -> None:
    result = run("check", rich_file, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["command"] == "check" and data["scenario"] == "salary-talks"
    p1, p2 = data["proposals"]
    firm = next(p for p in p1["parties"] if p["party"] == "firm")
    assert firm["verdict"] == "unacceptable"
    assert firm["broken_always"] == ["cap"] and firm["broken_sometimes"] == []
    assert firm["red_lines"][0]["broken"] == "always"
    assert firm["responses"][0]["consistency"] == "consistent"
    assert p1["unassessed_responses"][0]["party"] == "mediator"
    assert p2["open_issues"] == ["term", "remote"] and p2["completions"] == 4
    union2 = next(p for p in p2["parties"] if p["party"] == "union")
    assert union2["verdict"] == "possibly_acceptable" and union2["acceptable_in"] == 2


def test_check_refusals_exit_2(rich_file: Path) -> None:
    unknown = run("check", rich_file, "--proposal", "p3")
    assert unknown.returncode == 2 and "unknown proposal 'p3'" in unknown.stderr
    assert "'p1'" in unknown.stderr and "'p2'" in unknown.stderr  # the known ones, named
    limited = run("check", rich_file, "--max-completions", "2")
    assert limited.returncode == 2 and "Traceback" not in limited.stderr
    assert "4 completions, more than the limit of 2" in " ".join(limited.stderr.split())


def test_check_cairo_explains_both_responses() -> None:
    from detente.cli.app import bundled_example

    result = run("check", bundled_example("cairo-2024-05"), "--format", "json")
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)["proposals"][0]
    by_party = {p["party"]: p for p in first["parties"]}
    israel, hamas = by_party["israel"], by_party["hamas"]
    assert israel["verdict"] == "unacceptable" and israel["broken_always"]
    assert [r["response"] for r in israel["responses"]] == ["rejected"]
    assert israel["responses"][0]["consistency"] == "consistent"
    assert hamas["verdict"] in ("acceptable", "possibly_acceptable")
    assert [r["consistency"] for r in hamas["responses"]] == ["consistent"]


def test_examples_list_and_copy(tmp_path: Path) -> None:
    listed = run("examples", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    names = [e["name"] for e in json.loads(listed.stdout)["examples"]]
    assert "cairo-2024-05" in names
    assert all(e["title"] for e in json.loads(listed.stdout)["examples"])
    text = run("examples", "list")
    assert "cairo-2024-05" in text.stdout

    target = tmp_path / "new" / "cairo-2024-05.yaml"
    first = run("examples", "copy", "cairo-2024-05", tmp_path / "new")
    assert first.returncode == 0 and target.exists()
    assert run("validate", target).returncode == 0
    target.write_text("# my edits\n", encoding="utf-8")
    again = run("examples", "copy", "cairo-2024-05", tmp_path / "new", "--format", "json")
    assert again.returncode == 2 and "already exists; pass --force" in again.stderr
    refusal = json.loads(again.stdout)
    assert refusal["command"] == "examples copy" and refusal["scenario"] is None
    assert refusal["ok"] is False and refusal["error"] == "error"
    assert "already exists" in refusal["problems"][0]["message"]
    assert target.read_text(encoding="utf-8") == "# my edits\n"
    forced = run(
        "examples", "copy", "cairo-2024-05", tmp_path / "new", "--force", "--format", "json"
    )
    assert forced.returncode == 0, forced.stderr
    assert json.loads(forced.stdout) == {
        "command": "examples copy",
        "format_version": 2,
        "scenario": None,
        "ok": True,
        "output": str(target),
    }
    assert target.read_text(encoding="utf-8") != "# my edits\n"


def test_examples_copy_unknown_name_suggests(tmp_path: Path) -> None:
    result = run("examples", "copy", "cairo-2024", tmp_path)
    assert result.returncode == 2
    assert "no bundled example 'cairo-2024'; did you mean 'cairo-2024-05'?" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_schema_is_the_json_schema_of_the_scenario() -> None:
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"id", "title", "parties", "issues", "positions", "proposals", "events"} <= set(
        schema["properties"]
    )
    assert set(schema["required"]) >= {"id", "title", "parties"}
    assert "RedLine" in schema["$defs"]


def test_demo_runs_on_the_bundled_cairo_example() -> None:
    result = run("demo", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == [
        "command",
        "format_version",
        "scenario",
        "show",
        "check",
        "analyze",
        "stability",
    ]
    assert data["command"] == "demo" and data["scenario"] == "cairo-2024-05"
    assert data["show"]["document"]["id"] == data["check"]["scenario"] == "cairo-2024-05"
    assert data["analyze"]["summary"]["deal"] is False
    assert data["stability"]["command"] == "stability"
    assert data["stability"]["without"]["removed"] == ["united_states"]
    # the main job: deal analysis with gaps, and the strategic model with/without the US
    assert data["analyze"]["zopa"]["empty"] is True
    assert any(
        set(g["red_lines"])
        == {"israel/veto-on-prisoner-selection", "hamas/choose-prisoners-without-veto"}
        for g in data["analyze"]["gaps"]
    )
    assert data["stability"]["equilibria"]["nash"]
    text = run("demo")
    assert text.returncode == 0, text.stderr
    flat = " ".join(text.stdout.split())
    assert "Israel rejected" in flat
    assert "minimal conflict" in flat
    assert "sustainable-calm-wording" in flat
    assert "Without United States" in flat
    assert flat.index("Bottom line") < flat.index("Israel rejected")  # conclusions first


def test_demo_runs_on_a_given_file() -> None:
    result = run("demo", SALARY, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scenario"] == "salary-talks" == data["analyze"]["scenario"]
    assert data["show"]["file"] == str(SALARY)
    assert data["analyze"]["summary"]["deal"] is True
    assert data["stability"] is None  # no conflict section
    text = run("demo", SALARY)
    assert text.returncode == 0, text.stderr
    flat = " ".join(text.stdout.split())
    assert flat.startswith("Bottom line: Salary talks (illustrative)")
    assert "Strategic analysis" not in flat


def test_salary_file_is_untouched_by_commands() -> None:
    before = SALARY.stat().st_mtime_ns
    run("check", SALARY)
    assert SALARY.stat().st_mtime_ns == before
