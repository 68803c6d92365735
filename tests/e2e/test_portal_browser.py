"""What a reader does with the mouse: News Flash, language switch, layouts, accessibility."""

import pytest
from django.core.management import call_command

from vitrine.portal.models import NewsFlash, NewsPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VIEWPORTS = {"desktop": (1440, 900), "phone": (360, 780)}


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)


def test_news_flash_can_be_dismissed_and_stays_dismissed(page, demo, screenshot):
    page.goto("/")
    flash = page.locator("aside.news-flash")
    assert flash.count() == 1
    assert flash.get_attribute("data-urgency") == "important"
    assert flash.is_visible()
    screenshot(page, "news-flash-before-dismiss")
    page.get_by_role("button", name="Ausblenden").click()
    assert not flash.is_visible()
    page.reload()
    assert page.locator("aside.news-flash").count() == 1  # still rendered by the server …
    assert not page.locator("aside.news-flash").is_visible()  # … but hidden for this reader
    page.goto(NewsPage.objects.live().first().url)
    assert not page.locator("aside.news-flash").is_visible()


def test_critical_news_flash_comes_back_on_the_next_page(page, demo):
    NewsFlash.objects.update(urgency="critical")
    page.goto("/")
    page.get_by_role("button", name="Ausblenden").click()
    assert not page.locator("aside.news-flash").is_visible()
    page.goto(NewsPage.objects.live().first().url)
    assert page.locator("aside.news-flash[data-urgency='critical']").is_visible()


def test_reader_switches_to_english(page, demo):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("button", name="Suche").count() == 1
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Search").count() == 1
    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"


def test_keyboard_reaches_the_skip_link_first(page, demo):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def _portal_urls():
    from vitrine.catalog.models import CatalogPage
    from vitrine.portal.models import HomePage, LifecyclePage

    return {
        "home": HomePage.objects.get().url,
        "news": NewsPage.objects.live().order_by("-date").first().url,
        "catalog": CatalogPage.objects.get().url,
        "lifecycle": LifecyclePage.objects.get().url,
    }


def test_screenshots_at_desktop_and_phone_width(page, demo, screenshot):
    urls = _portal_urls()
    for name in ("home", "catalog", "lifecycle"):
        for width, height in VIEWPORTS.values():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(urls[name])
            # Nothing may force the page wider than the screen.
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{name} at {width}px is {scroll_width}px wide"
            path = screenshot(page, f"{name}-{width}")
            assert path.stat().st_size > 5000


def test_no_serious_accessibility_violations(page, demo, axe_source):
    urls = _portal_urls()
    failures = []
    for name, url in urls.items():
        page.goto(url)
        # evaluate() runs through the DevTools protocol, so the page's CSP does not block it.
        page.evaluate(axe_source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',"
            " 'wcag21aa', 'best-practice']})"
        )
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                failures.append(f"{name}: {violation['id']} ({violation['impact']}) {targets}")
    assert not failures, "\n".join(failures)
