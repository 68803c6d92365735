"""The News Flash: its window, its audiences, its urgency and its link, on every portal page."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone

from tests.conftest import add_child
from vitrine.audiences.models import Audience
from vitrine.portal.context_processors import portal
from vitrine.portal.models import NewsFlash, NewsIndexPage
from vitrine.portal.selectors import active_news_flashes

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _flash(title="Lizenzserver am Samstag nicht erreichbar", *audiences, **fields) -> NewsFlash:
    now = timezone.now()
    fields.setdefault("text", "Am Samstag zwischen 8 und 12 Uhr starten CAD-Programme nicht.")
    fields.setdefault("starts_at", now - HOUR)
    fields.setdefault("ends_at", now + HOUR)
    flash = NewsFlash.objects.create(title=title, **fields)
    flash.audiences.set(audiences)
    return flash


def _flashes_in(content: str) -> list[str]:
    return re.findall(r'<aside class="news-flash" data-urgency="(\w+)"', content)


def test_the_window_includes_its_start_and_excludes_its_end(db):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    flash = _flash(starts_at=start, ends_at=start + 2 * HOUR)
    everyone = [Audience.objects.everyone()]
    tick = datetime.timedelta(microseconds=1)

    assert active_news_flashes(everyone, at=start - tick) == []
    assert active_news_flashes(everyone, at=start) == [flash]
    assert active_news_flashes(everyone, at=start + 2 * HOUR - tick) == [flash]
    assert active_news_flashes(everyone, at=start + 2 * HOUR) == []


def test_a_flash_outside_its_window_is_shown_nowhere(client, home):
    now = timezone.now()
    _flash("Vorbei", starts_at=now - 3 * HOUR, ends_at=now - HOUR)
    _flash("Kommt noch", starts_at=now + HOUR, ends_at=now + 3 * HOUR)
    index = add_child(home, NewsIndexPage(title="Neuigkeiten"))

    for url in ("/", index.url, "/suche/?q=Lizenz"):
        content = client.get(url).content.decode()
        assert _flashes_in(content) == [], url
        assert "Vorbei" not in content
        assert "Kommt noch" not in content


def test_a_flash_that_just_ended_is_gone_and_one_that_just_started_is_there(client, home):
    now = timezone.now()
    _flash("Gerade beendet", starts_at=now - 2 * HOUR, ends_at=now - datetime.timedelta(seconds=1))
    _flash("Gerade begonnen", starts_at=now - datetime.timedelta(seconds=1), ends_at=now + HOUR)

    content = client.get("/").content.decode()

    assert "Gerade begonnen" in content
    assert "Gerade beendet" not in content


def test_the_flash_is_on_every_portal_page(client, home, make_reader):
    _flash("Neue Freigaberegel ab Montag", urgency="important")
    index = add_child(home, NewsIndexPage(title="Neuigkeiten"))
    client.force_login(make_reader())

    for url in ("/", index.url, "/suche/", "/suche/?q=Freigabe", "/profil/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _flashes_in(response.content.decode()) == ["important"], url


def test_a_flash_for_management_is_only_shown_to_management(client, home, audience, make_reader):
    _flash("Audit-Ergebnis liegt vor", audience("management"))

    anonymous = client.get("/").content.decode()
    client.force_login(make_reader("mitarbeitende"))
    employee = client.get("/").content.decode()
    client.force_login(make_reader("management"))
    manager = client.get("/").content.decode()

    assert "Audit-Ergebnis liegt vor" not in anonymous
    assert "Audit-Ergebnis liegt vor" not in employee
    assert "Audit-Ergebnis liegt vor" in manager


@pytest.mark.parametrize("for_everyone", [[], ["alle"]], ids=["no audience", "Alle"])
def test_a_flash_for_everyone_is_shown_to_every_reader(
    client, home, audience, make_reader, for_everyone
):
    _flash("Wartung heute Abend", *[audience(slug) for slug in for_everyone])

    readers = [None, make_reader("management"), make_reader("mitarbeitende")]
    for reader in readers:
        if reader is not None:
            client.force_login(reader)
        assert "Wartung heute Abend" in client.get("/").content.decode(), reader


def test_the_urgency_is_in_the_markup_and_the_most_urgent_comes_first(client, home):
    now = timezone.now()
    _flash("Hinweis", urgency="info", starts_at=now - 2 * HOUR)
    _flash("Wichtig", urgency="important", starts_at=now - 3 * HOUR)
    _flash("Kritisch", urgency="critical", starts_at=now - HOUR)

    content = client.get("/").content.decode()

    assert _flashes_in(content) == ["critical", "important", "info"]


def test_each_flash_carries_a_key_that_changes_when_it_is_edited(client, home):
    flash = _flash()
    content = client.get("/").content.decode()
    key = re.search(r'data-flash-key="([^"]+)"', content).group(1)

    NewsFlash.objects.filter(pk=flash.pk).update(updated_at=flash.updated_at + HOUR)
    changed = client.get("/").content.decode()

    assert key == flash.dismiss_key
    assert re.search(r'data-flash-key="([^"]+)"', changed).group(1) != key


def test_the_dismiss_button_waits_for_the_script(client, home):
    _flash()

    content = client.get("/").content.decode()

    # Without JavaScript nothing could remember the dismissal, so the button stays hidden.
    assert re.search(r'<button type="button" class="news-flash__dismiss" hidden>', content)
    assert '<script src="/static/vitrine/js/vitrine.js" defer></script>' in content


def test_the_script_remembers_dismissals_in_local_storage_only(client):
    script = client.get("/static/vitrine/js/vitrine.js")
    source = b"".join(script.streaming_content).decode()

    assert script.status_code == 200
    assert "localStorage" in source
    assert "fetch(" not in source and "XMLHttpRequest" not in source
    assert "document.cookie" not in source
    # A critical flash is never stored as dismissed, so it comes back on the next page.
    assert 'getAttribute("data-urgency") === "critical"' in source


def test_a_flash_links_to_a_live_page(client, home):
    index = add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))
    _flash(link_page=index, link_text="Zu den Neuigkeiten", link_url="https://intranet.example/alt")

    content = client.get("/").content.decode()

    assert f'<a class="news-flash__link" href="{index.url}">Zu den Neuigkeiten</a>' in content


def test_a_flash_links_to_a_url_and_falls_back_to_it_when_the_page_is_unpublished(client, home):
    index = add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))
    _flash(link_page=index, link_url="https://intranet.example/wartung")
    index.unpublish()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get("/").content.decode()

    assert (
        '<a class="news-flash__link" href="https://intranet.example/wartung">'
        '<span lang="en">Read more</span></a>' in content  # an English label in German text
    )


def test_a_flash_without_link_has_no_link(client, home):
    _flash()

    assert "news-flash__link" not in client.get("/").content.decode()


def test_the_context_processor_gives_flashes_and_feed_audiences_but_nothing_to_the_admin(
    home, audience, make_reader
):
    _flash("Für das Management", audience("management"))
    _flash("Für alle")
    factory = RequestFactory()
    request = factory.get("/")
    request.user = make_reader("management")
    admin_request = factory.get("/admin/pages/")
    admin_request.user = request.user

    context = portal(request)

    assert {f.title for f in context["news_flashes"]} == {"Für das Management", "Für alle"}
    assert [a.slug for a in context["feed_audiences"]] == ["management"]
    assert portal(admin_request) == {}


def test_text_in_a_flash_is_escaped(client, home):
    _flash("<img src=x onerror=alert(1)>", text="<script>alert(1)</script>")

    content = client.get("/").content.decode()

    assert "<img src=x" not in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
