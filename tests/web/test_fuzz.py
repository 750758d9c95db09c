"""API fuzzing from the OpenAPI schema (schemathesis): no 5xx but the documented ones
(504 past a limit), and never a stack trace.

Schemathesis' own pytest plugin does not run on this pytest; its operations' hypothesis
strategies are driven here directly, one operation after another.
"""

from __future__ import annotations

import collections
import gc
from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is not installed (dev extra)"
)

from hypothesis import HealthCheck, given, settings  # noqa: E402

EXAMPLES = 10  # per operation (about 20 operations)


@pytest.fixture
def frozen_heap() -> Iterator[None]:
    """The heap so far out of the collector's sight while the test runs: hypothesis runs
    a full ``gc.collect()`` each time a new PRNG registers (once per operation, about
    35 ms each on the suite's heap), which then scans only what the test made."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def test_no_server_errors(served: str, frozen_heap: None) -> None:
    schema = schemathesis.openapi.from_url(f"{served}/openapi.json")
    seen: list[str] = []
    codes: list[int] = []
    for result in schema.get_all_operations():
        op = result.ok()
        seen.append(f"{op.method.upper()} {op.path}")

        @given(case=op.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            response = case.call()
            codes.append(response.status_code)
            assert response.status_code < 500 or response.status_code == 504, (
                case.method,
                case.formatted_path,
                response.status_code,
                response.text[:500],
            )
            assert "Traceback" not in response.text

        check()
    assert "POST /api/analyze" in seen and "PUT /api/files/{name}" in seen
    assert len(codes) >= len(seen)
    print(sorted(collections.Counter(codes).items()))
