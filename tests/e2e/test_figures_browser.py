"""Figures in a real browser: the topic excerpts of the demo, the lifecycle's lead times and
the API's documentation page, each under the reader's Content-Security-Policy."""

import pytest
from django.core.management import call_command

from vitrine.excerpts.models import TopicExcerptPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VIEWPORTS = {"desktop": (1440, 900), "phone": (360, 780)}


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)


def watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_demo_excerpts_render_with_charts_and_meanings(page, demo, screenshot, axe_source):
    problems = watch(page)
    excerpts = list(TopicExcerptPage.objects.live().order_by("title"))
    assert {e.title for e in excerpts} == {
        "Adobe-Lizenzen",
        "Microsoft 365 und Cloud-Konten",
        "Software-Bereitstellung",
    }
    failures = []
    for excerpt in excerpts:
        for width, height in VIEWPORTS.values():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(excerpt.url)
            assert page.locator("svg").count() >= 1
            assert page.get_by_text("Was bedeutet das für Sie?").count() >= 1
            assert page.get_by_text("Woran wir noch arbeiten").count() >= 1
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{excerpt.slug} at {width}px is {scroll_width}px wide"
            screenshot(page, f"excerpt-{excerpt.slug}-{width}")
        page.evaluate(axe_source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',"
            " 'wcag21aa', 'best-practice']})"
        )
        failures += [
            f"{excerpt.slug}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    assert not failures, "\n".join(failures)
    assert problems == []


def test_lifecycle_shows_live_lead_times(page, demo, screenshot):
    from vitrine.portal.models import LifecyclePage

    page.goto(LifecyclePage.objects.get().url)
    assert page.get_by_text("So lange dauert es heute").count() == 1
    assert page.locator(".stage__figure").count() >= 3
    screenshot(page, "lifecycle-lead-times-1440")


def test_api_docs_render_without_csp_violations(page, live_server):
    problems = watch(page)
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "Vitrine API" in page.inner_text(".swagger-ui .info .title")
    path = page.locator(".opblock-summary-path[data-path='/api/v1/series/{key}/snapshots']")
    path.first.wait_for(timeout=15_000)
    assert problems == []
