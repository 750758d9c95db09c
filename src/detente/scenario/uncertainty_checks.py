"""Checks of the ``uncertainty`` section against the file, and the resolved ranges.

An entry may vary only an assumption (:mod:`detente.scenario.numbers`: an item not
marked ``basis: reported``; firmness always), within the number's domain (weights >= 0,
values and reservations in [0, 1], firmness in [1, 10]) and with a range that contains
the stated value. A measurement (``scale``, :mod:`detente.scenario.uncertainty`) may
only vary an option's value; its mapped range may leave [0, 1] (the value function is
extrapolated), every measured option of one party's issue shares one scale, and the
stated value of a normal or lognormal one is the value at its median, to within
:data:`MEDIAN_TOLERANCE` (the point analysis and the draws then describe one model).
:func:`check_uncertainty` reports every refusal with its line and a hint; :func:`resolve_uncertainty` turns a checked section into :class:`Varied` numbers
(one per varied number, Dirichlet groups expanded); :func:`default_uncertainty` is the
stated default when a file has no section; :func:`load_uncertainty` reads a section from
another file (``--uncertainty FILE``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from detente.errors import Problem, ScenarioError, did_you_mean
from detente.scenario.checking import Collector
from detente.scenario.locations import Locations, Path_
from detente.scenario.model import ScenarioDocument
from detente.scenario.numbers import Number, numbers
from detente.scenario.uncertainty import UNBOUNDED, UncertaintyEntry

__all__ = [
    "DEFAULT_RULE",
    "MEDIAN_TOLERANCE",
    "Uncertainty",
    "Varied",
    "check_uncertainty",
    "default_uncertainty",
    "load_uncertainty",
    "resolve_uncertainty",
]

DEFAULT_RULE = (
    "no uncertainty section: every assumed weight and value varies uniformly within "
    "+/-50 % of its estimate, reservations +/-0.1, firmness +/-2, clipped to the domain"
)
Distribution = Literal["uniform", "triangular", "dirichlet", "normal", "lognormal"]
MEDIAN_TOLERANCE = 5e-4  # a stated value rounded to 3 decimals matches its median's


@dataclass(frozen=True)
class Varied:
    """One varied number: its address, estimate, bounds and distribution.

    ``mode`` is the triangular mode; ``group`` and ``kappa`` identify a Dirichlet
    group (all of one party's weights, centred on the stated weights, scaled by their
    stated sum). A measured value has its ``scale`` (worst, best) and ``measurement``,
    the entry's own numbers (range, triangular, normal mean and sd, or lognormal mu
    and sigma); ``estimate``, ``lo``, ``hi`` and ``mode`` are in value units, ``lo``
    and ``hi`` of a normal or lognormal its central 99.9 % interval.
    """

    address: str
    kind: str
    party: str
    estimate: float
    lo: float
    hi: float
    distribution: Distribution = "uniform"
    mode: float | None = None
    group: str | None = None
    kappa: float | None = None
    scale: tuple[float, float] | None = None
    measurement: tuple[float, ...] | None = None

    @property
    def measured(self) -> bool:
        """Whether the draws are measurements mapped to the value (a criterion, not a taste)."""
        return self.scale is not None

    @property
    def bounded(self) -> bool:
        """Whether ``lo`` and ``hi`` bound every draw (not so for a normal or lognormal)."""
        return self.distribution not in UNBOUNDED


@dataclass(frozen=True)
class Uncertainty:
    """The resolved section, ready to sample.

    Varied numbers, preference swaps, weight orders (constraints on the draws, met by
    rejection), and whether it is the stated default.
    """

    varied: tuple[Varied, ...]
    swaps: tuple[tuple[str, int], ...] = ()
    default: bool = False
    notes: tuple[str, ...] = field(default=())
    # (weight address, stated value) lists: each weight at least the next one
    orders: tuple[tuple[tuple[str, float], ...], ...] = ()

    @property
    def addresses(self) -> tuple[str, ...]:
        """The varied numbers' addresses, in order."""
        return tuple(v.address for v in self.varied)


