"""The README's Python example runs as written, and its two set-up commands are in the Makefile."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    (block,) = re.findall(r"```python\n(.*?)```", README, re.S)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)  # the README's own code, on purpose
    deal = namespace["deal"]
    gaps = namespace["gaps"]
    assert deal.zopa.empty is True  # type: ignore[attr-defined]
    assert len(gaps.gaps) == 6  # type: ignore[attr-defined]


def test_quick_start_commands_are_make_targets() -> None:
    (block,) = re.findall(r"```sh\nmake demo.*?```", README, re.S)
    targets = re.findall(r"^make (\w+)", block, re.M)
    assert targets == ["demo", "test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for t in targets:
        assert re.search(rf"^{t}:", makefile, re.M), t
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
