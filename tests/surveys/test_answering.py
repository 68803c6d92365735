"""Readers answer a survey: the form, the stored answer, and every kind of bad input."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from vitrine.surveys.choices import FREE_TEXT_MAX_LENGTH, QuestionKind
from vitrine.surveys.models import (
    Answer,
    ContactRequest,
    Participation,
    PendingContact,
    PendingResponse,
    Response,
)

from .conftest import q

pytestmark = pytest.mark.django_db


def form_data(survey, **overrides):
    data = {
        f"q{q(survey, QuestionKind.RATING).pk}": "4",
        f"q{q(survey, QuestionKind.CSAT).pk}": "5",
        f"q{q(survey, QuestionKind.NPS).pk}": "9",
        f"q{q(survey, QuestionKind.SINGLE).pk}": "Portal",
        f"q{q(survey, QuestionKind.MULTIPLE).pk}": ["Speed", "Contact"],
        f"q{q(survey, QuestionKind.TEXT).pk}": "Faster please.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def nothing_stored():
    return not (
        Response.objects.exists()
        or Answer.objects.exists()
        or Participation.objects.exists()
        or PendingResponse.objects.exists()
        or PendingContact.objects.exists()
        or ContactRequest.objects.exists()
    )


def accepted() -> int:
    """Answers accepted: waiting in a pool or landed."""
    return PendingResponse.objects.count() + Response.objects.count()


def pending_values(question) -> list:
    """(values, text) of the waiting answers to `question`."""
    return [
        (values, text)
        for row in PendingResponse.objects.all()
        for question_id, values, text in row.answers
        if question_id == question.pk
    ]


def test_form_is_accessible(client, survey):
    html = client.get(survey.url).content.decode()
    assert html.count("<fieldset") == 6
    assert html.count("<legend") == 6
    assert 'type="radio"' in html and 'type="checkbox"' in html
    assert "<textarea" in html
    assert "(required)" in html
    assert "style=" not in html
    assert "<script>" not in html  # scripts only as static files


def test_answer_is_stored_once_with_groups(client, survey, make_reader):
    reader = make_reader("management", "mitarbeitende")
    client.force_login(reader)
    response = client.post(survey.url, form_data(survey))
    assert response.status_code == 303
    assert response["Location"].endswith("?danke=1")
    stored = PendingResponse.objects.get()
    # One group per answer: the reader's first audience in the audiences' order.
    assert stored.group == "management"
    values = sorted(value for _question, values, _text in stored.answers for value in values)
    assert values == sorted(["4", "5", "9", "Portal", "Speed", "Contact"])
    assert pending_values(q(survey, QuestionKind.TEXT)) == [([], "Faster please.")]
    assert not Response.objects.exists()  # it lands with a batch of its group
    assert "Thank you for your answers" in client.get(response["Location"]).content.decode()


def test_second_answer_of_a_user_is_refused(client, survey, make_reader):
    client.force_login(make_reader())
    assert client.post(survey.url, form_data(survey)).status_code == 303
    again = client.post(survey.url, form_data(survey))
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    assert accepted() == 1


def test_second_answer_of_an_anonymous_reader_is_refused_by_cookie(survey):
    browser = Client()
    assert browser.post(survey.url, form_data(survey)).status_code == 303
    again = browser.post(survey.url, form_data(survey))
    assert again.status_code == 409
    assert accepted() == 1
    assert not Participation.objects.exists()


def test_a_forged_cookie_is_ignored(survey):
    browser = Client()
    browser.cookies[f"vitrine_survey_{survey.pk}"] = str(survey.pk)
    assert browser.post(survey.url, form_data(survey)).status_code == 303


def test_anonymous_rate_limit(survey, settings):
    settings.VITRINE_SURVEY_ANONYMOUS_RATE = 2
    for _ in range(2):
        assert Client().post(survey.url, form_data(survey)).status_code == 303
    refused = Client().post(survey.url, form_data(survey))
    assert refused.status_code == 429
    assert "Too many answers" in refused.content.decode()
    assert accepted() == 2


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (QuestionKind.RATING, None, "Please answer “How do you rate the software catalog?”."),
        (QuestionKind.RATING, "6", "“How do you rate the software catalog?”: please choose"),
        (QuestionKind.RATING, "0", "“How do you rate the software catalog?”: please choose"),
        (QuestionKind.NPS, "11", "“Would you recommend us?”: please choose"),
        (QuestionKind.CSAT, "abc", "“How satisfied are you overall?”: please choose"),
        (QuestionKind.SINGLE, "Fax", "“How do you ask for software?”: please choose"),
        (QuestionKind.MULTIPLE, ["Speed", "Magic"], "“What should we improve?”: please choose"),
        (
            QuestionKind.TEXT,
            "x" * (FREE_TEXT_MAX_LENGTH + 1),
            f"“Anything else?”: please write at most {FREE_TEXT_MAX_LENGTH} characters",
        ),
    ],
)
def test_bad_input_names_the_question_and_stores_nothing(client, survey, kind, value, message):
    data = form_data(survey, **{f"q{q(survey, kind).pk}": value})
    if value is None:
        data.pop(f"q{q(survey, kind).pk}", None)
    response = client.post(survey.url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert message.replace("“", "&ldquo;") in html or message in html
    assert f'href="#id_q{q(survey, kind).pk}"' in html
    assert nothing_stored()


def test_other_needs_its_text(client, survey):
    multiple = q(survey, QuestionKind.MULTIPLE)
    data = form_data(survey, **{f"q{multiple.pk}": ["__other__"]})
    response = client.post(survey.url, data)
    assert response.status_code == 400
    assert "please say what “other” means" in response.content.decode()
    assert nothing_stored()
    data[f"q{multiple.pk}_other"] = "Training"
    assert client.post(survey.url, data).status_code == 303
    assert pending_values(multiple) == [([], "Training")]


def test_html_in_free_text_is_stored_as_text_and_rendered_escaped(client, survey, editor):
    script = '<script>alert("x")</script><b>bold</b>'
    data = form_data(survey, **{f"q{q(survey, QuestionKind.TEXT).pk}": script})
    assert client.post(survey.url, data).status_code == 303
    assert pending_values(q(survey, QuestionKind.TEXT)) == [([], script)]
    # Invalid input comes back escaped in the form, too.
    data[f"q{q(survey, QuestionKind.RATING).pk}"] = "9"
    html = Client().post(survey.url, data).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


@pytest.mark.parametrize(("opens", "closes", "text"), [(1, 5, "opens on"), (-5, -1, "closed on")])
def test_closed_or_not_yet_open_survey_refuses(client, make_survey, opens, closes, text):
    survey = make_survey(opens=opens, closes=closes)
    page = client.get(survey.url).content.decode()
    assert text in page and '<form class="survey-form"' not in page
    response = client.post(survey.url, form_data(survey))
    assert response.status_code == 403
    assert text in response.content.decode()
    assert nothing_stored()


def test_contact_is_stored_apart(client, make_survey):
    survey = make_survey(allow_contact=True)
    data = form_data(survey, contact_name="Erika Muster", contact_email="not-an-address")
    response = client.post(survey.url, data)
    assert response.status_code == 400
    assert nothing_stored()
    data["contact_email"] = "erika@example.org"
    assert client.post(survey.url, data).status_code == 303
    contact = PendingContact.objects.get()
    assert (contact.name, contact.email) == ("Erika Muster", "erika@example.org")
    assert not ContactRequest.objects.exists()  # it lands with the next batch
    field_names = {f.name for f in ContactRequest._meta.get_fields()}
    assert field_names == {"id", "survey", "name", "email"}


def test_contact_fields_are_ignored_when_not_offered(client, survey):
    data = form_data(survey, contact_name="Erika", contact_email="erika@example.org")
    assert client.post(survey.url, data).status_code == 303
    assert not ContactRequest.objects.exists() and not PendingContact.objects.exists()


def test_survey_window_is_validated(home):
    from django.core.exceptions import ValidationError

    from vitrine.surveys.models import SurveyPage

    now = timezone.now()
    page = SurveyPage(title="x", intro="y", opens_at=now, closes_at=now - datetime.timedelta(1))
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "closes_at" in error.value.message_dict


def test_choice_question_needs_options():
    from django.core.exceptions import ValidationError

    from vitrine.surveys.models import SurveyQuestion

    with pytest.raises(ValidationError):
        SurveyQuestion(kind=QuestionKind.SINGLE, text="?", options="Only one").clean()
    with pytest.raises(ValidationError):
        SurveyQuestion(kind=QuestionKind.MULTIPLE, text="?", options="A\na").clean()
    SurveyQuestion(kind=QuestionKind.MULTIPLE, text="?", options="A\nB").clean()


def test_unsaved_questions_get_their_own_fields():
    """The editor's preview shows questions that have no key yet."""
    from vitrine.surveys.forms import SurveyForm
    from vitrine.surveys.models import SurveyPage, SurveyQuestion

    page = SurveyPage(title="Preview", intro="x", opens_at=timezone.now(), closes_at=timezone.now())
    page.questions = [
        SurveyQuestion(kind=QuestionKind.RATING, text="One"),
        SurveyQuestion(kind=QuestionKind.TEXT, text="Two"),
    ]
    form = SurveyForm(page)
    assert [form.fields[name].label for name in form.fields] == ["One", "Two"]
