"""Dated items: the minimal form of issue 11 loads, bad dates are refused with their place,
and the file as of a day holds exactly the items in force that day."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

import detente
from detente.errors import ScenarioError

D = dt.date

MINIMAL = textwrap.dedent(
    """\
    id: minimal-dated
    title: Minimal dated
    parties:
      - {id: a, name: A, role: party}
      - {id: b, name: B, role: party}
    issues:
      - {id: x, kind: integer, range: [0, 6]}
      - {id: y, kind: choice, options: [y1, y2, y3]}
    positions:
      a:
        red_lines:
          - {id: r1, rule: "x >= 3", date: 2024-05-06, until: 2024-05-08}
          - {id: r2, rule: "x >= 5", date: 2024-05-08}      # r1 hardened into r2
        priorities:
          x: {weight: 1, values: increasing}
      b:
        red_lines:
          - {id: b1, rule: "x <= 4 or y == 'y3'"}
        priorities:
          x: {weight: 1, values: decreasing}
    proposals:
      - {id: p1, by: [a], date: 2024-05-06, terms: {x: 4}}
    amendments:
      - {id: m1, date: 2024-05-09, adds: {y: [y3]}}
    """
)

VERSIONS = textwrap.dedent(
    """\
    id: versions
    title: Versions
    parties:
      - {id: a, name: A, role: party}
      - {id: b, name: B, role: party}
    issues:
      - {id: x, kind: integer, range: [0, 6]}
    positions:
      a:
        priorities:
          x:
            - {weight: 1, values: increasing, until: 2024-05-07}
            - {weight: 1, values: [[0, 0], [3, 1], [6, 1]], date: 2024-05-07}
        reservation:
          - {value: 0.2, until: 2024-05-07}
          - {value: 0.6, date: 2024-05-07}
      b:
        priorities:
          x: {weight: 1, values: decreasing}
        reservation: 0.3
    proposals:
      - id: p1
        by: [a]
        date: 2024-05-06
        terms: {x: 4}
        responses:
          - {party: b, response: rejected, date: 2024-05-07}
    """
)


def _load(tmp_path: Path, text: str, name: str = "s.yaml") -> detente.Scenario:
    path = tmp_path / name
    path.write_text(text)
    return detente.load(path)


def _refused(tmp_path: Path, text: str) -> list[detente.errors.Problem]:
    with pytest.raises(ScenarioError) as err:
        _load(tmp_path, text)
    return list(err.value.problems)


def test_minimal_form_loads_and_days_hold_the_items_in_force(tmp_path: Path) -> None:
    s = _load(tmp_path, MINIMAL)
    assert s.changes == [D(2024, 5, 6), D(2024, 5, 8), D(2024, 5, 9)]
    seen = {}
    for day in (D(2024, 5, 5), D(2024, 5, 6), D(2024, 5, 7), D(2024, 5, 8), D(2024, 5, 9)):
        t = s.on(day)
        doc = t.document
        seen[day] = (
            [r.id for r in doc.positions["a"].red_lines],
            [p.id for p in doc.proposals],
            [a.id for a in doc.amendments],
            [o.id for o in doc.issues[1].options],  # type: ignore[union-attr]
        )
    assert seen[D(2024, 5, 5)] == ([], [], [], ["y1", "y2"])
    assert seen[D(2024, 5, 6)] == (["r1"], ["p1"], [], ["y1", "y2"])
    assert seen[D(2024, 5, 7)] == seen[D(2024, 5, 6)]
    assert seen[D(2024, 5, 8)] == (["r2"], ["p1"], [], ["y1", "y2"])  # until is exclusive
    assert seen[D(2024, 5, 9)] == (["r2"], ["p1"], ["m1"], ["y1", "y2", "y3"])


def test_left_out_says_what_came_later_and_what_ended(tmp_path: Path) -> None:
    s = _load(tmp_path, MINIMAL)
    got = {(x.kind, x.id, x.why) for x in s.on(D(2024, 5, 8)).left_out()}
    assert got == {
        ("red line", "r1", "ended"),
        ("amendment", "m1", "later"),
        ("option", "y3", "later"),
    }
    assert s.on(D(2024, 5, 9)).left_out()[0].describe() == "a's red line 'r1' (ended 2024-05-08)"


def test_hardened_red_line_closes_the_zopa_and_the_amendment_reopens_it(tmp_path: Path) -> None:
    # Hand-checked: b accepts x <= 4 (or y3). Day 1 a wants x >= 3: x in {3, 4} x {y1, y2}
    # = 4 outcomes. Day 2 a wants x >= 5: none without y3. Day 3 m1 floats y3: x in
    # {5, 6} with y3 = 2 outcomes open once it is adopted.
    s = _load(tmp_path, MINIMAL)
    day1 = detente.analyze(s.on(D(2024, 5, 6)))
    assert not day1.summary.zopa_empty
    assert day1.deal.zopa.size == 4
    day2 = detente.analyze(s.on(D(2024, 5, 8)))
    assert day2.summary.zopa_empty
    assert day2.gaps is not None
    assert [g.keys for g in day2.gaps.gaps] == [("a/r2", "b/b1")]
    day3 = detente.analyze(s.on(D(2024, 5, 9)))
    assert day3.summary.bridging_amendments == (("m1",),)
    day3 = detente.analyze(s.on(D(2024, 5, 9)), unlock=["m1"])
    assert not day3.summary.zopa_empty
    assert day3.deal.zopa.size == 2


def test_reservation_priority_and_response_versions(tmp_path: Path) -> None:
    s = _load(tmp_path, VERSIONS)
    before, after = s.on(D(2024, 5, 6)).document, s.on(D(2024, 5, 7)).document
    assert before.positions["a"].reservation.value == 0.2
    assert after.positions["a"].reservation.value == 0.6
    assert before.positions["a"].priorities["x"].values == "increasing"
    assert after.positions["a"].priorities["x"].values == ((0, 0.0), (3, 1.0), (6, 1.0))
    assert before.proposals[0].responses == ()
    assert [r.response for r in after.proposals[0].responses] == ["rejected"]


def test_until_before_date_is_refused_with_its_place(tmp_path: Path) -> None:
    bad = MINIMAL.replace("until: 2024-05-08}", "until: 2024-05-05}")
    (p,) = _refused(tmp_path, bad)
    assert p.line == 12
    assert p.path == ("positions", "a", "red_lines", 0, "until")
    assert "not after 'date'" in p.message
    assert p.hint


def test_two_versions_in_force_the_same_day_are_refused(tmp_path: Path) -> None:
    bad = MINIMAL.replace('{id: r2, rule: "x >= 5"', '{id: r1, rule: "x >= 5"').replace(
        "until: 2024-05-08}", "until: 2024-05-09}"
    )
    (p,) = _refused(tmp_path, bad)
    assert p.line == 13
    assert "two versions of red line 'r1' are in force on 2024-05-08" in p.message
    assert p.hint == "end the earlier version with 'until: 2024-05-08'"


def test_two_reservation_versions_overlapping_are_refused(tmp_path: Path) -> None:
    bad = VERSIONS.replace("{value: 0.2, until: 2024-05-07}", "{value: 0.2, until: 2024-05-08}")
    (p,) = _refused(tmp_path, bad)
    assert "two versions of a's reservation are in force on 2024-05-07" in p.message
    assert p.line == 16  # the later version, which the hint says to start after the first


def test_undated_file_is_unchanged(tmp_path: Path) -> None:
    s = detente.load(Path(detente.__file__).parent / "examples" / "cairo-2024-05.yaml")
    assert s.history is not None  # the Cairo case is dated
    plain = _load(tmp_path, MINIMAL.split("positions:")[0] + "positions: {a: {}, b: {}}\n")
    assert plain.history is None
    assert plain.left_out() == ()
    assert plain.on(D(2024, 1, 1)).document.issues == plain.document.issues
