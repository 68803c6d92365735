"""`document_for`: the excerpt as plain data for the exports."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import translation

from tests.excerpts.conftest import (
    add_meaning,
    chart,
    figure,
    items,
    make_excerpt,
    make_series,
    text,
)
from vitrine.excerpts.document import (
    ChartSection,
    ExcerptDocument,
    FigureSection,
    ListSection,
    Meaning,
    TextSection,
)
from vitrine.excerpts.documents import document_for
from vitrine.portal.models import CorporateDesign

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(news_index, licenses, cloud, audience):
    management, employees = audience("management"), audience("mitarbeitende")
    body = [
        figure(
            licenses,
            (management, "A budget lever."),
            (employees, "Return what you do not use."),
            chart="line",
        ),
        chart("stacked_bar", cloud, title="Inactive accounts"),
        items("wins", "Audit passed", " "),
        items("open_work", "Adobe <contracts>"),
        text("Background", '<p>See <a href="https://example.org">the <b>plan</b></a>.</p>'),
        figure(cloud),
    ]
    return make_excerpt(
        news_index,
        "Microsoft 365",
        body,
        management,
        employees,
        intro="Where we stand.",
        date=datetime.date(2026, 11, 2),
    )


def test_the_document_holds_the_page_as_plain_data(page, home, audience, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://vitrine.muster-ag.example"
    design = CorporateDesign.for_site(home.get_site())
    design.company_name = "Beispiel GmbH"
    design.save()

    document = document_for(page, audiences=[audience("management")])

    assert isinstance(document, ExcerptDocument)
    assert document.title == "Microsoft 365"
    assert document.intro == "Where we stand."
    assert document.date == datetime.date(2026, 11, 2)
    assert document.audiences == ["Geschäftsführung und Management"]
    # On the configured root URL, not the Wagtail site's "localhost".
    assert document.url == f"{settings.WAGTAILADMIN_BASE_URL}/news/microsoft-365/"
    assert document.organisation == "Beispiel GmbH"
    kinds = [type(section) for section in document.sections]
    assert kinds == [
        FigureSection,
        ChartSection,
        ListSection,
        ListSection,
        TextSection,
        FigureSection,
    ]


def test_figures_are_formatted_in_the_active_language(page):
    with translation.override("de"):
        german = document_for(page, audiences=[])
    english = document_for(page, audiences=[])

    # The unit's German name comes with the translations; the number and date are German now.
    assert german.sections[0].value.startswith("1.234\u00a0")
    assert german.sections[0].change.startswith("+12\u00a0")
    assert german.sections[0].change.endswith("01.10.2026")
    assert english.sections[0].value == "1,234\u00a0seats"
    assert english.sections[0].change == "+12\u00a0seats since Oct 1, 2026"
    assert english.sections[0].date == datetime.date(2026, 11, 1)
    assert english.sections[5].value == "57\u00a0accounts"
    assert english.sections[5].change == ""


def test_meanings_are_those_of_the_given_audiences(page, audience):
    management = document_for(page, audiences=[audience("management")])
    everyone = document_for(page, audiences=[])

    assert management.sections[0].meanings == [
        Meaning(audience="Geschäftsführung und Management", text="A budget lever.")
    ]
    assert everyone.sections[0].meanings == [
        Meaning(audience="Geschäftsführung und Management", text="A budget lever."),
        Meaning(
            audience="Mitarbeitende, Key-User und Teamleitungen",
            text="Return what you do not use.",
        ),
    ]
    assert everyone.audiences == [
        "Geschäftsführung und Management",
        "Mitarbeitende, Key-User und Teamleitungen",
    ]


def test_an_anonymous_reader_gets_the_document_for_all_of_the_page_audiences(page, audience):
    document = document_for(page, audiences=[audience("alle")])
    both = document_for(page, audiences=[audience("management"), audience("itsm-rollen")])

    assert document.audiences == [
        "Geschäftsführung und Management",
        "Mitarbeitende, Key-User und Teamleitungen",
    ]
    assert [m.audience for m in document.sections[0].meanings] == document.audiences
    assert both.audiences == ["Geschäftsführung und Management"]


def test_a_figure_without_block_meanings_takes_those_of_the_series(page, cloud, audience):
    add_meaning(cloud, audience("management"), "Money bound in idle accounts.")

    section = document_for(page, audiences=[audience("management")]).sections[5]

    assert section.meanings == [
        Meaning(audience="Geschäftsführung und Management", text="Money bound in idle accounts.")
    ]


def test_charts_are_svg_only(page):
    document = document_for(page, audiences=[])
    line, stacked = document.sections[0].chart_svg, document.sections[1]

    assert line.startswith("<svg") and line.endswith("</svg>")
    assert "<table" not in line
    assert stacked.title == "Inactive accounts"
    assert stacked.chart_svg.startswith("<svg") and "<table" not in stacked.chart_svg
    assert "up to 30 days" in stacked.chart_svg and "never active" in stacked.chart_svg
    assert document.sections[5].chart_svg == ""


def test_lists_and_text_are_kept_as_written(page):
    document = document_for(page, audiences=[])
    wins, open_work, text_section = document.sections[2:5]

    assert wins == ListSection(kind="wins", heading="What is going well", items=["Audit passed"])
    assert open_work == ListSection(
        kind="open_work", heading="What we are still working on", items=["Adobe <contracts>"]
    )
    assert text_section.heading == "Background"
    assert 'href="https://example.org"' in text_section.html
    assert "<b>plan</b>" in text_section.html


def test_a_series_without_figures_and_a_page_for_everyone(news_index):
    empty = make_series("shelfware.total", "Shelfware", topic="shelfware")
    page = make_excerpt(news_index, "Empty", [figure(empty, chart="line")])
    request = RequestFactory().get("/", HTTP_HOST="localhost")

    document = document_for(page, audiences=[], request=request)

    (section,) = document.sections
    assert section.value == "No figures imported yet."
    assert section.date is None and section.change == ""
    assert section.chart_svg == ""  # the line says it all: no empty chart beside it
    assert document.audiences == ["Alle"]
