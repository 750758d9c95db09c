"""Plain-language text of a robustness run: what survives the assumptions, and what not.

One paragraph per conclusion, most telling first: whether it holds at the estimates,
in what share of the draws (with its 95 % interval), whether that is assumption-free,
the smallest change found to reverse it (exact or an upper bound) and the number it
hinges on most (the tornado's top bar). Then the bottom line: which conclusions are
assumption-free, which robust, which hinge on one number. Rendering only.
"""

from __future__ import annotations

from collections.abc import Mapping

from detente.robustness.results import ConclusionResult, Flip, RobustnessResult

__all__ = ["bottom_line", "conclusion_name", "robustness_text", "say_number"]

ROBUST = 0.95  # support at or above which a conclusion is called robust


def say_number(address: str, names: Mapping[str, str] | None = None) -> str:
    """``israel.reservation`` -> "Israel's reservation" (readable name of a varied number)."""
    parts = address.split(".")
    who = (names or {}).get(parts[0], parts[0])
    if parts[1:] == ["reservation"]:
        return f"{who}'s reservation"
    if len(parts) == 3 and parts[1] == "weight":
        return f"{who}'s weight on {parts[2]}"
    if len(parts) == 4 and parts[1] == "value":
        return f"{who}'s value of {parts[2]}={parts[3]}"
    if len(parts) == 3 and parts[1] == "firmness":
        return f"the firmness of {who}'s {parts[2]}"
    return address


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _span(lo: float, hi: float) -> str:
    return f"{100 * lo:.1f}-{100 * hi:.1f} %"


def _flip_phrase(f: Flip, names: Mapping[str, str] | None, estimates: Mapping[str, float]) -> str:
    if f.exact and f.norm == "linf" and f.distance < 1e-6:
        who = " and ".join(say_number(a, names) for a in f.changes)
        return f"any rise of {who} (it holds only on the boundary; exact)"
    moves = []
    for a, v in f.changes.items():
        e = estimates.get(a)
        if e is None:
            moves.append(f"{say_number(a, names)} at {v:.4g}")
        else:
            verb = "rising" if v > e else "falling"
            moves.append(f"{say_number(a, names)} {verb} by {abs(v - e):.3g} to {v:.4g}")
    how = "exact" if f.exact else "an upper bound: a reversing draw, shrunk"
    return f"{'; '.join(moves) or 'no listed change'} ({how})"


def _conclusion(
    c: ConclusionResult, n: int, names: Mapping[str, str] | None, est: Mapping[str, float]
) -> str:
    share = f"{_pct(c.support)} of {n:,} draws (95 % CI {_span(c.ci[0], c.ci[1])})"
    if c.kind == "zopa":
        head = (f"A deal exists in {share}" if c.holds else
                f"No deal in {_pct(1 - c.support)} of {n:,} draws "
                f"(95 % CI {_span(1 - c.ci[1], 1 - c.ci[0])})")  # fmt: skip
    elif c.kind == "gap":
        head = f"Gap {c.text}: still a minimal conflict in {share}"
    elif c.kind == "bridge":
        head = f"Cheapest bridge: relax {c.value}; stays cheapest in {share}"
    elif c.kind == "deal":
        head = (
            f"{'Nash' if c.id == 'nash-deal' else 'Egalitarian'} deal: {c.value}; same in {share}"
        )
    else:
        head = f"{c.text.capitalize()}"
    lines = [head + "."]
    if c.assumption_free:
        if c.kind == "gap":
            lines.append("It rests on red lines only: no assumption changes it.")
        elif c.kind == "equilibrium":
            pass
        else:
            lines.append("No varied number changes it (assumption-free).")
        return " ".join(lines)
    if c.verdict is not None:
        lines.append(f"Over the stated ranges: {c.verdict}.")
    if c.flip is not None:
        verb = "close" if c.kind == "zopa" and c.holds else "reverse"
        if c.kind == "zopa" and not c.holds:
            verb = "open one"
        lines.append(f"It would take {_flip_phrase(c.flip, names, est)} to {verb}.")
    elif c.nearest_draw is not None:
        lines.append(f"Nearest reversing draw: {_flip_phrase(c.nearest_draw, names, est)}.")
    crit = c.critical
    if crit is not None:
        lines.append(
            f"Most critical: {say_number(crit.address, names)} (holds for "
            f"[{crit.lo:.4g}, {crit.hi:.4g}] of [{crit.range[0]:.4g}, {crit.range[1]:.4g}], "
            f"estimate {crit.estimate:.4g})."
        )
    if c.acceptability and len(c.acceptability) > 1:
        alts = ", ".join(
            f"{v.value} {_pct(v.share)}"
            + (f" (confidence {_pct(v.confidence)})" if v.confidence is not None else "")
            for v in c.acceptability[:4]
        )
        lines.append(f"Acceptability: {alts}.")
    return " ".join(lines)


