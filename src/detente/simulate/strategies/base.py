"""The plug-in seam: a negotiation strategy is a small class with declared metadata.

As in Axelrod's strategies, every class states what it is (:class:`StrategyInfo`: name,
family, whether it is deterministic, its parameters with defaults, a one-line summary
and its source) and one contract test holds every registered strategy to it
(``tests/simulate/test_contract.py``: seeded determinism, never offering or accepting an
outcome that breaks its own red lines or reservation, truthful metadata).

A :class:`Negotiator` answers one question per turn, :meth:`Negotiator.act`: given the
step, its relative time and the standing offer (or :data:`NO_OFFER`), return
:data:`ACCEPT`, :data:`END` or the index of the outcome it offers. :class:`BOA` splits
that into the three components of the BOA architecture (Baarslag, Hindriks, Hendrikx,
Dirkzwager & Jonker 2014, "Decoupling negotiating agents to explore the space of
negotiation strategies"): what it observes, what it offers, what it accepts; offering
strategies and acceptance conditions (:mod:`.acceptance`) then compose freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from detente.errors import DetenteError, did_you_mean
from detente.simulate.protocol import ACCEPT, END, NO_OFFER, PartyView

__all__ = [
    "ACCEPT",
    "END",
    "FAMILIES",
    "NO_OFFER",
    "BOA",
    "Family",
    "Negotiator",
    "Parameter",
    "ParamValue",
    "StrategyInfo",
    "coerce",
]

Family = Literal[
    "time-based",
    "tit-for-tat",
    "hardliner",
    "random",
    "acceptance",
    "composed",
    "voter",
    "mediator",
]
FAMILIES: tuple[Family, ...] = (
    "time-based",
    "tit-for-tat",
    "hardliner",
    "random",
    "acceptance",
    "composed",
    "voter",
    "mediator",
)
ParamValue = float | int | str | bool


@dataclass(frozen=True)
class Parameter:
    """A declared parameter: its name, default (whose type is the parameter's), meaning."""

    name: str
    default: ParamValue
    doc: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class StrategyInfo:
    """What a strategy declares about itself (checked by the contract test)."""

    name: str
    family: Family
    deterministic: bool
    parameters: tuple[Parameter, ...]
    summary: str
    source: str

    def defaults(self) -> dict[str, ParamValue]:
        """Parameter name -> default value."""
        return {p.name: p.default for p in self.parameters}


def coerce(info: StrategyInfo, params: Mapping[str, Any]) -> dict[str, ParamValue]:
    """``params`` checked against ``info`` and converted to the defaults' types.

    Strings (from the command line) are parsed; unknown names and bad values raise
    :class:`~detente.errors.DetenteError` with a hint.
    """
    declared = {p.name: p for p in info.parameters}
    out = info.defaults()
    for name, raw in params.items():
        if name not in declared:
            hint = did_you_mean(name, declared, what="parameter") or "it takes no parameters"
            raise DetenteError(f"strategy '{info.name}' has no parameter '{name}'; {hint}")
        p = declared[name]
        out[name] = _convert(info.name, p, raw)
    return out


def _convert(strategy: str, p: Parameter, raw: Any) -> ParamValue:
    kind = type(p.default)
    try:
        if kind is bool:
            if isinstance(raw, str):
                if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(raw)
                value: ParamValue = raw.lower() in ("true", "1", "yes")
            else:
                value = bool(raw)
        elif kind is int:
            value = int(raw)
        elif kind is float:
            value = float(raw)
        else:
            value = str(raw)
    except (TypeError, ValueError):
        raise DetenteError(
            f"strategy '{strategy}': parameter '{p.name}' must be a {kind.__name__}, not {raw!r}"
        ) from None
    if p.choices and value not in p.choices:
        raise DetenteError(
            f"strategy '{strategy}': parameter '{p.name}' must be one of "
            + ", ".join(p.choices)
            + f", not {value!r}"
        )
    return value


class Negotiator:
    """Base of every strategy: declared metadata, checked parameters, one act per turn.

    Subclasses set :attr:`info` and implement :meth:`act`; :meth:`start` is called once
    before the first step with the party's view and a seeded generator (the only source
    of randomness a strategy may use).
    """

    info: ClassVar[StrategyInfo]

    def __init__(self, **params: Any) -> None:
        self.params: dict[str, ParamValue] = coerce(self.info, params)
        self.party: PartyView
        self.rng: np.random.Generator

    def start(self, party: PartyView, rng: np.random.Generator) -> None:
        """Called before step 0."""
        self.party = party
        self.rng = rng

    def act(self, step: int, t: float, offer: int) -> int:
        """ACCEPT, END or an outcome index, given the standing ``offer`` (or NO_OFFER)."""
        raise NotImplementedError


class BOA(Negotiator):
    """A negotiator made of an offering strategy and its own acceptance condition.

    :meth:`act` first lets the negotiator :meth:`observe` the standing offer, then asks
    :meth:`accepts` (only for offers keeping the party's red lines and reservation),
    then :meth:`propose` (NegMAS's order: respond, then propose). A party that can offer
    nothing (its red lines exclude every outcome) ends the negotiation.
    """

    def observe(self, step: int, t: float, offer: int) -> None:
        """Called with every standing offer the party faces (none before the first)."""

    def propose(self, step: int, t: float) -> int:
        """The outcome this strategy offers at ``step``."""
        raise NotImplementedError

    def accepts(self, step: int, t: float, offer: int) -> bool:
        """True when the strategy accepts ``offer`` (which keeps its red lines and reservation)."""
        raise NotImplementedError

    def act(self, step: int, t: float, offer: int) -> int:
        """ACCEPT, END or an outcome index, given the standing ``offer`` (or NO_OFFER)."""
        if not self.party.can_offer:
            return END
        if offer != NO_OFFER:
            self.observe(step, t, offer)
            if self.party.ok[offer] and self.accepts(step, t, offer):
                return ACCEPT
        return self.propose(step, t)
