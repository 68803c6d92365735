"""The attacks of the operator on survey anonymity, performed: none may narrow an answer down.

The attacker holds the database (rowid or ctid order, PostgreSQL's xmin and dead row
versions), the secret key and the access log, and knows who answered in which order. 30 known
readers answer a survey one after the other; every reader writes a free text that only the
test knows to be theirs, so the test can tell whether an attack found the right person.
Each attack must leave every answer among at least the minimum group size of people.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from vitrine.surveys.choices import QuestionKind
from vitrine.surveys.models import (
    Answer,
    ContactRequest,
    Participation,
    PendingContact,
    PendingResponse,
    Response,
    SurveySettings,
)
from vitrine.surveys.services import participation_key

from .conftest import q

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
MIN = 5
# Three audiences: 14 managers, 11 employees, 5 of the ITSM roles, answering interleaved.
ORDER = ["management", "mitarbeitende"] * 11 + ["management"] * 3 + ["itsm-rollen"] * 5


def secret_text(index: int) -> str:
    return f"Antwort von Person {index:02d}"


def physical_order(model) -> list[tuple]:
    """The rows as the storage lays them out: SQLite's rowid, PostgreSQL's ctid."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT xmin::text, * FROM {table} ORDER BY ctid")
        else:
            cursor.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid")
        return cursor.fetchall()


def response_text(response_id) -> str:
    text_question = Answer.objects.filter(response_id=response_id, value="").exclude(text="")
    return text_question.values_list("text", flat=True).first() or ""


class Scene:
    """30 readers answered; what the attacker saw along the way is kept here."""

    def __init__(self, survey, readers, totals, log_lines, pool_while_open, pages_while_open):
        self.survey = survey
        self.pages_while_open = pages_while_open  # PostgreSQL: the pool's raw pages
        self.pool_while_open = pool_while_open  # (storage rows, pending rows) before the close
        self.readers = readers  # in the order they answered
        self.totals = totals  # the published total after each answer
        self.log_lines = log_lines

    def owner(self, response_id) -> int:
        """Who really wrote a stored response (only the test knows this)."""
        text = response_text(response_id)
        return int(text.rsplit(" ", 1)[1])


@pytest.fixture
def scene(make_survey, make_reader, caplog):
    settings_row = SurveySettings.load()
    settings_row.min_group_size = MIN
    settings_row.save()
    survey = make_survey(allow_contact=True)
    readers = [make_reader(slug, username=f"person{i:02d}") for i, slug in enumerate(ORDER)]
    client = Client()
    totals = []
    caplog.set_level(logging.INFO)
    # Another session keeps a snapshot open all along (a long report, a backup of another
    # table): PostgreSQL keeps every row version that snapshot might see, vacuum or not.
    onlooker = _open_snapshot()
    for index, reader in enumerate(readers):
        client.force_login(reader)
        data = {
            f"q{q(survey, QuestionKind.RATING).pk}": str(1 + index % 5),
            f"q{q(survey, QuestionKind.CSAT).pk}": str(1 + (index * 3) % 5),
            f"q{q(survey, QuestionKind.TEXT).pk}": secret_text(index),
        }
        if index % 3 == 0:
            data.update(contact_name=f"Person {index:02d}", contact_email=f"p{index}@muster.de")
        assert client.post(survey.url, data).status_code == 303
        client.logout()
        totals.append(_published_total(survey))
    pool_while_open = (
        physical_order(PendingResponse),
        list(PendingResponse.objects.filter(survey=survey)),
    )
    pages_while_open = pool_pages() if connection.vendor == "postgresql" else b""
    if onlooker is not None:
        onlooker.close()
    contacts_while_open = list(PendingContact.objects.values_list("email", flat=True))
    # The survey closes; the first reader of its results lands what still waits.
    survey.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    survey.save(update_fields=["closes_at"])
    totals.append(_published_total(survey))
    assert not PendingResponse.objects.exists()
    log_lines = [r.getMessage() for r in caplog.records]
    scene = Scene(survey, readers, totals, log_lines, pool_while_open, pages_while_open)
    scene.contacts_while_open = contacts_while_open
    return scene


