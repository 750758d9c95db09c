"""docs/scenario-format.md is executable: every example in it loads (or fails as stated).

Conventions of the page, enforced here:

- every fenced block names its language;
- every ```yaml and ```json block is a complete scenario that :func:`detente.loads`
  accepts, unless the line before it is ``<!-- expect-error: TEXT -->``, in which case
  loading must raise :class:`detente.ScenarioError` whose message contains TEXT;
- a ```text block preceded by ``<!-- expect-output: NAME -->`` is the exact error output
  of the scenario block just before it, loaded under the file name NAME;
- every field of every schema model, and every value of its enumerations, is named
  (in backticks) somewhere on the page, so the reference cannot fall behind the schema.
"""

from __future__ import annotations

import json
import re
import typing
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import BaseModel

import detente
import detente.scenario.model as model

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"

_FENCE = re.compile(r"^```(\S*)\s*$")
_MARKER = re.compile(r"^<!--\s*(expect-error|expect-output):\s*(.+?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    line: int  # 1-based line of the opening fence
    lang: str
    text: str
    marker: tuple[str, str] | None  # (kind, argument) of a marker on the line before


def _blocks(markdown: str) -> list[Block]:
    lines = markdown.splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        start = i
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        if j == len(lines):
            raise AssertionError(f"unclosed code fence at line {start + 1}")
        prev = lines[start - 1] if start > 0 else ""
        mm = _MARKER.match(prev)
        marker = (mm.group(1), mm.group(2)) if mm else None
        out.append(Block(start + 1, m.group(1), "\n".join(lines[start + 1 : j]) + "\n", marker))
        i = j + 1
    return out


BLOCKS = _blocks(DOC.read_text(encoding="utf-8"))
SCENARIOS = [b for b in BLOCKS if b.lang in ("yaml", "json")]


def _unquote(text: str) -> str:
    """A marker's text, without surrounding quotes if it has them."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def test_the_page_has_examples_of_both_kinds() -> None:
    assert len(SCENARIOS) >= 20
    assert sum(1 for b in SCENARIOS if b.marker is None) >= 12
    assert sum(1 for b in SCENARIOS if b.marker and b.marker[0] == "expect-error") >= 8


def test_every_block_names_its_language() -> None:
    assert [b.line for b in BLOCKS if not b.lang] == []


def test_every_marker_precedes_a_block_it_applies_to() -> None:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    marked = {b.line - 1 for b in BLOCKS if b.marker}
    for n, line in enumerate(lines, start=1):
        if line.startswith("<!-- expect-"):
            assert _MARKER.match(line), f"line {n}: malformed marker"
            assert n in marked, f"line {n}: marker not directly before a code block"
    for b in BLOCKS:
        if b.marker and b.marker[0] == "expect-error":
            assert b.lang in ("yaml", "json"), f"line {b.line}"
        if b.marker and b.marker[0] == "expect-output":
            assert b.lang == "text", f"line {b.line}"


@pytest.mark.parametrize("block", SCENARIOS, ids=lambda b: f"line-{b.line}")
def test_example_loads_or_fails_as_stated(block: Block) -> None:
    if block.lang == "json":
        json.loads(block.text)  # JSON blocks must be real JSON, not just YAML
    name = f"scenario-format.md:{block.line}"
    if block.marker is None:
        scenario = detente.loads(block.text, name)
        assert scenario.id
        return
    kind, text = block.marker
    assert kind == "expect-error", f"line {block.line}: {kind} belongs on a text block"
    with pytest.raises(detente.ScenarioError) as info:
        detente.loads(block.text, name)
    assert _unquote(text) in str(info.value)


@pytest.mark.parametrize(
    "block",
    [b for b in BLOCKS if b.marker and b.marker[0] == "expect-output"],
    ids=lambda b: f"line-{b.line}",
)
def test_shown_error_output_is_the_real_output(block: Block) -> None:
    assert block.marker is not None
    source = max((s for s in SCENARIOS if s.line < block.line), key=lambda s: s.line)
    with pytest.raises(detente.ScenarioError) as info:
        detente.loads(source.text, _unquote(block.marker[1]))
    assert info.value.render().rstrip("\n") == block.text.rstrip("\n")


def _schema_models() -> list[type[BaseModel]]:
    found = [getattr(model, n) for n in model.__all__]
    return [m for m in found if isinstance(m, type) and issubclass(m, BaseModel)]


def _literals(annotation: object) -> set[str]:
    """Every string a Literal inside ``annotation`` allows."""
    out: set[str] = set()
    if typing.get_origin(annotation) is typing.Literal:
        out |= {a for a in typing.get_args(annotation) if isinstance(a, str)}
    for arg in typing.get_args(annotation):
        out |= _literals(arg)
    return out


def test_every_schema_field_and_enumeration_value_is_documented() -> None:
    page = DOC.read_text(encoding="utf-8")
    models = _schema_models()
    assert len(models) >= 20
    missing = []
    for m in models:
        for name, field in m.model_fields.items():
            if f"`{name}`" not in page:
                missing.append(f"{m.__name__}.{name}")
            for value in _literals(field.annotation):
                if f"`{value}`" not in page:
                    missing.append(f"{m.__name__}.{name} = {value!r}")
    assert missing == []


def test_the_example_block_parser_sees_markers_and_languages() -> None:
    sample = "text\n<!-- expect-error: boom -->\n```yaml\na: 1\n```\n```text\nx\n```\n"
    blocks = _blocks(sample)
    assert [(b.line, b.lang, b.marker) for b in blocks] == [
        (3, "yaml", ("expect-error", "boom")),
        (6, "text", None),
    ]
    assert blocks[0].text == "a: 1\n"
