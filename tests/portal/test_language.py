"""One language per page: content decides, the reader's explicit choice switches the labels."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import get_resolver, reverse
from django.utils import timezone
from wagtail.models import Locale

from tests.conftest import add_child
from vitrine.portal.models import Contact, HomePage, InfoBlockPage, NewsFlash

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def _html_lang(content: str) -> str:
    return re.search(r"<html\b[^>]*\blang=\"([^\"]+)\"", content).group(1)


def test_a_browser_asking_for_english_gets_german_labels_around_german_content(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    content = response.content.decode()

    assert _html_lang(content) == "de"
    assert "Zum Inhalt springen" in content
    assert "Skip to content" not in content
    assert response["Content-Language"] == "de"
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_language_cookie_switches_the_labels_to_english(client, home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert _html_lang(content) == "en"
    assert "Skip to content" in content


def test_the_language_switch_sets_what_later_pages_use(client, home):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    content = client.get("/").content.decode()
    assert _html_lang(content) == "en"
    assert "Skip to content" in content


def test_an_unknown_language_in_the_cookie_falls_back_to_the_site_language(client, home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    content = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert _html_lang(content) == "de"


def test_a_site_language_that_is_not_offered_falls_back_to_german(client, home, settings):
    settings.LANGUAGE_CODE = "fr"

    content = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert _html_lang(content) == "de"


def test_the_site_language_setting_is_the_default_for_readers(client, home, settings):
    settings.LANGUAGE_CODE = "en"

    content = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert _html_lang(content) == "en"


def test_the_wagtail_admin_still_follows_the_browser_language(client, db):
    content = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert _html_lang(content) == "en"


def _flash(title: str) -> NewsFlash:
    now = timezone.now()
    return NewsFlash.objects.create(
        title=title, text="Das Portal ist kurz weg.", starts_at=now - HOUR, ends_at=now + HOUR
    )


def _main_tag(content: str) -> str:
    return re.search(r"<main\b[^>]*>", content).group(0)


def test_english_labels_mark_the_german_content_as_german(client, home):
    add_child(
        home, InfoBlockPage(title="Aufgaben und Ziele", kind="tasks_goals", show_in_menus=True)
    )
    _flash("Wartung heute Abend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = client.get("/").content.decode()

    assert _html_lang(content) == "en"
    assert 'lang="de"' in _main_tag(content)
    assert re.search(r'<ul lang="de">\s*<li><a href="[^"]+">Aufgaben und Ziele</a>', content)
    assert re.search(r'class="news-flash__body" lang="de">\s*<h2[^>]*>Wartung heute Abend', content)


def test_german_labels_around_german_content_need_no_second_language(client, home):
    _flash("Wartung heute Abend")

    content = client.get("/").content.decode()

    assert _html_lang(content) == "de"
    assert content.count('lang="de"') == 1  # <html> only
    assert "lang=" not in _main_tag(content)


def test_the_page_s_own_locale_is_its_content_language(client, home):
    english = Locale.objects.create(language_code="en")
    block = InfoBlockPage(title="Our tasks", kind="tasks_goals", locale=english)
    add_child(home, block)

    german_ui = client.get(block.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_ui = client.get(block.url).content.decode()

    assert 'lang="en"' in _main_tag(german_ui)
    assert "lang=" not in _main_tag(english_ui)


def test_the_sign_in_page_is_interface_text_only_and_all_english(client, home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = client.get(reverse("portal:login")).content.decode()

    assert _html_lang(content) == "en"
    assert "lang=" not in _main_tag(content)


def _switch(content: str) -> str:
    return re.search(r'<form class="language-switch".*?</form>', content, re.S).group(0)


def test_the_german_switch_offers_english_labels_and_says_the_content_stays_german(client, home):
    switch = _switch(client.get("/").content.decode())

    button = re.search(r"<button[^>]*>([^<]*)</button>", switch)
    assert button.group(1) == "English"
    assert 'lang="en"' in button.group(0)
    hint_id = re.search(r'aria-describedby="([^"]+)"', button.group(0)).group(1)
    hint = re.search(rf'id="{hint_id}">([^<]*)<', switch).group(1)
    assert hint == "Bedienoberfläche auf Englisch (Inhalte bleiben Deutsch)"


def test_the_english_switch_offers_german_labels(client, home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    switch = _switch(client.get("/").content.decode())

    button = re.search(r"<button[^>]*>([^<]*)</button>", switch)
    assert button.group(1) == "Deutsch"
    assert 'lang="de"' in button.group(0)
    assert ">Interface in German<" in switch
    assert "English" not in switch


def test_the_404_page_is_the_site_s_own_with_a_search_and_the_contacts(client, home, settings):
    settings.DEBUG = False
    Contact.objects.create(
        name="Lizenzmanagement", topic="Lizenzen", email="lizenzen@muster-ag.example"
    )

    response = client.get("/gibt-es-nicht/")
    content = response.content.decode()

    assert response.status_code == 404
    assert "Not Found" not in content
    assert _html_lang(content) == "de"
    assert "<h1" in content and "Seite nicht gefunden" in content
    assert 'class="site-header"' in content and 'class="site-footer"' in content
    form = re.search(r'<form class="filters search-page-form"[^>]*>.*?</form>', content, re.S)
    assert 'action="/suche/"' in form.group(0) and 'method="get"' in form.group(0)
    assert 'name="q"' in form.group(0)
    assert 'href="mailto:lizenzen@muster-ag.example"' in content


def test_the_404_page_speaks_english_to_a_reader_who_chose_it(client, home, settings):
    settings.DEBUG = False
    Contact.objects.create(name="Lizenzmanagement", email="lizenzen@muster-ag.example")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = client.get("/gibt-es-nicht/").content.decode()

    assert _html_lang(content) == "en"
    assert "Page not found" in content
    assert '<ul class="contact-list" lang="de">' in content


@pytest.fixture
def broken_home(client, home, monkeypatch):
    """The home page fails with an error nobody caught; the client gets the 500 page."""

    def fail(*args, **kwargs):
        raise RuntimeError("the home page broke")

    monkeypatch.setattr(HomePage, "get_context", fail)
    client.raise_request_exception = False
    return client


def test_the_500_page_keeps_the_site_frame_a_search_and_the_way_to_the_contacts(broken_home):
    response = broken_home.get("/")
    content = response.content.decode()

    assert response.status_code == 500
    assert "Server Error" not in content
    assert _html_lang(content) == "de"
    assert "Etwas ist schiefgegangen" in content
    assert 'class="site-header"' in content and "vitrine/css/vitrine.css" in content
    assert re.search(r'<form [^>]*role="search" action="/suche/" method="get">', content)
    assert 'href="/#home-contacts-heading"' in content


def test_the_500_page_speaks_english_to_a_reader_who_chose_it(broken_home):
    broken_home.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = broken_home.get("/").content.decode()

    assert _html_lang(content) == "en"
    assert "Something went wrong" in content


def test_the_500_page_needs_no_database(rf, django_assert_num_queries):
    handler = get_resolver().resolve_error_handler(500)

    with django_assert_num_queries(0):
        response = handler(rf.get("/"))

    assert response.status_code == 500
    assert "Etwas ist schiefgegangen" in response.content.decode()


def test_a_500_page_that_cannot_be_rendered_still_answers_in_both_languages(rf, monkeypatch):
    def broken(name):
        raise ValueError(f"no static file for {name}")

    monkeypatch.setattr("vitrine.portal.errors.loader.get_template", broken)
    handler = get_resolver().resolve_error_handler(500)

    response = handler(rf.get("/"))

    assert response.status_code == 500
    content = response.content.decode()
    assert "Ein Fehler ist aufgetreten / An error occurred" in content
    assert 'href="/"' in content


def test_the_profile_is_english_and_marks_only_the_audience_names_german(client, make_reader):
    client.force_login(make_reader("management"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = client.get(reverse("audiences:profile")).content.decode()

    assert "lang=" not in _main_tag(content)
    assert '<ul class="choice-list" lang="de">' in content


def test_search_results_mark_their_german_hits_among_english_labels(client, home):
    add_child(home, InfoBlockPage(title="Aufgaben und Ziele", kind="tasks_goals"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = client.get("/suche/", {"q": "Aufgaben"}).content.decode()

    assert "lang=" not in _main_tag(content)
    hit = re.search(r'<li class="search-result"[^>]*>.*?</li>', content, re.S).group(0)
    assert hit.startswith('<li class="search-result" lang="de">')
    assert re.search(r'<p class="card__meta" lang="en">', hit)
