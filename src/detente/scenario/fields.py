"""The building blocks of the scenario schema: ids, numbers, firmness and provenance.

Shared by every model of :mod:`detente.scenario.model` and by the ``uncertainty``
section; numbers are strict everywhere (a quoted "0.4" is refused, never converted).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from detente.errors import FieldError

__all__ = [
    "ID_PATTERN",
    "MAX_RANGE_SIZE",
    "NAME_PATTERN",
    "Basis",
    "Firmness",
    "Id",
    "Model",
    "Number",
    "Provenance",
    "Scalar",
    "Whole",
    "expression_name",
]

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_\-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"
_RESERVED = {"and", "or", "not", "in", "implies", "iff", "true", "false"}


def expression_name(v: Any) -> Any:
    """Ids that expressions refer to by name: letters, digits and _ only (no '-': minus)."""
    if isinstance(v, str) and not re.fullmatch(NAME_PATTERN, v):
        fixed = re.sub(r"[^A-Za-z0-9_]", "_", v)
        if not fixed[:1].isalpha():
            fixed = "x" + fixed
        raise FieldError(
            f"'{v}' cannot be used in expressions: ids of issues, derived quantities and "
            "conflict options may hold letters, digits and _ only, starting with a letter "
            "('-' would read as minus)",
            expected="an id such as prisoner_ratio",
            hint=f"rename it to '{fixed}' (and every use of it)",
        )
    if isinstance(v, str) and v.lower() in _RESERVED:
        raise FieldError(
            f"'{v}' is a word of the expression language",
            expected="an id that is not one of: " + ", ".join(sorted(_RESERVED)),
            hint=f"rename it, e.g. '{v}_issue'",
        )
    return v


Basis = Literal["reported", "assumed"]
Firmness = Union[Annotated[int, Field(ge=1, le=10, strict=True)], Literal["absolute"]]
# numbers are strict: "0.4" (a string) is refused, not silently converted
Number = Annotated[float, Field(strict=True)]
Whole = Annotated[int, Field(strict=True)]
Scalar = Union[bool, int, str]

MAX_RANGE_SIZE = 10**9  # values in one integer issue


class Model(BaseModel):
    """Every model of the schema: unknown keys refused, frozen, strings stripped."""

    # validators are built on first use: the document's one holds every nested model's
    # schema, so building each nested model's own at import was work few runs use
    # (8 M of the 2-party analyze process's 1,255 M instructions)
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Provenance(Model):
    """Where a claim comes from: reported (with a source) or assumed by the analyst."""

    basis: Basis = "assumed"
    source: Id | None = None
    date: dt.date | None = None
    quote: str | None = None
    rationale: str | None = None
