"""``detente report``: one self-contained HTML file, checked as text and in headless chromium.

The text checks run everywhere; the browser checks need Debian's chromium (``make
browser``) and are skipped with that hint when it is missing (tests/conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape as html_escape
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from tests.conftest import offline
from typer.testing import CliRunner

from detente.cli import app
from detente.cli.app import bundled_example
from detente.scenario import load

runner = CliRunner()
EXAMPLES = Path(bundled_example()).parent
ORDER = [
    "bottom-line",
    "scenario",
    "proposals",
    "deal",
    "gaps",
    "strategy",
    "timeline",
    "assumptions",
    "sources",
]


@pytest.fixture(scope="module")
def cairo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "cairo.html"
    result = runner.invoke(app, ["report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_sections_come_bottom_line_first_in_reading_order(cairo_report: Path) -> None:
    html = cairo_report.read_text(encoding="utf-8")
    ids = re.findall(r'<section id="([a-z-]+)"', html)
    assert [i for i in ids if i in ORDER] == ORDER
    assert cairo_report.stat().st_size < 5_000_000


def test_nothing_is_fetched_from_outside_the_file(cairo_report: Path) -> None:
    html = cairo_report.read_text(encoding="utf-8")
    # no script, style sheet, font, image or frame with an address
    assert not re.search(r"<(script|img|iframe|link|source|video|audio)\b[^>]*\b(src|href)=", html)
    assert "@import" not in html and not re.search(r"url\((?!data:)", html)


def test_every_assumed_item_is_listed_with_its_rationale(cairo_report: Path) -> None:
    html = cairo_report.read_text(encoding="utf-8")
    part = html.split('<section id="assumptions">', 1)[1].split("</section>", 1)[0]
    doc = load(bundled_example()).document
    assumed = [
        pr.rationale
        for pos in doc.positions.values()
        for pr in (*pos.priorities.values(), pos.reservation)
        if pr.basis != "reported"
    ]
    assert assumed, "the example has assumed priorities"
    for rationale in assumed:
        assert rationale is not None
        assert html_escape(rationale) in part
    # every firmness (an estimate even on a reported red line) is listed
    n_red = sum(len(p.red_lines) for p in doc.positions.values())
    assert part.count("firmness ") >= n_red


def test_an_existing_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "mine.html"
    out.write_text("a report I edited by hand", encoding="utf-8")
    result = runner.invoke(app, ["report", "-o", str(out), "--no-plots"])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert out.read_text(encoding="utf-8") == "a report I edited by hand"
    result = runner.invoke(app, ["report", "-o", str(out), "--no-plots", "--force"])
    assert result.exit_code == 0, result.output
    assert "<section" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("example", ["labour-2023.yaml", "climate-finance.yaml"])
def test_other_examples_render(tmp_path: Path, example: str) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(EXAMPLES / example), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<section id="bottom-line">' in html and out.stat().st_size < 5_000_000


# --- in a real browser ------------------------------------------------------------


class Drawn(NamedTuple):
    page: Any
    plots: int  # the .plot elements
    leaving: list[str]  # requests that tried to leave the file (aborted)
    errors: list[str]  # page and console errors, as they come


@pytest.fixture(scope="module")
def drawn(
    cairo_report: Path, browser: Any, browser_context_args: dict[str, Any]
) -> Iterator[Drawn]:
    """The Cairo report opened once, offline, with every plot drawn (about 5 s: Plotly's
    4.8 MB bundle unpacked and run); shared by the browser tests, which restore what
    they change."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    leaving, errors = offline(page, ("file:", "data:", "blob:"), console=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(cairo_report.as_uri())
    plots = page.locator(".plot").count()
    # every plot was decompressed and drawn by Plotly (an SVG inside each)
    page.wait_for_function(
        "n => document.querySelectorAll('.plot .main-svg').length >= n", arg=plots, timeout=30_000
    )
    try:
        yield Drawn(page, plots, leaving, errors)
    finally:
        context.close()


@pytest.mark.slow
def test_the_report_draws_offline_without_errors(drawn: Drawn, tmp_path: Path) -> None:
    page = drawn.page
    assert drawn.plots >= 2  # the deal space and the conflict graph
    assert drawn.leaving == [] and drawn.errors == []
    assert page.locator("#bottom-line").text_content()
    # JPEG: the page is about 20,000 px tall, and PNG-encoding it took a second more
    shot = tmp_path / "report.jpg"
    page.screenshot(path=str(shot), full_page=True, type="jpeg")
    assert shot.stat().st_size > 50_000  # a drawn page, not a blank one


@pytest.mark.slow
def test_the_report_prints_with_nothing_hidden(drawn: Drawn) -> None:
    page = drawn.page
    page.wait_for_function("document.querySelectorAll('.plot .main-svg').length >= 2")
    page.emulate_media(media="print")
    try:
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('main section, main table, main .plot')]
                  .filter(e => e.getBoundingClientRect().height === 0)
                  .map(e => e.id || e.className || e.tagName)"""
        )
        assert hidden == []
        closed = page.evaluate("() => document.querySelectorAll('details:not([open])').length")
        assert closed == 0
        pdf = page.pdf(format="A4")
    finally:
        page.emulate_media(media="null")  # the shared page is on screen again
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= len(ORDER) - 1
    assert drawn.leaving == [] and drawn.errors == []
