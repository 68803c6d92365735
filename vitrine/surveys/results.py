"""Results of a survey under the minimum group size: the one rule for every way out.

The page, the admin, the API and the exports all read `survey_results`; none counts answers
on its own. The rule:

- No result at all while the survey has fewer responses than the minimum group size, and no
  result for a question answered fewer times than that.
- The breakdown is by a partition: every response counts in exactly one group (its reader's
  first audience, see `services.response_group`). Groups below the minimum are hidden, and
  when the hidden groups together hold fewer than the minimum, the smallest shown groups are
  hidden too, until the hidden part reaches the minimum: the total minus the shown groups
  then gives back nothing smaller than the minimum. The same holds per question, with the
  groups' answer counts of that question.
- Results move only when a batch lands (see `pool`), or only after the close.
- Free text is never part of these results (see `free_texts`, editors only).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, Sum, When
from django.utils.translation import gettext as _

from vitrine.audiences.models import Audience
from vitrine.figures.charts import Chart, bar_chart, format_number, format_value

from . import pool
from .choices import DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR, QuestionKind
from .models import (
    NO_GROUP,
    Answer,
    PendingResponse,
    Response,
    SurveyPage,
    SurveyQuestion,
    SurveySettings,
)

_shuffler = random.SystemRandom()


def min_group_size() -> int:
    """The configured minimum group size, never below the floor."""
    try:
        size = SurveySettings.load().min_group_size
    except Exception:  # noqa: BLE001 - no settings row can be created (read-only database)
        size = DEFAULT_MIN_GROUP_SIZE
    return max(int(size or DEFAULT_MIN_GROUP_SIZE), MIN_GROUP_SIZE_FLOOR)


def suppressed(sizes: dict[str, int], min_size: int, already: set[str] = frozenset()) -> set[str]:
    """Keys of the groups of a partition not to show.

    Groups below the minimum are hidden, and `already` (hidden for another reason). When the
    hidden groups together hold fewer than the minimum but more than none, the total minus
    the shown groups would give them back: the smallest shown groups are hidden as well until
    the hidden part reaches the minimum (or nothing is shown). Empty groups reveal nothing.
    """
    hidden = {key for key, size in sizes.items() if 0 < size < min_size}
    hidden |= set(already) & set(sizes)
    shown = sorted(
        (key for key in sizes if key not in hidden and sizes[key] > 0),
        key=lambda key: (sizes[key], key),
    )
    while shown and 0 < sum(sizes[key] for key in hidden) < min_size:
        hidden.add(shown.pop(0))
    return hidden


@dataclass(frozen=True)
class OptionRow:
    label: str
    count: int
    share: float  # 0..1 of the question's answers

    @property
    def share_text(self) -> str:
        return format_value(self.share * 100, "%", decimals=0)


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    shown: bool
    rows: list[OptionRow] = field(default_factory=list)
    mean: float | None = None
    csat: float | None = None  # % satisfied (4 or 5)
    nps: float | None = None  # % promoters − % detractors
    promoters: float | None = None
    passives: float | None = None
    detractors: float | None = None
    other_count: int = 0
    text_count: int = 0
    chart: Chart | None = None

    @property
    def headline(self) -> str:
        """The one figure a reader compares: mean, CSAT % or NPS."""
        if not self.shown:
            return ""
        if self.question.kind == QuestionKind.NPS and self.nps is not None:
            return _signed(self.nps)
        if self.question.kind == QuestionKind.CSAT and self.csat is not None:
            return format_value(self.csat, "%", decimals=0)
        if self.question.kind == QuestionKind.RATING and self.mean is not None:
            return format_number(self.mean, decimals=1)
        return ""

    @property
    def mean_text(self) -> str:
        return format_number(self.mean, decimals=1) if self.mean is not None else ""

    @property
    def csat_text(self) -> str:
        return format_value(self.csat, "%", decimals=0) if self.csat is not None else ""

    @property
    def nps_text(self) -> str:
        return _signed(self.nps) if self.nps is not None else ""


@dataclass
class GroupResult:
    key: str
    name: str
    size: int
    shown: bool
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def scale_results(self) -> list[QuestionResult]:
        """The results that have a column of their own in the table by audience."""
        return [r for r in self.questions if r.question.scale]


@dataclass
class SurveyResults:
    survey: SurveyPage
    total: int
    min_size: int
    questions: list[QuestionResult] = field(default_factory=list)
    groups: list[GroupResult] = field(default_factory=list)
    withheld: bool = False  # results show only after the survey has closed

    @property
    def reached(self) -> bool:
        return self.total >= self.min_size

    @property
    def shown_groups(self) -> list[GroupResult]:
        return [g for g in self.groups if g.shown]

    @property
    def hidden_group_count(self) -> int:
        return sum(1 for g in self.groups if not g.shown)

    @property
    def scale_questions(self) -> list[QuestionResult]:
        """Questions with a scale: only they get a column in the table by audience."""
        return [r for r in self.questions if r.question.scale]

    @property
    def scale_column_count(self) -> int:
        return len(self.scale_questions)

    @property
    def suppressed_colspan(self) -> int:
        """Columns a hidden group's one cell spans: the answers and every scale column."""
        return self.scale_column_count + 1


