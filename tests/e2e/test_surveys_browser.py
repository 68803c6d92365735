"""Surveys and the board "Woran wir arbeiten" in a real browser, on a phone and a desktop."""

import pytest
from django.core.management import call_command

from vitrine.improvements.models import ImprovementBoardPage
from vitrine.surveys.models import PendingResponse, Response, SurveyPage, SurveyResultsPage
from vitrine.surveys.pool import batch_write

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)


def axe_failures(page, axe_source, name) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa', 'best-practice']})"
    )
    return [
        f"{name}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def accepted(survey) -> int:
    return (
        Response.objects.filter(survey=survey).count()
        + PendingResponse.objects.filter(survey=survey).count()
    )


def test_a_reader_answers_the_open_survey_on_a_phone(page, demo, screenshot, axe_source):
    survey = SurveyPage.objects.get(slug="kurzumfrage-softwarekatalog")
    before = accepted(survey)
    page.set_viewport_size(PHONE)
    page.goto(survey.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    failures = axe_failures(page, axe_source, "survey")
    screenshot(page, "survey-360")

    # Sent without the required rating: an error summary names the question.
    page.get_by_role("button", name="Antworten senden").click()
    summary = page.locator(".error-summary, [role=alert]").first
    assert "Wie gut finden Sie im Softwarekatalog" in summary.inner_text()
    assert accepted(survey) == before
    screenshot(page, "survey-error-360")

    page.get_by_label("4", exact=True).first.check()
    page.locator("textarea").fill("<script>alert(1)</script> Mehr Hinweise zu Alternativen")
    page.get_by_role("button", name="Antworten senden").click()
    page.wait_for_load_state()
    assert accepted(survey) == before + 1  # it waits in the pool for a batch of its group
    screenshot(page, "survey-thanks-360")
    assert not failures, "\n".join(failures)


def test_results_page_and_board_read_well(page, demo, screenshot, axe_source):
    results = SurveyResultsPage.objects.live().first()
    board = ImprovementBoardPage.objects.live().get()
    failures = []
    for name, url in (("survey-results", results.url), ("board", board.url)):
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], f"{name} at {size['width']}px is {width}px wide"
            screenshot(page, f"{name}-{size['width']}")
        failures += axe_failures(page, axe_source, name)
    # The board (visited last) links each open and recently done item to its own page.
    assert page.locator(f"main a[href^='{board.url}']").count() >= 1
    assert not failures, "\n".join(failures)


def test_results_tables_read_at_360_px(page, demo, screenshot):
    """On a phone every figure of the tables by audience and across waves is on screen, with
    its column's name, and nothing pushes the page wider than the screen, a hidden audience's
    row included."""
    results = SurveyResultsPage.objects.live().first()
    survey = results.get_parent().specific
    # The demo folds its small remainders into "no specific audience": two answers of the
    # ITSM roles land as a batch of their own, so that the table has hidden rows.
    rating = survey.ordered_questions[0]
    batch_write(survey, "itsm-rollen", [PendingResponse(answers=[[rating.pk, ["4"], ""]])] * 2)
    page.set_viewport_size(PHONE)
    page.goto(results.url)
    by_audience = page.locator("table", has=page.get_by_role("columnheader", name="Zielgruppe"))
    by_wave = page.locator("table", has=page.get_by_role("columnheader", name="Frage"))
    assert by_audience.get_by_text("nicht angezeigt", exact=False).count() >= 1
    for table in (by_audience, by_wave):
        assert table.count() == 1
        table.scroll_into_view_if_needed()
        cells = table.locator("tbody td")
        assert cells.count() >= 4
        values = []
        for index in range(cells.count()):
            cell = cells.nth(index)
            assert cell.is_visible(), cell.inner_text()
            box = cell.bounding_box()
            assert box["width"] > 0 and box["height"] > 0
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], cell.inner_text()
            # The figure itself, not only its cell: the text ends inside the screen too.
            right = cell.evaluate(
                "td => { const r = document.createRange(); r.selectNodeContents(td);"
                " return r.getBoundingClientRect().right; }"
            )
            assert right <= PHONE["width"], cell.inner_text()
            label = cell.get_attribute("data-label")
            if label:
                shown = cell.evaluate("td => getComputedStyle(td, '::before').content")
                assert shown.strip('"') == label
                values.append(cell.inner_text().strip())
        assert values and all(values), values  # every shown figure has a value on screen
        region = table.locator("xpath=ancestor::*[contains(@class, 'table-scroll')]")
        assert region.evaluate("el => el.scrollWidth <= el.clientWidth")  # no hidden columns
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"results at 360px are {width}px wide"
    screenshot(page, "results-360")
