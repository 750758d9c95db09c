"""Test-suite wide settings: the hypothesis profiles.

- default (a developer's run): every run draws new examples.
- ``ci`` (loaded when ``CI`` is set): derandomized, the same examples every run, so a
  submission's result does not depend on the draw.
- ``fuzz`` (``make fuzz``, i.e. ``pytest --hypothesis-profile=fuzz``): random seeds and
  ten times the examples. Per-test counts are written ``examples(n)`` (tests/strategies.py),
  which scales ``n`` by the loaded profile's ``max_examples`` over hypothesis' default 100.

A failure under ``fuzz`` prints the falsifying example; pin it with ``@example`` next to
the test (as in tests/scenario/test_loader_fuzz.py) so every later run checks it.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("fuzz", derandomize=False, max_examples=1000, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
