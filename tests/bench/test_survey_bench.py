"""Survey results for 100,000 responses of a 20-question survey, against one SQL aggregate.

The floor is a single GROUP BY (question, value) over the same answers table; the whole
results, the breakdown by audience included (counts, shares, means, CSAT, NPS and charts for
every question), must come back in under 1 s and within 3 times the floor.
"""

import random
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from vitrine.surveys.choices import QuestionKind
from vitrine.surveys.models import Answer, Response, SurveyPage, SurveyQuestion
from vitrine.surveys.results import survey_results

from .conftest import record

pytestmark = pytest.mark.django_db
RESPONSES = 100_000
ROUNDS = 5
KINDS = (
    [QuestionKind.RATING] * 8
    + [QuestionKind.CSAT] * 4
    + [QuestionKind.NPS] * 2
    + [QuestionKind.SINGLE] * 3
    + [QuestionKind.MULTIPLE] * 2
    + [QuestionKind.TEXT]
)
OPTIONS = ["Portal", "Telefon", "E-Mail", "Service Desk"]
GROUPS = ["management", "budgetverantwortliche", "mitarbeitende", "itsm-rollen"]


def make_survey(home) -> SurveyPage:
    now = timezone.now()
    survey = SurveyPage(
        title="Benchmark",
        intro="Benchmark",
        opens_at=now - timezone.timedelta(days=30),
        closes_at=now - timezone.timedelta(days=1),
    )
    survey.questions = [
        SurveyQuestion(kind=kind, text=f"Frage {i + 1}", options="\n".join(OPTIONS))
        for i, kind in enumerate(KINDS)
    ]
    home.add_child(instance=survey)
    survey.save_revision().publish()
    return SurveyPage.objects.get(pk=survey.pk)


def answer_values(question: SurveyQuestion, rng: random.Random) -> list[tuple[str, str]]:
    if question.scale:
        low, high = question.scale
        return [(str(rng.randint(low, high)), "")]
    if question.kind == QuestionKind.SINGLE:
        return [(rng.choice(OPTIONS), "")]
    if question.kind == QuestionKind.MULTIPLE:
        return [(option, "") for option in rng.sample(OPTIONS, rng.randint(1, 2))]
    return [("", "Mehr Informationen bitte.")] if rng.random() < 0.1 else []


def insert(model, columns: list[str], rows: list[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def new_key():
    """A random key as the backend stores it (SQLite: 32 hex digits)."""
    key = uuid.uuid4()
    return key if connection.vendor == "postgresql" else key.hex


def fill(survey: SurveyPage) -> int:
    rng = random.Random(19770)
    questions = survey.ordered_questions
    responses, answers = [], []
    for _ in range(RESPONSES):
        response_id = new_key()
        group = rng.choice(GROUPS)
        responses.append((response_id, survey.pk, group))
        for question in questions:
            for index, (value, text) in enumerate(answer_values(question, rng)):
                answers.append(
                    (new_key(), response_id, question.pk, group, value, text, index == 0)
                )
    insert(Response, ["id", "survey_id", "group"], responses)
    insert(
        Answer,
        ["id", "response_id", "question_id", "group", "value", "text", "respondent"],
        answers,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(answers)


def best_of(function) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return min(samples)


def test_results_of_100000_responses_in_under_a_second(home):
    survey = make_survey(home)
    start = time.perf_counter()
    answer_count = fill(survey)
    print(
        f"\ninserted {RESPONSES:,} responses, {answer_count:,} answers "
        f"in {time.perf_counter() - start:.1f} s ({connection.vendor})"
    )
    question_ids = [q.pk for q in survey.ordered_questions]
    table = connection.ops.quote_name(Answer._meta.db_table)
    marks = ", ".join(["%s"] * len(question_ids))
    floor_sql = (
        f"SELECT question_id, value, COUNT(*) FROM {table} "
        f"WHERE question_id IN ({marks}) GROUP BY question_id, value"
    )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(floor_sql, question_ids)
            return cursor.fetchall()

    def results():
        # A fresh survey object each round: nothing cached between rounds.
        page = SurveyPage.objects.get(pk=survey.pk)
        return survey_results(page, breakdown=False)

    def with_breakdown():
        return survey_results(SurveyPage.objects.get(pk=survey.pk), breakdown=True)

    outcome = results()
    assert outcome.total == RESPONSES
    assert len(outcome.questions) == 20
    assert all(r.shown for r in outcome.questions if r.question.kind != QuestionKind.TEXT)
    assert sum(row.count for row in outcome.questions[0].rows) == RESPONSES
    floor_s = best_of(floor)
    results_s = best_of(results)
    breakdown_s = best_of(with_breakdown)
    print(f"single SQL aggregate (floor): {floor_s * 1000:8.1f} ms")
    for label, seconds in (("survey results", results_s), ("with audience groups", breakdown_s)):
        print(f"{label + ':':<30}{seconds * 1000:8.1f} ms  ratio {seconds / floor_s:.2f}")
    for label, seconds in (("survey results", results_s), ("with audience groups", breakdown_s)):
        record(
            f"{label}, {RESPONSES:,} responses",
            f"{seconds * 1000:.1f} ms",
            f"one GROUP BY {floor_s * 1000:.1f} ms",
            f"{seconds / floor_s:.2f}×",
            "< 1 s and ≤ 3×",
            seconds < 1.0 and seconds / floor_s <= 3.0,
        )
    grouped = with_breakdown()
    assert sum(g.size for g in grouped.groups) == RESPONSES
    assert breakdown_s < 1.0 and breakdown_s / floor_s <= 3.0
