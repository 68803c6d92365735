"""The API endpoint of survey results follows the same minimum group size."""

import pytest
from django.contrib.auth.models import AnonymousUser
from ninja.testing import TestClient

from tests.conftest import add_child
from vitrine.surveys.api import router
from vitrine.surveys.models import SurveyResultsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return TestClient(router)


def test_editor_reads_thresholded_results(api, survey, answer, editor):
    for _ in range(6):
        answer(survey, rating=4, slugs=["management"], text="never in the API")
    for _ in range(2):
        answer(survey, rating=1, slugs=["mitarbeitende"])
    response = api.get(f"/surveys/{survey.pk}/results", user=editor)
    assert response.status_code == 200
    data = response.json()
    assert data["responses"] == 8 and data["shown"] is True
    rating = data["questions"][0]
    assert rating["mean"] == pytest.approx(3.25)
    assert {g["audience"]: g["shown"] for g in data["groups"]} == {
        "management": False,
        "mitarbeitende": False,
    }
    assert all(g["questions"] == [] and g["responses"] is None for g in data["groups"])
    assert "never in the API" not in response.content.decode()


def test_below_the_minimum_nothing(api, survey, answer, editor):
    for _ in range(4):
        answer(survey, rating=4)
    data = api.get(f"/surveys/{survey.pk}/results", user=editor).json()
    assert data["shown"] is False and data["questions"] == [] and data["groups"] == []


def test_readers_only_after_publication(api, survey, answer, make_reader):
    reader = make_reader()
    assert api.get(f"/surveys/{survey.pk}/results", user=reader).status_code == 403
    add_child(
        survey, SurveyResultsPage(title="Ergebnisse", key_results="<p>x</p>", takeaways="<p>y</p>")
    )
    assert api.get(f"/surveys/{survey.pk}/results", user=reader).status_code == 200
    assert api.get("/surveys/999999/results", user=AnonymousUser()).status_code == 404


@pytest.mark.parametrize(
    ("figures", "breakdown", "questions", "groups"),
    [(True, True, True, True), (True, False, True, False), (False, True, False, False)],
)
def test_the_api_obeys_the_results_page(
    api, survey, answer, editor, make_reader, figures, breakdown, questions, groups
):
    for slug in ("management", "mitarbeitende"):
        for _ in range(6):
            answer(survey, rating=4, slugs=[slug])
    add_child(
        survey,
        SurveyResultsPage(
            title="Ergebnisse",
            key_results="<p>x</p>",
            takeaways="<p>y</p>",
            show_figures=figures,
            show_breakdown=breakdown,
        ),
    )
    for user in (make_reader(), editor):
        data = api.get(f"/surveys/{survey.pk}/results", user=user).json()
        assert bool(data["questions"]) is questions
        assert bool(data["groups"]) is groups
        assert data["checked_for_double_answers"] is False


def test_results_after_the_close_are_withheld_in_the_api(api, make_survey, answer, editor):
    survey = make_survey(results_after_close=True)
    for _ in range(6):
        answer(survey, rating=4)
    data = api.get(f"/surveys/{survey.pk}/results", user=editor).json()
    assert data["withheld"] is True and data["responses"] == 0 and data["questions"] == []
