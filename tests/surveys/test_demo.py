"""The demo surveys: results with a breakdown, a small group folded in, an open survey."""

import pytest

from vitrine.surveys.demo import load_demo_surveys
from vitrine.surveys.models import Response, SurveyPage, SurveyResultsPage
from vitrine.surveys.results import survey_results
from vitrine.surveys.selectors import open_surveys, series_trend

pytestmark = pytest.mark.django_db


def test_demo_surveys(home, client):
    assert load_demo_surveys() is True
    count = Response.objects.count()
    assert load_demo_surveys() is False
    assert Response.objects.count() == count
    spring = SurveyPage.objects.filter(series__isnull=False).order_by("opens_at").last()
    results = survey_results(spring)
    assert results.total == 64 and results.reached
    sizes = {g.key: g.size for g in results.groups if g.shown}
    # The 3 answers of the ITSM roles were too few to land as a group of their own: they
    # landed with the readers without a specific audience, so no group is below 5.
    assert "itsm-rollen" not in sizes
    assert sizes == {"mitarbeitende": 26, "budgetverantwortliche": 14, "management": 9, "": 15}
    trend = series_trend(spring)
    assert len(trend.waves) == 2 and trend.rows
    page = SurveyResultsPage.objects.live().get()
    html = client.get(page.url).content.decode()
    assert "Compared with earlier waves" in html
    # The open survey is meant for everyone, readers without an audience included.
    assert [s.slug for s in open_surveys([])] == ["kurzumfrage-softwarekatalog"]
