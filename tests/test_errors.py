"""'Did you mean' suggestions: the fast path gives exactly what the definition gives."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from detente.errors import _distance, close_matches, did_you_mean
from strategies import examples

_WORDS = st.text(alphabet="abcdeirst_", max_size=10)


def _reference(word: str, choices: list[str], limit: int = 3) -> list[str]:
    """close_matches' docstring, computed for every choice with no shortcut."""
    pool = list(dict.fromkeys(c for c in choices if c != word))
    allowed = max(1.0, len(word) / 3)
    scored = []
    for c in pool:
        dist = _distance(word, c)
        ratio = difflib.SequenceMatcher(None, word.lower(), c.lower()).ratio()
        prefix = len(word) >= 3 and c.lower().startswith(word.lower())
        if dist <= allowed or ratio > 0.8 or prefix:
            scored.append((min(dist, 0.75) if prefix else dist, -ratio, c))
    return [c for _, _, c in sorted(scored)[:limit]]


@settings(max_examples=examples(300))
@given(_WORDS, st.lists(_WORDS, max_size=12))
def test_close_matches_is_the_definition(word: str, choices: list[str]) -> None:
    # near variants of the word make matches likely, not only possible
    pool = [*choices, word + "s", word[:-1], word[::-1], word.upper()]
    assert close_matches(word, pool) == _reference(word, pool)


@settings(max_examples=examples(300))
@given(_WORDS, _WORDS, st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0]))
def test_a_cut_off_distance_is_exact_up_to_the_cutoff(a: str, b: str, cutoff: float) -> None:
    full = _distance(a, b)
    cut = _distance(a, b, cutoff)
    assert cut == full if full <= cutoff else cut > cutoff


def test_hand_checked_distances_and_hints() -> None:
    assert _distance("fdp", "fpd") == 0.5  # one swap
    assert _distance("spd", "fpd") == 1.0
    assert _distance("kitten", "sitting") == 3.0
    assert close_matches("bool", ["boolean", "integer", "choice"]) == ["boolean"]
    # 4 edits away (more than a third of 9 letters) but similar: ratio 18/22 > 0.8
    assert close_matches("ceasefire", ["my__ceasefire"]) == ["my__ceasefire"]
    assert did_you_mean("bulware", ["boulware", "linear"]) == "did you mean 'boulware'?"
    assert did_you_mean("zzz", ["a", "b"]) == "allowed values: 'a', 'b'"
