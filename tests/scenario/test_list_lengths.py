"""Lists that must not be empty: one clear problem, and none when only items failed.

pydantic counts a list's length after validation, so a list whose every item was
refused also reads as "too short"; that consequence is not reported.
"""

from __future__ import annotations

import pytest

from detente.errors import ScenarioError, format_path
from detente.scenario import loads

HEAD = "id: u\ntitle: t\nissues:\n  - {id: x, kind: choice, options: [l, h]}\n"


def problems(text: str) -> list[tuple[str, str, str | None, str | None]]:
    with pytest.raises(ScenarioError) as err:
        loads(text, "f.yaml")
    return [(format_path(p.path), p.message, p.expected, p.hint) for p in err.value.problems]


def test_an_empty_list_says_so_with_what_is_needed() -> None:
    assert problems(HEAD + "parties: []\n") == [
        ("parties", "the list is empty", "at least 1 item", "add one")
    ]


def test_a_list_whose_items_all_failed_reports_the_items_only() -> None:
    got = problems(HEAD + "parties:\n  - id: a\n  - id: b\n")
    assert [(f, m) for f, m, _, _ in got] == [
        ("parties[0].name", "required field 'name' is missing"),
        ("parties[1].name", "required field 'name' is missing"),
    ]


def test_an_empty_list_inside_a_section_is_located_there() -> None:
    text = HEAD.replace("options: [l, h]", "options: []") + "parties: [{id: a, name: A}]\n"
    assert problems(text) == [
        ("issues[0].options", "the list is empty", "at least 1 item", "add one")
    ]
