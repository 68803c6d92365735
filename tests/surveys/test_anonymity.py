"""Anonymous by construction: after known users answered, no response leads back to them."""

import re

import pytest
from django.db import connection, models

from vitrine.surveys.models import (
    Answer,
    ContactRequest,
    Participation,
    Response,
    ResponseGroup,
)
from vitrine.surveys.services import participation_key

from .test_answering import form_data

pytestmark = pytest.mark.django_db
SURVEY_TABLES = [Response, ResponseGroup, Answer, Participation, ContactRequest]


def dump(model) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
        return cursor.fetchall()


def test_no_response_can_be_tied_to_a_user(client, survey, make_reader):
    readers = [make_reader("management", username=f"known{i}") for i in range(6)]
    for reader in readers:
        client.force_login(reader)
        assert client.post(survey.url, form_data(survey)).status_code == 303
        client.logout()

    # The tables hold no user, no address, no agent and no time: only these columns.
    columns = {
        model.__name__: sorted(f.column for f in model._meta.concrete_fields)
        for model in SURVEY_TABLES
    }
    assert columns == {
        "Response": ["day", "id", "survey_id"],
        "ResponseGroup": ["audience_slug", "id", "response_id"],
        "Answer": ["id", "question_id", "response_id", "text", "value"],
        "Participation": ["key", "survey_id"],
        "ContactRequest": ["email", "id", "name", "survey_id"],
    }
    for model in SURVEY_TABLES:
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField | models.TimeField), field
            if field.is_relation:
                assert field.related_model._meta.label in {
                    "surveys.SurveyPage",
                    "surveys.Response",
                    "surveys.SurveyQuestion",
                }, field
    # Random keys, no sequence: nothing orders the responses by time.
    for model in (Response, ResponseGroup, Answer, ContactRequest):
        assert isinstance(model._meta.pk, models.UUIDField)
    assert len(set(Response.objects.values_list("day", flat=True))) == 1

    # Participation holds only keyed hashes that are not the user ids or names.
    keys = [row[0] for row in dump(Participation)]
    assert len(keys) == 6
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)
    assert set(keys) == {participation_key(survey.pk, r.pk) for r in readers}

    # Nothing in any survey table names a reader: search every cell.
    identifiers = set()
    for reader in readers:
        identifiers |= {reader.username, reader.email, f"id={reader.pk}"}
    cells = [str(cell) for model in SURVEY_TABLES for row in dump(model) for cell in row]
    for identifier in identifiers:
        assert not any(identifier in cell for cell in cells), identifier
    # Participation rows and responses share no key, so neither order nor id links them.
    response_ids = {str(row[0]) for row in dump(Response)} | {
        str(row[0]).replace("-", "") for row in dump(Response)
    }
    assert not response_ids & set(keys)


def test_participation_key_depends_on_the_secret(settings):
    before = participation_key(1, 2)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert participation_key(1, 2) != before
    assert participation_key(1, 2) != participation_key(1, 3)