def _signed(value: float) -> str:
    text = format_number(value, decimals=0)
    return f"+{text}" if round(value) > 0 else text


# --- counting ----------------------------------------------------------------------------------


@dataclass
class Cells:
    """Per (group, question): answers per value, and respondents. One GROUP BY fills it."""

    values: dict = field(default_factory=lambda: defaultdict(Counter))
    respondents: dict = field(default_factory=lambda: defaultdict(int))

    def overall(self) -> Cells:
        """The same cells summed over the groups (group None)."""
        summed = Cells()
        for (_group, question_id), counter in self.values.items():
            summed.values[(None, question_id)].update(counter)
        for (_group, question_id), n in self.respondents.items():
            summed.respondents[(None, question_id)] += n
        return summed


def _cells(questions) -> Cells:
    cells = Cells()
    rows = (
        Answer.objects.filter(question_id__in=[q.pk for q in questions])
        .values_list("question_id", "group", "value")
        .annotate(n=Count("*"), r=Sum(Case(When(respondent=True, then=1), default=0)))
        .order_by()
    )
    for question_id, group, value, n, respondents in rows:
        cells.values[(group, question_id)][value] += n
        cells.respondents[(group, question_id)] += respondents or 0
    return cells


def _question_results(group, questions, cells: Cells, min_size: int, *, charts: bool, uid: str):
    return [
        _result(
            q,
            cells.values.get((group, q.pk), Counter()),
            cells.respondents.get((group, q.pk), 0),
            min_size,
            charts,
            uid,
        )
        for q in questions
    ]


def _result(
    question: SurveyQuestion,
    counts: Counter,
    respondents: int,
    min_size: int,
    charts: bool,
    uid: str,
) -> QuestionResult:
    answered = respondents
    result = QuestionResult(question=question, answered=answered, shown=answered >= min_size)
    if question.kind == QuestionKind.TEXT:
        result.text_count = answered
        return result
    if not result.shown:
        return result
    if question.scale:
        _scale_result(result, counts)
    else:
        _choice_result(result, counts)
    if charts and result.rows:
        result.chart = _chart(result, uid)
    return result


def _scale_result(result: QuestionResult, counts: Counter) -> None:
    question = result.question
    low, high = question.scale
    numbers: Counter = Counter()
    for value, n in counts.items():
        try:
            number = int(value)
        except ValueError:
            continue
        if low <= number <= high:
            numbers[number] += n
    answered = sum(numbers.values())
    result.answered = answered
    if answered == 0:
        return
    result.rows = [
        OptionRow(label=_scale_label(question, v), count=numbers[v], share=numbers[v] / answered)
        for v in range(low, high + 1)
    ]
    result.mean = sum(v * n for v, n in numbers.items()) / answered
    if question.kind == QuestionKind.CSAT:
        result.csat = 100 * (numbers[4] + numbers[5]) / answered
    if question.kind == QuestionKind.NPS:
        promoters = sum(numbers[v] for v in (9, 10)) / answered
        detractors = sum(numbers[v] for v in range(0, 7)) / answered
        result.promoters = 100 * promoters
        result.detractors = 100 * detractors
        result.passives = 100 - result.promoters - result.detractors
        result.nps = result.promoters - result.detractors


def _scale_label(question: SurveyQuestion, value: int) -> str:
    low, high = question.scale
    if value == low and question.low_label:
        return f"{value} – {question.low_label}"
    if value == high and question.high_label:
        return f"{value} – {question.high_label}"
    return str(value)


def _choice_result(result: QuestionResult, counts: Counter) -> None:
    answered = result.answered or 1
    options = result.question.option_list
    result.rows = [
        OptionRow(label=option, count=counts.get(option, 0), share=counts.get(option, 0) / answered)
        for option in options
    ]
    # Options removed after answers came in still count, under their own name.
    for value, n in sorted(counts.items()):
        if value and value not in options:
            result.rows.append(OptionRow(label=value, count=n, share=n / answered))
    result.other_count = counts.get("", 0)
    if result.other_count:
        result.rows.append(
            OptionRow(
                label=_("Other"), count=result.other_count, share=result.other_count / answered
            )
        )


