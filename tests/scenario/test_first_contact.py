"""What a new user tripped over (issue 9): each defect, pinned by a test that failed before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import detente
from detente.errors import did_you_mean

DETENTE = Path(sys.executable).with_name("detente")
BASE = """id: t
title: T
parties: [{id: a, name: A}, {id: b, name: B}]
issues:
  - {id: x, kind: integer, range: [0, 3]}
  - {id: y, kind: choice, options: [p, q]}
"""


def _problems(tmp_path: Path, text: str) -> list[detente.Problem]:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(detente.ScenarioError) as info:
        detente.load(path)
    return info.value.problems


def test_a_party_without_positions_is_refused_not_dropped(tmp_path: Path) -> None:
    text = BASE + "positions:\n  a: {priorities: {x: {weight: 1, values: increasing}}}\n"
    (p,) = _problems(tmp_path, text)
    assert p.path == ("parties", 1, "id") and p.line == 3
    assert "'b' (B) has no position" in p.message
    assert p.hint == "add its positions, or make it an observer (role: observer)"
    observer = text.replace("{id: b, name: B}", "{id: b, name: B, role: observer}")
    (tmp_path / "o.yaml").write_text(observer, encoding="utf-8")
    assert detente.load(tmp_path / "o.yaml").bargainers == ["a"]


@pytest.mark.parametrize(
    ("field", "value"), [("weight", '"4"'), ("reservation", '"0.4"'), ("firmness", '"8"')]
)
def test_numbers_must_be_numbers_everywhere(tmp_path: Path, field: str, value: str) -> None:
    pos = {
        "weight": f"  a:\n    priorities: {{x: {{weight: {value}, values: increasing}}}}\n",
        "reservation": f"  a:\n    reservation: {value}\n",
        "firmness": f'  a:\n    red_lines: [{{id: r, rule: "x >= 1", firmness: {value}}}]\n',
    }[field]
    probs = _problems(tmp_path, BASE + "positions:\n" + pos + "  b: {}\n")
    p = next(p for p in probs if field in str(p.path))
    assert "is text (it is quoted), not a number" in p.message
    assert p.hint == f"write {value.strip(chr(34))} without quotes"


def test_every_problem_in_one_run(tmp_path: Path) -> None:
    text = BASE + (
        "positions:\n"
        "  a:\n"
        '    red_lines: [{id: r, rule: "x >= 2", firmness: "8"}]\n'
        '    priorities: {x: {weight: "4", values: increasing}}\n'
        "  b:\n"
        "    red_lines: [{id: s, rule: \"y == 'qq'\"}]\n"
        "    priorities: {z: {weight: 1, values: increasing}}\n"
        "events:\n"
        "  - {date: 2021-11-31, text: hi}\n"
    )
    probs = _problems(tmp_path, text)
    got = [(p.line, p.message.split(":")[0]) for p in probs]
    assert [line for line, _ in got] == sorted(line for line, _ in got)  # file order
    messages = " | ".join(p.message for p in probs)
    assert "'8' is text" in messages and "'4' is text" in messages  # shape problems
    assert "'qq' is not an option" in messages and "unknown issue 'z'" in messages  # the rest
    assert "November 2021 has 30 days" in messages
    assert len(probs) == 5


def test_dates_say_why_they_do_not_exist(tmp_path: Path) -> None:
    text = BASE + "positions: {a: {}, b: {}}\nevents:\n  - {date: 2021-11-31, text: hi}\n"
    (p,) = _problems(tmp_path, text)
    assert p.message == "'2021-11-31' is not a date: November 2021 has 30 days"
    bad_month = text.replace("2021-11-31", "2024-13-02")
    (q,) = _problems(tmp_path, bad_month)
    assert "there is no month 13" in q.message


def test_hints_name_every_close_candidate_best_first_and_none_when_none_is() -> None:
    assert did_you_mean("fpd", ["spd", "fdp", "cdu", "greens"]) == "did you mean 'fdp' or 'spd'?"
    assert did_you_mean("bool", ["choice", "boolean", "integer"]) == "did you mean 'boolean'?"
    hint = did_you_mean("xyz", ["spd", "fdp"], what="party")
    assert hint == "known parties: 'spd', 'fdp'"  # a list, not a misleading guess


def test_a_dashed_issue_id_is_refused_where_it_is_declared(tmp_path: Path) -> None:
    text = BASE.replace("id: x,", "id: min-wage,") + (
        'positions:\n  a: {red_lines: [{id: r, rule: "min-wage >= 2"}]}\n  b: {}\n'
    )
    probs = _problems(tmp_path, text)
    (p,) = probs  # and not echoed as "unknown name 'min'" at its uses
    assert p.path == ("issues", 0, "id") and p.line == 5
    assert "letters, digits and _ only" in p.message
    assert p.hint == "rename it to 'min_wage' (and every use of it)"


def test_locations_are_never_read_as_markup_or_emoji(tmp_path: Path) -> None:
    lines = [BASE.rstrip()] + [f"# filler {i}" for i in range(200)]
    text = "\n".join(lines[:1] + lines[1 : 100 - BASE.count("\n")]) + "\npositions: [1]\n"
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    out = subprocess.run(
        [str(DETENTE), "validate", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    assert out.returncode == 2
    assert f"{path}:100:" in out.stderr  # ':100:' stays text, not the emoji
    assert "\U0001f4af" not in out.stderr


def test_piped_tables_keep_long_names_whole(tmp_path: Path) -> None:
    text = BASE.replace("{id: a, name: A}", "{id: a, name: ItexvsCypress-A-prof1}").replace(
        "{id: b, name: B}", "{id: b, name: ItexvsCypress-A-prof2}"
    ) + (
        "positions:\n"
        "  a: {priorities: {x: {weight: 1, values: increasing}}}\n"
        "  b: {priorities: {x: {weight: 1, values: decreasing}}}\n"
    )
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    out = subprocess.run(
        [str(DETENTE), "analyze", str(path)], capture_output=True, text=True, env=env, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "ItexvsCypress-A-prof1" in out.stdout and "ItexvsCypress-A-prof2" in out.stdout
    assert "ItexvsCypress-A-..." not in out.stdout
