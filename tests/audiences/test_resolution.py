"""Audience resolution: everyone, directory groups, own choice, editor assignment."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import RequestFactory

from vitrine.audiences.models import Audience
from vitrine.audiences.selectors import audiences_for_request, audiences_for_user

pytestmark = pytest.mark.django_db


def slugs(audiences) -> set[str]:
    return {a.slug for a in audiences}


def test_seeded_audiences_exist_in_order():
    names = list(Audience.objects.values_list("slug", flat=True))
    assert names == ["alle", "management", "budgetverantwortliche", "mitarbeitende", "itsm-rollen"]
    assert Audience.objects.everyone().slug == "alle"


def test_anonymous_reader_gets_everyone():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert slugs(audiences_for_request(request)) == {"alle"}


def test_directory_group_maps_to_audience(make_reader, audience):
    group = Group.objects.create(name="SSO-Fuehrungskreis")
    audience("management").groups.add(group)
    reader = make_reader()
    assert slugs(audiences_for_user(reader)) == {"alle"}
    reader.groups.add(group)
    assert slugs(audiences_for_user(reader)) == {"alle", "management"}


def test_editor_assignment(make_reader):
    reader = make_reader("itsm-rollen")
    assert slugs(audiences_for_user(reader)) == {"alle", "itsm-rollen"}


def test_all_three_sources_combine_without_duplicates(make_reader, audience, client):
    group = Group.objects.create(name="IT-Einkauf")
    audience("itsm-rollen").groups.add(group)
    reader = make_reader("itsm-rollen", "management")
    reader.groups.add(group)
    client.force_login(reader)
    client.post(
        "/profil/", {"audiences": [audience("itsm-rollen").pk, audience("mitarbeitende").pk]}
    )
    result = audiences_for_user(reader)
    assert slugs(result) == {"alle", "itsm-rollen", "management", "mitarbeitende"}
    assert len(result) == 4


def test_profile_page_saves_own_choice(make_reader, audience, client):
    reader = make_reader()
    client.force_login(reader)
    page = client.get("/profil/")
    assert page.status_code == 200
    assert "Budgetverantwortliche und Produktverantwortliche" in page.content.decode()
    response = client.post("/profil/", {"audiences": [audience("budgetverantwortliche").pk]})
    assert response.status_code == 302
    assert slugs(audiences_for_user(reader)) == {"alle", "budgetverantwortliche"}
    # Unchecking everything removes the choice again.
    client.post("/profil/", {})
    assert slugs(audiences_for_user(reader)) == {"alle"}


def test_profile_rejects_unknown_audience_and_changes_nothing(make_reader, audience, client):
    reader = make_reader()
    client.force_login(reader)
    client.post("/profil/", {"audiences": [audience("management").pk]})
    response = client.post("/profil/", {"audiences": ["999999"]})
    assert response.status_code == 200
    assert "999999" in response.content.decode()
    assert slugs(audiences_for_user(reader)) == {"alle", "management"}


def test_everyone_cannot_be_chosen_on_the_profile(make_reader, audience, client):
    reader = make_reader()
    client.force_login(reader)
    response = client.post("/profil/", {"audiences": [audience("alle").pk]})
    assert response.status_code == 200  # form error: not a valid choice
    assert reader.reader_profile.chosen_audiences.count() == 0


def test_profile_requires_login(client):
    response = client.get("/profil/")
    assert response.status_code == 302
    assert response["Location"].startswith("/anmelden/")


def test_editors_manage_audiences_in_wagtail_admin(editor, client):
    client.force_login(editor)
    listing = client.get("/admin/snippets/audiences/audience/")
    assert listing.status_code == 200
    assert "Geschäftsführung und Management" in listing.content.decode()
    response = client.post(
        "/admin/snippets/audiences/audience/add/",
        {"name": "Projektleitungen", "slug": "projektleitungen", "sort_order": 60},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Audience.objects.filter(slug="projektleitungen").exists()


def test_a_second_everyone_audience_is_refused_in_the_admin(editor, client):
    client.force_login(editor)
    response = client.post(
        "/admin/snippets/audiences/audience/add/",
        {"name": "Wirklich alle", "slug": "wirklich-alle", "sort_order": 1, "is_everyone": "on"},
    )
    assert response.status_code == 200
    assert "Alle" in response.content.decode()
    assert Audience.objects.filter(is_everyone=True).count() == 1
    assert not Audience.objects.filter(slug="wirklich-alle").exists()
