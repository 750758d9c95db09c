"""Strategies by name: the built-in ones, and others' through the entry point group.

A *strategy spec* names a strategy, its parameters and optional acceptance conditions:
``linear``, ``faratin-poly:beta=0.5,kappa=0.1``, ``boulware+ac_next+ac_time:t=0.95``
(the offering strategy, then conditions any one of which accepts). :func:`parse` turns
it into a :class:`Spec` (hashable, picklable: tournaments ship specs, not objects) and
:func:`make` a fresh negotiator from it.

Third-party strategies register through the ``detente.strategies`` entry point group:
each entry point names a :class:`~detente.simulate.strategies.base.Negotiator` or
:class:`~detente.simulate.strategies.acceptance.Condition` subclass with its ``info``;
they are loaded on first use, and the contract test runs them with the built-in ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TypeVar

from detente.errors import DetenteError, did_you_mean
from detente.simulate.strategies.acceptance import (
    AcCombi,
    AcConst,
    AcNext,
    AcTime,
    Composed,
    Condition,
)
from detente.simulate.strategies.base import BOA, Negotiator, ParamValue, StrategyInfo, coerce
from detente.simulate.strategies.simple import Hardliner, RandomNegotiator
from detente.simulate.strategies.time_based import (
    Boulware,
    Conceder,
    FaratinExponential,
    FaratinPolynomial,
    GeniusTimeDependent,
    Linear,
)
from detente.simulate.strategies.tit_for_tat import (
    AveragedTitForTat,
    NaiveTitForTat,
    RelativeTitForTat,
)

__all__ = [
    "DEFAULT_STRATEGY",
    "ENTRY_POINT_GROUP",
    "Spec",
    "conditions",
    "info",
    "make",
    "parse",
    "register",
    "strategies",
]

DEFAULT_STRATEGY = "boulware"
ENTRY_POINT_GROUP = "detente.strategies"

_BUILTIN: tuple[type[Negotiator], ...] = (
    Boulware,
    Linear,
    Conceder,
    FaratinPolynomial,
    FaratinExponential,
    GeniusTimeDependent,
    NaiveTitForTat,
    RelativeTitForTat,
    AveragedTitForTat,
    Hardliner,
    RandomNegotiator,
)
_BUILTIN_CONDITIONS: tuple[type[Condition], ...] = (AcNext, AcTime, AcConst, AcCombi)

_strategies: dict[str, type[Negotiator]] = {c.info.name: c for c in _BUILTIN}
_conditions: dict[str, type[Condition]] = {c.info.name: c for c in _BUILTIN_CONDITIONS}
_loaded = False


def register(cls: type[Negotiator] | type[Condition]) -> None:
    """Register a strategy or acceptance condition class under ``cls.info.name``."""
    if not (isinstance(cls, type) and issubclass(cls, (Negotiator, Condition))):
        raise DetenteError(f"{cls!r} is neither a Negotiator nor a Condition class")
    if not isinstance(getattr(cls, "info", None), StrategyInfo):
        raise DetenteError(f"{cls.__name__} declares no StrategyInfo (its 'info' attribute)")
    name = cls.info.name
    if name in _strategies or name in _conditions:
        if _strategies.get(name) is cls or _conditions.get(name) is cls:
            return
        raise DetenteError(f"a strategy named '{name}' is already registered")
    if isinstance(cls, type) and issubclass(cls, Condition):
        _conditions[name] = cls
    elif isinstance(cls, type) and issubclass(cls, Negotiator):
        _strategies[name] = cls
    else:
        raise DetenteError(f"{cls!r} is neither a Negotiator nor a Condition class")


def _load_entry_points() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        register(ep.load())


_T = TypeVar("_T")


def _registered(table: Mapping[str, _T], name: str) -> _T | None:
    """``table[name]``, loading the plug-ins first only when ``name`` is not registered.

    Built-in names resolve without scanning every installed distribution's entry points
    (milliseconds a process); ``strategies()`` and ``conditions()`` load them all.
    """
    if name not in table:
        _load_entry_points()
    return table.get(name)


def strategies() -> dict[str, StrategyInfo]:
    """Every registered strategy's metadata, by name (built-in ones first)."""
    _load_entry_points()
    return {n: c.info for n, c in _strategies.items()}


