"""API tokens in the Wagtail admin: editors make and revoke their own, superusers see all."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import APIToken

from .conftest import make_token

pytestmark = pytest.mark.django_db

INDEX = "wagtailusers_api_tokens:index"
ADD = "wagtailusers_api_tokens:add"
REVOKE = "wagtailusers_api_tokens:delete"
TOKEN_FIELD = re.compile(r'id="api-token-value"\s+value="([^"]+)"')


def logged_in(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def create(client: Client, name: str, **extra):
    return client.post(reverse(ADD), {"name": name, **extra})


def test_an_editor_creates_a_token_and_sees_the_secret_once(editor_user, api_as):
    client = logged_in(editor_user)
    menu = client.get(reverse("wagtailadmin_home"))
    assert reverse(INDEX) in menu.content.decode()
    form = client.get(reverse(ADD))
    assert form.status_code == 200
    response = create(client, "Monatsimport", user=editor_user.pk)
    assert response.status_code == 200
    secret = TOKEN_FIELD.search(response.content.decode()).group(1)
    token = APIToken.objects.get()
    assert (token.user, token.name, token.revoked_at) == (editor_user, "Monatsimport", None)
    assert secret.startswith(token.prefix) and secret not in token.key_hash
    assert api_as(token=secret).get("/api/v1/series").status_code == 200
    # The list shows the prefix only, never the secret again.
    listing = client.get(reverse(INDEX)).content.decode()
    assert token.prefix in listing and secret not in listing


def test_an_editor_cannot_make_tokens_for_others(editor_user, group_user):
    colleague = group_user("Editors")
    response = create(logged_in(editor_user), "Fremd", user=colleague.pk)
    assert response.status_code == 200  # the form again, with an error on the user field
    assert not APIToken.objects.exists()


def test_an_editor_sees_and_revokes_only_their_own(editor_user, group_user, api_as):
    colleague = group_user("Editors")
    own = make_token(editor_user, "Eigenes")
    other = make_token(colleague, "Fremdes")
    client = logged_in(editor_user)
    listing = client.get(reverse(INDEX)).content.decode()
    assert "Eigenes" in listing and "Fremdes" not in listing
    theirs = APIToken.objects.get(name="Fremdes")
    assert client.post(reverse(REVOKE, args=[theirs.pk])).status_code == 404
    assert api_as(token=other).get("/api/v1/series").status_code == 200

    mine = APIToken.objects.get(name="Eigenes")
    assert client.get(reverse(REVOKE, args=[mine.pk])).status_code == 200  # confirmation
    response = client.post(reverse(REVOKE, args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert api_as(token=own).get("/api/v1/series").status_code == 401


def test_a_superuser_sees_and_revokes_every_token(superuser, editor_user, api_as):
    secret = make_token(editor_user, "Vom Redakteur")
    client = logged_in(superuser)
    assert "Vom Redakteur" in client.get(reverse(INDEX)).content.decode()
    token = APIToken.objects.get()
    assert client.post(reverse(REVOKE, args=[token.pk])).status_code == 302
    assert api_as(token=secret).get("/api/v1/series").status_code == 401


def test_nobody_makes_tokens_for_readers(superuser, make_reader):
    reader = make_reader("alle")
    response = create(logged_in(superuser), "Für Leser", user=reader.pk)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not APIToken.objects.exists()
    made = create(logged_in(superuser), "Eigenes", user=superuser.pk)
    assert made.status_code == 200 and APIToken.objects.get().user == superuser


def test_readers_reach_no_token_page(make_reader):
    client = logged_in(make_reader("alle"))
    for url in (reverse(INDEX), reverse(ADD)):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.post(reverse(ADD), {"name": "x"}).status_code == 302
    assert not APIToken.objects.exists()
