"""The portal's snippets in the Wagtail admin: contacts and the News Flash, under "Portal"."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from vitrine.portal.models import Contact, NewsFlash

NEWSFLASH = "wagtailsnippets_portal_newsflash"
CONTACT = "wagtailsnippets_portal_contact"


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def flash(title: str, *, start_days: int, end_days: int, urgency: str = "info") -> NewsFlash:
    now = timezone.now()
    return NewsFlash.objects.create(
        title=title,
        text="Bitte beachten.",
        urgency=urgency,
        starts_at=now + datetime.timedelta(days=start_days),
        ends_at=now + datetime.timedelta(days=end_days),
    )


def flash_form(**overrides) -> dict:
    data = {
        "title": "Wartung Lizenzserver",
        "text": "Am Samstag ist der Lizenzserver von 8 bis 12 Uhr nicht erreichbar.",
        "link_page": "",
        "link_url": "",
        "link_text": "",
        "urgency": "important",
        "starts_at": "2025-06-07 08:00",
        "ends_at": "2025-06-07 12:00",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_portal_menu_groups_contacts_and_news_flash_for_editors(client):
    editor = get_user_model().objects.create_user(username="lena", password="x-x-x-x-123")
    editor.groups.add(Group.objects.get(name="Editors"))
    editor.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="portal", codename__in=["view_newsflash", "view_contact"]
        )
    )
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert '"name": "portal"' in html or "&quot;name&quot;: &quot;portal&quot;" in html
    assert reverse(f"{NEWSFLASH}:list") in html
    assert reverse(f"{CONTACT}:list") in html


@pytest.mark.django_db
def test_news_flash_list_shows_urgency_window_and_whether_it_is_active(admin_client):
    flash("Lizenzserver läuft wieder", start_days=-1, end_days=1, urgency="critical")
    flash("Audit nächste Woche", start_days=3, end_days=10)
    flash("Alte Meldung", start_days=-10, end_days=-5)

    html = admin_client.get(reverse(f"{NEWSFLASH}:list")).content.decode()

    for title in ("Lizenzserver läuft wieder", "Audit nächste Woche", "Alte Meldung"):
        assert title in html
    assert "jetzt aktiv" in html and "geplant" in html and "beendet" in html
    assert "Angezeigt" in html  # the window column
    assert 'name="urgency"' in html  # the filter


@pytest.mark.django_db
def test_news_flash_list_filters_by_urgency(admin_client):
    flash("Lizenzserver läuft wieder", start_days=-1, end_days=1, urgency="critical")
    flash("Audit nächste Woche", start_days=3, end_days=10)

    html = admin_client.get(reverse(f"{NEWSFLASH}:list"), {"urgency": "critical"}).content.decode()

    assert "Lizenzserver läuft wieder" in html
    assert "Audit nächste Woche" not in html


@pytest.mark.django_db
def test_news_flash_form_puts_a_window_error_on_the_end_field(admin_client):
    response = admin_client.post(
        reverse(f"{NEWSFLASH}:add"), flash_form(ends_at="2025-06-07 07:00")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["ends_at"]
    assert not NewsFlash.objects.exists()


@pytest.mark.django_db
def test_news_flash_form_saves_a_valid_window(admin_client):
    response = admin_client.post(reverse(f"{NEWSFLASH}:add"), flash_form())

    assert response.status_code == 302
    saved = NewsFlash.objects.get()
    assert saved.ends_at - saved.starts_at == datetime.timedelta(hours=4)


@pytest.mark.django_db
def test_contact_list_and_form(admin_client):
    Contact.objects.create(name="Service Desk", role="Erste Hilfe", topic="Anfragen", phone="123")

    html = admin_client.get(reverse(f"{CONTACT}:list")).content.decode()
    assert "Service Desk" in html and "Erste Hilfe" in html and "Anfragen" in html

    response = admin_client.post(
        reverse(f"{CONTACT}:add"),
        {"name": "Ohne Weg", "role": "", "topic": "", "email": "", "phone": "", "sort_order": 1},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert not Contact.objects.filter(name="Ohne Weg").exists()


def _list_row(html: str, title: str) -> str:
    """The text of the listing row that names `title`."""
    import re

    (row,) = [r.split("</tr>")[0] for r in html.split("<tr")[1:] if title in r.split("</tr>")[0]]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


@pytest.mark.django_db
def test_news_flash_list_shows_each_flashs_audiences_and_window(admin_client, audience):
    berlin = timezone.get_current_timezone()
    narrowed = NewsFlash.objects.create(
        title="Wartung Lizenzserver",
        text="Bitte beachten.",
        starts_at=datetime.datetime(2026, 6, 7, 8, 0, tzinfo=berlin),
        ends_at=datetime.datetime(2026, 6, 7, 12, 30, tzinfo=berlin),
    )
    narrowed.audiences.set([audience("management"), audience("itsm-rollen")])
    NewsFlash.objects.create(
        title="Audit nächste Woche",
        text="Bitte beachten.",
        starts_at=datetime.datetime(2026, 7, 1, 9, 0, tzinfo=berlin),
        ends_at=datetime.datetime(2026, 7, 3, 17, 0, tzinfo=berlin),
    )
    names = {a.slug: a.name for a in (audience("management"), audience("itsm-rollen"))}

    html = admin_client.get(reverse(f"{NEWSFLASH}:list")).content.decode()

    assert "Zielgruppen" in html and "Angezeigt" in html  # the column headings
    row = _list_row(html, "Wartung Lizenzserver")
    assert names["management"] in row and names["itsm-rollen"] in row
    assert "07.06.2026 08:00 – 07.06.2026 12:30" in row
    row = _list_row(html, "Audit nächste Woche")
    assert " Alle " in f"{row} "
    assert names["management"] not in row
    assert "01.07.2026 09:00 – 03.07.2026 17:00" in row
