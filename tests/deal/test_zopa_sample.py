"""The ZOPA sample: the ``sample_size`` ZOPA outcomes with the smallest Fibonacci keys."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import examples

from detente.deal.zopa import ZopaCounter

GOLDEN = 0x9E3779B97F4A7C15


def sample_by_definition(indices: list[int], size: int) -> list[int]:
    """The ``size`` indices with the smallest keys index * GOLDEN mod 2**64, in index order."""
    return sorted(sorted(indices, key=lambda i: (i * GOLDEN) % 2**64)[:size])


@st.composite
def offers(draw: Any) -> tuple[int, list[tuple[int, list[int]]]]:
    """A sample size and chunks (start, ascending rows) of increasing, disjoint ranges."""
    size = draw(st.integers(1, 12))
    chunks, start = [], draw(st.integers(0, 2**40))
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(1, 3000))
        kind = draw(st.sampled_from(["dense", "sparse", "skewed"]))
        if kind == "dense":
            rows = list(range(n))  # a chunk wholly in the ZOPA
        elif kind == "sparse":
            rows = sorted(draw(st.sets(st.integers(0, n - 1), max_size=min(n, 60))))
        else:  # mostly large keys and a few small ones: the look-below-a-cut shortcut misses
            q = draw(st.floats(0.5, 0.99))
            high = {i for i in range(n) if (start + i) * GOLDEN % 2**64 >= q * 2**64}
            few = draw(st.sets(st.integers(0, n - 1), max_size=size))
            rows = sorted(high | few)
        chunks.append((start, rows))
        start += n + draw(st.integers(0, 10**6))
    return size, chunks


@settings(max_examples=examples(200), deadline=None)
@given(offers())
def test_the_sample_is_the_smallest_keys_whatever_the_chunks(
    case: tuple[int, list[tuple[int, list[int]]]],
) -> None:
    size, chunks = case
    counter = ZopaCounter.__new__(ZopaCounter)  # only the sample's state is exercised
    counter.sample_size = size
    counter._keys = np.zeros(0, dtype=np.uint64)
    counter._codes = counter._utils = None
    for start, rows in chunks:
        r = np.array(rows, dtype=np.int64)

        def fetch(at: Any, start: int = start) -> tuple[Any, Any]:
            idx = (start + at).astype(np.int64)
            return idx[:, None], idx[:, None].astype(float)

        counter.offer(start, r, fetch)
    got = sorted(
        int(c) for c in (counter._codes if counter._codes is not None else np.zeros(0)).ravel()
    )
    every = [start + i for start, rows in chunks for i in rows]
    assert got == sample_by_definition(every, size)
