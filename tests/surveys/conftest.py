"""Fixtures for the survey tests: a survey with one question of every kind, answers."""

import datetime

import pytest
from django.core.cache import cache, caches
from django.utils import timezone, translation

from vitrine.surveys.choices import QuestionKind
from vitrine.surveys.forms import Cleaned
from vitrine.surveys.models import PendingResponse, SurveyPage, SurveyQuestion
from vitrine.surveys.pool import batch_write
from vitrine.surveys.services import pending_answers, response_group


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    cache.clear()
    caches["shared"].clear()  # the anonymous rate limit counts in the shared cache
    with translation.override("en"):
        yield


def question_set():
    return [
        SurveyQuestion(
            kind=QuestionKind.RATING,
            text="How do you rate the software catalog?",
            required=True,
            low_label="very poor",
            high_label="excellent",
        ),
        SurveyQuestion(kind=QuestionKind.CSAT, text="How satisfied are you overall?"),
        SurveyQuestion(kind=QuestionKind.NPS, text="Would you recommend us?"),
        SurveyQuestion(
            kind=QuestionKind.SINGLE, text="How do you ask for software?", options="Portal\nPhone"
        ),
        SurveyQuestion(
            kind=QuestionKind.MULTIPLE,
            text="What should we improve?",
            options="Speed\nInformation\nContact",
            allow_other=True,
        ),
        SurveyQuestion(kind=QuestionKind.TEXT, text="Anything else?"),
    ]


@pytest.fixture
def make_survey(home):
    def make(*, title="Satisfaction 2026", questions=None, opens=-10, closes=10, **extra):
        now = timezone.now()
        page = SurveyPage(
            title=title,
            intro="We would like to know how satisfied you are.",
            opens_at=now + datetime.timedelta(days=opens),
            closes_at=now + datetime.timedelta(days=closes),
            **extra,
        )
        page.questions = questions if questions is not None else question_set()
        home.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return SurveyPage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def survey(make_survey):
    return make_survey()


def q(survey, kind):
    return next(x for x in survey.ordered_questions if x.kind == kind)


@pytest.fixture
def answer(db):
    """Store a landed answer (rating, csat, nps, …), as if its batch had landed.

    The pool and its batches are tested through the service in test_pool.py; the results
    tests need answers that are part of the results at once.
    """

    def store(
        survey,
        *,
        rating=4,
        csat=None,
        nps=None,
        single=None,
        multiple=(),
        text="",
        slugs=(),
    ):
        answers = [Cleaned(question=q(survey, QuestionKind.RATING), values=(str(rating),))]
        if csat is not None:
            answers.append(Cleaned(question=q(survey, QuestionKind.CSAT), values=(str(csat),)))
        if nps is not None:
            answers.append(Cleaned(question=q(survey, QuestionKind.NPS), values=(str(nps),)))
        if single:
            answers.append(Cleaned(question=q(survey, QuestionKind.SINGLE), values=(single,)))
        if multiple:
            answers.append(
                Cleaned(question=q(survey, QuestionKind.MULTIPLE), values=tuple(multiple))
            )
        if text:
            answers.append(Cleaned(question=q(survey, QuestionKind.TEXT), text=text))
        group = response_group(slugs)
        batch_write(survey, group, [PendingResponse(answers=pending_answers(answers))])

    return store