def _chart(result: QuestionResult, uid: str) -> Chart:
    if result.question.kind == QuestionKind.MULTIPLE:
        description = _(
            "Share of the %(count)s respondents who chose each answer; "
            "several answers were possible."
        )
    else:
        description = _("Share of the %(count)s answers.")
    return bar_chart(
        title=result.question.text,
        description=description % {"count": format_number(result.answered)},
        bars=[(row.label, round(row.share * 100)) for row in result.rows],
        unit="%",
        uid=f"{uid}-q{result.question.pk}",
    )


# --- the survey --------------------------------------------------------------------------------


def survey_results(
    survey: SurveyPage,
    *,
    breakdown: bool = True,
    charts: bool = True,
    min_size: int | None = None,
    now=None,
) -> SurveyResults:
    """Everything that may be shown of a survey's answers, under the minimum group size.

    Once the survey has closed, what still waits in its pool lands first. A survey whose
    results show only after the close shows nothing before it (`withheld`).
    """
    min_size = max(min_size or min_group_size(), MIN_GROUP_SIZE_FLOOR)
    if survey.has_closed(now) and PendingResponse.objects.filter(survey=survey).exists():
        pool.batches_land(survey, min_size=min_size, now=now)
    if not survey.results_may_show(now):
        return SurveyResults(survey=survey, total=0, min_size=min_size, withheld=True)
    sizes = dict(
        Response.objects.filter(survey=survey)
        .values_list("group")
        .annotate(n=Count("*"))
        .order_by()
    )
    total = sum(sizes.values())
    results = SurveyResults(survey=survey, total=total, min_size=min_size)
    if not results.reached:
        return results
    questions = survey.ordered_questions
    cells = _cells(questions)
    uid = f"survey-{survey.pk}"
    results.questions = _question_results(
        None, questions, cells.overall(), min_size, charts=charts, uid=uid
    )
    if breakdown and len(sizes) > 1:
        # Groups show headline figures and tables, no charts.
        results.groups = _groups(sizes, questions, cells, min_size, uid=uid)
    return results


def _groups(sizes: dict[str, int], questions, cells: Cells, min_size: int, *, uid: str):
    hidden = suppressed(sizes, min_size)
    names = dict(Audience.objects.filter(slug__in=list(sizes)).values_list("slug", "name"))
    order = {slug: i for i, slug in enumerate(Audience.objects.values_list("slug", flat=True))}
    groups = [
        GroupResult(
            key=key,
            name=names.get(key) or (_("No specific audience") if key == NO_GROUP else key),
            size=size,
            shown=key not in hidden,
        )
        for key, size in sorted(sizes.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0]))
    ]
    for group in groups:
        if group.shown:
            group.questions = _question_results(
                group.key,
                questions,
                cells,
                min_size,
                charts=False,
                uid=f"{uid}-g-{group.key or 'none'}",
            )
    _suppress_per_question(groups, questions, cells, min_size)
    return groups


def _suppress_per_question(groups: list[GroupResult], questions, cells: Cells, min_size) -> None:
    """Per question, the same rule over the groups' answer counts.

    A group hidden as a whole stays hidden; its count for the question still counts towards
    what is hidden, so that the hidden part of every question reaches the minimum too.
    """
    for index, question in enumerate(questions):
        sizes = {g.key: cells.respondents.get((g.key, question.pk), 0) for g in groups}
        already = {g.key for g in groups if not g.shown}
        hidden = suppressed(sizes, min_size, already)
        for group in groups:
            if group.shown and group.key in hidden:
                result = group.questions[index]
                group.questions[index] = QuestionResult(
                    question=result.question, answered=result.answered, shown=False
                )


def free_texts(
    survey: SurveyPage, *, min_size: int | None = None, now=None
) -> list[tuple[SurveyQuestion, list[tuple]]]:
    """(answer key, text) of free-text and "other" answers per question, for editors only.

    Nothing before the survey reaches the minimum group size (or, where results show only
    after the close, before the close), never per group, never with anything that leads back to
    the response for whoever sees them (the key opens an improvement item from the answer),
    and shuffled anew each time.
    """
    min_size = max(min_size or min_group_size(), MIN_GROUP_SIZE_FLOOR)
    if not survey.results_may_show(now):
        return []
    if Response.objects.filter(survey=survey).count() < min_size:
        return []
    by_question: dict[int, list[tuple]] = defaultdict(list)
    questions = survey.ordered_questions
    rows = (
        Answer.objects.filter(question__in=questions, value="")
        .exclude(text="")
        .values_list("question_id", "id", "text")
    )
    for question_id, answer_id, text in rows:
        by_question[question_id].append((answer_id, text))
    for texts in by_question.values():
        _shuffler.shuffle(texts)
    return [(q, by_question[q.pk]) for q in questions if by_question.get(q.pk)]
