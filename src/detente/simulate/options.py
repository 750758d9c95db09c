"""Per-party option values as the command line and the web app take them (``PARTY=VALUE``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from detente.errors import DetenteError

__all__ = ["party_numbers", "party_values"]


def party_values(values: Iterable[str], option: str) -> dict[str, str]:
    """``["a=x", "b=y"]`` as ``{"a": "x", "b": "y"}``; a clear error on a malformed item."""
    out: dict[str, str] = {}
    for v in values:
        key, eq, val = v.partition("=")
        if not eq or not key.strip() or not val.strip():
            raise DetenteError(f"{option} expects PARTY=VALUE, not '{v}'")
        if key.strip() in out:
            raise DetenteError(f"{option} given twice for '{key.strip()}'")
        out[key.strip()] = val.strip()
    return out


def party_numbers(
    values: Mapping[str, str], option: str, kind: type[int] | type[float]
) -> dict[str, Any]:
    """Each value of :func:`party_values` as a number of ``kind``; a clear error otherwise."""
    out: dict[str, Any] = {}  # int or float, as ``kind`` says
    for k, v in values.items():
        try:
            out[k] = kind(v)
        except ValueError:
            what = "an integer" if kind is int else "a number"
            raise DetenteError(f"{option} {k}={v}: expected {what}") from None
    return out
