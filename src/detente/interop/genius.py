"""Import GENIUS / ANAC negotiation domains (XML) as detente scenarios.

A GENIUS domain is one XML file listing the issues (discrete with items, or integer with
bounds) and one utility-profile XML file per party with issue weights, evaluations and a
reservation value. GENIUS's additive utility is ``sum_k w_k e_k(x_k)`` where a discrete
issue's evaluation is its ``evaluation`` number divided by the largest of that issue, and
an integer issue's linear evaluator is ``clip(slope * (x - lowerbound) + offset, 0, 1)``
(Baarslag et al., GENIUS documentation; Lin et al. 2014, "Genius: an integrated
environment for supporting the design of generic automated negotiators").

detente rescales each party's utility so its worst outcome is 0 and its best 1
(DESIGN.md); the profile's reservation value is mapped onto that scale by the same affine
map, so the ZOPA and the Pareto frontiers are the same as GENIUS's, and so are the Nash
and Kalai-Smorodinsky points (invariant under positive affine rescaling) whenever the
reservation lies within the party's range of utilities. A reservation below the party's
worst outcome (GENIUS's default of 0 often is) is raised to that worst outcome, since
detente's reservations live on [0, 1]: nothing changes for the ZOPA or the frontiers, but
the disagreement point of Nash and Kalai-Smorodinsky moves up to the worst outcome, which
can change those points (the rationale of each imported reservation says when this
happened). Discount factors have no counterpart in a static analysis and are reported,
not applied.

The XML is parsed with the standard library's expat, whose entity-expansion limits stop
"billion laughs" documents; anything malformed becomes a located ScenarioError.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.errors import Problem, ScenarioError
from detente.scenario.checked import Scenario

__all__ = [
    "GeniusProfile",
    "read_domain",
    "read_profile",
    "genius_to_document",
    "find_genius_files",
    "load_genius",
    "dump_yaml",
]


@dataclass(frozen=True)
class _Issue:
    name: str
    kind: str  # discrete | integer
    items: tuple[str, ...] = ()
    lo: int = 0
    hi: int = 0


@dataclass(frozen=True)
class GeniusProfile:
    """One party's GENIUS utility profile, as written in its XML file."""

    path: str
    weights: dict[str, float]
    evaluations: dict[str, dict[str, float]]  # discrete issue -> item -> raw evaluation
    linear: dict[str, tuple[float, float]]  # integer issue -> (slope, offset)
    reservation: float
    discount: float | None


# a profile's weights and evaluations are the domain's own data, not the analyst's
_FROM_PROFILE = {"basis": "reported", "source": "genius"}


