"""What every analysis result shares: the header fields, read-only arrays, DataFrames.

Every result (deal, gaps, conflict, the composite, and the analyses built on them)
carries the same header, as fields of its own frozen dataclass:

- ``scenario``: the scenario id;
- ``method``: the path that ran (a ``Literal`` of each result type);
- ``exact``: whether the answer is exact (False: bounds, samples or a time limit);
- ``parameters``: what it ran with, limits included (a read-only mapping);
- ``notes``: plain sentences about what was or was not computed.

Results are frozen with ``eq=False`` (they hold numpy arrays, and two analyses are
equal only when their contents are; compare fields instead), and their arrays are
read-only. ``to_dataframe`` methods build pandas DataFrames; pandas is an optional
extra (``pip install 'detente[pandas]'``) imported only then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["dataframe", "frozen_mapping", "read_only"]

A = TypeVar("A", bound=npt.NDArray[Any])


def read_only(array: A) -> A:
    """``array`` itself, marked read-only (results never hand out writable arrays)."""
    array.flags.writeable = False
    return array


def frozen_mapping(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of ``data`` (for a result's ``parameters``)."""
    return MappingProxyType(dict(data))


def dataframe(records: Sequence[Mapping[str, Any]], index: str | None = None) -> Any:
    """A pandas DataFrame of ``records`` (needs the ``[pandas]`` extra)."""
    try:
        import pandas as pd
    except ModuleNotFoundError as err:  # pragma: no cover - depends on the install
        raise ModuleNotFoundError(
            "to_dataframe needs pandas: pip install 'detente[pandas]'"
        ) from err
    frame = pd.DataFrame.from_records(list(records))
    return frame.set_index(index) if index is not None and len(frame) else frame


def as_floats(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """A read-only float64 copy."""
    return read_only(np.array(values, dtype=np.float64))
