"""The pool of accepted answers and the shuffled batches in which they land in the results.

The attacker this defends against holds a copy of the database (with SQLite's rowids,
PostgreSQL's ctid, xmin and not yet vacuumed row versions), the secret key and the access log,
and knows who answered in which order. Whatever is stored in the order of answering can be
lined up with that order, so nothing is:

- An accepted answer goes into the pool of its survey and group. The pool is rewritten whole
  on every change: all its rows are deleted and written again, shuffled, in one transaction.
  Its rows share one transaction id and lie in random order, so a copy of the pool tells which
  readers have answers in it, not which answer is whose.
- When a group's pool holds twice the minimum group size, a random part of it lands, leaving
  the minimum behind; when the survey closes, the rest lands. Every batch is of one group,
  holds at least the minimum group size and is written shuffled in a transaction of its own
  that holds no participation and no contact wish. Pools too small to land on their own at
  the close are folded into the group "no specific audience", and a remainder too small for
  that is folded with the smallest batch. What can never reach the minimum (a survey that
  closes with fewer answers) is erased unread.
- Contact wishes land, shuffled, in a transaction of their own whenever a batch of their
  survey lands.
- No earlier version of a pool stays in the files: PostgreSQL's pool tables are emptied with
  TRUNCATE and written anew on every change (a deleted row version would otherwise stay as
  long as any transaction might see it); SQLite overwrites deleted content (`secure_delete`,
  set in the settings) and its write-ahead log is truncated after every change.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from .models import (
    NO_GROUP,
    Answer,
    ContactRequest,
    PendingContact,
    PendingResponse,
    Response,
    SurveyPage,
)

logger = logging.getLogger(__name__)
_shuffler = random.SystemRandom()
# Namespace of the PostgreSQL advisory locks that serialise changes to one survey's pool.
_LOCK_NAMESPACE = 19770
# How long an answer waits for the pool table before its pool is rewritten the plain way.
POOL_LOCK_TIMEOUT = "3s"


@dataclass(frozen=True)
class Landed:
    """What one call to `batches_land` did: responses landed, contact wishes, answers erased."""

    responses: int = 0
    contacts: int = 0
    erased: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.responses or self.contacts or self.erased)


def survey_lock(survey_id: int) -> None:
    """Serialise pool changes of one survey until the transaction ends.

    SQLite's IMMEDIATE transactions already hold the database's write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, survey_id])


def pool_add(
    *,
    survey: SurveyPage,
    group: str,
    answers: list[list],
    contact: tuple[str, str] | None = None,
) -> None:
    """Add one answer (and a contact wish) to the survey's pools, rewriting them shuffled.

    Runs inside the caller's transaction, which also records the participation.
    """
    survey_lock(survey.pk)
    pool = list(
        PendingResponse.objects.filter(survey=survey, group=group).values_list("answers", flat=True)
    )
    pool.append(answers)
    _rewrite_responses(survey, group, pool)
    if contact is not None:
        contacts = list(PendingContact.objects.filter(survey=survey).values_list("name", "email"))
        contacts.append(contact)
        _replace(
            PendingContact,
            {"survey": survey},
            [PendingContact(survey=survey, name=name, email=email) for name, email in contacts],
        )


def _rewrite_responses(survey: SurveyPage, group: str, pool: list[list]) -> None:
    _replace(
        PendingResponse,
        {"survey": survey, "group": group},
        [PendingResponse(survey=survey, group=group, answers=answers) for answers in pool],
    )


def _replace(model, selection: dict, rows: list) -> None:
    """Replace the pool rows `selection` picks by `rows`, shuffled, leaving no old version.

    On PostgreSQL a deleted row version stays in the table's pages as long as any open
    transaction might still see it, whatever a vacuum does; so the whole (small) pool table
    is emptied with TRUNCATE, which writes it to a new file and drops the old one, and every
    row is written again. The table's lock keeps every other writer out meanwhile. Should
    the lock not come within `POOL_LOCK_TIMEOUT` (a backup reading the table, say), the rows
    are replaced as usual and the next change of the pool clears what stays behind: an
    answer is never refused for it. SQLite overwrites deleted rows in place (`secure_delete`).
    Runs inside a transaction.
    """
    rows = list(rows)
    if connection.vendor == "postgresql" and _truncate_rewrite(model, selection, rows):
        return
    model.objects.filter(**selection).delete()
    _shuffler.shuffle(rows)
    model.objects.bulk_create(rows)