def _open_snapshot():
    """On PostgreSQL, a second connection inside a transaction whose snapshot stays open."""
    if connection.vendor != "postgresql":
        return None
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    other = psycopg.connect(**{k: v for k, v in params.items() if k != "context"})
    other.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    other.execute("SELECT count(*) FROM auth_user").fetchone()
    return other


def _published_total(survey) -> int:
    """What a reader watching the results would read right now (through the API's rule)."""
    from vitrine.surveys.results import survey_results

    return survey_results(survey, breakdown=False, charts=False).total


def batches(rows: list[tuple]) -> list[list[tuple]]:
    """Rows written in one transaction: same xmin on PostgreSQL (SQLite does not tell)."""
    found: dict[str, list] = {}
    for row in rows:
        found.setdefault(row[0], []).append(row)
    return list(found.values())


def attack_order_join(scene) -> None:
    """Line up responses in storage order with the participations (the secret key hashes
    every user): the join must not name the writer of more than chance would."""
    participations = [row[1] for row in physical_order(Participation)]
    keys = {participation_key(scene.survey.pk, r.pk): i for i, r in enumerate(scene.readers)}
    participant_order = [keys[key] for key in participations if key in keys]
    assert len(participant_order) == len(scene.readers)
    responses = [row[1] for row in physical_order(Response)]
    assert len(responses) == len(scene.readers)
    hits = sum(
        participant_order[position] == scene.owner(response_id)
        for position, response_id in enumerate(responses)
    )
    # Shuffled batches leave about one hit per batch; storage order used to give all 30.
    assert hits <= len(responses) // 3, f"the order join named {hits} of 30 writers"


def attack_groups(scene) -> None:
    """Every group's responses number at least the minimum: a response's group leaves
    at least that many readers who could have written it."""
    sizes: dict[str, int] = {}
    for group in Response.objects.filter(survey=scene.survey).values_list("group", flat=True):
        sizes[group] = sizes.get(group, 0) + 1
    assert all(size >= MIN for size in sizes.values()), sizes


def attack_xmin_join(scene) -> None:
    """Rows written in one transaction share xmin: no response shares it with a participation
    or a contact wish, and every xmin of responses is shared by at least the minimum."""
    response_xmins = {row[0] for row in physical_order(Response)}
    answer_xmins = {row[0] for row in physical_order(Answer)}
    participation_xmins = {row[0] for row in physical_order(Participation)}
    contact_xmins = {row[0] for row in physical_order(ContactRequest)}
    assert not (response_xmins | answer_xmins) & participation_xmins
    assert not (response_xmins | answer_xmins) & contact_xmins
    for batch in batches(physical_order(Response)):
        assert len(batch) >= MIN, f"a transaction wrote only {len(batch)} responses"


