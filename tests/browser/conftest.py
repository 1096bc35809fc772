"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server.

They run when chromium is installed and are skipped with a clear reason otherwise; CI sets
KIZUNA_REQUIRE_BROWSER=1 so that a missing browser fails instead.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("KIZUNA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("KIZUNA_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"KIZUNA_REQUIRE_BROWSER is set but chromium was not found at {CHROMIUM}")
    skip = pytest.mark.skip(reason="browser tests skipped: chromium is not installed (apt-get install -y chromium)")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="package")
def browser():
    """One chromium for the browser tests, stopped after the last of them.

    While Playwright's sync API is started it keeps an event loop running in this thread, so Django takes
    the tests' own (synchronous) ORM calls for calls from async code and refuses them. The guard is lifted
    for exactly that time: the other tests of the session keep Django's protection.
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                      "--no-first-run", "--disable-component-update", "--disable-sync"],
            )
            yield browser
            browser.close()


def _open_page(browser, base_url):
    """A fresh browser context (its own cookies) in Japanese; console errors and uncaught page errors
    (CSP violations show up there) are collected in `page.console_errors`."""
    context = browser.new_context(base_url=base_url, locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    return page


@pytest.fixture
def page(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    page = _open_page(browser, live_server.url)
    yield page
    page.context.close()


@pytest.fixture
def new_page(browser, live_server):
    """Opens further browsers (each with its own cookies), e.g. the member's phone or HR's desk."""
    pages = []

    def open_page():
        pages.append(_open_page(browser, live_server.url))
        return pages[-1]

    yield open_page
    for page in pages:
        page.context.close()


@pytest.fixture
def admin_page(new_page, admin_user, password):
    """A second browser, signed in as the admin through the TOTP step."""
    from .journeys import log_in_with_totp

    page = new_page()
    log_in_with_totp(page, admin_user, password)
    return page
