"""The one-click "still valid" link: GET shows, POST confirms, bad links change nothing."""

import time
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.portal.test_review import days, make_block, make_owner
from vitrine.portal.models import InfoBlockPage, ReviewConfirmation
from vitrine.portal.services import review_token_make


def confirm_url(page, owner) -> str:
    return reverse("review:confirm", kwargs={"token": review_token_make(page=page, owner=owner)})


@pytest.fixture
def anna(db):
    return make_owner("anna", first="Anna", last="Albers")


@pytest.fixture
def block(home, anna):
    return make_block(home, "Regeln für Software", owner=anna, review_by=days(-2), interval=120)


def csrf_post(client: Client, url: str):
    """POST the confirmation form the way a browser does: with the token from the GET."""
    page = client.get(url)
    token = page.context["csrf_token"]
    return client.post(url, {"csrfmiddlewaretoken": str(token)})


@pytest.mark.django_db
def test_get_shows_a_single_button_and_changes_nothing(client, block, anna):
    response = client.get(confirm_url(block, anna))

    assert response.status_code == 200
    forms = BeautifulSoup(response.content, "html.parser").select("main form")
    assert len(forms) == 1
    assert forms[0]["method"] == "post"
    buttons = forms[0].find_all("button")
    assert [b.get_text(strip=True) for b in buttons] == ["Ja, der Infoblock ist noch gültig"]
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    block.refresh_from_db()
    assert block.review_by == days(-2)
    assert not ReviewConfirmation.objects.exists()


@pytest.mark.django_db
def test_post_confirms_for_the_owner_named_in_the_link(block, anna):
    client = Client(enforce_csrf_checks=True)

    response = csrf_post(client, confirm_url(block, anna))

    assert response.status_code == 200
    assert "ist als noch gültig bestätigt" in response.content.decode()
    block.refresh_from_db()
    assert block.review_by == days(120)
    confirmation = ReviewConfirmation.objects.get()
    assert confirmation.confirmed_by == anna
    assert confirmation.previous_review_by == days(-2)


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused(block, anna):
    client = Client(enforce_csrf_checks=True)

    response = client.post(confirm_url(block, anna))

    assert response.status_code == 403
    block.refresh_from_db()
    assert block.review_by == days(-2)


@pytest.mark.django_db
def test_second_click_says_already_confirmed_by_whom(client, block, anna):
    url = confirm_url(block, anna)
    client.post(url)

    again = client.post(url)
    shown = client.get(url)

    assert ReviewConfirmation.objects.count() == 1
    for response in (again, shown):
        html = response.content.decode()
        assert response.status_code == 200
        assert "wurde bereits am" in html and "von Anna Albers bestätigt" in html


@pytest.mark.django_db
def test_link_for_an_older_review_date_changes_nothing(client, block, anna):
    old_url = confirm_url(block, anna)
    InfoBlockPage.objects.filter(pk=block.pk).update(review_by=days(30))

    response = client.post(old_url)

    assert response.status_code == 200
    assert "Das Prüfdatum" in response.content.decode()
    block.refresh_from_db()
    assert block.review_by == days(30)
    assert not ReviewConfirmation.objects.exists()


@pytest.mark.django_db
def test_tampered_link_is_refused_with_400_and_changes_nothing(client, block, anna):
    token = review_token_make(page=block, owner=anna)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    for url in (
        reverse("review:confirm", kwargs={"token": tampered}),
        reverse("review:confirm", kwargs={"token": "kein-gueltiger-link"}),
    ):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400
            assert "Dieser Link ist ungültig" in response.content.decode()
    block.refresh_from_db()
    assert block.review_by == days(-2)
    assert not ReviewConfirmation.objects.exists()


@pytest.mark.django_db
def test_expired_link_is_refused_with_400_and_changes_nothing(client, block, anna):
    sixty_one_days_ago = time.time() - 61 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=sixty_one_days_ago):
        url = confirm_url(block, anna)

    response = client.post(url)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Dieser Link ist abgelaufen" in html
    assert "60 Tage" in html
    block.refresh_from_db()
    assert block.review_by == days(-2)
    assert not ReviewConfirmation.objects.exists()


@pytest.mark.django_db
def test_link_for_a_former_owner_is_refused(client, block, anna):
    url = confirm_url(block, anna)
    successor = make_owner("bernd")
    InfoBlockPage.objects.filter(pk=block.pk).update(owner_user=successor)

    response = client.post(url)

    assert response.status_code == 400
    assert "frühere verantwortliche Person" in response.content.decode()
    assert not ReviewConfirmation.objects.exists()


@pytest.mark.django_db
def test_logged_in_editor_is_recorded_as_the_confirming_person(client, block, anna):
    editor = make_owner("petra")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    client.post(confirm_url(block, anna))

    assert ReviewConfirmation.objects.get().confirmed_by == editor


@pytest.mark.django_db
def test_logged_in_reader_without_edit_rights_confirms_for_the_owner(client, block, anna):
    reader = make_owner("rolf")
    client.force_login(reader)

    client.post(confirm_url(block, anna))

    assert ReviewConfirmation.objects.get().confirmed_by == anna


@pytest.mark.django_db
def test_link_to_a_block_that_no_longer_exists_gives_a_clear_message(client, block, anna):
    gone = InfoBlockPage(pk=block.pk + 1000, review_by=block.review_by)
    url = confirm_url(gone, anna)

    response = client.get(url)

    assert response.status_code == 400
    assert "gibt es nicht mehr" in response.content.decode()
