"""What a day's changes did to the analysis: the comparison of two consecutive days.

Compares two composite analyses (:mod:`detente.analysis.composite`) in the terms of the
bottom line: the ZOPA (empty or its size), the minimal conflicts (new, resolved,
unchanged, by their demand keys), the cheapest bridge, each proposal's acceptability
per party, and the GMCR equilibria per concept. States are compared as the sets of
options taken, so a state keeps its identity when an option appears (held at N before).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from detente.analysis.composite import Analysis
from detente.analysis.summary import Summary
from detente.results import frozen_mapping

__all__ = ["Effect", "Sanction", "compare", "sanctions", "state_options"]


@dataclass(frozen=True, eq=False)
class Effect:
    """How the analysis of one day differs from the day before (see the module docstring).

    ``changed`` is whether any of the compared conclusions differ. Equilibria are
    listed per concept as state strings of their own day (``gained`` in the new day's,
    ``lost`` in the old day's); ``reasons`` gives, for each state gained under GMR, SMR
    or SEQ, the sanctions that make it stable (under the first such concept).
    """

    changed: bool
    zopa_before: tuple[bool | None, int | None]
    zopa_after: tuple[bool | None, int | None]
    gaps_new: tuple[tuple[str, ...], ...]
    gaps_resolved: tuple[tuple[str, ...], ...]
    gaps_unchanged: tuple[tuple[str, ...], ...]
    bridge_before: tuple[str, ...] | None
    bridge_after: tuple[str, ...] | None
    proposals: Mapping[str, tuple[tuple[str, ...] | None, tuple[str, ...] | None]]
    equilibria_gained: Mapping[str, tuple[str, ...]]
    equilibria_lost: Mapping[str, tuple[str, ...]]
    reasons: Mapping[str, tuple[Sanction, ...]]

    @property
    def zopa_changed(self) -> bool:
        """Whether the ZOPA opened, closed or changed size."""
        return self.zopa_before != self.zopa_after

    @property
    def equilibria_changed(self) -> bool:
        """Whether any concept gained or lost an equilibrium."""
        return any(self.equilibria_gained.values()) or any(self.equilibria_lost.values())


def _options(a: Analysis) -> tuple[str, ...]:
    return a.conflict.stability.conflict.options if a.conflict is not None else ()


def state_options(a: Analysis, state: str) -> frozenset[str]:
    """The options taken (Y) in ``state``, a pattern of the day's conflict model."""
    return frozenset(o for o, ch in zip(_options(a), state, strict=False) if ch == "Y")


@dataclass(frozen=True)
class Sanction:
    """Why ``state`` is stable for ``dm`` under ``concept``: its move and the answer to it.

    ``move`` is the options ``dm`` would change (``+o`` takes option o, ``-o`` drops
    it); ``by`` the others' moves that sanction it, in order, each (mover, options).
    """

    concept: str
    state: str
    dm: str
    move: tuple[str, ...]
    by: tuple[tuple[str, tuple[str, ...]], ...]


def _toggled(options: tuple[str, ...], a: str, b: str) -> tuple[str, ...]:
    return tuple(
        ("+" if y == "Y" else "-") + o for o, x, y in zip(options, a, b, strict=False) if x != y
    )


def sanctions(a: Analysis, state: str, concept: str) -> tuple[Sanction, ...]:
    """Each improvement from ``state`` under ``concept`` and the moves that sanction it.

    From the GMCR certificates (:mod:`detente.conflict.certificates`); empty for Nash
    (no improvement exists at a Nash-stable state) or without a conflict section.
    """
    if a.conflict is None or concept == "nash":
        return ()
    st = a.conflict.stability
    pats = st.conflict.patterns()
    options = st.conflict.options
    out: list[Sanction] = []
    for dm in (d.party for d in st.conflict.decision_makers):
        cert = st.certificate(dm, state, concept)  # type: ignore[arg-type]
        for chk in cert.improvements:
            if not chk.blocked:
                continue
            s1 = pats[chk.improvement - 1]
            prev, by = s1, []
            for mv in chk.path:
                nxt = pats[mv.to - 1]
                by.append((mv.dm, _toggled(options, prev, nxt)))
                prev = nxt
            out.append(Sanction(concept, state, dm, _toggled(options, state, s1), tuple(by)))
    return tuple(out)


def _gaps(s: Summary) -> list[tuple[str, ...]]:
    return [tuple(sorted(g.demands)) for g in s.gaps]


def _rejected(s: Summary) -> dict[str, tuple[str, ...]]:
    return {p.id: p.rejected_by for p in s.proposals}


def compare(before: Analysis | None, after: Analysis) -> Effect:
    """The effect of moving from ``before`` (None: nothing yet) to ``after``."""
    sa = after.summary
    sb = before.summary if before is not None else None
    gb = _gaps(sb) if sb is not None else []
    ga = _gaps(sa)
    new = tuple(g for g in ga if g not in gb)
    resolved = tuple(g for g in gb if g not in ga)
    same = tuple(g for g in ga if g in gb)
    bb = sb.cheapest_bridge.relax if sb is not None and sb.cheapest_bridge else None
    ba = sa.cheapest_bridge.relax if sa.cheapest_bridge else None
    rb = _rejected(sb) if sb is not None else {}
    ra = _rejected(sa)
    props = {
        pid: (rb.get(pid), ra.get(pid))
        for pid in dict.fromkeys([*rb, *ra])
        if rb.get(pid) != ra.get(pid)
    }
    gained: dict[str, tuple[str, ...]] = {}
    lost: dict[str, tuple[str, ...]] = {}
    for c in dict.fromkeys([*(sb.equilibria if sb else {}), *sa.equilibria]):
        old = sb.equilibria.get(c, ()) if sb is not None else ()
        cur = sa.equilibria.get(c, ())
        old_sets = {state_options(before, x) for x in old} if before is not None else set()
        cur_sets = {state_options(after, x) for x in cur}
        gained[c] = tuple(x for x in cur if state_options(after, x) not in old_sets)
        lost[c] = tuple(
            x for x in old if before is not None and state_options(before, x) not in cur_sets
        )
    zb = (sb.zopa_empty, sb.zopa_size) if sb is not None else (None, None)
    za = (sa.zopa_empty, sa.zopa_size)
    changed = (
        zb != za
        or bool(new or resolved)
        or bb != ba
        or bool(props)
        or any(gained.values())
        or any(lost.values())
    )
    reasons: dict[str, tuple[Sanction, ...]] = {}
    for c in ("gmr", "smr", "seq"):
        for x in gained.get(c, ()):
            if x not in reasons:
                reasons[x] = sanctions(after, x, c)
    return Effect(
        changed=changed,
        zopa_before=zb,
        zopa_after=za,
        gaps_new=new,
        gaps_resolved=resolved,
        gaps_unchanged=same,
        bridge_before=bb,
        bridge_after=ba,
        proposals=frozen_mapping(props),
        equilibria_gained=frozen_mapping(gained),
        equilibria_lost=frozen_mapping(lost),
        reasons=frozen_mapping(reasons),
    )