def conditions() -> dict[str, StrategyInfo]:
    """Every registered acceptance condition's metadata, by name."""
    _load_entry_points()
    return {n: c.info for n, c in _conditions.items()}


Params = tuple[tuple[str, ParamValue], ...]


@dataclass(frozen=True)
class Spec:
    """A parsed strategy spec: the strategy, its parameters, acceptance conditions."""

    name: str
    params: Params = ()
    conditions: tuple[tuple[str, Params], ...] = ()

    @property
    def text(self) -> str:
        """The canonical spelling (parameters in declared order, defaults left out)."""

        def one(name: str, params: Params) -> str:
            return name + (":" + ",".join(f"{k}={_spell(v)}" for k, v in params) if params else "")

        return "+".join([one(self.name, self.params), *(one(n, p) for n, p in self.conditions)])

    @property
    def deterministic(self) -> bool:
        """The strategy's declared determinism."""
        return info(self).deterministic

    def __str__(self) -> str:
        return self.text


def _spell(v: ParamValue) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return f"{v:g}" if isinstance(v, float) else str(v)


def _split_params(text: str, what: str) -> tuple[str, dict[str, str]]:
    name, _, rest = text.partition(":")
    params: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = part.partition("=")
        if not eq or not key.strip():
            raise DetenteError(f"bad parameter '{part}' in {what} '{text}': expected NAME=VALUE")
        params[key.strip()] = value.strip()
    return name.strip(), params


def _checked(info: StrategyInfo, raw: Mapping[str, object]) -> Params:
    values = coerce(info, raw)
    defaults = info.defaults()
    return tuple(
        (p.name, values[p.name]) for p in info.parameters if values[p.name] != defaults[p.name]
    )


def parse(text: str | Spec) -> Spec:
    """The :class:`Spec` of a strategy spec string (module docstring).

    Raises :class:`~detente.errors.DetenteError` with a hint for unknown names or
    parameters.
    """
    if isinstance(text, Spec):
        return text
    parts = [p.strip() for p in str(text).split("+")]
    name, raw = _split_params(parts[0], "strategy")
    cls = _registered(_strategies, name)
    if cls is None:
        hint = did_you_mean(name, _strategies, what="strategy") or ""
        raise DetenteError(f"unknown strategy '{name}'; {hint}".rstrip("; "))
    params = _checked(cls.info, raw)
    conds = []
    for part in parts[1:]:
        cname, craw = _split_params(part, "acceptance condition")
        ccls = _registered(_conditions, cname)
        if ccls is None:
            hint = did_you_mean(cname, _conditions, what="acceptance condition") or ""
            raise DetenteError(f"unknown acceptance condition '{cname}'; {hint}".rstrip("; "))
        conds.append((cname, _checked(ccls.info, craw)))
    if conds and not issubclass(cls, BOA):
        raise DetenteError(f"strategy '{name}' cannot take acceptance conditions")
    return Spec(name, params, tuple(conds))


def info(spec: str | Spec) -> StrategyInfo:
    """The metadata of a spec (a composed spec's: family ``composed``)."""
    sp = parse(spec)
    base = _strategies[sp.name].info
    if not sp.conditions:
        return base
    params = list(base.parameters)
    for cname, _ in sp.conditions:
        params.extend(_conditions[cname].info.parameters)
    return StrategyInfo(
        name=sp.text,
        family="composed",
        deterministic=base.deterministic,
        parameters=tuple(params),
        summary=f"{base.name}'s offers, accepting when "
        + " or ".join(_conditions[c].info.name for c, _ in sp.conditions),
        source=base.source,
    )


def make(spec: str | Spec) -> Negotiator:
    """A fresh negotiator for ``spec``."""
    sp = parse(spec)
    neg = _strategies[sp.name](**dict(sp.params))
    if not sp.conditions:
        return neg
    cond: Condition | None = None
    for cname, cparams in sp.conditions:
        c = _conditions[cname](**dict(cparams))
        cond = c if cond is None else cond | c
    assert cond is not None and isinstance(neg, BOA)
    return Composed(neg, cond, sp.text)