_NAMED = {
    "cheapest-bridge": "the cheapest bridge",
    "nash-deal": "the Nash deal",
    "egalitarian-deal": "the egalitarian deal",
}


def conclusion_name(c: ConclusionResult, names: Mapping[str, str] | None = None) -> str:
    """A conclusion as a reader says it: "no deal", "the clash A vs B", "the Nash deal"."""
    if c.id == "zopa-nonempty":
        return "a deal" if c.holds else "no deal"
    if c.id.startswith("gap:"):
        return "the clash " + " vs ".join(_demand(k, names) for k in c.id[4:].split("+"))
    if c.id.endswith("-deal") and c.value in (None, "none"):
        return "no " + _NAMED.get(c.id, c.id).removeprefix("the ")
    return _NAMED.get(c.id, c.id)


def _demand(key: str, names: Mapping[str, str] | None) -> str:
    who, _, what = key.partition("/")
    who = (names or {}).get(who, who)
    return f"{who}'s reservation" if what == "reservation" else f"{who}: {what}"


def bottom_line(r: RobustnessResult, names: Mapping[str, str] | None = None) -> str:
    """One paragraph: assumption-free, robust, and hinging conclusions."""
    real = [c for c in r.conclusions if c.kind != "equilibrium"]
    free = [conclusion_name(c, names) for c in real if c.assumption_free]
    robust = [
        conclusion_name(c, names) for c in real if not c.assumption_free and c.support >= ROBUST
    ]
    fragile = [c for c in real if not c.assumption_free and c.support < ROBUST]
    eq = [c for c in r.conclusions if c.kind == "equilibrium"]
    out = []
    if free:
        out.append(f"Assumption-free: {'; '.join(free)}.")
    if robust:
        out.append(f"Robust (>= {_pct(ROBUST)} of draws): {'; '.join(robust)}.")
    if fragile:
        hinge = []
        for c in fragile:
            crit = c.critical
            on = f", hinges on {say_number(crit.address, names)}" if crit else ""
            hinge.append(f"{conclusion_name(c, names)} ({_pct(c.support)}{on})")
        out.append(f"Fragile: {'; '.join(hinge)}.")
    if eq and all(c.assumption_free for c in eq):
        out.append(f"{len(eq)} GMCR equilibria: no number moves them.")
    elif eq:
        weakest = min(eq, key=lambda c: (c.support, c.id))
        out.append(
            f"{len(eq)} GMCR equilibria under the sampled preference swaps; the least robust, "
            f"{weakest.id}, holds in {_pct(weakest.support)} of draws."
        )
    return " ".join(out)


def robustness_text(r: RobustnessResult, names: Mapping[str, str] | None = None) -> str:
    """The whole text report of a robustness run."""
    head = (
        f"Robustness of {r.title} ({r.scenario}): {r.completed:,} draws, seed {r.seed}"
        + (f" (interrupted: {r.completed:,} of {r.draws:,})" if r.interrupted else "")
        + f"; {len(r.varied)} assumed numbers vary."
    )
    paras = [head]
    paras += [f"Note: {n}" for n in r.notes]
    paras.append("Bottom line: " + bottom_line(r, names))
    shown = [c for c in r.conclusions if c.kind != "equilibrium"]
    est = {str(v["of"]): float(v["estimate"]) for v in r.varied}
    for c in shown:
        paras.append("- " + _conclusion(c, r.completed, names, est))
    eq = [c for c in r.conclusions if c.kind == "equilibrium"]
    if eq:
        said = []
        for c in eq:
            name = c.id.split(":", 1)[1]
            if c.flip is None:
                said.append(f"{name} (more than the swaps searched)")
            else:
                (who,) = c.flip.changes
                dm = who.removeprefix("conflict.preferences.")
                n = int(c.flip.distance)
                said.append(f"{name} ({n} swap{'s' if n != 1 else ''} of {dm})")
        paras.append(
            "- Equilibria rest on the preference orderings, which no varied number moves. "
            "Fewest adjacent swaps in one decision maker's ranking of states that remove "
            "each: " + ", ".join(said) + "."
        )
        sampled = [c for c in eq if not c.assumption_free]
        if sampled:
            paras.append(
                "- Under the sampled preference swaps: "
                + ", ".join(
                    f"{c.id.split(':', 1)[1]} holds in {_pct(c.support)} "
                    f"(95 % CI {_span(c.ci[0], c.ci[1])})"
                    for c in sampled
                )
                + "."
            )
    return "\n\n".join(paras)
