"""``one_blas_thread``: BLAS on one thread inside, the previous count restored after."""

from __future__ import annotations

import numpy  # noqa: F401  (its BLAS is the one pinned)
import pytest

from detente.blas import one_blas_thread

threadpoolctl = pytest.importorskip("threadpoolctl")


def _blas_threads() -> list[int]:
    return [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]


def test_pins_blas_to_one_thread_and_restores_it_each_time() -> None:
    before = _blas_threads()
    assert before, "numpy's BLAS is loaded"
    for _ in range(3):  # the scan is made once; every context still applies and restores
        with one_blas_thread():
            assert _blas_threads() == [1] * len(before)
            with one_blas_thread():
                assert _blas_threads() == [1] * len(before)
            assert _blas_threads() == [1] * len(before)
        assert _blas_threads() == before
