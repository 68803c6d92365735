"""The pool: answers are kept at once and land only in shuffled batches of one group."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from vitrine.surveys.choices import QuestionKind
from vitrine.surveys.forms import Cleaned
from vitrine.surveys.models import (
    NO_GROUP,
    Answer,
    ContactRequest,
    PendingContact,
    PendingResponse,
    Response,
)
from vitrine.surveys.results import survey_results
from vitrine.surveys.services import answers_land, response_submit

from .conftest import q

pytestmark = pytest.mark.django_db
MIN = 5  # the default minimum group size


def submit(survey, slug=None, rating=4, contact=None):
    answers = [Cleaned(question=q(survey, QuestionKind.RATING), values=(str(rating),))]
    response_submit(
        survey=survey, answers=answers, audience_slugs=[slug] if slug else [], contact=contact
    )


def after_close(survey):
    return survey.closes_at + datetime.timedelta(seconds=1)


def test_a_group_lands_at_twice_the_minimum_and_keeps_the_minimum_back(survey):
    for _ in range(2 * MIN - 1):
        submit(survey, "management")
    assert not Response.objects.exists()
    assert PendingResponse.objects.count() == 2 * MIN - 1
    assert survey_results(survey).total == 0
    submit(survey, "management")
    assert Response.objects.filter(group="management").count() == MIN
    assert PendingResponse.objects.count() == MIN
    assert set(Answer.objects.values_list("group", flat=True)) == {"management"}
    assert survey_results(survey).total == MIN


def test_groups_fill_their_own_pools(survey):
    for _ in range(2 * MIN - 1):
        submit(survey, "management")
        submit(survey, "mitarbeitende")
    # 18 answers, but no group has twice the minimum: nothing has landed.
    assert not Response.objects.exists()


def test_at_the_close_everything_lands_small_groups_folded(survey):
    for _ in range(7):
        submit(survey, "management")
    for _ in range(3):
        submit(survey, "itsm-rollen")
    for _ in range(2):
        submit(survey)
    landed = answers_land(survey, now=after_close(survey))
    assert landed.responses == 12 and landed.erased == 0
    sizes = dict(Response.objects.values_list("group").annotate(n=Count("*")).order_by())
    assert sizes == {"management": 7, NO_GROUP: 5}
    assert not PendingResponse.objects.exists()


def test_a_remainder_too_small_is_folded_with_the_smallest_batch(survey):
    for _ in range(6):
        submit(survey, "management")
    for _ in range(8):
        submit(survey, "mitarbeitende")
    submit(survey, "itsm-rollen")
    answers_land(survey, now=after_close(survey))
    groups = sorted(Response.objects.values_list("group", flat=True))
    assert groups.count("mitarbeitende") == 8
    assert groups.count(NO_GROUP) == 7  # management's 6 with the one ITSM answer
    assert "management" not in groups and "itsm-rollen" not in groups


def test_a_survey_that_closes_below_the_minimum_keeps_nothing(make_survey):
    survey = make_survey(allow_contact=True)
    for _ in range(MIN - 1):
        submit(survey, "management", contact=("Erika Muster", "erika@muster.de"))
    landed = answers_land(survey, now=after_close(survey))
    assert landed.erased == MIN - 1 and landed.responses == 0
    assert not Response.objects.exists() and not PendingResponse.objects.exists()
    assert not PendingContact.objects.exists() and not ContactRequest.objects.exists()


def test_contact_wishes_land_with_a_batch_not_before(make_survey):
    survey = make_survey(allow_contact=True)
    submit(survey, "management", contact=("Erika Muster", "erika@muster.de"))
    assert PendingContact.objects.count() == 1 and not ContactRequest.objects.exists()
    for _ in range(2 * MIN - 1):
        submit(survey, "management")
    assert ContactRequest.objects.get().name == "Erika Muster"
    assert not PendingContact.objects.exists()


def test_results_after_the_close_only(make_survey):
    survey = make_survey(results_after_close=True)
    for _ in range(2 * MIN):
        submit(survey, "management")
    assert Response.objects.count() == MIN
    results = survey_results(survey)
    assert results.withheld and results.total == 0 and results.questions == []
    closed = survey_results(survey, now=after_close(survey))
    assert not closed.withheld and closed.total == 2 * MIN


def test_reading_results_of_a_closed_survey_lands_what_waits(make_survey):
    survey = make_survey(opens=-10, closes=1)
    for _ in range(MIN + 2):
        submit(survey, "management")
    assert not Response.objects.exists()
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save(update_fields=["closes_at"])
    assert survey_results(survey).total == MIN + 2


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_an_answer_is_taken_while_a_backup_reads_the_pool(survey, caplog):
    """A backup holds a lock on the pool table: the answer is accepted all the same."""
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    backup = psycopg.connect(**{k: v for k, v in params.items() if k != "context"})
    try:
        backup.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        backup.execute(f"LOCK TABLE {PendingResponse._meta.db_table} IN ACCESS SHARE MODE")
        submit(survey, "management")
    finally:
        backup.close()
    assert PendingResponse.objects.count() == 1
    assert "Survey pool table busy" in caplog.text
