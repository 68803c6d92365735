"""Bearer tokens: refused without, with a bad, revoked or orphaned token; stored as digests."""

import pytest
from django.contrib.auth.models import Group
from django.core import serializers
from django.db import connection
from wagtail.models import APIToken

from .conftest import make_token

pytestmark = pytest.mark.django_db

SERIES = "/api/v1/series"


def assert_refused(response, message: str, *, invalid: bool = True):
    assert response.status_code == 401, response.content
    assert message in response.json()["detail"]
    challenge = response["WWW-Authenticate"]
    assert challenge.startswith("Bearer realm=")
    assert ('error="invalid_token"' in challenge) is invalid


def test_no_token_asks_for_one(api_as):
    assert_refused(api_as().get(SERIES), "Authorization: Bearer", invalid=False)


def test_other_schemes_do_not_count(client, editor_user):
    client.force_login(editor_user)  # a browser session is no API credential
    response = client.get(SERIES, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_refused(response, "Authorization: Bearer", invalid=False)
    assert_refused(client.get(SERIES), "Authorization: Bearer", invalid=False)


@pytest.mark.parametrize("secret", ["nonsense", "wagtail_" + "A" * 40, "x" * 5000, " "])
def test_unknown_tokens_are_refused(api_as, editor_user, secret):
    make_token(editor_user)
    assert_refused(api_as(token=secret).get(SERIES), "not valid")


def test_a_valid_token_reads_and_records_its_use(editor_user, api_as):
    secret = make_token(editor_user)
    response = api_as(token=secret).get(SERIES)
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}
    assert APIToken.objects.get().last_used_at is not None


def test_the_secret_is_not_stored_in_clear(editor_user):
    secret = make_token(editor_user)
    body = secret.removeprefix("wagtail_")
    token = APIToken.objects.get()
    assert token.prefix == secret[: len(token.prefix)] and len(token.prefix) < len(secret) // 2
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {APIToken._meta.db_table}")
        row = " ".join(str(cell) for cell in cursor.fetchone())
    dump = serializers.serialize("json", APIToken.objects.all())
    for text in (row, dump):
        assert secret not in text and body not in text and body[8:] not in text
    assert token.key_hash == APIToken.hash_token(secret) and len(token.key_hash) == 64


def test_a_revoked_token_stops_at_once(editor_user, api_as):
    secret = make_token(editor_user)
    api = api_as(token=secret)
    assert api.get(SERIES).status_code == 200
    APIToken.objects.get().revoke()
    assert_refused(api.get(SERIES), "revoked")


def test_an_inactive_owner_stops_the_token(editor_user, api_as):
    api = api_as(editor_user)
    editor_user.is_active = False
    editor_user.save()
    assert_refused(api.get(SERIES), "inactive or no longer has access")


def test_losing_admin_access_stops_the_token(editor_user, api_as, django_user_model):
    api = api_as(editor_user)
    assert api.get(SERIES).status_code == 200
    editor_user.groups.remove(Group.objects.get(name="Editors"))
    assert_refused(api.get(SERIES), "no longer has access")


def test_a_readers_token_does_not_work(make_reader, api_as):
    # Readers cannot create tokens; one made for them anyway is refused.
    assert_refused(api_as(make_reader("alle")).get(SERIES), "no longer has access")