def pool_pages() -> bytes:
    """The raw pages of the pool's tables, dead row versions and free space included."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        raw = b""
        for model in (PendingResponse, PendingContact):
            table = model._meta.db_table
            cursor.execute(
                "SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table]
            )
            for page in range(cursor.fetchone()[0]):
                cursor.execute("SELECT get_raw_page(%s, %s)", [table, page])
                raw += bytes(cursor.fetchone()[0])
    return raw


def attack_dead_row_versions(scene) -> None:
    """The pool's pages hold each waiting answer and contact wish once, and nothing else:
    neither while the survey is open (earlier versions of a pool would show, by difference,
    which answer came last) nor after everything has landed."""
    snapshots = (
        (scene.pages_while_open, scene.pool_while_open[1], scene.contacts_while_open),
        (pool_pages(), [], []),
    )
    for raw, pending, contacts in snapshots:
        waiting = {answer[2] for row in pending for answer in row.answers if answer[2]}
        for index in range(len(scene.readers)):
            found = raw.count(secret_text(index).encode())
            assert found == (1 if secret_text(index) in waiting else 0), (index, found)
            found = raw.count(f"p{index}@muster.de".encode())
            assert found == (1 if f"p{index}@muster.de" in contacts else 0), (index, found)


def attack_contact_join(scene) -> None:
    """Line up the n-th contact wish with the n-th response of someone who left one."""
    contacts = physical_order(ContactRequest)
    assert len(contacts) == 10
    owners = [scene.owner(row[1]) for row in physical_order(Response)]
    wishers = [owner for owner in owners if owner % 3 == 0]
    names = [
        next(c for c in row if isinstance(c, str) and c.startswith("Person")) for row in contacts
    ]
    hits = sum(name == f"Person {owner:02d}" for name, owner in zip(names, wishers, strict=True))
    assert hits <= len(contacts) // 2, f"the contact join named {hits} of 10"


def attack_watching_results(scene) -> None:
    """Reading the results after every answer: they move by a batch, never by one answer."""
    changes = [b - a for a, b in zip([0, *scene.totals], scene.totals, strict=False)]
    assert all(change == 0 or change >= MIN for change in changes), scene.totals
    assert scene.totals[-1] == len(scene.readers)


def attack_pool_while_open(scene) -> None:
    """What waited before the close had been written anew, all of it, with the last answer
    of its group: its rows share one transaction and one run of storage places."""
    rows, pending = scene.pool_while_open
    assert pending, "the last answers of the scene wait in their pools"
    by_group: dict[str, list] = {}
    for row in pending:
        by_group.setdefault(row.group, []).append(row.pk)
    assert all(len(keys) < 2 * MIN for keys in by_group.values())
    place = {str(row[1]).replace("-", ""): (row[0], index) for index, row in enumerate(rows)}
    for keys in by_group.values():
        found = sorted(place[key.hex] for key in keys)
        if connection.vendor == "postgresql":
            assert len({xmin for xmin, _index in found}) == 1, found
        else:
            rowids = sorted(int(rowid) for rowid, _index in found)
            assert rowids[-1] - rowids[0] == len(rowids) - 1, rowids


def test_no_attack_narrows_an_answer_down(scene):
    attack_order_join(scene)
    attack_groups(scene)
    attack_contact_join(scene)
    attack_watching_results(scene)
    attack_pool_while_open(scene)
    if connection.vendor == "postgresql":
        attack_xmin_join(scene)
        attack_dead_row_versions(scene)
    # Nor does the application log a line for an answer.
    assert not [line for line in scene.log_lines if scene.survey.url in line]


def _gunicorn_log(tmp_path, requests: list[dict]) -> list[str]:
    """Run gunicorn's access logging with Vitrine's configuration; the lines it writes."""
    import datetime
    import types

    from gunicorn.config import Config

    from vitrine import gunicorn_conf

    config = Config()
    config.set("logger_class", gunicorn_conf.logger_class)
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("access_log_format", '%(h)s %(t)s "%(r)s" %(s)s %(a)s %({x-forwarded-for}i)s')
    logger = config.logger_class(config)
    for environ in requests:
        environ = {"RAW_URI": environ["PATH_INFO"], "SERVER_PROTOCOL": "HTTP/1.1", **environ}
        response = types.SimpleNamespace(status="200 OK", headers=[], sent=10)
        request = types.SimpleNamespace(headers=[("X-FORWARDED-FOR", "10.9.9.9")])
        logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text().splitlines()


def test_the_access_log_has_no_line_for_an_answer(survey, client, tmp_path):
    from vitrine.accesslog import unlogged

    # Every request to the survey is marked, answering and reading; other pages are not.
    assert unlogged(client.post(survey.url, {}).wsgi_request.META)
    assert unlogged(client.get(survey.url).wsgi_request.META)
    assert not unlogged(client.get("/").wsgi_request.META)
    agent = "Mozilla/5.0 (Person 07)"
    lines = _gunicorn_log(
        tmp_path,
        [
            {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": survey.url,
                "REMOTE_ADDR": "10.1.2.3",
                "vitrine.unlogged": True,
            },
            {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": "/",
                "REMOTE_ADDR": "10.1.2.3",
                "HTTP_USER_AGENT": agent,
            },
        ],
    )
    # Even with an operator's format that asks for address, agent and forwarded-for.
    assert len(lines) == 1, lines
    assert "10.1.2.3" not in lines[0] and "10.9.9.9" not in lines[0] and agent not in lines[0]
    assert survey.url not in " ".join(lines)
    # `make serve` runs gunicorn with this configuration.
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "--config python:vitrine.gunicorn_conf" in makefile
