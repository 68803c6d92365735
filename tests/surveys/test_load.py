"""500 answers at once against a live server: each stored exactly once, none lost, none doubled.

Runs in the normal suite (against PostgreSQL in the PostgreSQL leg of CI). 400 anonymous
readers and 100 logged-in readers answer concurrently; half of the logged-in readers also send a
second answer at the same moment, which must be refused.
"""

import datetime
import re
import secrets
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from vitrine.surveys.choices import QuestionKind
from vitrine.surveys.models import Answer, Participation, Response, SurveyQuestion
from vitrine.surveys.services import answers_land

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ANONYMOUS = 400
USERS = 100
TWICE = 50  # logged-in readers who send a second answer at the same moment
WORKERS = 24


def session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def post(url: str, rating_field: str, text_field: str, marker: str, session_key: str = ""):
    csrf = secrets.token_hex(16)  # double-submit: cookie and field carry the same secret
    cookies = {"csrftoken": csrf}
    if session_key:
        cookies["sessionid"] = session_key
    response = requests.post(
        url,
        data={"csrfmiddlewaretoken": csrf, rating_field: "4", text_field: marker},
        cookies=cookies,
        allow_redirects=False,
        timeout=60,
    )
    return marker, response.status_code


def serialize_on_in_memory_sqlite(live_server, monkeypatch) -> None:
    """SQLite takes one writer at a time. A file database queues writers itself (IMMEDIATE
    transactions with a timeout); the in-memory test database is a single connection shared
    by every server thread, which cannot hold transactions side by side. There, the server
    handles one request at a time while the 500 clients still send concurrently."""
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        return
    server = live_server.thread.httpd
    handle = server.process_request_thread
    lock = threading.Lock()

    def one_at_a_time(request, client_address):
        with lock:
            handle(request, client_address)

    monkeypatch.setattr(server, "process_request_thread", one_at_a_time)


def test_500_concurrent_answers(live_server, make_survey, settings, monkeypatch):
    settings.VITRINE_SURVEY_ANONYMOUS_RATE = 10_000
    serialize_on_in_memory_sqlite(live_server, monkeypatch)
    survey = make_survey(
        questions=[
            SurveyQuestion(kind=QuestionKind.RATING, text="Rating", required=True),
            SurveyQuestion(kind=QuestionKind.TEXT, text="Marker"),
        ]
    )
    rating, text = (f"q{q.pk}" for q in survey.ordered_questions)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"load{i}", password="!") for i in range(USERS)
    )
    sessions = [session_for(user) for user in users]
    url = live_server.url + survey.url
    jobs = [(f"anon-{i}", "") for i in range(ANONYMOUS)]
    # Each logged-in reader answers twice at once; exactly one may be stored.
    jobs += [(f"user-{i}", key) for i, key in enumerate(sessions)]
    jobs += [(f"user-{i}-again", key) for i, key in enumerate(sessions[:TWICE])]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(lambda job: post(url, rating, text, *job), jobs))

    statuses = Counter(status for _marker, status in outcomes)
    assert statuses == {303: ANONYMOUS + USERS, 409: TWICE}, statuses
    # Every accepted answer lands once the survey has closed.
    answers_land(survey, now=survey.closes_at + datetime.timedelta(seconds=1))
    assert Response.objects.filter(survey=survey).count() == ANONYMOUS + USERS
    markers = Counter(Answer.objects.filter(value="").values_list("text", flat=True))
    assert all(count == 1 for count in markers.values())
    for i in range(ANONYMOUS):
        assert markers[f"anon-{i}"] == 1
    for i in range(USERS):
        # one of the two answers of each reader, never both
        assert markers[f"user-{i}"] + markers[f"user-{i}-again"] == 1
    assert Answer.objects.filter(value="4").count() == ANONYMOUS + USERS
    assert Participation.objects.filter(survey=survey).count() == USERS
    assert all(
        re.fullmatch(r"[0-9a-f]{64}", k)
        for k in Participation.objects.values_list("key", flat=True)
    )
