"""The pages in a real browser (Debian's headless chromium through Playwright).

Every request that leaves 127.0.0.1 (other than ``data:`` and ``blob:``) is aborted and
fails the test; so does any uncaught page error. Screenshots go to the test's temporary
folder (and to ``$DETENTE_SCREENSHOTS`` when set). Skipped when chromium is missing
(``make browser`` installs it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright", reason="playwright is not installed (the dev extra)")

from playwright.sync_api import Page, expect
from tests.conftest import offline
from tests.web.conftest import CAIRO

RULE = "sequencing == 'living_first'"
BROKEN = "sequencing == 'living_firs'"
TIMEOUT = 20_000  # ms: a busy CI machine, not a speed claim (the benchmark measures)


@pytest.fixture(scope="module")
def tab(
    browser: Any, browser_context_args: dict[str, Any], served: str
) -> Iterator[tuple[Page, list[str], list[str]]]:
    """One tab for the module's tests, offline: requests leaving localhost are aborted
    and recorded, and so are page errors. One tab, not one per test: each new renderer
    compiles Plotly's 4.8 MB bundle again (about 2 s here); a tab that already ran it
    opens the next page with V8's compiled code."""
    context = browser.new_context(**browser_context_args)
    # the editor takes text as a paste (type_over): the page may use the clipboard
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served)
    page = context.new_page()
    outside, errors = offline(page, ("http://127.0.0.1", "data:", "blob:"))
    page.set_default_timeout(TIMEOUT)
    try:
        yield page, outside, errors
    finally:
        context.close()


@pytest.fixture
def guarded(tab: tuple[Page, list[str], list[str]]) -> Iterator[tuple[Page, list[str]]]:
    """The shared tab, on a blank page; each test fails on the requests that left
    localhost and the page errors recorded while it ran."""
    page, outside, errors = tab
    # nothing of the previous test runs on: a blank document, navigated to from the page
    # itself so that it stays in the tab's renderer (a browser-initiated about:blank
    # swaps it, and the next page compiles Plotly again: 3-4 s of CPU)
    page.evaluate("() => { location.href = 'about:blank'; }")
    page.wait_for_url("about:blank")
    outside.clear()
    errors.clear()
    expect.set_options(timeout=TIMEOUT)  # expect() has its own 5 s default otherwise
    try:
        yield page, errors
    finally:
        expect.set_options(timeout=None)
    assert outside == [], f"requests left localhost: {outside}"
    assert errors == [], f"page errors: {errors}"


