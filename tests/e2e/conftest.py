"""End-to-end tests: Playwright drives Debian's Chromium against the live test server.

Where Chromium is missing they skip, except when KIBER_REQUIRE_E2E=1 (CI), where they fail.
"""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("KIBER_REQUIRE_E2E") == "1":
            pytest.fail("Chromium is required for the end-to-end tests (KIBER_REQUIRE_E2E=1)")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    # launch() gives every run a fresh, temporary profile (the --user-data-dir of the guidelines).
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, locale="lv-LV")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
