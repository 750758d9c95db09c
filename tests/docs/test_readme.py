"""The README's Python example runs as written, and its two set-up commands are in the Makefile."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    (block,) = re.findall(r"```python\n(.*?)```", README, re.S)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)  # the README's own code, on purpose
    a: Any = namespace["a"]
    deal: Any = namespace["deal"]
    gaps: Any = namespace["gaps"]
    gmcr: Any = namespace["gmcr"]
    # what the comments say
    assert a.summary.zopa_empty is True and deal.zopa.empty is True
    assert a.summary.cheapest_bridge.relax == a.gaps.bridges[0].keys
    assert len(gaps.gaps) == 6 == len(a.summary.gaps)
    assert deal.frontier.terms() == []
    best = deal.frontier_all.terms()[0]
    assert deal.frontier_all.utilities[0][0] == 1.0  # best for Israel
    assert list(namespace["table"].iloc[0][list(best)]) == list(best.values())
    assert gmcr.equilibria("nash") == [8]
    for result in (a, deal, gaps, gmcr):  # the header every result carries
        assert result.scenario == "cairo-2024-05"
        assert isinstance(result.method, str) and result.exact is True
        assert isinstance(result.parameters, Mapping) and isinstance(result.notes, tuple)
    # the commands table names the options the commands take
    assert "`--engine auto\\|enum\\|merge\\|solver`" in README
    assert "`detente demo [FILE]`" in README and "`--preferences`" in README
    assert "`docs/architecture.md`" in README and "format version 2" in README


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
