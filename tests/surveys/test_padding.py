"""Padding and double answers: signed-in surveys, one answer per reader, a rate limit that
keys on the address the trusted proxy reports and holds across worker processes."""

import os
import subprocess
import sys

import pytest
from django.test import Client

from vitrine.surveys.models import PendingResponse, SurveyPage
from vitrine.surveys.services import client_address

from .test_answering import accepted, form_data

pytestmark = pytest.mark.django_db


def test_a_signed_in_only_survey_refuses_anonymous_answers(make_survey, make_reader):
    survey = make_survey(signed_in_only=True)
    anonymous = Client()
    page = anonymous.get(survey.url).content.decode()
    assert '<form class="survey-form"' not in page
    assert "Sign in to answer" in page and "next=" in page
    refused = anonymous.post(survey.url, form_data(survey))
    assert refused.status_code == 403
    assert accepted() == 0
    person = make_reader("management")
    reader = Client()
    reader.force_login(person)
    assert reader.post(survey.url, form_data(survey)).status_code == 303
    # Once, whatever the cookie says: a fresh browser of the same reader is refused.
    again = Client()
    again.force_login(person)
    assert again.post(survey.url, form_data(survey)).status_code == 409
    assert PendingResponse.objects.count() == 1


def test_default_for_new_surveys_follows_the_setting(settings):
    settings.VITRINE_SURVEYS_SIGNED_IN_ONLY = True
    assert SurveyPage().signed_in_only is True
    settings.VITRINE_SURVEYS_SIGNED_IN_ONLY = False
    assert SurveyPage().signed_in_only is False


def test_results_page_says_when_doubles_cannot_be_checked(make_survey, answer):
    from tests.conftest import add_child
    from vitrine.surveys.models import SurveyResultsPage

    texts = {}
    for signed_in_only in (False, True):
        survey = make_survey(title=f"Survey {signed_in_only}", signed_in_only=signed_in_only)
        page = add_child(
            survey,
            SurveyResultsPage(title="Ergebnisse", key_results="<p>x</p>", takeaways="<p>y</p>"),
        )
        texts[signed_in_only] = Client().get(page.url).content.decode()
    note = "cannot be checked for double answers"
    assert note in texts[False] and note not in texts[True]


class FakeRequest:
    def __init__(self, remote, forwarded=""):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_client_address_believes_only_trusted_proxies(settings):
    settings.VITRINE_TRUSTED_PROXIES = ["10.0.0.5", "192.168.10.0/24"]
    # A reader who writes the header themselves changes nothing.
    assert client_address(FakeRequest("172.16.1.9", "1.2.3.4")) == "172.16.1.9"
    # Through the proxy: the last address the proxies did not add themselves.
    assert client_address(FakeRequest("10.0.0.5", "1.2.3.4, 172.16.1.9")) == "172.16.1.9"
    assert (
        client_address(FakeRequest("10.0.0.5", "1.2.3.4, 172.16.1.9, 192.168.10.7")) == "172.16.1.9"
    )
    assert client_address(FakeRequest("10.0.0.5")) == "10.0.0.5"
    settings.VITRINE_TRUSTED_PROXIES = []
    assert client_address(FakeRequest("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


def test_spoofed_forwarded_for_does_not_escape_the_rate_limit(survey, settings):
    settings.VITRINE_SURVEY_ANONYMOUS_RATE = 2
    settings.VITRINE_TRUSTED_PROXIES = ["10.0.0.5"]
    for number in range(2):
        browser = Client(HTTP_X_FORWARDED_FOR=f"1.1.1.{number}")
        assert browser.post(survey.url, form_data(survey)).status_code == 303
    refused = Client(HTTP_X_FORWARDED_FOR="1.1.1.99").post(survey.url, form_data(survey))
    assert refused.status_code == 429
    assert accepted() == 2


SCRIPT = """
import django, os, sys
os.environ["SHARED_CACHE_URL"] = sys.argv[1]
os.environ["SURVEY_ANONYMOUS_RATE"] = "1"
django.setup()
from types import SimpleNamespace
from vitrine.surveys.services import rate_limit_hit
print(rate_limit_hit(SimpleNamespace(pk=4711), "172.16.1.9"))
"""


def test_the_rate_limit_is_shared_between_worker_processes(tmp_path):
    url = f"filecache://{tmp_path / 'cache'}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vitrine.settings"}
    outcomes = [
        subprocess.run(
            [sys.executable, "-c", SCRIPT, url], capture_output=True, text=True, env=env
        ).stdout.strip()
        for _ in range(2)
    ]
    assert outcomes == ["False", "True"], outcomes
