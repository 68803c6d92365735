"""One language per page: content decides, the reader's explicit choice switches the labels."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


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