def _truncate_rewrite(model, selection: dict, rows: list) -> bool:
    table = connection.ops.quote_name(model._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{POOL_LOCK_TIMEOUT}'")
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            everything = rows + list(model.objects.exclude(**selection))
            # Django's foreign keys are checked at commit; TRUNCATE refuses a table with such
            # checks still waiting, so they are run now (and deferred again after).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {table}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET LOCAL lock_timeout = DEFAULT")
            _shuffler.shuffle(everything)
            model.objects.bulk_create(everything)
    except OperationalError:
        logger.warning("Survey pool table busy: its old row versions go with its next change")
        return False
    return True


def pending_count(survey: SurveyPage) -> int:
    """How many accepted answers of `survey` wait for their batch (editors see this)."""
    return PendingResponse.objects.filter(survey=survey).count()


def batches_land(survey: SurveyPage, *, min_size: int, now=None) -> Landed:
    """Land the batches that are ready: while open, full pools; once closed, everything."""
    final = survey.has_closed(now or timezone.now())
    with transaction.atomic():
        survey_lock(survey.pk)
        pools: dict[str, list[PendingResponse]] = defaultdict(list)
        for row in PendingResponse.objects.filter(survey=survey):
            pools[row.group].append(row)
        if not pools:
            return Landed()
        batches, erased = (_final_batches if final else _open_batches)(pools, min_size)
        if not batches and not erased:
            return Landed()
        for group, rows in batches.items():
            batch_write(survey, group, rows)
        gone = {row.pk for rows in batches.values() for row in rows} | {r.pk for r in erased}
        # Every pool that lost rows is written anew, so that the rows left behind cannot be
        # told from those that went by their place or transaction.
        for group, rows in pools.items():
            if any(row.pk in gone for row in rows):
                left = [row.answers for row in rows if row.pk not in gone]
                _rewrite_responses(survey, group, left)
    landed = sum(len(rows) for rows in batches.values())
    contacts = _contacts_land(survey) if landed else 0
    if final and not landed:  # nothing could land: the wishes go with the answers
        with transaction.atomic():
            survey_lock(survey.pk)
            _replace(PendingContact, {"survey": survey}, [])
    storage_scrub()
    return Landed(responses=landed, contacts=contacts, erased=len(erased))


def _open_batches(pools: dict[str, list], min_size: int) -> tuple[dict[str, list], list]:
    """While open: a pool of twice the minimum lands a random part, keeping the minimum back.

    What is kept back makes sure the last batch at the close is as large as any other.
    """
    batches = {}
    for group, rows in pools.items():
        if len(rows) >= 2 * min_size:
            batches[group] = _shuffler.sample(rows, len(rows) - min_size)
    return batches, []


def _final_batches(pools: dict[str, list], min_size: int) -> tuple[dict[str, list], list]:
    """At the close: every pool lands; small ones are folded so no batch is below the minimum."""
    batches = {group: rows for group, rows in pools.items() if len(rows) >= min_size}
    rest = [row for group, rows in pools.items() if len(rows) < min_size for row in rows]
    if rest:
        if NO_GROUP in batches or len(rest) >= min_size:
            batches[NO_GROUP] = batches.get(NO_GROUP, []) + rest
        elif batches:
            smallest = min(batches, key=lambda group: (len(batches[group]), group))
            batches[NO_GROUP] = batches.pop(smallest) + rest
        else:
            return {}, rest
    return batches, []


def batch_write(survey: SurveyPage, group: str, rows: Sequence[PendingResponse]) -> None:
    """Write one batch, shuffled, as responses of `group` in the current transaction."""
    rows = list(rows)
    _shuffler.shuffle(rows)
    questions = {q.pk for q in survey.ordered_questions}
    responses, answers = [], []
    for row in rows:
        response = Response(id=uuid.uuid4(), survey=survey, group=group)
        responses.append(response)
        answers.extend(_answer_rows(response, group, row.answers, questions))
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers, batch_size=2000)


def _answer_rows(
    response: Response, group: str, stored: Iterable, questions: set[int]
) -> list[Answer]:
    rows = []
    for question_id, values, text in stored:
        if question_id not in questions:  # the question was deleted while the answer waited
            continue
        first = True
        for value in values:
            rows.append(
                Answer(
                    response=response,
                    question_id=question_id,
                    group=group,
                    value=value,
                    respondent=first,
                )
            )
            first = False
        if text:
            rows.append(
                Answer(
                    response=response,
                    question_id=question_id,
                    group=group,
                    text=text,
                    respondent=first,
                )
            )
    return rows


def _contacts_land(survey: SurveyPage) -> int:
    """Contact wishes land shuffled, in a transaction that holds no response."""
    with transaction.atomic():
        survey_lock(survey.pk)
        wishes = list(PendingContact.objects.filter(survey=survey).values_list("name", "email"))
        if not wishes:
            return 0
        _replace(PendingContact, {"survey": survey}, [])
        _shuffler.shuffle(wishes)
        ContactRequest.objects.bulk_create(
            ContactRequest(survey=survey, name=name, email=email) for name, email in wishes
        )
    return len(wishes)


def storage_scrub() -> bool:
    """Empty SQLite's write-ahead log of earlier pool pages; False inside a transaction.

    SQLite overwrites deleted rows itself (`secure_delete`), but its write-ahead log keeps the
    earlier pages until it is checkpointed and truncated. (A reader holding an old snapshot
    at that moment keeps the log from being truncated until the next scrub.) PostgreSQL
    needs nothing here: `_replace` leaves no old row version behind.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception:  # noqa: BLE001 - scrubbing must never lose an accepted answer
        logger.exception("Could not scrub the survey pool tables")
        return False
    return True
