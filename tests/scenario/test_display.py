"""How values show to a reader: short option labels, ids otherwise, booleans as words."""

from __future__ import annotations

from detente.scenario import loads

TEXT = """\
id: shown
title: Shown
parties: [{id: a, name: A}, {id: b, name: B}]
issues:
  - id: price
    kind: choice
    options:
      - {id: v_4_12, label: "$4.12"}
      - {id: long, label: "a label far longer than twenty-four characters"}
      - plain
  - {id: ok, kind: boolean}
  - {id: n, kind: integer, range: [0, 3]}
  - id: other
    kind: choice
    options: [{id: plain, label: elsewhere}]
"""


def test_display_values_and_terms() -> None:
    s = loads(TEXT, "shown.yaml")
    assert s.display_terms({"price": "v_4_12", "ok": True, "n": 2, "other": "plain"}) == {
        "price": "$4.12",
        "ok": "true",
        "n": "2",
        "other": "elsewhere",
    }
    assert s.display_value("price", "long") == "long"  # a description, not a label
    assert s.display_value("price", "plain") == "plain"  # the label of another issue's option
    assert s.display_value("ok", False) == "false"
    assert s.display_value("unknown", "v_4_12") == "v_4_12"
