"""``Scenario.without_conflict``: the deal side of a file, without checking it again."""

from __future__ import annotations

from pathlib import Path

import detente
from detente.report.json.analysis import analysis_document

CAIRO = Path(__file__).parents[2] / "src" / "detente" / "examples" / "cairo-2024-05.yaml"


def test_the_deal_side_equals_the_file_checked_without_its_conflict_section() -> None:
    s = detente.load(CAIRO)
    assert s.conflict is not None and s.statement_asts(s.conflict.decision_makers[0].party)
    cut = s.without_conflict()
    again = s.with_document(s.document.model_copy(update={"conflict": None}))
    assert cut.conflict is None and cut.infeasible_asts == () and again.conflict is None
    for p in s.bargainers:
        for rl in s.positions[p].red_lines:
            assert cut.red_line_ast(p, rl.id) == again.red_line_ast(p, rl.id)
    assert cut.left_out() == s.left_out()  # the history is kept
    # the whole composite analysis (deal, gaps, bridges, amendments, summary) is the same
    assert analysis_document(detente.analyze(cut)) == analysis_document(detente.analyze(again))