def shot(page: Page, tmp_path: Path, name: str, **kw: Any) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), **kw)
    folder = os.environ.get("DETENTE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), **kw)


def type_over(page: Page, text: str) -> None:
    """Replace the editor's text as a user pasting it does (select all, Ctrl+V).

    A real paste from the clipboard, which CodeMirror takes as one transaction;
    ``keyboard.insert_text`` of the 36 kB file took 5-8 s of DOM input instead.
    """
    page.evaluate("t => navigator.clipboard.writeText(t)", text)
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+v")
    doc = "() => document.getElementById('editor').cmView.state.doc.toString()"
    assert page.evaluate(doc) == text  # the editor holds exactly the pasted text


def refreshed(page: Page) -> str:
    return str(page.locator("#main").get_attribute("data-refreshed") or "")


def wait_refresh(page: Page, before: str) -> float:
    """Seconds until the panels are redrawn after a change (the page's own count)."""
    t0 = time.perf_counter()
    page.wait_for_function(
        "b => document.getElementById('main').dataset.refreshed !== b && "
        "document.getElementById('status').classList.contains('ok')",
        arg=before,
    )
    return time.perf_counter() - t0


def test_editor_end_to_end(guarded: tuple[Page, list[str]], served: str, tmp_path: Path) -> None:
    page, _ = guarded
    text = CAIRO.read_text(encoding="utf-8")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}/#/edit?example=cairo-2024-05")
    expect(page.locator("#verdict")).to_contain_text("No deal")
    expect(page.locator("#deal-plot .main-svg").first).to_be_attached()
    expect(page.locator("#conflict-plot .main-svg").first).to_be_attached()

    # break a red line's rule: the error at its line, in the editor and in the list
    before = refreshed(page)
    type_over(page, text.replace(RULE, BROKEN))
    line = 1 + text[: text.index(RULE)].count("\n")
    expect(page.locator("#problems")).to_contain_text(f"line {line}")
    expect(page.locator("#problems")).to_contain_text("did you mean 'living_first'?")
    expect(page.locator("#status")).to_contain_text("1 problem")
    page.locator("#problems button").first.click()  # jumps to the line
    expect(page.locator(".cm-activeLine")).to_contain_text(BROKEN)
    # the editor marks it there (CodeMirror draws only the lines in view)
    expect(page.locator(".cm-lintRange-error").first).to_contain_text("living_firs")
    expect(page.locator(".cm-lint-marker-error").first).to_be_attached()
    shot(page, tmp_path, "error-at-line")

    # fix it: the bottom line and the plot come back (timed: edit to redrawn panels)
    type_over(page, text)
    seconds = wait_refresh(page, before)
    expect(page.locator("#verdict")).to_contain_text("No deal")
    expect(page.locator("#deal-plot .main-svg").first).to_be_attached()
    print(f"valid edit to refreshed bottom line and plots: {seconds:.2f} s")

    # relax the veto demand (and the no-permanent-cease-fire line), from the keyboard
    for key in ("hamas/choose-prisoners-without-veto", "israel/no-permanent-ceasefire"):
        before = refreshed(page)
        box = page.locator(f'[data-relax="{key}"]')
        box.focus()
        page.keyboard.press("Space")
        wait_refresh(page, before)
    expect(page.locator("#verdict")).to_contain_text("Deal space open: 143 outcomes")
    shot(page, tmp_path, "zopa-open", full_page=True)

    # the date slider: the analysis as of 7 May
    days = page.locator("#as-of")
    before = refreshed(page)
    days.fill(str((days.get_attribute("data-days") or "").split(",").index("2024-05-07")))
    expect(page.locator("#as-of-label")).to_have_text("2024-05-07")
    wait_refresh(page, before)
    expect(page.locator("#bottom-line")).to_contain_text("as of 2024-05-07")
    # what of the file is not in force that day, each a link to its line
    expect(page.locator("#left-out")).to_contain_text("from 2024-05-09")

    # robustness: a job with a progress bar
    page.locator("#robustness-run").click()
    status = page.locator("#robustness-status")
    expect(status).not_to_have_text("Starting…")
    expect(status).to_contain_text("Done")

    # simulation replay
    page.locator("#simulation-run").click()
    expect(page.locator("#simulation-status")).to_contain_text("gree")  # (no) agreement
    expect(page.locator("#replay-plot .main-svg").first).to_be_attached()
    page.locator("#replay-step").fill("0")
    expect(page.locator("#replay-label")).to_contain_text("1 of")

    # a tournament: progress, then the leaderboard
    page.locator("#tournament-run").click()
    expect(page.locator("#tournament-status")).to_contain_text("Done", timeout=60_000)
    expect(page.locator("#leaderboard")).to_contain_text("boulware")

    # download the report
    with page.expect_download() as dl:
        page.locator("#download-report").click()
    report = Path(dl.value.path())
    assert dl.value.suggested_filename == "cairo-2024-05-report.html"
    assert report.stat().st_size > 100_000
    assert "<html" in report.read_text(encoding="utf-8")[:2000].lower()
    shot(page, tmp_path, "editor-1280", full_page=True)


def test_library_save_and_phone_width(
    guarded: tuple[Page, list[str]], served: str, tmp_path: Path
) -> None:
    page, _ = guarded
    page.set_viewport_size({"width": 390, "height": 844})
    t0 = time.perf_counter()
    page.goto(f"{served}/")
    expect(page.locator("#examples")).to_contain_text("Cairo")
    page.keyboard.press("Tab")  # the first stop skips to the content
    assert page.evaluate("() => document.activeElement.className") == "skip"
    print(f"library page: {time.perf_counter() - t0:.2f} s")
    shot(page, tmp_path, "library-phone")
    page.locator("#new-scenario").click()  # a new file from the template
    expect(page.locator("#verdict")).to_be_visible()
    expect(page.locator("#file-name")).to_have_value("new-scenario.yaml")
    page.goto(f"{served}/")
    page.locator("#examples a", has_text="Cairo").click()
    expect(page.locator("#verdict")).to_be_visible()
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= 391, f"the page is {wide} px wide on a 390 px screen"
    shot(page, tmp_path, "editor-phone")

    # save under a new name; saving again asks, and keeps the previous version
    page.locator("#file-name").fill("my-cairo.yaml")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+s")  # from the keyboard, in the editor
    expect(page.locator("#save-status")).to_have_text("Saved.")
    page.once("dialog", lambda d: d.accept())
    page.locator("#save").click()
    expect(page.locator("#save-status")).to_contain_text("kept as version")
    page.once("dialog", lambda d: d.dismiss())
    page.locator("#save").click()
    expect(page.locator("#save-status")).to_contain_text("Not saved")
    page.goto(f"{served}/#/")
    expect(page.locator("#files")).to_contain_text("my-cairo.yaml")
    expect(page.locator("#files")).to_contain_text("1 earlier version")
