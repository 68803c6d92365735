"""One language per page in a real browser: an English browser reads German pages as German,
the switch says what it switches, and the 404 page is the site's own, at phone width."""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import browser_page
from tests.e2e.test_signin_browser import assert_fits, serious_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 360, "height": 780}


@pytest.fixture
def english_browser(browser, live_server):
    """A page in a browser whose language is English (Accept-Language: en-US)."""
    with browser_page(browser, live_server, "en-US") as page:
        yield page


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)


def _font_px(locator) -> float:
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def test_an_english_browser_reads_german_until_the_reader_switches(
    english_browser, demo, screenshot, axe_source
):
    page = english_browser
    page.set_viewport_size(PHONE)
    page.goto("/")

    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("button", name="Suche", exact=True).count() == 1
    hint = page.get_by_text("Bedienoberfläche auf Englisch (Inhalte bleiben Deutsch)")
    assert hint.is_visible()
    assert _font_px(hint) >= 12
    assert_fits(page, 360, "the German home page")
    assert serious_violations(page, axe_source) == []
    screenshot(page, "language-switch-de-360")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main").get_attribute("lang") == "de"
    assert page.get_by_role("button", name="Search", exact=True).count() == 1
    assert page.get_by_text("Interface in German").is_visible()
    assert_fits(page, 360, "the home page with English labels")
    assert serious_violations(page, axe_source) == []
    screenshot(page, "language-switch-en-360")


def test_the_404_page_has_the_frame_a_search_and_the_contacts_at_360_px(
    page, demo, screenshot, axe_source
):
    page.set_viewport_size(PHONE)
    response = page.goto("/gibt-es-nicht/")

    assert response.status == 404
    assert page.get_by_role("heading", level=1, name="Seite nicht gefunden").is_visible()
    assert page.locator(".contact-list .contact").count() >= 1
    assert_fits(page, 360, "the 404 page")
    assert serious_violations(page, axe_source) == []
    screenshot(page, "404-360")

    page.locator("#error-search").fill("Adobe")
    page.locator("#error-search").press("Enter")
    page.wait_for_url("**/suche/?q=Adobe")
    assert page.get_by_role("heading", level=1, name="Suche").is_visible()


def test_the_500_page_keeps_the_look_of_the_site_at_360_px(
    page, demo, screenshot, axe_source, monkeypatch
):
    from vitrine.portal.models import HomePage

    def fail(*args, **kwargs):
        raise RuntimeError("the home page broke")

    monkeypatch.setattr(HomePage, "get_context", fail)
    page.set_viewport_size(PHONE)
    response = page.goto("/")

    assert response.status == 500
    assert page.get_by_role("heading", level=1, name="Etwas ist schiefgegangen").is_visible()
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.get_by_role("link", name="Wenn es wieder passiert: Ihre Ansprechpartner").count()
    assert_fits(page, 360, "the 500 page")
    assert serious_violations(page, axe_source) == []
    screenshot(page, "500-360")
