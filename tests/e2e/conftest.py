"""Browser fixtures for the end-to-end tests: Debian's Chromium driven by pip's playwright.

The browser is the system one (`scripts/install-browser` installs it); `playwright install` is
never used. If Chromium cannot start, the tests FAIL with the reason: the annotator's path is
the product, so a missing browser is a broken setup, not a reason to skip.

On a failing test the page's screenshot and HTML go to test-artifacts/ (git-ignored), so a
broken CI run can be looked at.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PEACETALKS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Headless and quiet: no GPU, no calls home (there is no internet), no first-run UI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item so fixtures can tell, at teardown, that a test failed.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory) -> Iterator:
    """One headless Chromium with a fresh user-data dir for the session."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - dev dependency missing
        pytest.fail(f"playwright is not installed in this environment ({exc}); run `uv sync`")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run scripts/install-browser "
            "(or set PEACETALKS_CHROMIUM to a Chromium executable)"
        )
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        try:
            context = pw.chromium.launch_persistent_context(
                str(profile),
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=VIEWPORT,
                locale="en-US",
            )
        except PlaywrightError as exc:
            pytest.fail(f"Chromium at {CHROMIUM} could not start: {exc.message.splitlines()[0]}")
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context, request) -> Iterator:
    """A fresh tab; on failure its screenshot and HTML are kept in test-artifacts/."""
    tab = browser_context.new_page()
    try:
        yield tab
    finally:
        failed = any(
            getattr(request.node, f"rep_{when}", None) is not None
            and getattr(request.node, f"rep_{when}").failed
            for when in ("setup", "call")
        )
        if failed or os.environ.get("PEACETALKS_E2E_SCREENSHOTS"):
            save_artifacts(tab, request.node.nodeid)
        tab.close()


def save_artifacts(tab, nodeid: str) -> list[Path]:
    """Screenshot (full page) + HTML of `tab`, named after the test."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    png, html = ARTIFACTS / f"{stem}.png", ARTIFACTS / f"{stem}.html"
    written = []
    try:
        tab.screenshot(path=str(png), full_page=True)
        written.append(png)
        html.write_text(tab.content(), encoding="utf-8")
        written.append(html)
    except Exception as exc:  # a dead page must not hide the test's own failure
        print(f"could not save browser artifacts for {nodeid}: {exc}")
    for path in written:
        print(f"browser artifact: {path}")
    return written


class Laps:
    """Wall time of each step of a browser test, printed as it ends (in the CI log even when a
    later step fails) and kept in `timings` for the test's summary line."""

    def __init__(self, capsys, digits: int = 2) -> None:
        self.capsys, self.digits = capsys, digits
        self.timings: dict[str, float] = {}
        self.restart()

    def restart(self) -> None:
        self.clock = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self.clock, self.digits)
        self.clock = now
        with self.capsys.disabled():
            print(f"\n[browser e2e] {name}: {self.timings[name]} s", flush=True)


@pytest.fixture
def lap(capsys) -> Laps:
    return Laps(capsys)