def _xml(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as err:
        line, col = err.position
        raise ScenarioError(
            [
                Problem(
                    f"not valid XML: {err}",
                    (),
                    str(path),
                    line,
                    col + 1,
                    hint="is this a GENIUS XML file?",
                )
            ]
        ) from None
    except OSError as err:
        raise ScenarioError([Problem(f"cannot read: {err.strerror}", (), str(path))]) from None


def _issues(root: ET.Element, path: Path) -> list[_Issue]:
    out = []
    for el in root.iter("issue"):
        name = el.get("name")
        kind = (el.get("type") or el.get("etype") or "discrete").lower()
        if not name:
            raise ScenarioError([Problem("an <issue> has no name", (), str(path))])
        if kind == "integer":
            try:
                lo, hi = int(el.get("lowerbound", "")), int(el.get("upperbound", ""))
            except ValueError:
                raise ScenarioError(
                    [
                        Problem(
                            f"integer issue '{name}' needs whole-number lowerbound and upperbound",
                            (),
                            str(path),
                        )
                    ]
                ) from None
            out.append(_Issue(name, "integer", lo=lo, hi=hi))
        elif kind == "discrete":
            items = tuple(i.get("value", "") for i in el.iter("item"))
            if not items:
                raise ScenarioError(
                    [Problem(f"discrete issue '{name}' has no <item>", (), str(path))]
                )
            out.append(_Issue(name, "discrete", items=items))
        else:
            raise ScenarioError(
                [
                    Problem(
                        f"issue '{name}' is of GENIUS type '{kind}', which detente does not import",
                        (),
                        str(path),
                        expected="discrete or integer issues",
                        hint="real-valued issues must be discretised first",
                    )
                ]
            )
    if not out:
        raise ScenarioError(
            [
                Problem(
                    "no <issue> elements found", (), str(path), hint="is this a GENIUS domain file?"
                )
            ]
        )
    return out


def read_domain(path: str | Path) -> list[_Issue]:
    """Issues of a GENIUS domain file, in file order."""
    p = Path(path)
    return _issues(_xml(p), p)


def read_profile(path: str | Path) -> GeniusProfile:
    """Weights, evaluations and reservation of a GENIUS utility profile file."""
    p = Path(path)
    root = _xml(p)
    issues = _issues(root, p)
    index_name = {}
    for el in root.iter("issue"):
        index_name[el.get("index")] = el.get("name", "")
    weights: dict[str, float] = {}
    for w in root.iter("weight"):
        name = index_name.get(w.get("index"))
        if name is None:
            raise ScenarioError(
                [Problem(f"<weight index={w.get('index')!r}> matches no issue", (), str(p))]
            )
        weights[name] = float(w.get("value", "0"))
    evaluations: dict[str, dict[str, float]] = {}
    linear: dict[str, tuple[float, float]] = {}
    for el, issue in zip(root.iter("issue"), issues, strict=True):
        if issue.kind == "discrete":
            evaluations[issue.name] = {
                i.get("value", ""): float(i.get("evaluation", "0")) for i in el.iter("item")
            }
        else:
            ev = el.find("evaluator")
            if ev is None or (ev.get("ftype") or "linear") != "linear":
                raise ScenarioError(
                    [
                        Problem(
                            f"integer issue '{issue.name}' needs a linear <evaluator>", (), str(p)
                        )
                    ]
                )
            linear[issue.name] = (float(ev.get("slope", "0")), float(ev.get("offset", "0")))
    res = root.find("reservation")
    disc = root.find("discount_factor")
    return GeniusProfile(
        str(p),
        weights,
        evaluations,
        linear,
        float(res.get("value", "0")) if res is not None else 0.0,
        float(disc.get("value", "0")) if disc is not None else None,
    )


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower() or "x"
    if not base[0].isalpha():
        base = "v_" + base
    base = base[:60]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    taken.add(slug)
    return slug


def _linear_points(lo: int, hi: int, slope: float, offset: float) -> list[list[float]]:
    """Points of clip(slope*(x-lo)+offset, 0, 1) on [lo, hi], kinks included."""

    def f(x: float) -> float:
        return min(1.0, max(0.0, slope * (x - lo) + offset))

    xs = {float(lo), float(hi)}
    if slope != 0:
        for level in (0.0, 1.0):
            k = lo + (level - offset) / slope
            if lo < k < hi:
                xs.add(k)
    # detente curves take integer x; a kink between integers is kept exact by its
    # neighbouring integers, since the curve is linear between them on each side
    ints = sorted({int(x) for x in xs} | {int(x) + 1 for x in xs if lo <= int(x) + 1 <= hi})
    return [[x, f(x)] for x in ints if lo <= x <= hi]


def genius_to_document(
    domain: str | Path,
    profiles: list[str | Path],
    *,
    party_names: list[str] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """A detente scenario document (plain dict) for a GENIUS domain and its profiles."""
    dom_path = Path(domain)
    issues = read_domain(dom_path)
    profs = [read_profile(p) for p in profiles]
    if len(profs) < 2:
        raise ScenarioError(
            [Problem("a negotiation needs at least two profiles", (), str(dom_path))]
        )
    taken: set[str] = set()
    issue_id = {i.name: _slug(i.name, taken) for i in issues}
    item_id: dict[str, dict[str, str]] = {}
    doc_issues: list[dict[str, Any]] = []
    for i in issues:
        if i.kind == "integer":
            doc_issues.append(
                {"id": issue_id[i.name], "label": i.name, "kind": "integer", "range": [i.lo, i.hi]}
            )
        else:
            opts_taken: set[str] = set()
            item_id[i.name] = {it: _slug(it, opts_taken) for it in i.items}
            doc_issues.append(
                {
                    "id": issue_id[i.name],
                    "label": i.name,
                    "kind": "choice",
                    "options": [{"id": item_id[i.name][it], "label": it} for it in i.items],
                }
            )
    names = party_names or [Path(p.path).stem for p in profs]
    ptaken: set[str] = set()
    parties, positions = [], {}
    for name, prof in zip(names, profs, strict=True):
        pid = _slug(name, ptaken)
        parties.append({"id": pid, "name": name, "role": "party"})
        priorities: dict[str, Any] = {}
        worst = best = 0.0
        for i in issues:
            w = prof.weights.get(i.name, 0.0)
            if i.kind == "integer":
                slope, offset = prof.linear[i.name]
                pts = _linear_points(i.lo, i.hi, slope, offset)
                vals = [v for _, v in pts]
                priorities[issue_id[i.name]] = {
                    "weight": w,
                    "values": pts,
                    **_FROM_PROFILE,
                }
            else:
                ev = prof.evaluations.get(i.name, {})
                top = max(ev.values(), default=0.0)
                norm = {it: (ev.get(it, 0.0) / top if top > 0 else 0.0) for it in i.items}
                vals = list(norm.values())
                priorities[issue_id[i.name]] = {
                    "weight": w,
                    "values": {item_id[i.name][it]: v for it, v in norm.items()},
                    **_FROM_PROFILE,
                }
            worst += w * min(vals)
            best += w * max(vals)
        scale = best - worst if best > worst else 1.0
        raw_r = (prof.reservation - worst) / scale
        r = min(1.0, max(0.0, raw_r))
        rationale = (
            f"GENIUS reservation {prof.reservation:g} on the raw scale [{worst:.6g}, {best:.6g}]"
        )
        if raw_r < 0:
            rationale += "; below the worst outcome, so raised to it (0 on detente's scale)"
        elif raw_r > 1:
            rationale += "; above the best outcome, so lowered to it (1 on detente's scale)"
        if prof.discount not in (None, 0.0, 1.0):
            rationale += f"; discount factor {prof.discount:g} not applied (static analysis)"
        positions[pid] = {
            "priorities": priorities,
            "reservation": {
                "value": r,
                "basis": "reported",
                "source": "genius",
                "rationale": rationale,
            },
        }
    sid = _slug(dom_path.stem, set())
    return {
        "id": sid,
        "title": title or f"GENIUS domain {dom_path.stem}",
        "description": f"Imported from GENIUS XML: {dom_path.name} with profiles "
        + ", ".join(Path(p.path).name for p in profs),
        "sources": [
            {
                "id": "genius",
                "title": f"GENIUS domain files {dom_path.name}",
                "publisher": "GENIUS / ANAC",
            }
        ],
        "parties": parties,
        "issues": doc_issues,
        "positions": positions,
    }


def find_genius_files(folder: str | Path) -> tuple[Path, list[Path]]:
    """The domain file and profile files of a GENIUS folder (profiles have weights)."""
    d = Path(folder)
    domain: Path | None = None
    profiles: list[Path] = []
    for p in sorted(d.glob("*.xml")):
        root = _xml(p)
        if root.find(".//weight") is not None:
            profiles.append(p)
        elif root.find(".//issue") is not None:
            domain = p
    if domain is None or len(profiles) < 2:
        raise ScenarioError(
            [
                Problem(
                    f"found {'a' if domain else 'no'} domain file and {len(profiles)} profile files",
                    (),
                    str(d),
                    expected="one GENIUS domain XML and at least two utility-profile XMLs",
                )
            ]
        )
    return domain, profiles


def dump_yaml(doc: dict[str, Any]) -> str:
    """The scenario document as YAML text (block style, key order kept)."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.default_flow_style = None
    yaml.width = 100
    buf = io.StringIO()
    yaml.dump(doc, buf)
    return buf.getvalue()


def load_genius(
    folder_or_domain: str | Path, profiles: list[str | Path] | None = None, **kwargs: Any
) -> Scenario:
    """Load a GENIUS domain as a validated :class:`Scenario`.

    Give a folder (the domain and profiles are found by content) or a domain file and
    its profile files. The document goes through the same checks as a scenario file.
    """
    from detente.scenario.loader import load_data

    src = Path(folder_or_domain)
    if profiles is None:
        domain, found = find_genius_files(src)
        profiles = list(found)
    else:
        domain = src
    doc = genius_to_document(domain, profiles, **kwargs)
    return load_data(doc, f"{domain} (imported)")
