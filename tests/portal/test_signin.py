"""Readers sign in on a page of the portal and sign out from its header (issue 11 §2)."""

import re

import pytest
from django.conf import settings
from wagtail.models import PageViewRestriction

from tests.conftest import add_child
from vitrine.portal.models import NewsIndexPage

SIGN_IN = "/anmelden/"
SIGN_OUT = "/abmelden/"
PASSWORD = "lesen-lesen-123"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def erika(make_reader):
    return make_reader(
        "mitarbeitende", username="emuster", first_name="Erika", last_name="Mustermann"
    )


def signed_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def sign_in(client, username="emuster", password=PASSWORD, **data):
    return client.post(SIGN_IN, {"username": username, "password": password, **data})


# The page -------------------------------------------------------------------------------


def test_sign_in_page_is_in_the_site_frame_with_viewport_and_labels(client, home):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="de">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert "<title>Anmelden –" in page
    assert re.search(r"<h1[^>]*>Anmelden</h1>", page)
    assert re.search(r'<label for="id_username">Benutzername</label>', page)
    assert re.search(r'<label for="id_password">Passwort</label>', page)
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "vitrine/css/signin.css" in page


def test_sign_in_page_speaks_english_to_english_readers(client, home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(SIGN_IN).content.decode()
    assert '<html lang="en">' in page
    assert re.search(r"<h1[^>]*>Sign in</h1>", page)
    assert '<label for="id_username">Username</label>' in page


def test_sign_in_keeps_the_page_the_reader_came_from(client, home):
    page = client.get(SIGN_IN, {"next": "/profil/"}).content.decode()
    assert '<input type="hidden" name="next" value="/profil/">' in page


def test_sign_in_page_offers_no_single_sign_on_button_while_there_is_none(client, home):
    page = client.get(SIGN_IN).content.decode()
    assert "single-sign-on" not in page


# Who is sent there ----------------------------------------------------------------------


def test_profile_sends_anonymous_readers_to_the_sign_in(client, home):
    response = client.get("/profil/")
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/profil/"


def test_private_page_sends_anonymous_readers_to_the_sign_in(client, home):
    internal = add_child(home, NewsIndexPage(title="Betriebsrat intern", slug="betriebsrat"))
    PageViewRestriction.objects.create(page=internal, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(internal.url)
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={internal.url}"


def test_wagtails_own_login_address_leads_to_the_sign_in(client, home):
    response = client.get("/_util/login/", {"next": "/profil/"})
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=%2Fprofil%2F"
    assert client.get(response["Location"]).status_code == 200


def test_header_offers_the_sign_in_with_the_current_page(client, home):
    page = client.get("/suche/", {"q": "Adobe"}).content.decode()
    assert f'href="{SIGN_IN}?next=/suche/%3Fq%3DAdobe"' in page
    # On the sign-in page itself the link does not point back to it.
    page = client.get(SIGN_IN).content.decode()
    assert f'href="{SIGN_IN}?next=' not in page


# Signing in -----------------------------------------------------------------------------


def test_right_password_signs_in_and_goes_to_next(client, erika):
    response = sign_in(client, next="/profil/")
    assert response.status_code == 302
    assert response["Location"] == "/profil/"
    assert signed_in_as(client) == str(erika.pk)


def test_right_password_without_next_goes_home(client, erika):
    response = sign_in(client)
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://boese.example/",
        "//boese.example/profil/",
        "http://boese.example",
        "https:/\\boese.example",
        "javascript:alert(1)",
        "/\\boese.example",
    ],
)
def test_external_next_is_ignored(client, erika, next_url):
    page = client.get(SIGN_IN, {"next": next_url}).content.decode()
    form = re.search(r'<form class="sign-in__form".*?</form>', page, re.S).group(0)
    assert "boese.example" not in form and "javascript:" not in form
    response = sign_in(client, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == str(erika.pk)


def test_wrong_password_says_so_and_signs_nobody_in(client, erika):
    response = sign_in(client, password="falsch")
    assert response.status_code == 200
    assert signed_in_as(client) is None
    page = response.content.decode()
    assert "Benutzername oder Passwort stimmen nicht" in page
    assert 'role="alert"' in page
    # The username stays; the password does not come back.
    assert 'value="emuster"' in page
    assert "falsch" not in page


def test_unknown_user_gets_the_same_message(client, erika):
    page = sign_in(client, username="niemand", password="irgendwas").content.decode()
    assert "Benutzername oder Passwort stimmen nicht" in page


def test_empty_fields_are_named_and_marked(client, home):
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bitte geben Sie Ihren Benutzernamen ein." in page
    assert "Bitte geben Sie Ihr Passwort ein." in page
    username = re.search(r"<input[^>]*id=\"id_username\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in username
    assert 'aria-describedby="id_username_error"' in username
    assert 'id="id_username_error"' in page


def test_inactive_account_cannot_sign_in(client, erika):
    erika.is_active = False
    erika.save()
    page = sign_in(client).content.decode()
    assert signed_in_as(client) is None
    # Django's ModelBackend does not authenticate inactive users: same message, no hint.
    assert "Benutzername oder Passwort stimmen nicht" in page


@pytest.mark.parametrize(
    "data",
    [
        {"username": "x" * 10_000, "password": "y"},
        {"username": "\x00", "password": "\x00"},
        {"username": ["a", "b"], "password": "c"},
        {},
    ],
)
def test_odd_input_gives_a_form_not_a_server_error(client, home, data):
    response = client.post(SIGN_IN, data)
    assert response.status_code == 200
    assert signed_in_as(client) is None


def test_sign_in_needs_the_csrf_token(home, erika):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(SIGN_IN, {"username": "emuster", "password": PASSWORD})
    assert response.status_code == 403
    assert signed_in_as(strict) is None


def test_failed_sign_ins_count_towards_the_login_limit(client, erika):
    for attempt in range(5):
        sign_in(client, password=f"falsch-{attempt}")
    response = sign_in(client)
    assert response.status_code == 429
    assert signed_in_as(client) is None


# The header once signed in --------------------------------------------------------------


def test_header_shows_the_name_the_profile_and_a_sign_out_form(client, erika, home):
    client.force_login(erika)
    page = client.get("/").content.decode()
    assert "Erika Mustermann" in page
    assert re.search(r'<a [^>]*href="/profil/"[^>]*>Erika Mustermann</a>', page)
    form = re.search(r'<form class="account__sign-out"[^>]*>.*?</form>', page, re.S).group(0)
    assert 'method="post"' in form and f'action="{SIGN_OUT}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert re.search(r"<button[^>]*>Abmelden</button>", form)
    assert f'href="{SIGN_IN}' not in page


def test_header_falls_back_to_the_username(client, make_reader, home):
    client.force_login(make_reader(username="kfischer"))
    page = client.get("/").content.decode()
    assert re.search(r'<a [^>]*href="/profil/"[^>]*>kfischer</a>', page)


def test_header_of_anonymous_readers_has_no_sign_out(client, home):
    page = client.get("/").content.decode()
    assert "account__sign-out" not in page
    assert f'href="{SIGN_IN}?next=/"' in page


def test_signed_in_reader_on_the_sign_in_page_is_told_who_they_are(client, erika):
    client.force_login(erika)
    page = client.get(SIGN_IN, {"next": "/profil/"}).content.decode()
    assert "Sie sind als Erika Mustermann angemeldet." in page


# Signing out ----------------------------------------------------------------------------


def test_sign_out_by_post_goes_home_with_a_message(client, erika, home):
    client.force_login(erika)
    response = client.post(SIGN_OUT)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) is None
    page = client.get("/").content.decode()
    assert "Sie sind abgemeldet." in page
    assert "Erika Mustermann" not in page


def test_sign_out_ignores_an_external_next(client, erika, home):
    client.force_login(erika)
    response = client.post(SIGN_OUT, {"next": "https://boese.example/"})
    assert response["Location"] == "/"


def test_get_does_not_sign_out_but_asks(client, erika, home):
    client.force_login(erika)
    response = client.get(SIGN_OUT)
    assert response.status_code == 200
    assert signed_in_as(client) == str(erika.pk)
    page = response.content.decode()
    assert '<meta name="viewport"' in page
    assert re.search(r'<form [^>]*method="post"[^>]*action="/abmelden/"', page) or re.search(
        r'<form [^>]*action="/abmelden/"[^>]*method="post"', page
    )


def test_get_sign_out_for_anonymous_readers_offers_the_sign_in(client, home):
    response = client.get(SIGN_OUT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sie sind nicht angemeldet." in page
    assert f'href="{SIGN_IN}"' in page


def test_sign_out_needs_the_csrf_token(erika, home):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(erika)
    assert strict.post(SIGN_OUT).status_code == 403
    assert signed_in_as(strict) == str(erika.pk)


def test_sign_out_when_already_signed_out_is_no_error(client, home):
    response = client.post(SIGN_OUT)
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("url", [SIGN_IN, "/admin/login/", "/django-admin/login/"])
def test_an_overlong_username_is_refused_on_every_login_form_without_a_server_error(
    client, home, url
):
    response = client.post(url, {"username": "x" * 300, "password": "falsch"})
    assert response.status_code == 200
    assert signed_in_as(client) is None
