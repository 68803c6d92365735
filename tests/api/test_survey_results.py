"""Survey results through the mounted API: token needed, minimum group size holds."""

import datetime

import pytest
from django.utils import timezone

from vitrine.surveys.forms import Cleaned
from vitrine.surveys.models import SurveyPage, SurveyQuestion
from vitrine.surveys.services import response_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(home):
    now = timezone.now()
    page = SurveyPage(
        title="Zufriedenheit 2026",
        intro="Wie zufrieden sind Sie?",
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=10),
    )
    page.questions = [SurveyQuestion(kind="rating", text="Wie gut ist der Katalog?", required=True)]
    home.add_child(instance=page)
    page.save_revision().publish()
    return SurveyPage.objects.get(pk=page.pk)


def answer(survey, value: int) -> None:
    question = survey.ordered_questions[0]
    response_submit(
        survey=survey,
        answers=[Cleaned(question=question, values=(str(value),))],
        audience_slugs=(),
        user=None,
        now=None,
    )


def test_results_need_a_token(api_as, survey):
    assert api_as().get(f"/api/v1/surveys/{survey.pk}/results").status_code == 401


def test_results_stay_hidden_below_the_minimum_and_show_above(superuser, api_as, survey):
    api = api_as(superuser)
    for value in (4, 5, 3, 4):
        answer(survey, value)
    hidden = api.get(f"/api/v1/surveys/{survey.pk}/results").json()
    assert hidden["min_group_size"] == 5 and not hidden["shown"]
    assert all(not q["shown"] and not q["options"] for q in hidden["questions"])
    answer(survey, 5)
    # Answers land in batches; once the survey has closed, the last ones land too.
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save(update_fields=["closes_at"])
    shown = api.get(f"/api/v1/surveys/{survey.pk}/results").json()
    question = shown["questions"][0]
    assert question["shown"] and question["answered"] == 5
    assert question["mean"] == pytest.approx(4.2)


def test_unknown_survey_is_404(superuser, api_as):
    assert api_as(superuser).get("/api/v1/surveys/999999/results").status_code == 404
