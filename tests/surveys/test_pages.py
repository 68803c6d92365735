"""Readers: the survey on the home page, the results page, the feeds, the trend across waves."""

import feedparser
import pytest
from django.test import Client

from tests.conftest import add_child
from vitrine.surveys.choices import QuestionKind
from vitrine.surveys.models import SurveyQuestion, SurveyResultsPage, SurveySeries

pytestmark = pytest.mark.django_db


def results_page(survey, **extra):
    page = SurveyResultsPage(
        title="Sie haben gesagt – wir haben gehandelt",
        key_results="<p>Most of you find the catalog helpful.</p>",
        takeaways="<p>We add delivery times.</p>",
        **extra,
    )
    return add_child(survey, page)


def test_open_survey_appears_on_the_home_page_of_its_audiences(
    home, make_survey, audience, make_reader
):
    survey = make_survey(title="Umfrage für das Management")
    survey.audiences.set([audience("management")])
    survey.save_revision().publish()
    make_survey(title="Schon geschlossen", opens=-10, closes=-1)
    manager = Client()
    manager.force_login(make_reader("management"))
    html = manager.get(home.url).content.decode()
    assert "Umfrage für das Management" in html
    assert "Schon geschlossen" not in html
    assert "Umfrage für das Management" not in Client().get(home.url).content.decode()


def test_results_page_shows_thresholded_results(client, survey, answer, audience):
    for i in range(6):
        answer(survey, rating=4, nps=10, slugs=["management"], text=f"secret {i}")
    for _ in range(2):
        answer(survey, rating=2, slugs=["mitarbeitende"])
    page = results_page(survey)
    html = client.get(page.url).content.decode()
    assert "Most of you find the catalog helpful." in html
    assert "We add delivery times." in html
    assert "8 people answered." in html
    assert "<svg" in html
    assert "not shown, to protect a small group" in html
    assert "secret" not in html  # free text never on the reader's page
    assert "style=" not in html and "<script>" not in html


def test_results_page_below_the_minimum_shows_no_figures(client, survey, answer):
    for _ in range(3):
        answer(survey, rating=1)
    html = client.get(results_page(survey).url).content.decode()
    assert "Results are shown once at least 5 people have answered" in html
    assert "<svg" not in html


def test_results_page_lists_items_opened_from_the_survey(client, survey):
    from vitrine.improvements.services import improvement_create

    page = results_page(survey)
    improvement_create(
        title="Lieferzeiten im Katalog",
        description="Aus der Umfrage.",
        source="survey",
        source_url=page.url,
        area="communication",
    )
    improvement_create(title="Anderes Thema", description="x", source="idea", area="communication")
    html = client.get(page.url).content.decode()
    assert "Lieferzeiten im Katalog" in html
    assert "Anderes Thema" not in html


def test_trend_against_earlier_waves(client, make_survey, answer):
    series = SurveySeries.objects.create(title="Zufriedenheit mit dem Lizenzmanagement")
    first = make_survey(title="Welle 2025", opens=-400, closes=-300, series=series)
    second = make_survey(title="Welle 2026", series=series, opens=-20, closes=-1)
    for survey, rating in ((first, 3), (second, 4)):
        for _ in range(5):
            answer(survey, rating=rating)
    html = client.get(results_page(second).url).content.decode()
    assert "Compared with earlier waves" in html
    trend = html.split("Compared with earlier waves")[1].split("</table>")[0]
    assert "Welle 2025" in trend and "Welle 2026" in trend
    assert "3.0" in trend and "4.0" in trend


def test_results_appear_in_the_feeds_of_the_survey_audiences(client, make_survey, audience):
    survey = make_survey(title="Umfrage Management", opens=-10, closes=-1)
    survey.audiences.set([audience("management")])
    survey.save_revision().publish()
    results_page(survey)
    management = feedparser.parse(client.get("/feeds/management.atom").content)
    everyone = feedparser.parse(client.get("/feeds/all.atom").content)
    titles = [e.title for e in management.entries]
    assert any(t.startswith("Survey results:") or "Umfrage" in t for t in titles)
    assert not any("gehandelt" in e.title for e in everyone.entries)
    assert any("gehandelt" in t for t in titles)


def test_html_in_question_text_is_escaped(client, make_survey):
    survey = make_survey(
        questions=[SurveyQuestion(kind=QuestionKind.TEXT, text="<img src=x onerror=alert(1)>")]
    )
    html = client.get(survey.url).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html
