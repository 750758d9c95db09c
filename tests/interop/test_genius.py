"""GENIUS import against the GENIUS formula computed independently from the XML."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from detente.errors import ScenarioError
from detente.interop.genius import load_genius
from detente.space.utility import domains, utilities

ROOT = Path(__file__).resolve().parents[2]
GENIUS = Path(
    os.environ.get("DETENTE_GENIUS_DIR", ROOT.parent / "shared" / "data" / "genius-domains")
)
pytestmark = pytest.mark.skipif(not GENIUS.is_dir(), reason=f"GENIUS domains not found at {GENIUS}")

# outcome counts stated in shared/data/genius-domains/SOURCES.md
COUNTS = {
    "Travel": 188_160,
    "ItexvsCypressA": 180,
    "CameraB": 3_600,
    "group2-dinner": 1_200,
    "IntegerDomain": 121,
}


def _genius_utility(profile: Path, outcome: dict[str, object]) -> float:
    """GENIUS's own formula, straight from the profile XML."""
    root = ET.parse(profile).getroot()
    names = {el.get("index"): el.get("name") for el in root.iter("issue")}
    weights = {names[w.get("index")]: float(w.get("value", "0")) for w in root.iter("weight")}
    total = 0.0
    for el in root.iter("issue"):
        name = el.get("name")
        if el.get("type") == "integer":
            ev = el.find("evaluator")
            assert ev is not None
            x = int(outcome[name])  # type: ignore[call-overload]
            v = float(ev.get("slope")) * (x - int(el.get("lowerbound"))) + float(ev.get("offset"))
            total += weights[name] * min(1.0, max(0.0, v))
        else:
            evals = {i.get("value"): float(i.get("evaluation")) for i in el.iter("item")}
            total += weights[name] * evals[outcome[name]] / max(evals.values())
    return total


@pytest.mark.parametrize("folder", sorted(COUNTS))
def test_outcome_count_matches_sources(folder: str) -> None:
    s = load_genius(GENIUS / folder)
    assert math.prod(d.size for d in domains(s)) == COUNTS[folder]


@pytest.mark.parametrize("folder", sorted(COUNTS))
def test_utilities_are_affine_images_of_genius_utilities(folder: str) -> None:
    s = load_genius(GENIUS / folder)
    doms = domains(s)
    rng = np.random.default_rng(7)
    n = 200
    cols = {d.issue: rng.choice(d.codes(), size=n) for d in doms}
    profiles = sorted(
        p
        for p in (GENIUS / folder).glob("*.xml")
        if ET.parse(p).getroot().find(".//weight") is not None
    )
    for pid, prof in zip(s.bargainers, profiles, strict=True):
        ours = utilities(s)[pid](cols)
        theirs = []
        for row in range(n):
            outcome = {}
            for d, issue in zip(doms, s.issues, strict=True):
                code = int(cols[d.issue][row])
                label = issue.label or issue.id
                if d.kind == "choice":
                    outcome[label] = issue.options[code].label  # type: ignore[union-attr]
                else:
                    outcome[label] = code
            theirs.append(_genius_utility(prof, outcome))
        t = np.array(theirs)
        # affine with positive slope: fit on two distinct points, check all
        a, b = np.polyfit(t, ours, 1) if np.ptp(t) > 0 else (1.0, 0.0)
        assert a > 0
        np.testing.assert_allclose(ours, a * t + b, atol=1e-9)
        assert ours.min() >= -1e-12 and ours.max() <= 1 + 1e-12


def test_reservation_maps_onto_the_unit_scale() -> None:
    s = load_genius(GENIUS / "ItexvsCypressA")
    # GENIUS reservation 0.5 lies strictly inside each party's raw range, so it maps inside (0, 1)
    for pid in s.bargainers:
        r = s.positions[pid].reservation.value
        assert 0.0 < r < 1.0
        assert s.positions[pid].reservation.basis == "reported"


def test_bad_xml_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "d.xml").write_text("<utility_space><issue name='a'", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_genius(tmp_path / "d.xml", [tmp_path / "d.xml", tmp_path / "d.xml"])
    assert "not valid XML" in str(info.value)
    assert info.value.problems[0].line == 1


def test_cli_import_writes_a_loadable_scenario_and_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "camera.yaml"
    cmd = [
        sys.executable,
        "-m",
        "detente",
        "import-genius",
        str(GENIUS / "CameraB"),
        "-o",
        str(out),
    ]
    first = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    text = out.read_text(encoding="utf-8")
    second = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert second.returncode == 2
    assert "not overwriting" in second.stderr
    assert "Traceback" not in second.stderr
    assert out.read_text(encoding="utf-8") == text
    from detente import load

    assert len(load(out).issues) == 6


def test_a_clipped_reservation_says_so() -> None:
    # Travel's profiles give reservation 0, below every outcome's GENIUS utility
    s = load_genius(GENIUS / "Travel")
    for pid in s.bargainers:
        res = s.positions[pid].reservation
        assert res.value == 0.0
        assert res.rationale is not None and "below the worst outcome" in res.rationale
    # ItexvsCypressA's 0.5 lies inside the range: nothing to say
    itex = load_genius(GENIUS / "ItexvsCypressA")
    for pid in itex.bargainers:
        r = itex.positions[pid].reservation
        assert r.rationale is not None and "worst outcome" not in r.rationale
