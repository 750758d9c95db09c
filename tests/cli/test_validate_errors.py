"""Bad scenario files through the command line: message content and exit code 2.

Every case runs ``detente validate FILE`` and checks the located message (file:line:col,
field path), what was expected and the hint, and that no Python traceback leaks out.
The cases run in-process (typer's test runner, the same messages at a fraction of the
cost); a handful also run the real ``detente`` command in a subprocess, for the exit
code and the no-traceback guarantee as a user sees them. Line/column numbers refer to
tests/data/salary.yaml as edited.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app

from .conftest import SALARY, run_process

RUNNER = CliRunner()


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def validate(*args: str | Path) -> Outcome:
    """``detente validate ARGS`` in-process; an exception escaping the command fails."""
    result = RUNNER.invoke(app, ["validate", *map(str, args)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


BASE = SALARY.read_text(encoding="utf-8")


def sub(old: str, new: str, count: int = 1) -> Callable[[], str]:
    def make() -> str:
        assert BASE.count(old) >= count, old
        return BASE.replace(old, new, count)

    return make


def rule(expression: str) -> Callable[[], str]:
    return sub('rule: "raise >= 3"', f"rule: {json.dumps(expression)}")


def const(content: str | bytes) -> Callable[[], str | bytes]:
    return lambda: content


BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *[
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
            for i in range(8)
        ],
    ]
)


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[], str | bytes]
    fragments: tuple[str, ...]
    where: str | None = None  # ":line:" or ":line:col:" right after the file name
    suffix: str = ".yaml"


CASES = [
    Case(
        "malformed-yaml",
        sub("parties:\n", "parties: [\n"),
        ("not valid YAML", "hint: check indentation"),
        ":4:",
    ),
    Case(
        "tab-indent",
        sub("  - {id: union", "\t- {id: union"),
        ("not valid YAML", "YAML does not allow tabs"),
        ":4:1:",
    ),
    Case(
        "wrong-type",
        sub("title: Salary talks (illustrative)", "title: [a, b]"),
        ("title: invalid value a list", "expected: text"),
        ":2:8:",
    ),
    Case(
        "duplicate-id",
        sub("{id: firm, name: Firm", "{id: union, name: Firm"),
        ("parties[1].id: duplicate party id 'union'", "first defined at parties[0]"),
        ":5:",
    ),
    Case(
        "duplicate-yaml-key",
        lambda: BASE + "title: again\n",
        ("duplicate key", "each key may appear once"),
        ":28:",
    ),
    Case(
        "unknown-party",
        sub("by: [union]", "by: [zzzz]"),
        ("proposals[0].by[0]: unknown party 'zzzz'", "known parties: 'union', 'firm'"),
        ":27:",
    ),
    Case(
        "misspelled-party",
        sub("by: [union]", "by: [unoin]"),
        ("unknown party 'unoin'", "did you mean 'union'?"),
        ":27:",
    ),
    Case(
        "unknown-issue",
        sub("terms: {raise: 6", "terms: {rase: 6"),
        ("proposals[0].terms.rase: unknown issue 'rase'", "did you mean 'raise'?"),
        ":27:",
    ),
    Case(
        "misspelled-option",
        sub("term: two_years, remote", "term: two_year, remote"),
        (
            "'two_year' is not an option of 'term'",
            "expected: one of one_year, two_years, three_years",
            "did you mean 'two_years'?",
        ),
        ":27:",
    ),
    Case(
        "unknown-source",
        sub("basis: assumed}", "basis: reported, source: kan}"),
        ("red_lines[0].source: unknown source 'kan'", "no sources are declared"),
        ":13:",
    ),
    Case(
        "misspelled-key",
        sub("reservation: 0.4", "reservaton: 0.4"),
        ("positions.union.reservaton: unknown field 'reservaton'", "did you mean 'reservation'?"),
        ":18:5:",
    ),
    Case(
        "misspelled-kind",
        sub("kind: boolean", "kind: bool"),
        (
            "issues[2].kind: unknown issue kind 'bool'",
            "expected: kind: choice, boolean, integer",
            "did you mean 'boolean'?",
        ),
        ":9:24:",
    ),
    Case(
        "missing-kind",
        sub("{id: remote, kind: boolean}", "{id: remote}"),
        ("issues[2]: this issue has no 'kind'",),
        ":9:",
    ),
    Case(
        "misspelled-role",
        sub("role: party}", "role: partyy}"),
        (
            "parties[0].role: invalid value 'partyy'",
            "one of 'party', 'mediator' or 'observer'",
            "did you mean 'party'?",
        ),
        ":4:",
    ),
    Case(
        "firmness-word",
        sub("firmness: 8", "firmness: hard"),
        (
            "red_lines[0].firmness: invalid value 'hard'",
            "a whole number from 1 (least firm) to 10 (firmest), or 'absolute'",
        ),
        ":13:55:",
    ),
    Case(
        "firmness-11",
        sub("firmness: 8", "firmness: 11"),
        ("invalid value 11", "from 1 (least firm) to 10"),
        ":13:",
    ),
    Case(
        "absolut",
        sub("firmness: absolute", "firmness: absolut"),
        ("invalid value 'absolut'", "did you mean 'absolute'?"),
        ":21:",
    ),
    Case(
        "expr-syntax",
        rule("raise >= "),
        ("red_lines[0].rule: in expression: expression ended too early", "an operand is missing"),
        ":13:",
    ),
    Case(
        "expr-type",
        rule("term >= 3"),
        ("cannot compare an option of 'term' with the integer 3", "quoted option ids"),
        ":13:",
    ),
    Case(
        "expr-unknown-name",
        rule("rase >= 3"),
        ("unknown name 'rase'", "did you mean 'raise'?"),
        ":13:32:",
    ),
    Case("expr-not-condition", rule("raise + 3"), ("gives an integer, not a condition",), ":13:"),
    Case(
        "smuggle-import",
        rule("__import__('os').system('x')"),
        ("name '__import__' is not allowed", "names may not start with '__'"),
        ":13:32:",
    ),
    Case(
        "smuggle-attribute",
        rule("raise.real >= 3"),
        ("operator '.' is not allowed", "attribute access is not allowed"),
        ":13:37:",
    ),
    Case(
        "smuggle-lambda",
        rule("(lambda: 1)() == 1"),
        ("'lambda' is not allowed", "functions (lambda)"),
        ":13:",
    ),
    Case(
        "smuggle-power",
        rule("2**999999999 > 1"),
        ("operator '**' is not allowed", "powers are not supported"),
        ":13:",
    ),
    Case(
        "smuggle-call", rule("abs(raise) > 1"), ("function call 'abs(...)' is not allowed",), ":13:"
    ),
    Case(
        "smuggle-subscript",
        rule("raise[0] > 1"),
        ("unexpected '['", "use 'x in [a, b]' for membership"),
        ":13:",
    ),
    Case(
        "smuggle-huge-literal",
        rule("raise > 99999999999999999999999"),
        ("integer literal too large (limit 1,000,000,000,000)",),
        ":13:",
    ),
    Case(
        "negative-weight",
        sub("weight: 0.6", "weight: -0.6"),
        ("priorities.raise.weight: invalid value -0.6", "expected: a number >= 0"),
        ":15:",
    ),
    Case(
        "weights-sum-zero",
        (
            lambda: BASE.replace("raise: {weight: 0.7", "raise: {weight: 0").replace(
                "term: {weight: 0.3, values: {one_year: 0.5",
                "term: {weight: 0, values: {one_year: 0.5",
            )
        ),
        ("positions.firm.priorities: the weights sum to 0", "at least one positive weight"),
        ":22:",
    ),
    Case(
        "reservation-above-1",
        sub("reservation: 0.4", "reservation: 1.4"),
        ("positions.union.reservation: invalid value 1.4", "a utility between 0 and 1"),
        ":18:",
    ),
    Case(
        "reservation-negative",
        sub("reservation: 0.3", "reservation: {value: -0.1}"),
        ("reservation.value: invalid value -0.1", "a utility between 0 and 1"),
        ":25:26:",
    ),
    Case(
        "range-lo-gt-hi",
        sub("range: [0, 10]", "range: [10, 0]"),
        ("issues[0].range: range [10, 0] is empty", "did you mean [0, 10]?"),
        ":7:39:",
    ),
    Case(
        "range-absurd",
        sub("range: [0, 10]", "range: [0, 99999999999999]"),
        ("issues[0].range", "holds 100,000,000,000,000 values", "coarser unit"),
        ":7:39:",
    ),
    Case(
        "range-not-a-list",
        sub("range: [0, 10]", "range: abc"),
        ("issues[0].range: invalid value 'abc'", "[lo, hi]: two whole numbers"),
        ":7:",
    ),
    Case(
        "circular-derived",
        sub(
            "positions:\n",
            'derived:\n  - {id: a, expr: "b + 1"}\n  - {id: b, expr: "a * 2"}\npositions:\n',
        ),
        ("derived[0].expr: circular definition: a -> b -> a",),
        ":11:",
    ),
    Case("empty-file", const(""), ("the file is empty", "detente examples copy"), ":1:1:"),
    Case("whitespace-only", const("\n   \n"), ("the file is empty",), ":1:1:"),
    Case("binary-junk", const(bytes(range(256)) * 4), ("this is a binary file",), ":1:1:"),
    Case(
        "non-utf8",
        const("id: caf\xe9\ntitle: x\n".encode("latin-1")),
        ("not UTF-8 text (byte 7 is 0xe9)", "save the file as UTF-8"),
        ":1:8:",
    ),
    Case(
        "top-level-list",
        const("- a\n- b\n"),
        ("the top level is a list, not a mapping", "keys such as id, title"),
        ":1:1:",
    ),
    Case("top-level-scalar", const("hello\n"), ("the top level is a single value (str)",), ":1:1:"),
    Case(
        "invalid-json",
        const('{"id": "x", "title": "T",, }'),
        ("not valid JSON: Expecting property name",),
        ":1:26:",
        ".json",
    ),
    Case(
        "json-wrong-type",
        const('{"id": "x", "title": "T", "parties": {"a": 1}}'),
        ("parties: invalid value a mapping", "expected: a list"),
        ":1:",
        ".json",
    ),
    Case(
        "reported-without-source",
        sub("basis: assumed}", "basis: reported}"),
        ("red_lines[0].basis: marked 'reported' but names no source", "add 'source: <id>'"),
        ":13:",
    ),
    Case("alias-bomb", const(BOMB), ("more than 200,000 values", "remove YAML aliases"), ":1:1:"),
    Case(
        "bad-date",
        sub("date: 2024-05-06", "date: 2024-13-45"),
        (
            "proposals[0].date: '2024-13-45' is not a date: there is no month 13",
            "a date like 2024-05-06",
        ),
        ":27:",
    ),
    Case(
        "term-out-of-range",
        sub("raise: 6,", "raise: 60,"),
        ("proposals[0].terms.raise: 60 is outside the range of 'raise'", "an integer in [0, 10]"),
        ":27:",
    ),
    Case(
        "priority-option",
        sub("two_years: 1.0", "two_yeers: 1.0"),
        (
            "priorities.term.values.two_yeers: 'two_yeers' is not an option of 'term'",
            "did you mean 'two_years'?",
        ),
        ":16:",
    ),
    Case(
        "priority-empty-values",
        sub("raise: {weight: 0.6, values: increasing}", "raise: {weight: 0.6, values: {}}"),
        (
            "positions.union.priorities.raise.values: no values given for the integer issue "
            "'raise'",
            "expected: increasing, decreasing, or points [[x, value], ...]",
            "hint: write 'increasing' or 'decreasing', or give at least one point",
        ),
        ":15:36:",
    ),
    Case(
        "misspelled-key-in-integer-issue",
        sub("range: [0, 10]", "rnage: [0, 10]"),
        (
            "issues[0].rnage: unknown field 'rnage'",
            "one of: id, label, description, kind, range, unit",
            "did you mean 'range'?",
        ),
        ":7:32:",
    ),
    Case(
        "missing-title",
        sub("title: Salary talks (illustrative)\n", ""),
        ("required field 'title' is missing",),
        ":1:",
    ),
]


# the cases also run as a real ``detente`` process: YAML, binary and encoding errors, an
# expression attack, a JSON file, and the bug once found by the fuzz tests
IN_SUBPROCESS = {
    "malformed-yaml",
    "binary-junk",
    "non-utf8",
    "smuggle-import",
    "json-wrong-type",
    "priority-empty-values",
}


def _real(path: Path) -> Outcome:
    done = run_process("validate", path)
    return Outcome(done.returncode, done.stdout, done.stderr)


def _check(case: Case, tmp_path: Path, runner: Callable[[Path], Outcome]) -> None:
    path = tmp_path / f"{case.id}{case.suffix}"
    content = case.make()
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = runner(path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    err = " ".join(result.stderr.split())  # rich may wrap long lines
    assert str(path) in result.stderr
    for fragment in case.fragments:
        assert fragment in err, f"{fragment!r} not in:\n{result.stderr}"
    if case.where is not None:
        assert f"{path}{case.where}" in result.stderr, result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gives_a_located_message_and_exit_code_2(case: Case, tmp_path: Path) -> None:
    _check(case, tmp_path, validate)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.id in IN_SUBPROCESS], ids=lambda c: str(c.id)
)
def test_the_real_command_exits_2_without_a_traceback(case: Case, tmp_path: Path) -> None:
    _check(case, tmp_path, _real)


def test_at_least_25_kinds_of_bad_input() -> None:
    assert len(CASES) >= 25


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:  # a comment line, then a sparse tail: 50 MiB not written
        f.write(b"# " + b"x" * 1021 + b"\n")
        f.truncate(50 * 1024 * 1024)
    result = run_process("validate", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "file is 52.4 MB, larger than the 5 MiB limit" in result.stderr


def test_missing_file_and_folder(tmp_path: Path) -> None:
    missing = validate(tmp_path / "nope.yaml")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    folder = validate(tmp_path)
    assert folder.returncode == 2 and "this is a folder" in folder.stderr


def test_several_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = BASE.replace("by: [union]", "by: [zzzz]").replace("raise >= 3", "rase >= 3")
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    result = validate(path)
    assert result.returncode == 2
    assert "2 problems found" in result.stderr
    assert "unknown party 'zzzz'" in result.stderr and "unknown name 'rase'" in result.stderr


def test_json_format_prints_the_problems_on_stdout(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BASE.replace("kind: boolean", "kind: bool"), encoding="utf-8")
    result = validate(path, "--format", "json")
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    (problem,) = data["problems"]
    assert problem == {
        "file": str(path),
        "line": 9,
        "column": 24,
        "path": "issues[2].kind",
        "message": "unknown issue kind 'bool'",
        "expected": "kind: choice, boolean, integer",
        "hint": "did you mean 'boolean'?",
    }


def test_valid_json_input_is_accepted(tmp_path: Path) -> None:
    doc = {
        "id": "x",
        "title": "T",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": [{"id": "i", "kind": "integer", "range": [0, 3]}],
        "proposals": [{"id": "p", "by": ["a"], "date": "2024-05-06", "terms": {"i": 2}}],
    }
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = validate(path, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "command": "validate",
        "format_version": 2,
        "scenario": "x",
        "ok": True,
        "file": str(path),
        "title": "T",
    }


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    result = run_process("--debug", "validate", path)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "ScenarioError" in result.stderr
