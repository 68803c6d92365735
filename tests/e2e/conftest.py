"""Browser fixtures: Playwright driving Debian's Chromium against the live test server."""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            # All browser tests of a worker share one browser; keep them on one worker
            # (a module that names its own group, sharing something else, keeps it).
            if item.get_closest_marker("xdist_group") is None:
                item.add_marker(pytest.mark.xdist_group("browser"))


def _serialized_contents() -> dict:
    from django.db import connections

    return {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all()
        if hasattr(conn, "_test_serialized_contents")
    }


def _restore_serialized_contents(contents: dict) -> None:
    """Hand the migrations' serialized data to the connections seen inside Playwright.

    Playwright's sync API keeps an event loop running in the test thread; asgiref's Local
    then gives the ORM a different connection object than the one pytest-django stored the
    serialized test data on, and serialized_rollback would silently restore nothing.
    """
    from django.db import connections

    for alias, data in contents.items():
        connections[alias]._test_serialized_contents = data


@pytest.fixture(scope="session")
def browser(django_db_setup):
    executable = chromium_path()
    if executable is None:
        message = "Debian's chromium is not installed: the browser tests cannot run."
        if os.environ.get("CI") == "true":
            pytest.fail(message + " Under CI a missing browser is a failure.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    contents = _serialized_contents()
    with sync_playwright() as playwright:
        _restore_serialized_contents(contents)
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@contextmanager
def browser_page(browser, live_server, locale: str):
    """A page of a fresh browser context whose language is `locale` (its Accept-Language)."""
    context = browser.new_context(base_url=live_server.url, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server):
    with browser_page(browser, live_server, "de-DE") as page:
        yield page


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe_source() -> str:
    path = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        message = (
            "axe-core is not installed (run `npm install`): the accessibility check cannot run."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path.read_text()
