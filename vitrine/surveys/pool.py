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
- After each change, deleted rows are scrubbed from the files: SQLite overwrites deleted
  content (`secure_delete`, set in the settings) and its write-ahead log is truncated;
  PostgreSQL rewrites the pool's tables (`VACUUM FULL`), so no old row version is left.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
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
        PendingContact.objects.filter(survey=survey).delete()
        _shuffler.shuffle(contacts)
        PendingContact.objects.bulk_create(
            PendingContact(survey=survey, name=name, email=email) for name, email in contacts
        )


def _rewrite_responses(survey: SurveyPage, group: str, pool: list[list]) -> None:
    PendingResponse.objects.filter(survey=survey, group=group).delete()
    _shuffler.shuffle(pool)
    PendingResponse.objects.bulk_create(
        PendingResponse(survey=survey, group=group, answers=answers) for answers in pool
    )


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
        PendingResponse.objects.filter(pk__in=gone).delete()
        # What stays in a pool that gave a batch is rewritten, so that the rows left behind
        # cannot be told from those that went by their place or transaction.
        for group in batches:
            left = [row.answers for row in pools.get(group, []) if row.pk not in gone]
            if left:
                _rewrite_responses(survey, group, left)
    landed = sum(len(rows) for rows in batches.values())
    contacts = _contacts_land(survey) if landed else 0
    if final and not landed:  # nothing could land: the wishes go with the answers
        PendingContact.objects.filter(survey=survey).delete()
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
        PendingContact.objects.filter(survey=survey).delete()
        _shuffler.shuffle(wishes)
        ContactRequest.objects.bulk_create(
            ContactRequest(survey=survey, name=name, email=email) for name, email in wishes
        )
    return len(wishes)


def storage_scrub() -> bool:
    """Remove deleted pool rows from the database files; False inside a transaction.

    PostgreSQL keeps deleted row versions (with their transaction ids) until a vacuum, and
    a plain vacuum leaves their bytes in the page's free space: `VACUUM FULL` writes the two
    small pool tables anew. SQLite overwrites deleted content itself (`secure_delete`); its
    write-ahead log still holds the earlier pages until it is truncated.
    """
    if connection.in_atomic_block:
        return False
    tables = [PendingResponse._meta.db_table, PendingContact._meta.db_table]
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                names = ", ".join(connection.ops.quote_name(t) for t in tables)
                cursor.execute(f"VACUUM FULL {names}")
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception:  # noqa: BLE001 - scrubbing must never lose an accepted answer
        logger.exception("Could not scrub the survey pool tables")
        return False
    return True