def _catalogue(doc: ScenarioDocument) -> dict[str, Number]:
    return {n.address: n for n in numbers(doc)}


def _weights_of(cat: dict[str, Number], party: str) -> list[Number]:
    return [n for n in cat.values() if n.party == party and n.kind == "weight"]


class _File(BaseModel):
    """A file holding only an ``uncertainty`` section."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    uncertainty: tuple[UncertaintyEntry, ...]


def check_uncertainty(
    c: Collector,
    doc: ScenarioDocument,
    entries: Sequence[UncertaintyEntry] | None = None,
    base: Path_ = ("uncertainty",),
) -> None:
    """Report every entry of the section that cannot vary what it names (see module)."""
    items = doc.uncertainty if entries is None else entries
    if not items:
        return
    cat = _catalogue(doc)
    seen: dict[str, int] = {}
    scales: dict[str, tuple[tuple[float, float], int]] = {}  # party.issue -> first scale
    dms = [d.party for d in doc.conflict.decision_makers] if doc.conflict else []
    _check_order_circles(c, items, base)
    for i, e in enumerate(items):
        path = (*base, i)
        if e.of.startswith("conflict.preferences."):
            dm = e.of.removeprefix("conflict.preferences.")
            if dm not in dms:
                c.add((*path, "of"), f"no decision maker '{dm}' in the conflict section",
                      hint=did_you_mean(dm, dms, what="decision maker") if dms
                      else "the file has no conflict section")  # fmt: skip
            elif e.swaps is None:
                c.add(path, f"'{e.of}' varies a ranking: give 'swaps: N' (adjacent swaps)",
                      hint="e.g. swaps: 1")  # fmt: skip
            continue
        if e.swaps is not None:
            c.add((*path, "swaps"), "'swaps' varies a decision maker's preferences only",
                  hint="use of: conflict.preferences.DM, or give a range")  # fmt: skip
            continue
        if e.of.endswith(".weights") and e.order is not None:
            _check_order(c, e, path, cat, doc, items)
            continue
        if e.order is not None:
            c.add((*path, "order"), "'order' constrains one party's weights",
                  hint=f"write of: PARTY.weights with order: [{', '.join(e.order)}]")  # fmt: skip
            continue
        if e.of.endswith(".weights"):
            _check_group(c, e, path, cat, doc)
            continue
        n = cat.get(e.of)
        if n is None:
            c.add((*path, "of"), f"no number '{e.of}' behind the positions",
                  expected="party.reservation, party.weight.ISSUE, party.value.ISSUE.OPTION, "
                  "party.firmness.RED_LINE or party.weights",
                  hint=did_you_mean(e.of, list(cat), what="number"))  # fmt: skip
            continue
        if e.dirichlet is not None:
            c.add((*path, "dirichlet"), "'dirichlet' varies all of a party's weights at once",
                  hint=f"write of: {n.party}.weights, or give a range for {e.of}")  # fmt: skip
            continue
        measure = "scale" if e.scale is not None else next(
            (k for k in UNBOUNDED if getattr(e, k) is not None), None)  # fmt: skip
        if measure is not None and n.kind != "value":
            c.add((*path, measure), f"'{measure}' describes a measurement mapped to an option's "
                  f"value; {e.of} is a {n.kind}",
                  expected="party.value.ISSUE.OPTION with a scale",
                  hint=f"give {e.of} a range or triangular in its own units")  # fmt: skip
            continue
        if e.of in seen:
            c.add((*path, "of"), f"'{e.of}' is varied twice (first in entry {seen[e.of]})",
                  hint="keep one entry per number")  # fmt: skip
            continue
        seen[e.of] = i
        if not n.assumed:
            c.add((*path, "of"), f"'{e.of}' is a reported fact (basis: reported), not an assumption",
                  hint="only assumptions may vary; mark it 'basis: assumed' if it is one")  # fmt: skip
            continue
        if e.scale is not None:
            _check_measured(c, e, path, n, scales, i)
            continue
        key = "range" if e.range is not None else "triangular"
        lo, hi = e.bounds or (n.value, n.value)
        top = "inf" if n.hi is None else f"{n.hi:g}"
        if lo < n.lo or (n.hi is not None and hi > n.hi):
            c.add((*path, key), f"[{lo:g}, {hi:g}] leaves the domain of {e.of}: [{n.lo:g}, {top}]",
                  expected=f"bounds within [{n.lo:g}, {top}]",
                  hint=f"clip it, e.g. [{max(lo, n.lo):g}, {hi if n.hi is None else min(hi, n.hi):g}]")  # fmt: skip
        elif not lo <= n.value <= hi:
            c.add((*path, key), f"[{lo:g}, {hi:g}] does not contain the stated value {n.value:g} "
                  f"of {e.of}", expected=f"a range around {n.value:g}",
                  hint="move the range, or change the stated value in the position")  # fmt: skip


def _check_measured(
    c: Collector, e: UncertaintyEntry, path: Path_, n: Number,
    scales: dict[str, tuple[tuple[float, float], int]], i: int,
) -> None:  # fmt: skip
    """A measured value: one scale per issue, the stated value where the draws put it."""
    assert e.scale is not None
    scale = (float(e.scale[0]), float(e.scale[1]))
    issue = e.of.rsplit(".", 1)[0]
    first = scales.setdefault(issue, (scale, i))
    if first[0] != scale:
        c.add((*path, "scale"), f"scale [{scale[0]:g}, {scale[1]:g}] differs from the scale "
              f"[{first[0][0]:g}, {first[0][1]:g}] of entry {first[1]} on the same issue",
              expected="one scale for every measured option of an issue",
              hint="an issue has one value function: give its options the same scale")  # fmt: skip
        return
    if e.median is not None:
        key = "normal" if e.normal is not None else "lognormal"
        if abs(n.value - e.median) > MEDIAN_TOLERANCE:
            c.add((*path, key), f"the stated value {n.value:g} of {e.of} is not the value "
                  f"{e.median:.6g} at the median of this {key} on its scale",
                  expected=f"a stated value within {MEDIAN_TOLERANCE:g} of {e.median:.6g}",
                  hint=f"state {e.of.rsplit('.', 1)[1]}: {e.median:.3f} in the position, or "
                  "correct the distribution or the scale")  # fmt: skip
        return
    lo, hi = e.bounds or (n.value, n.value)
    key = "range" if e.range is not None else "triangular"
    if not lo - 1e-12 <= n.value <= hi + 1e-12:
        c.add((*path, key), f"on its scale the {key} gives {e.of} values in [{lo:.6g}, "
              f"{hi:.6g}], which do not contain the stated value {n.value:g}",
              expected=f"measurements whose values contain {n.value:g}",
              hint="move the range, or change the stated value in the position")  # fmt: skip


def _check_group(
    c: Collector, e: UncertaintyEntry, path: Path_, cat: dict[str, Number], doc: ScenarioDocument
) -> None:
    party = e.of.removesuffix(".weights")
    if party not in doc.bargainers:
        c.add((*path, "of"), f"no bargaining party '{party}'",
              hint=did_you_mean(party, doc.bargainers, what="party"))  # fmt: skip
        return
    if e.dirichlet is None:
        c.add(path, f"'{e.of}' varies every weight of {party} at once: give 'dirichlet: KAPPA'",
              hint="e.g. dirichlet: 50 (larger = closer to the stated weights)")  # fmt: skip
        return
    ws = _weights_of(cat, party)
    reported = [w.address for w in ws if not w.assumed]
    if reported:
        c.add((*path, "of"), f"{party}'s weights include reported facts: {', '.join(reported)}",
              hint="vary the assumed weights one by one with 'range'")  # fmt: skip
    elif sum(1 for w in ws if w.value > 0) < 2:
        c.add((*path, "of"), f"{party} has fewer than two positive weights: nothing to vary",
              hint="a Dirichlet needs at least two issues with a weight")  # fmt: skip


def _check_order_circles(c: Collector, items: Sequence[UncertaintyEntry], base: Path_) -> None:
    """Orders of one party's weights that go round in a circle force those weights equal.

    No draw then has room to vary them (the constrained set has no interior, so neither
    rejection nor hit-and-run can sample it): refused at the order that closes the circle.
    """
    above: dict[str, dict[str, set[str]]] = {}  # party -> weight -> weights it must exceed
    for i, e in enumerate(items):
        if e.order is None or not e.of.endswith(".weights"):
            continue
        party = e.of.removesuffix(".weights")
        g = above.setdefault(party, {})
        for hi, lo in itertools.pairwise(e.order):
            if hi != lo and _below(g, lo, hi):
                c.add((*base, i, "order"),
                      f"with the orders before it, this order puts {party}'s weight on "
                      f"'{hi}' both above and below '{lo}': they would have to be equal",
                      expected="orders that never go round in a circle",
                      hint="drop one of the orders, or state one order for those weights")  # fmt: skip
                break
            g.setdefault(hi, set()).add(lo)


def _below(g: dict[str, set[str]], top: str, target: str) -> bool:
    """Whether ``target`` is at or below ``top`` in the orders ``g`` (a path top -> target)."""
    todo, seen = [top], {top}
    while todo:
        x = todo.pop()
        if x == target:
            return True
        for y in g.get(x, ()):
            if y not in seen:
                seen.add(y)
                todo.append(y)
    return False


def _check_order(
    c: Collector, e: UncertaintyEntry, path: Path_, cat: dict[str, Number],
    doc: ScenarioDocument, items: Sequence[UncertaintyEntry],
) -> None:  # fmt: skip
    party = e.of.removesuffix(".weights")
    if party not in doc.bargainers:
        c.add((*path, "of"), f"no bargaining party '{party}'",
              hint=did_you_mean(party, doc.bargainers, what="party"))  # fmt: skip
        return
    assert e.order is not None
    ws = {w.address.rsplit(".", 1)[1]: w for w in _weights_of(cat, party)}
    for j, iid in enumerate(e.order):
        if iid not in ws:
            c.add((*path, "order", j), f"{party} has no weight on '{iid}'",
                  hint=did_you_mean(iid, list(ws), what="issue"))  # fmt: skip
            return
    if len(set(e.order)) != len(e.order):
        c.add((*path, "order"), "an issue appears twice in the order", hint="list each once")
        return
    vals = [ws[i].value for i in e.order]
    if any(a < b for a, b in itertools.pairwise(vals)):
        c.add((*path, "order"), f"the stated weights of {party} ("
              + ", ".join(f"{i} {v:g}" for i, v in zip(e.order, vals, strict=True))
              + ") do not follow this order", hint="reorder the list, or change the weights")  # fmt: skip
        return
    varied = {x.of for x in items} | ({f"{party}.weight.{i}" for i in ws}
                                       if any(x.of == e.of and x.dirichlet for x in items)
                                       else set())  # fmt: skip
    if not any(f"{party}.weight.{i}" in varied for i in e.order):
        c.add((*path, "order"), f"none of these weights of {party} varies",
              hint=f"vary them (range, or of: {party}.weights with dirichlet) for the order "
              "to constrain anything")  # fmt: skip


def resolve_uncertainty(
    doc: ScenarioDocument, entries: Sequence[UncertaintyEntry] | None = None
) -> Uncertainty:
    """The varied numbers of a checked section (``entries``, default the file's own).

    With no section at all, :func:`default_uncertainty` applies.
    """
    items = doc.uncertainty if entries is None else entries
    if items is None:
        return default_uncertainty(doc)
    cat = _catalogue(doc)
    out: list[Varied] = []
    swaps: list[tuple[str, int]] = []
    orders: list[tuple[tuple[str, float], ...]] = []
    for e in items:
        if e.order is not None:
            party = e.of.removesuffix(".weights")
            adds = [f"{party}.weight.{i}" for i in e.order]
            orders.append(tuple((a, cat[a].value) for a in adds))
        elif e.swaps is not None:
            swaps.append((e.of.removeprefix("conflict.preferences."), e.swaps))
        elif e.dirichlet is not None:
            party = e.of.removesuffix(".weights")
            for w in _weights_of(cat, party):
                if w.value > 0:
                    out.append(Varied(w.address, "weight", party, w.value, 0.0,
                                      sum(x.value for x in _weights_of(cat, party)),
                                      "dirichlet", group=party, kappa=float(e.dirichlet)))  # fmt: skip
        else:
            n = cat[e.of]
            lo, hi = e.value_bounds() or (n.value, n.value)
            scale = None if e.scale is None else (float(e.scale[0]), float(e.scale[1]))
            own = e.range or e.triangular or e.normal or e.lognormal
            meas = None if scale is None or own is None else tuple(float(x) for x in own)
            kind: Distribution = (
                "triangular" if e.triangular is not None else "normal" if e.normal is not None
                else "lognormal" if e.lognormal is not None else "uniform"
            )  # fmt: skip
            out.append(Varied(n.address, n.kind, n.party, n.value, lo, hi, kind, mode=e.mode,
                              scale=scale, measurement=meas))  # fmt: skip
    return Uncertainty(tuple(out), tuple(swaps), orders=tuple(orders))


def default_uncertainty(doc: ScenarioDocument) -> Uncertainty:
    """The stated default (:data:`DEFAULT_RULE`): every assumed number, uniform around it.

    Weights and values vary by +/-50 % of their estimate (a zero stays zero), reservations
    by +/-0.1 and firmness by +/-2, each clipped to its domain.
    """
    out = []
    for n in numbers(doc):
        if not n.assumed:
            continue
        if n.kind in ("weight", "value"):
            lo, hi = 0.5 * n.value, 1.5 * n.value
        elif n.kind == "reservation":
            lo, hi = n.value - 0.1, n.value + 0.1
        else:
            lo, hi = n.value - 2.0, n.value + 2.0
        lo, hi = max(lo, n.lo), hi if n.hi is None else min(hi, n.hi)
        if hi > lo:
            out.append(Varied(n.address, n.kind, n.party, n.value, lo, hi))
    return Uncertainty(tuple(out), default=True, notes=(DEFAULT_RULE,))


def load_uncertainty(path: str | Path, doc: ScenarioDocument) -> tuple[UncertaintyEntry, ...]:
    """Read an ``uncertainty:`` section from another file and check it against ``doc``.

    Raises :class:`ScenarioError` with problems located in that file.
    """
    from detente.scenario.reading.pydantic_problems import validation_problems
    from detente.scenario.reading.yaml_reader import parse

    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ScenarioError(
            [
                Problem(
                    f"cannot read the uncertainty file: {err.strerror or err}",
                    (),
                    name,
                    hint="check the path given to --uncertainty",
                )
            ]
        ) from None
    pos = Locations()
    data: Any = parse(text, name, pos)
    if not isinstance(data, dict) or "uncertainty" not in data:
        raise ScenarioError(
            [
                Problem(
                    "the file has no top-level 'uncertainty' section",
                    (),
                    name,
                    1,
                    1,
                    "uncertainty: [{of: party.reservation, range: [lo, hi]}, ...]",
                    "write the entries under a key 'uncertainty:'",
                )
            ]
        )
    try:
        entries = _File.model_validate(data).uncertainty
    except ValidationError as err:
        raise ScenarioError(validation_problems(err, data, name, pos)) from None
    c = Collector(name, pos)
    check_uncertainty(c, doc, entries)
    if c.problems:
        raise ScenarioError(sorted(c.problems, key=lambda p: (p.line or 0, p.column or 0)))
    return entries
