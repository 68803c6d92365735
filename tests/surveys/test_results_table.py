"""The tables of a results page ("by audience", and the trend across waves): a sound table
model on the reader's page and in the admin, and every cell named for a reader who sees the
table as a stacked list on a phone."""

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from vitrine.surveys.models import SurveySeries
from vitrine.surveys.results import survey_results

from .test_pages import results_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def breakdown(survey, answer):
    """Two shown audiences, two hidden ones (one under the minimum, one hidden with it)."""
    for slug, count in {
        "management": 7,
        "mitarbeitende": 6,
        "itsm-rollen": 5,
        "budgetverantwortliche": 2,
    }.items():
        for _ in range(count):
            answer(survey, rating=4, csat=5, nps=9, single="Portal", slugs=[slug])
    return survey


def width(row) -> int:
    return sum(int(cell.get("colspan", "1")) for cell in row.xpath("./th|./td"))


def table_headed(content: bytes, heading: str):
    document = lxml_html.fromstring(content)
    tables = document.xpath(
        "//table[.//th[normalize-space()=$heading]]", heading=heading
    )  # the one table with a header cell of this name
    assert len(tables) == 1
    return tables[0]


def assert_rectangular(table, hidden_rows: int) -> None:
    header = table.xpath("./thead/tr")
    assert len(header) == 1
    columns = width(header[0])
    rows = table.xpath("./tbody/tr")
    suppressed = [row for row in rows if "not shown" in row.text_content()]
    assert len(suppressed) == hidden_rows
    assert [width(row) for row in rows] == [columns] * len(rows)


def test_scale_column_count_counts_only_questions_with_a_scale(breakdown):
    results = survey_results(breakdown)
    # Rating, CSAT and NPS have a scale; single, multiple choice and free text have none.
    assert len(results.questions) == 6
    assert results.scale_column_count == 3
    assert [r.question.kind for r in results.scale_questions] == ["rating", "csat", "nps"]
    for group in results.shown_groups:
        assert [r.question.pk for r in group.scale_results] == [
            r.question.pk for r in results.scale_questions
        ]


def test_reader_table_rows_span_the_header(client, breakdown):
    content = client.get(results_page(breakdown).url).content
    table = table_headed(content, "Audience")
    assert_rectangular(table, hidden_rows=2)
    assert width(table.xpath("./thead/tr")[0]) == 2 + 3


def assert_named(table) -> None:
    """On a phone the header is out of sight: every data cell carries its column's name."""
    header = [th.text_content().strip() for th in table.xpath("./thead/tr/th")]
    named = 0
    for row in table.xpath("./tbody/tr"):
        cells = row.xpath("./td")
        if len(cells) == 1 and cells[0].get("colspan"):
            continue  # the suppressed row: one cell, its text says what it is
        assert [td.get("data-label") for td in cells] == header[1:]
        named += 1
    assert named


def test_reader_table_names_every_cell_for_the_stacked_view(client, breakdown):
    assert_named(table_headed(client.get(results_page(breakdown).url).content, "Audience"))


def test_trend_table_is_rectangular_and_names_every_cell(client, make_survey, answer):
    series = SurveySeries.objects.create(title="Satisfaction")
    first = make_survey(title="Wave 2025", opens=-400, closes=-300, series=series)
    second = make_survey(title="Wave 2026", series=series, opens=-20, closes=-1)
    for survey in (first, second):
        for _ in range(5):
            answer(survey, rating=4, csat=4)
    table = table_headed(client.get(results_page(second).url).content, "Question")
    assert_rectangular(table, hidden_rows=0)
    assert [th.text_content() for th in table.xpath("./thead/tr/th")][1:] == [
        "Wave 2025",
        "Wave 2026",
    ]
    assert_named(table)


def test_admin_table_rows_span_the_header(editor, breakdown):
    client = Client()
    client.force_login(editor)
    content = client.get(reverse("surveys_admin:results", args=[breakdown.pk])).content
    table = table_headed(content, "Audience")
    assert_rectangular(table, hidden_rows=2)
